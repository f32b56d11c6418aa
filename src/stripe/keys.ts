/** What a Stripe key's prefix tells us, without ever logging the key itself. */

export type Mode = 'test' | 'live';
export const MODES = ['test', 'live'] as const;

export type KeyKind = 'secret' | 'restricted' | 'publishable';

export interface KeyShape {
  kind: KeyKind;
  mode: Mode;
}

const KEY_PATTERN = /^(sk|rk|pk)_(test|live)_[A-Za-z0-9_]{8,}$/;

/** Returns the kind and mode of a well-formed key, or null for anything else. */
export function describeKey(key: string): KeyShape | null {
  const match = KEY_PATTERN.exec(key.trim());
  if (!match) return null;
  const kind: KeyKind = match[1] === 'sk' ? 'secret' : match[1] === 'rk' ? 'restricted' : 'publishable';
  return { kind, mode: match[2] as Mode };
}

/** `rk_live_…wxyz`: enough to recognise a key, never enough to use it. */
export function keyHint(key: string): string {
  const shape = /^((?:sk|rk|pk)_(?:test|live)_)/.exec(key);
  return `${shape?.[1] ?? ''}…${key.slice(-4)}`;
}

// No \b before it: a key glued to a word (`xxrk_test_…`, `token=9sk_live_…`) is still a key.
const ANY_KEY = /(sk|rk|pk)_(test|live)_[A-Za-z0-9_]+/g;

/** Masks anything shaped like a Stripe key, anywhere in text bound for a log, an error or a result. */
export function redactKeys(text: string): string {
  return text.replace(ANY_KEY, (key, _kind, _mode, offset: number) => {
    // Glued to a word (`xxrk_test_…`) it is still masked when it has a real key's shape; `risk_test_accounts`, a
    // name that merely contains such letters, is not a key and stays readable.
    const glued = offset > 0 && /[A-Za-z0-9]/.test(text[offset - 1]!);
    return glued && !/^(sk|rk|pk)_(test|live)_[A-Za-z0-9]{16,}/.test(key) ? key : keyHint(key);
  });
}

// Stripe's secret and restricted keys: the prefix, then 16 or more letters and digits (no underscore). Data is
// masked only at that shape, so a word such as `risk_live_score` stays as the account owner typed it.
const SECRET_KEY_IN_DATA = /(sk|rk)_(test|live)_[A-Za-z0-9]{16,}/g;

/** Masks secret and restricted keys anywhere in Stripe data bound for a tool result (a key pasted into metadata). */
export function redactKeysInData(text: string): string {
  return text.replace(SECRET_KEY_IN_DATA, (key) => keyHint(key));
}
