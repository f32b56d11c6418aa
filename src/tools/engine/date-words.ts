/**
 * Dates people say: `today`, `yesterday`, `7d` (N days ago), `this_month`, `last_month`, `this_quarter`,
 * `last_quarter`, resolved against the server's clock in the call's time zone. The server's one wrapper turns them
 * into absolute ISO date-times before a handler runs, so every tool, filter echo and error sees plain dates.
 */
import type { z } from 'zod';
import { DateInputError, isoTime } from '../../stripe/time.js';
import { Bucketer, checkTimeZone, type TimeUnit } from './buckets.js';

const DAY = 86_400;
/** The most days back `Nd` may reach: further than any Stripe account's history. */
const MAX_DAYS = 36_500;

const PERIODS: Record<string, { unit: TimeUnit; back: boolean }> = {
  today: { unit: 'day', back: false },
  yesterday: { unit: 'day', back: true },
  this_month: { unit: 'month', back: false },
  last_month: { unit: 'month', back: true },
  this_quarter: { unit: 'quarter', back: false },
  last_quarter: { unit: 'quarter', back: true },
};

/** Whether a string is a date word (or the `Nd` form), so a caller can tell words from absolute dates. */
export function isDateWord(value: string): boolean {
  const word = value.trim().toLowerCase();
  return word in PERIODS || /^\d+d$/.test(word);
}

/**
 * Unix seconds for a date word: a period word (today, last_month, …) as a start bound is the period's start, as an
 * end bound its end (exclusive); `Nd` is N×24 h before now either way. Undefined when `value` is not a word.
 */
export function resolveDateWord(value: string, bound: 'start' | 'end', now: number, timeZone: string, field: string): number | undefined {
  const word = value.trim().toLowerCase();
  const days = /^(\d+)d$/.exec(word);
  if (days) {
    const n = Number(days[1]);
    if (n > MAX_DAYS) throw new DateInputError(`${field}: "${value}" reaches back more than ${MAX_DAYS} days.`);
    return now - n * DAY;
  }
  const period = PERIODS[word];
  if (!period) return undefined;
  const bucketer = new Bucketer(period.unit, checkTimeZone(timeZone));
  const current = bucketer.bucketOf(now);
  const bucket = period.back ? bucketer.bucketOf(current.start - 1) : current;
  return bound === 'start' ? bucket.start : bucket.end;
}

/** The date arguments of a tool: fields whose schema is the shared `dateInput` (optional or not). */
export function dateFieldsOf(input: z.ZodObject, dateInput: z.ZodType): string[] {
  const fields: string[] = [];
  for (const [key, schema] of Object.entries(input.shape)) {
    let inner = schema as z.ZodType;
    // Unwrap optional/default wrappers (each `.describe()` clones the wrapper, not the inner schema).
    for (let i = 0; i < 4 && inner !== dateInput && 'unwrap' in inner && typeof inner.unwrap === 'function'; i++) inner = (inner as z.ZodOptional).unwrap() as z.ZodType;
    if (inner === dateInput) fields.push(key);
  }
  return fields;
}

/** `created_before`, `due_before`, `end`: the bound is exclusive and a period word means the period's end. */
const isEndBound = (field: string) => field === 'end' || field.endsWith('_before');

/**
 * Replaces date words in `args` (the given date fields) by ISO 8601 UTC date-times, in `args.timezone` when the
 * tool takes one (else UTC). Other values are left for the tool to parse; a bad one is refused there.
 */
export function resolveDateWords(args: Record<string, unknown>, fields: readonly string[], nowMs: number): Record<string, unknown> {
  if (!fields.some((f) => typeof args[f] === 'string' && isDateWord(args[f] as string))) return args;
  const now = Math.floor(nowMs / 1000);
  const timeZone = typeof args.timezone === 'string' ? args.timezone : 'UTC';
  const out = { ...args };
  for (const field of fields) {
    const value = args[field];
    if (typeof value !== 'string' || !isDateWord(value)) continue;
    const seconds = resolveDateWord(value, isEndBound(field) ? 'end' : 'start', now, timeZone, field);
    if (seconds !== undefined) out[field] = isoTime(seconds);
  }
  return out;
}
