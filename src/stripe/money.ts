/**
 * Stripe amounts are integers in the currency's smallest unit. We turn them into exact decimal
 * strings in major units (never floats: 0.1 + 0.2 must not leak into a finance answer).
 */
import { StripeDataError } from './data-error.js';

const ZERO_DECIMAL = new Set([
  'bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'ugx', 'vnd', 'vuv', 'xaf', 'xof', 'xpf',
]);
const THREE_DECIMAL = new Set(['bhd', 'jod', 'kwd', 'omr', 'tnd']);

/** Number of digits after the decimal point in the currency's major unit. */
export function currencyExponent(currency: string): number {
  const code = currency.toLowerCase();
  if (ZERO_DECIMAL.has(code)) return 0;
  if (THREE_DECIMAL.has(code)) return 3;
  return 2;
}

/** Formats an integer minor-unit amount (number or bigint) as an exact major-unit decimal string. */
export function formatMinorUnits(amount: number | bigint, currency: string): string {
  if (typeof amount !== 'bigint' && !Number.isSafeInteger(amount)) {
    throw new StripeDataError(`Stripe amount ${JSON.stringify(amount)?.slice(0, 40)} is not an integer in minor units`);
  }
  if (typeof currency !== 'string') throw new StripeDataError(`currency ${JSON.stringify(currency)?.slice(0, 40)} is not a currency code`);
  const exponent = currencyExponent(currency);
  const value = BigInt(amount);
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent);
  const fraction = exponent > 0 ? `.${digits.slice(digits.length - exponent)}` : '';
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

/** Like formatMinorUnits but passes null/undefined through (many Stripe amounts are nullable). */
export function money(amount: number | null | undefined, currency: string | null | undefined): string | null {
  if (amount === null || amount === undefined || !currency) return null;
  return formatMinorUnits(amount, currency);
}

/** Parses a major-unit decimal string back to minor units (exact). Used to sum money without floats. */
export function parseMajorUnits(value: string, currency: string): bigint {
  const match = /^(-)?(\d+)(?:\.(\d+))?$/.exec(value.trim());
  if (!match) throw new RangeError(`"${value}" is not a decimal amount`);
  const exponent = currencyExponent(currency);
  const fraction = match[3] ?? '';
  if (fraction.length > exponent) throw new RangeError(`"${value}" has more decimals than ${currency.toUpperCase()} allows`);
  const minor = BigInt(match[2] + fraction.padEnd(exponent, '0'));
  return match[1] ? -minor : minor;
}
