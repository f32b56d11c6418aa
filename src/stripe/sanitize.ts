/**
 * Text that Stripe users typed (names, descriptions, metadata) reaches a model. It is data, not instructions:
 * we strip control characters and invisible Unicode (zero-width, bidi overrides, tag characters) that can hide
 * or disguise text, and keep everything a person can read. A secret or restricted key in it (pasted into
 * metadata, say) is masked wherever it stands in a string, after the hidden characters are gone.
 */
import { redactKeysInData } from './keys.js';

// C0/C1 controls except tab/newline, zero-width and bidi controls, word joiners, BOM, Unicode tag block.
const HIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF\uFFF9-\uFFFB]|\uDB40[\uDC00-\uDC7F]/g;

export function cleanText(value: string): string {
  return redactKeysInData(value.replace(HIDDEN, ''));
}

/** Cleans every string (keys and values) of a JSON-like value, e.g. metadata or a full Stripe object. */
export function cleanDeep<T>(value: T): T {
  if (typeof value === 'string') return cleanText(value) as T;
  if (Array.isArray(value)) return value.map((item) => cleanDeep(item)) as T;
  if (value !== null && typeof value === 'object') {
    // The stripe package turns `*_decimal` fields into Decimal objects (they hold a bigint): their JSON form is
    // Stripe's own wire form, a decimal string.
    const toJSON = (value as { toJSON?: () => unknown }).toJSON;
    if (typeof toJSON === 'function') return cleanDeep(toJSON.call(value)) as T;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[cleanText(key)] = cleanDeep(item);
    return out as T;
  }
  return value;
}
