/** Dates in and out: tools accept ISO 8601 dates/date-times or Unix seconds, and answer in ISO 8601 UTC. */
import { StripeDataError } from './data-error.js';

export class DateInputError extends Error {
  override name = 'DateInputError';
}

/** Every form a date argument takes, said once: tool arguments describe themselves with it and errors list it. */
export const DATE_FORMS =
  'today, yesterday, Nd (N days ago, e.g. 7d), this_month, last_month, this_quarter or last_quarter (in timezone if given, else UTC; ' +
  'a period is its start as *_after/start, its end as *_before/end), an ISO 8601 date (2026-05-01 = UTC midnight), a date-time with offset (2026-05-01T09:00:00Z) or Unix seconds';

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
// A date-time must carry an offset (Z or ±hh:mm): a bare local time would depend on the server's clock zone.
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

function checkCalendarDate(year: number, month: number, day: number, raw: string, field: string): void {
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (month < 1 || month > 12 || probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) {
    throw new DateInputError(`${field}: "${raw}" is not a real calendar date. Use YYYY-MM-DD, e.g. 2026-05-01.`);
  }
}

/**
 * Turns a date input into Unix seconds. Accepted: `2026-05-01` (UTC midnight), `2026-05-01T09:30:00+02:00`,
 * `2026-05-01T07:30:00Z`, or Unix seconds (number or digit string).
 */
export function parseDateInput(value: string | number, field: string): number {
  if (typeof value === 'number' || /^\d+$/.test(String(value).trim())) {
    const seconds = Number(value);
    if (!Number.isSafeInteger(seconds) || seconds < 0) {
      throw new DateInputError(`${field}: ${value} is not a valid Unix timestamp in seconds.`);
    }
    if (seconds > 1e11) {
      throw new DateInputError(`${field}: ${value} looks like milliseconds; pass Unix seconds (${Math.floor(seconds / 1000)}) or an ISO date.`);
    }
    return seconds;
  }
  const raw = value.trim();
  const dateOnly = DATE_ONLY.exec(raw);
  if (dateOnly) {
    const [year, month, day] = [Number(dateOnly[1]), Number(dateOnly[2]), Number(dateOnly[3])];
    checkCalendarDate(year, month, day, raw, field);
    return Date.UTC(year, month - 1, day) / 1000;
  }
  const dateTime = DATE_TIME.exec(raw);
  if (dateTime) {
    const [year, month, day] = [Number(dateTime[1]), Number(dateTime[2]), Number(dateTime[3])];
    checkCalendarDate(year, month, day, raw, field);
    const [hour, minute, second] = [Number(dateTime[4]), Number(dateTime[5]), Number(dateTime[6] ?? 0)];
    if (hour > 23 || minute > 59 || second > 59) {
      throw new DateInputError(`${field}: "${raw}" has an impossible time of day.`);
    }
    const millis = Date.parse(raw.replace(' ', 'T'));
    if (Number.isNaN(millis)) throw new DateInputError(`${field}: "${raw}" is not a valid ISO 8601 date-time.`);
    return Math.floor(millis / 1000);
  }
  throw new DateInputError(`${field}: "${raw}" is not a date. Use ${DATE_FORMS}.`);
}

/** Unix seconds → ISO 8601 UTC (second precision); null stays null. */
export function isoTime(seconds: number | null | undefined): string | null {
  if (seconds === null || seconds === undefined) return null;
  const date = new Date(seconds * 1000);
  if (typeof seconds !== 'number' || Number.isNaN(date.getTime())) {
    throw new StripeDataError(`time ${JSON.stringify(seconds)?.slice(0, 40)} is not a Unix timestamp`);
  }
  return date.toISOString().replace('.000Z', 'Z');
}

export interface UnixRange {
  gte?: number;
  lt?: number;
}

/**
 * Builds a Stripe range filter from `*_after` (inclusive) and `*_before` (exclusive) inputs.
 * Returns undefined when neither bound is given, so no empty filter is sent.
 */
export function dateRange(
  after: string | number | undefined,
  before: string | number | undefined,
  field: string,
): UnixRange | undefined {
  const range: UnixRange = {};
  if (after !== undefined) range.gte = parseDateInput(after, `${field}_after`);
  if (before !== undefined) range.lt = parseDateInput(before, `${field}_before`);
  if (range.gte !== undefined && range.lt !== undefined && range.gte >= range.lt) {
    throw new DateInputError(`${field}_after (${isoTime(range.gte)}) must be earlier than ${field}_before (${isoTime(range.lt)}).`);
  }
  return range.gte === undefined && range.lt === undefined ? undefined : range;
}
