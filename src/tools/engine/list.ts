/**
 * What every list tool does with its filters: list a page (limit), list up to max_results objects paged on the
 * server, or aggregate every match (group_by / metrics, which only the aggregate tool passes). Answers always say
 * how many objects were read and returned, which filters they covered, and how to continue; an answer too large
 * for a client becomes a summary.
 */
import type { Facets } from '../../stripe/compact/facets.js';
import { EMPTY_FIELDS_LEFT_OUT, withoutEmptyFields } from '../../stripe/compact/shared.js';
import { ToolInputError } from '../../stripe/errors.js';
import { isoTime, parseDateInput, type UnixRange } from '../../stripe/time.js';
import type { ToolContext } from '../define-tool.js';
import { Aggregator, wantsAggregate, type AggregateArgs, type AggregateResult, type Row } from './aggregate.js';
import { nameAggregateRows } from './names.js';
import { resourceOf } from './resource.js';
import { DATA_BUDGET_CHARS, formatCount, OUTPUT_LIMIT_CHARS, OutputBudget } from './output.js';
import { PAGE_SIZE, ScanProgress, scanAll, scanInOrder, type FetchPage, type ListedObject } from './scan.js';

export type Detail = 'compact' | 'full';

/** A Stripe object as the API returns it (detail: "full"). */
export type RawObject = { id: string; object: string } & Record<string, unknown>;

export const AMOUNTS_COMPACT = 'Amounts are exact decimal strings in major units of each object\'s currency (e.g. "12.50" USD, "1200" JPY, "1.250" KWD).';
/** What a list or search answer of compact objects says about them. */
export const COMPACT_LIST_NOTE = `${AMOUNTS_COMPACT} ${EMPTY_FIELDS_LEFT_OUT}`;
export const AMOUNTS_FULL = 'detail=full: objects are Stripe\'s own, so amounts are integers in minor units (e.g. cents); divide by 10^exponent of the currency.';

/** The most objects one call lists (max_results); past what fits in an answer it returns a summary instead. */
export const MAX_RESULTS = 10_000;
/** How far a filtered page (limit, no max_results) reads before it hands back a cursor instead of making the caller wait. */
const PAGE_SCAN_LIMIT = 1_000;
/** How far a filtered listing with max_results reads at most. */
const LIST_SCAN_LIMIT = 100_000;
/** How many objects one aggregation may read: about 2 minutes of paging in test mode, 30 s in live mode (clients wait ~300 s). */
export const AGGREGATE_SCAN_LIMIT = 250_000;

/** Arguments that shape the answer rather than select objects: left out of `filters`. */
const SHAPING = new Set(['limit', 'max_results', 'cursor', 'detail', 'group_by', 'metrics', 'date_field', 'timezone', 'order_by', 'order', 'top']);

export interface ListArgs extends AggregateArgs {
  limit: number;
  max_results?: number | undefined;
  cursor?: string | undefined;
  detail: Detail;
}

export interface ListOptions<T extends ListedObject, C> {
  ctx: ToolContext;
  /** Stripe's object name, e.g. "balance_transaction". */
  object: string;
  args: ListArgs & Record<string, unknown>;
  /** One request to Stripe's list endpoint with the tool's filters; `page` brings limit, cursor and `created`. */
  fetchPage: FetchPage<T>;
  /** The creation-date filter: sent with every request, and cut into slices when aggregating. */
  created?: UnixRange | undefined;
  compact: (item: T) => C;
  /** A filter Stripe's list endpoint lacks, applied while paging (e.g. payment intent status). */
  keep?: ((item: T) => boolean) | undefined;
  facets: Facets<T>;
}

export interface ListSummary {
  reason: 'too_large' | 'too_many_rows';
  message: string;
  characters: number;
  limit_characters: number;
  max_results_that_fit?: number;
  newest_created?: string | null;
  oldest_created?: string | null;
  totals?: Row[];
}

export interface ListAnswer<C> {
  object: string;
  count: number;
  has_more: boolean;
  next_cursor: string | null;
  scanned: number;
  matched?: number;
  filters: Record<string, unknown>;
  amounts: string;
  note?: string;
  summary?: ListSummary;
  aggregate?: AggregateResult;
  data?: C[];
}

const nounOf = (object: string) => `${object.replace(/_/g, ' ')}s`;

