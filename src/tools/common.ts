import { z } from 'zod';
import type Stripe from 'stripe';
import { ToolInputError, ModeMismatchError } from '../stripe/errors.js';
import { dateRange, type UnixRange } from '../stripe/time.js';
import type { ToolContext } from './define-tool.js';

/** Small enough for a model's context, large enough that most questions need one page. */
export const DEFAULT_LIMIT = 20;

/** Dates in: an ISO date (UTC midnight), an ISO date-time with offset, or Unix seconds. */
export const dateInput = z
  .union([z.string().min(1), z.number().int()])
  .describe('ISO 8601 date (2026-05-01 = UTC midnight), date-time with offset (2026-05-01T09:00:00Z), or Unix seconds');

const afterDoc = (what: string) => `Only objects whose ${what} is at or after this moment (inclusive).`;
const beforeDoc = (what: string) => `Only objects whose ${what} is before this moment (exclusive).`;

export const createdRangeInput = {
  created_after: dateInput.optional().describe(afterDoc('creation time')),
  created_before: dateInput.optional().describe(beforeDoc('creation time')),
};

export const detailInput = z
  .enum(['compact', 'full'])
  .default('compact')
  .describe('compact (default): the fields that matter, money as decimal strings. full: Stripe objects as the API returns them (amounts then in minor units, e.g. cents).');

export const listInput = {
  limit: z.number().int().min(1).max(100).default(DEFAULT_LIMIT).describe(`Objects per page, 1–100 (default ${DEFAULT_LIMIT}).`),
  cursor: z
    .string()
    .regex(/^[a-z]+_[A-Za-z0-9]+$/, 'must be a next_cursor value from a previous result (an object id)')
    .optional()
    .describe('next_cursor from the previous result, to get the next page.'),
  detail: detailInput,
};

/** Any Stripe object as the API returns it (detail: "full"). */
export const rawStripeObject = z.looseObject({ id: z.string(), object: z.string() });

export const AMOUNTS_COMPACT = 'Amounts are exact decimal strings in major units of each object\'s currency (e.g. "12.50" USD, "1200" JPY, "1.250" KWD).';
export const AMOUNTS_FULL = 'detail=full: objects are Stripe\'s own, so amounts are integers in minor units (e.g. cents); divide by 10^exponent of the currency.';

/** The shape every list tool answers with, around its own compact item schema. */
export function listOutput<Item extends z.ZodType>(item: Item) {
  return z.object({
    object: z.string().describe('Kind of object listed'),
    count: z.number().int().describe('Objects in data'),
    has_more: z.boolean().describe('More objects match: call again with cursor = next_cursor'),
    next_cursor: z.string().nullable(),
    scanned: z.number().int().optional().describe('Objects read to find these, when filtering while paging'),
    amounts: z.string(),
    data: z.array(z.union([item, rawStripeObject])),
  });
}

export type Detail = 'compact' | 'full';

/** Turns `x_after`/`x_before` inputs into a Stripe range filter (`{gte, lt}`), or undefined. */
export function rangeFilter(after: string | number | undefined, before: string | number | undefined, field: string): UnixRange | undefined {
  return dateRange(after, before, field);
}

interface ListArgs {
  limit: number;
  cursor?: string | undefined;
  detail: Detail;
}

interface StripeObjectLike {
  id: string;
  livemode?: boolean;
}

export interface PageRequest {
  limit: number;
  starting_after?: string;
}

export interface ListPageOptions<T extends StripeObjectLike, C> {
  ctx: ToolContext;
  object: string;
  args: ListArgs;
  /** One request to Stripe's list endpoint with the tool's filters already applied. */
  fetchPage: (page: PageRequest) => Promise<Stripe.ApiList<T>>;
  compact: (item: T) => C;
  /** A filter Stripe's list endpoint lacks, applied while paging (e.g. payment intent status). */
  keep?: (item: T) => boolean;
}

/** How far a filtered listing reads before it hands back a cursor instead of making the caller wait. */
const MAX_SCANNED_PER_CALL = 1000;

/**
 * One page of a list tool, honestly: `has_more` and `next_cursor` always say whether more exists. With a
 * `keep` filter it pages Stripe until `limit` matches are found, the list ends, or MAX_SCANNED_PER_CALL
 * objects were read; the cursor then resumes exactly after the last object read.
 */
export async function listPage<T extends StripeObjectLike, C>(options: ListPageOptions<T, C>) {
  const { ctx, args, keep } = options;
  const matches: T[] = [];
  let cursor = args.cursor;
  let scanned = 0;
  let hasMore = true;
  let lastRead: string | undefined;

  while (hasMore && matches.length < args.limit) {
    if (ctx.signal.aborted) throw ctx.signal.reason ?? new Error('cancelled');
    const pageSize = keep ? 100 : args.limit;
    const page = await options.fetchPage({ limit: pageSize, ...(cursor ? { starting_after: cursor } : {}) });
    assertMode(page.data, ctx);
    hasMore = page.has_more;
    for (const [index, item] of page.data.entries()) {
      scanned++;
      lastRead = item.id;
      if (!keep || keep(item)) matches.push(item);
      if (matches.length === args.limit) {
        // Stopped inside the page: whatever is left of it is still to come.
        if (index < page.data.length - 1) hasMore = true;
        break;
      }
    }
    cursor = lastRead;
    if (!keep || scanned >= MAX_SCANNED_PER_CALL || page.data.length === 0) break;
  }

  return {
    object: options.object,
    count: matches.length,
    has_more: hasMore,
    next_cursor: hasMore ? (lastRead ?? null) : null,
    ...(keep ? { scanned } : {}),
    amounts: args.detail === 'full' ? AMOUNTS_FULL : AMOUNTS_COMPACT,
    data: args.detail === 'full' ? matches.map((m) => m as unknown as z.infer<typeof rawStripeObject>) : matches.map(options.compact),
  };
}

/** Defence in depth: an object whose livemode contradicts the routed mode is refused, never returned. */
export function assertMode(objects: readonly StripeObjectLike[], ctx: Pick<ToolContext, 'mode' | 'connection'>): void {
  const live = ctx.mode === 'live';
  const wrong = objects.find((o) => typeof o.livemode === 'boolean' && o.livemode !== live);
  if (wrong) throw new ModeMismatchError(ctx.connection, ctx.mode, wrong.id);
}

export function requireNonEmpty(value: string | undefined, what: string): void {
  if (value !== undefined && value.trim() === '') throw new ToolInputError(`${what} must not be empty.`);
}
