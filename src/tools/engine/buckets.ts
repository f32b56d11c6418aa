/**
 * Calendar buckets (day, ISO week, month, quarter, year) of Unix-second times in an IANA time zone, with
 * Node's own ICU (Intl.DateTimeFormat): no time-zone data of our own. Objects come in time order, so the
 * bucket of the previous object is remembered and the zone is consulted about once per bucket, not per object.
 */
import { ToolInputError } from '../../stripe/errors.js';

export const TIME_UNITS = ['day', 'week', 'month', 'quarter', 'year'] as const;
export type TimeUnit = (typeof TIME_UNITS)[number];

/** Zones already checked: building an Intl.DateTimeFormat costs more than a whole page of compaction. */
const canonicalZones = new Map<string, string>();
const MAX_CACHED_ZONES = 256;

/** The zone's canonical name, or a message saying what a valid one looks like. */
export function checkTimeZone(timeZone: string): string {
  const known = canonicalZones.get(timeZone);
  if (known) return known;
  try {
    const canonical = new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone;
    if (canonicalZones.size < MAX_CACHED_ZONES) canonicalZones.set(timeZone, canonical);
    return canonical;
  } catch {
    throw new ToolInputError(`timezone: "${timeZone}" is not an IANA time zone. Use a name such as UTC, Europe/Paris, America/New_York or Asia/Tokyo.`);
  }
}

interface LocalDate {
  year: number;
  month: number; // 1–12
  day: number;
}

export interface Bucket {
  label: string;
  /** Unix seconds, inclusive. */
  start: number;
  /** Unix seconds, exclusive: the next bucket's start. */
  end: number;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Turns a local calendar date (overflowing day/month allowed) into a normalised one. */
function normalise(year: number, month: number, day: number): LocalDate {
  const d = new Date(Date.UTC(year, month - 1, day));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

export class Bucketer {
  private readonly format: Intl.DateTimeFormat | null;
  private last: Bucket | null = null;

  constructor(
    readonly unit: TimeUnit,
    readonly timeZone = 'UTC',
  ) {
    this.format =
      timeZone === 'UTC'
        ? null
        : new Intl.DateTimeFormat('en-US', {
            timeZone,
            hourCycle: 'h23',
            year: 'numeric',
            month: 'numeric',
            day: 'numeric',
            hour: 'numeric',
            minute: 'numeric',
            second: 'numeric',
          });
  }

  /** The bucket label of a Unix-second time. */
  label(seconds: number): string {
    const last = this.last;
    if (last && seconds >= last.start && seconds < last.end) return last.label;
    return (this.last = this.bucketOf(seconds)).label;
  }

  bucketOf(seconds: number): Bucket {
    const local = this.localDate(seconds);
    const first = this.firstDay(local);
    const next = this.nextFirstDay(first);
    return { label: this.labelOf(first), start: this.midnight(first), end: this.midnight(next) };
  }

  /** Every bucket that overlaps [start, end), oldest first (at most `max`; null if there would be more). */
  bucketsBetween(start: number, end: number, max: number): Bucket[] | null {
    const out: Bucket[] = [];
    for (let t = start; t < end; ) {
      if (out.length >= max) return null;
      const bucket = this.bucketOf(t);
      out.push(bucket);
      t = bucket.end;
    }
    return out;
  }

  private firstDay(d: LocalDate): LocalDate {
    switch (this.unit) {
      case 'day':
        return d;
      case 'week': {
        const weekday = new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay(); // 0 = Sunday
        return normalise(d.year, d.month, d.day - ((weekday + 6) % 7));
      }
      case 'month':
        return { year: d.year, month: d.month, day: 1 };
      case 'quarter':
        return { year: d.year, month: d.month - ((d.month - 1) % 3), day: 1 };
      case 'year':
        return { year: d.year, month: 1, day: 1 };
    }
  }

  private nextFirstDay(d: LocalDate): LocalDate {
    switch (this.unit) {
      case 'day':
        return normalise(d.year, d.month, d.day + 1);
      case 'week':
        return normalise(d.year, d.month, d.day + 7);
      case 'month':
        return normalise(d.year, d.month + 1, 1);
      case 'quarter':
        return normalise(d.year, d.month + 3, 1);
      case 'year':
        return { year: d.year + 1, month: 1, day: 1 };
    }
  }

  private labelOf(d: LocalDate): string {
    switch (this.unit) {
      case 'day':
      case 'week':
        return `${d.year}-${pad(d.month)}-${pad(d.day)}`;
      case 'month':
        return `${d.year}-${pad(d.month)}`;
      case 'quarter':
        return `${d.year}-Q${(d.month + 2) / 3}`;
      case 'year':
        return String(d.year);
    }
  }

  /** Local wall-clock parts of a moment, as if they were UTC (milliseconds). */
  private wallClock(seconds: number): number {
    if (!this.format) return seconds * 1000;
    const parts: Record<string, number> = {};
    for (const part of this.format.formatToParts(new Date(seconds * 1000))) {
      if (part.type !== 'literal') parts[part.type] = Number(part.value);
    }
    return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  }

  private localDate(seconds: number): LocalDate {
    const wall = new Date(this.wallClock(seconds));
    return { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate() };
  }

  /** Unix seconds of local midnight starting the date (where a zone skips midnight, the first moment of the date). */
  midnight(d: LocalDate): number {
    const wall = Date.UTC(d.year, d.month - 1, d.day) / 1000;
    if (!this.format) return wall;
    const offsetAt = (t: number) => this.wallClock(t) / 1000 - t;
    let t = wall - offsetAt(wall);
    t = wall - offsetAt(t);
    // Offsets and transitions fall on quarter hours: step to the first quarter hour that is on the date.
    const want = keyOf(d);
    for (let i = 0; i < 12 && keyOf(this.localDate(t)) < want; i++) t += 900;
    return t;
  }
}

const keyOf = (d: LocalDate) => `${d.year}-${pad(d.month)}-${pad(d.day)}`;

/** Unix seconds at which the given local month (1–12) starts in the zone. */
export function monthStart(year: number, month: number, timeZone: string): number {
  const bucketer = new Bucketer('month', timeZone);
  const d = normalise(year, month, 1);
  return bucketer.midnight(d);
}