/** The filters an answer covered, as the model gave them (dates normalised to ISO 8601 UTC). */
export function filtersOf(args: Record<string, unknown>): Record<string, unknown> {
  const filters: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(args)) {
    if (SHAPING.has(key) || value === undefined) continue;
    filters[key] = /_(after|before)$/.test(key) && (typeof value === 'string' || typeof value === 'number') ? isoTime(parseDateInput(value, key)) : value;
  }
  return filters;
}

export async function listPage<T extends ListedObject, C>(options: ListOptions<T, C>): Promise<ListAnswer<C | RawObject>> {
  return wantsAggregate(options.args) ? aggregateList(options) : listObjects(options);
}

/**
 * What a listing keeps while pages stream by, shared by the list tools and search: the objects while they fit an
 * answer (compact or Stripe's own), exact totals per currency for the summary an answer too large becomes, and
 * the newest and oldest creation time seen.
 */
export class ListCollector<T extends ListedObject, C> {
  readonly budget = new OutputBudget<C | RawObject>();
  private readonly totals: Aggregator<T>;
  private readonly createdOf: (item: T) => number | null | undefined;
  private readonly full: boolean;
  matched = 0;
  newest: number | null = null;
  oldest: number | null = null;

  constructor(
    private readonly facets: Facets<T>,
    private readonly compact: (item: T) => C,
    detail: Detail,
  ) {
    this.full = detail === 'full';
    this.totals = new Aggregator(facets, { metrics: ['count', ...facets.defaultSums.map((f) => `sum:${f}`)] });
    this.createdOf = facets.dates.created ?? (() => null);
  }

  add(item: T): void {
    this.matched++;
    this.totals.add(item);
    const at = this.createdOf(item);
    if (typeof at === 'number') {
      this.newest = this.newest === null ? at : Math.max(this.newest, at);
      this.oldest = this.oldest === null ? at : Math.min(this.oldest, at);
    }
    this.budget.add(this.full ? (item as unknown as RawObject) : (withoutEmptyFields(this.compact(item) as object) as C));
  }

  /** What the answer says about its amounts. */
  get amounts(): string {
    return this.full ? AMOUNTS_FULL : COMPACT_LIST_NOTE;
  }

  /**
   * The summary an answer too large for a client becomes: how many matched, what one call can return, and how to
   * get the answer instead (`narrow`: how this tool narrows; `aggregate`: where totals come from).
   */
  summary(how: { noun: string; hasMore: boolean; sizeArg: 'limit' | 'max_results'; narrow: string; aggregate: string; continues: string | null }): ListSummary {
    const { budget } = this;
    const fits = budget.fits ?? 0;
    return {
      reason: 'too_large',
      message:
        `${formatCount(this.matched)} ${how.noun} matched${how.hasMore ? ' and more exist' : ''}: listed, they would take about ${formatCount(budget.estimatedChars())} characters, ` +
        `more than the ~${formatCount(OUTPUT_LIMIT_CHARS)} a client accepts in one answer, so none are listed here. ` +
        `${how.aggregate} ` +
        `To see the objects, ${how.narrow} or ask for at most ${fits} with ${how.sizeArg}` +
        `${fits > 0 && this.full ? ' (or fewer with detail "compact")' : ''}. totals below cover the ${formatCount(this.matched)} matched ${how.noun}` +
        `${how.continues ? `; ${how.continues} continues after them` : ''}.`,
      characters: budget.estimatedChars(),
      limit_characters: OUTPUT_LIMIT_CHARS,
      max_results_that_fit: fits,
      newest_created: isoTime(this.newest),
      oldest_created: isoTime(this.oldest),
      totals: this.totals.result().totals,
    };
  }
}

