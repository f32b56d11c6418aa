/** Time, money and id helpers shared by the dataset generator and the seed builders. */
import type Stripe from 'stripe';
import { Rng, hashSeed } from '../random.js';

export const DAY = 86_400;
export const HOUR = 3_600;

export type Cur = 'usd' | 'eur' | 'jpy' | 'kwd';
export const CURRENCY_DECIMALS: Record<string, number> = { usd: 2, eur: 2, jpy: 0, kwd: 3 };
/**
 * Three-decimal currencies: Stripe requires the last digit of their amounts to be 0 ("these API calls require the
 * least-significant (last) digit to be 0 … 5.124 KWD must be rounded to 5120 or 5130";
 * https://docs.stripe.com/currencies#three-decimal).
 */
export const THREE_DECIMAL_CURRENCIES: ReadonlySet<string> = new Set(['bhd', 'jod', 'kwd', 'omr', 'tnd']);

/** An amount Stripe accepts in `currency`: three-decimal currencies rounded to the nearest ten (at least ten). */
export function acceptedAmount(amount: number, currency: string): number {
  if (!THREE_DECIMAL_CURRENCIES.has(currency)) return amount;
  return Math.max(10, Math.round(amount / 10) * 10);
}

/** Units of USD per one unit of the currency, used to settle JPY/KWD charges in USD. */
export const TO_USD: Record<string, number> = { jpy: 0.0067, kwd: 3.25 };

export function dec(s: string | number): Stripe.Decimal {
  // Stripe sends decimal fields as strings; the stripe package types them as its Decimal class.
  return String(s) as unknown as Stripe.Decimal;
}

export function dayStart(ts: number): number {
  return ts - (((ts % DAY) + DAY) % DAY);
}

export function addMonths(ts: number, months: number): number {
  const d = new Date(ts * 1000);
  const day = d.getUTCDate();
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return Math.floor(target.getTime() / 1000);
}

export function byCreatedDesc<T extends { created: number; id: string }>(a: T, b: T): number {
  if (a.created !== b.created) return b.created - a.created;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

export function formatMinor(amount: number, currency: string): string {
  const d = CURRENCY_DECIMALS[currency] ?? 2;
  return `${(amount / Math.pow(10, d)).toFixed(d)} ${currency.toUpperCase()}`;
}

/** Id of an object or of a reference that is already an id. */
export function idOf(v: string | { id: string } | null | undefined): string | null {
  if (v === null || v === undefined) return null;
  return typeof v === 'string' ? v : v.id;
}

/** Where ids and random tokens come from: the generator's seeded stream, or the seed builders' own. */
export interface IdSource {
  /** `prefix` + 14 characters: customers, products, subscription items. */
  shortId(prefix: string): string;
  /** Stripe's long form: `prefix` + version digit + 5 characters + account tag + 8 characters. */
  longId(prefix: string, version?: string): string;
  readonly rng: Rng;
}

export class RngIds implements IdSource {
  readonly rng: Rng;
  constructor(seed: number, readonly acctTag: string) {
    this.rng = new Rng(seed);
  }
  shortId(prefix: string): string {
    return prefix + this.rng.alnum(14);
  }
  longId(prefix: string, version = '1'): string {
    return `${prefix}${version}${this.rng.alnum(5)}${this.acctTag}${this.rng.alnum(8)}`;
  }
}

/** Ids for hand-written objects: a fixed seed, so a test file sees the same ids on every run. */
export const BUILDER_IDS = new RngIds(hashSeed(7, 'seed-builders'), 'SeedAcct00');

/** Default `created` of hand-built objects (2026-01-01T00:00:00Z) when the test does not say. */
export const SEED_EPOCH = 1_767_225_600;
