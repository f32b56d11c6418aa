import { describe, expect, it } from 'vitest';
import { cleanDeep, cleanText } from '../../src/stripe/sanitize.js';
import { describeKey, keyHint, redactKeys } from '../../src/stripe/keys.js';

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
});