async function listObjects<T extends ListedObject, C>(options: ListOptions<T, C>): Promise<ListAnswer<C | RawObject>> {
  const { ctx, args, keep, facets } = options;
  const wanted = args.max_results ?? args.limit;
  const collected = new ListCollector<T, C>(facets, options.compact, args.detail);
  const progress = new ScanProgress(ctx, nounOf(options.object));
  const maxScan = args.max_results !== undefined ? LIST_SCAN_LIMIT : keep ? PAGE_SCAN_LIMIT : wanted;

  const scan = await scanInOrder<T>({
    ctx,
    fetchPage: options.fetchPage,
    created: options.created,
    cursor: args.cursor,
    progress,
    maxScan,
    pageSize: () => (keep ? PAGE_SIZE : Math.min(PAGE_SIZE, wanted - collected.matched)),
    onItem: (item) => {
      if (keep && !keep(item)) return true;
      collected.add(item);
      return collected.matched < wanted;
    },
  });

  const { budget, matched } = collected;
  const nextCursor = scan.hasMore ? (scan.lastRead ?? null) : null;
  const answer: ListAnswer<C | RawObject> = {
    object: options.object,
    count: budget.items.length,
    has_more: scan.hasMore,
    next_cursor: nextCursor,
    scanned: progress.scanned,
    ...(keep || budget.over ? { matched } : {}),
    filters: filtersOf(args),
    amounts: collected.amounts,
    data: budget.items,
  };
  if (scan.capped && !budget.over) {
    answer.note = `Read ${formatCount(progress.scanned)} ${nounOf(options.object)} and found ${formatCount(matched)} matching; more may match further on: call again with cursor = next_cursor, or narrow the filters.`;
  }
  if (budget.over) {
    answer.summary = collected.summary({
      noun: nounOf(options.object),
      hasMore: scan.hasMore,
      sizeArg: args.max_results !== undefined ? 'max_results' : 'limit',
      narrow: 'narrow the filters (e.g. a shorter created_after / created_before range)',
      aggregate: `For totals or rankings call aggregate (e.g. ${aggregateExample(options.object, facets)}, with these filters as filters): it covers every match.`,
      continues: nextCursor ? 'next_cursor' : null,
    });
  }
  return answer;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function aggregateExample(object: string, facets: Facets<any>): string {
  const sum = facets.defaultSums[0];
  return JSON.stringify({ resource: resourceOf(object), group_by: ['month'], metrics: ['count', ...(sum ? [`sum:${sum}`] : [])] });
}

async function aggregateList<T extends ListedObject, C>(options: ListOptions<T, C>): Promise<ListAnswer<C | RawObject>> {
  const { ctx, args, keep } = options;
  const aggregator = new Aggregator(options.facets, args);
  const noun = nounOf(options.object);
  const progress = new ScanProgress(ctx, noun);
  let matched = 0;
  await scanAll<T>({
    ctx,
    fetchPage: options.fetchPage,
    created: options.created,
    progress,
    maxScan: AGGREGATE_SCAN_LIMIT,
    tooMany: (limit) =>
      `More than ${formatCount(limit)} ${noun} match these filters, more than one call reads. Narrow them (e.g. a shorter created_after / created_before range) and aggregate the parts.`,
    onItem: (item) => {
      if (keep && !keep(item)) return;
      matched++;
      aggregator.add(item);
    },
  });
  const range = options.created && aggregator.dateField === 'created' ? { ...options.created, field: 'created' } : undefined;
  const aggregate = aggregator.result(range);
  // Only rows that will be sent are named (a table too large for a client is dropped below).
  if (JSON.stringify(aggregate.rows).length <= DATA_BUDGET_CHARS) await nameAggregateRows(ctx, aggregate);
  const answer: ListAnswer<C | RawObject> = {
    object: options.object,
    count: aggregate.rows.length,
    has_more: false,
    next_cursor: null,
    scanned: progress.scanned,
    matched,
    filters: filtersOf(args),
    amounts: AMOUNTS_COMPACT,
    aggregate,
  };
  const chars = JSON.stringify(aggregate.rows).length;
  if (chars > DATA_BUDGET_CHARS) {
    answer.summary = {
      reason: 'too_many_rows',
      message:
        `${formatCount(aggregate.rows.length)} rows would take about ${formatCount(chars)} characters, more than the ~${formatCount(OUTPUT_LIMIT_CHARS)} a client accepts in one answer, so no rows are listed. ` +
        'Call again with top (e.g. top 20 with order_by), a coarser time bucket (month instead of day), one group_by key instead of two, or narrower filters. totals cover every match.',
      characters: chars,
      limit_characters: OUTPUT_LIMIT_CHARS,
    };
    aggregate.rows = [];
    answer.count = 0;
  }
  return answer;
}

/** For the tools' fetchPage: Stripe's list parameters from a page request (limit, cursor, creation range). */
export type { PageRequest } from './scan.js';
