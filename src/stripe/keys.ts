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

const ANY_KEY = /\b(sk|rk|pk)_(test|live)_[A-Za-z0-9_]+/g;

/** Masks anything shaped like a Stripe key in text bound for a log, an error or a result. */
export function redactKeys(text: string): string {
  return text.replace(ANY_KEY, (key) => keyHint(key));
}
