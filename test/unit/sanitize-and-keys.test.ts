import { describe, expect, it } from 'vitest';
import { cleanDeep, cleanText } from '../../src/stripe/sanitize.js';
import { describeKey, keyHint, redactKeys } from '../../src/stripe/keys.js';
import { describeError } from '../../src/stripe/errors.js';
import { canaryKey } from '../helpers/spawn.js';

describe('untrusted text', () => {
  it('strips control, zero-width, bidi and tag characters but keeps readable text', () => {
    expect(cleanText('Acme\u200B Corp\u0007')).toBe('Acme Corp');
    expect(cleanText('a\u202Eevil\u202C')).toBe('aevil');
    expect(cleanText('hidden\u{E0049}\u{E0067}tag')).toBe('hiddentag');
    expect(cleanText('Zoë Müller — 東京\nline two\tTab')).toBe('Zoë Müller — 東京\nline two\tTab');
  });

  it('cleans keys and values at every depth', () => {
    expect(cleanDeep({ 'k\u200B': ['x\u0000y', { z: 'w\uFEFF' }], n: 3, b: null })).toEqual({ k: ['xy', { z: 'w' }], n: 3, b: null });
  });
});

describe('keys', () => {
  it('tells kind and mode from the prefix', () => {
    expect(describeKey('rk_test_abcdefgh1234')).toEqual({ kind: 'restricted', mode: 'test' });
    expect(describeKey('sk_live_abcdefgh1234')).toEqual({ kind: 'secret', mode: 'live' });
    expect(describeKey('pk_test_abcdefgh1234')).toEqual({ kind: 'publishable', mode: 'test' });
    expect(describeKey('rk_prod_abcdefgh1234')).toBeNull();
    expect(describeKey('')).toBeNull();
  });

  it('hints and redacts without revealing the key', () => {
    const key = 'rk_test_CANARYsecretvalue9876';
    expect(keyHint(key)).toBe('rk_test_…9876');
    const text = redactKeys(`failed with ${key} and sk_live_${'x'.repeat(10)}abcd`);
    expect(text).not.toContain('CANARY');
    expect(text).toContain('rk_test_…9876');
    expect(text).toContain('sk_live_…abcd');
  });

  it('redacts a key glued to a word, or split by an invisible character (issue 11 item 6)', () => {
    const key = canaryKey('live');
    for (const text of [`xx${key}`, `token=${key}.`, `é${key}`, `_${key}_`, `9${key}`]) {
      expect(redactKeys(text)).not.toContain(key.slice(8));
    }
    // describeError strips hidden characters before redacting, so a zero-width space cannot hide the key's tail.
    const split = `${key.slice(0, 12)}\u200B${key.slice(12)}`;
    const message = describeError(Object.assign(new Error(`bad key xx${split}`), { type: 'StripeInvalidRequestError' }), { tool: 't' });
    expect(message).not.toContain(key.slice(8));
    expect(message).toContain(`rk_live_…${key.slice(-4)}`);
  });
});

describe('keys in data a tool returns', () => {
  it('masks a secret or restricted key anywhere in text, and leaves words that only look alike', () => {
    const key = canaryKey('test');
    expect(cleanText(`note: xx${key} end`)).toBe(`note: xxrk_test_…${key.slice(-4)} end`);
    expect(cleanDeep({ metadata: { [`k${key}`]: `sk_live_${'A1'.repeat(12)}` } })).toEqual({ metadata: { [`krk_test_…${key.slice(-4)}`]: 'sk_live_…A1A1' } });
    for (const word of ['risk_live_score', 'desk_test_12', 'risk_live_customer_segment_a', 'pk_live_abcdefghijklmnopqrstuvwx']) expect(cleanText(word)).toBe(word);
  });
});
