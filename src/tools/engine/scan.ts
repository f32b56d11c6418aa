/**
 * Reading many pages of one Stripe list: cursor paging in list order, or, when the creation-date range is known,
 * date slices read in parallel. Every request waits for a paging slot (pacer.ts), checks the mode of what came
 * back, reports progress, and stops the moment the call is cancelled.
 */
import type Stripe from 'stripe';
import { ToolInputError } from '../../stripe/errors.js';
import type { UnixRange } from '../../stripe/time.js';
import { assertMode } from './mode.js';
import type { ToolContext } from '../define-tool.js';
import { paced, sliceConcurrency, throwIfCancelled, type PaceKind } from './pacer.js';

export const PAGE_SIZE = 100;

export interface PageRequest {
  limit: number;
  starting_after?: string;
  /** The creation-date filter for this request (the tool's own range, or a slice of it). */
  created?: UnixRange;
}

export interface ListedObject {
  id: string;
  created?: number;
  livemode?: boolean;
}

export type FetchPage<T> = (page: PageRequest) => Promise<Stripe.ApiList<T>>;

/** Thrown when a call would read more objects than one call may: the answer would come too late. */
export class ScanLimitError extends ToolInputError {}

const number = (n: number) => n.toLocaleString('en-US');

/** Progress of one call: objects read so far, with a sentence for the client to show. */
export class ScanProgress {
  scanned = 0;
  constructor(
    private readonly ctx: ToolContext,
    private readonly noun: string,
  ) {}

  page(count: number, detail = ''): void {
    this.scanned += count;
    this.ctx.progress?.(this.scanned, `Read ${number(this.scanned)} ${this.noun}${detail}`);
  }
}

async function fetchOne<T extends ListedObject>(ctx: ToolContext, kind: PaceKind, fetchPage: FetchPage<T>, page: PageRequest): Promise<Stripe.ApiList<T>> {
  const result = await paced(ctx, kind, () => fetchPage(page));
  assertMode(result.data, ctx);
  return result;
}

export interface CursorScan<T> {
  ctx: ToolContext;
  fetchPage: FetchPage<T>;
  created?: UnixRange | undefined;
  cursor?: string | undefined;
  progress: ScanProgress;
  /** Size of the next page (1–100). */
  pageSize: () => number;
  /** Called for each object in list order; false stops the scan right after it. */
  onItem: (item: T) => boolean;
  /** Stop (with has_more) once this many objects were read. */
  maxScan: number;
}

export interface CursorScanResult {
  /** Id of the last object read: the cursor to continue after it. */
  lastRead: string | undefined;
  /** More objects exist after lastRead. */
  hasMore: boolean;
  /** Stopped because maxScan was reached (more may exist). */
  capped: boolean;
}

/** Cursor paging in Stripe's order (newest first), for listings. */
export async function scanInOrder<T extends ListedObject>(scan: CursorScan<T>): Promise<CursorScanResult> {
  let cursor = scan.cursor;
  let hasMore = true;
  let lastRead: string | undefined;
  let read = 0;
  while (hasMore) {
    throwIfCancelled(scan.ctx.signal);
    const page = await fetchOne(scan.ctx, 'api', scan.fetchPage, {
      limit: scan.pageSize(),
      ...(cursor ? { starting_after: cursor } : {}),
      ...(scan.created ? { created: scan.created } : {}),
    });
    hasMore = page.has_more;
    let stopped = false;
    for (const [index, item] of page.data.entries()) {
      read++;
      lastRead = item.id;
      if (!scan.onItem(item)) {
        // Stopped inside the page: whatever is left of it is still to come.
        if (index < page.data.length - 1) hasMore = true;
        stopped = true;
        break;
      }
    }
    scan.progress.page(stopped ? page.data.findIndex((i) => i.id === lastRead) + 1 : page.data.length);
    cursor = lastRead;
    if (stopped || page.data.length === 0) break;
    if (read >= scan.maxScan) return { lastRead, hasMore, capped: hasMore };
  }
  return { lastRead, hasMore, capped: false };
}

export interface FullScan<T> {
  ctx: ToolContext;
  fetchPage: FetchPage<T>;
  created?: UnixRange | undefined;
  progress: ScanProgress;
  onItem: (item: T) => void;
  /** Refuse (ScanLimitError) past this many objects. */
  maxScan: number;
  /** What to tell the model when maxScan is passed. */
  tooMany: (maxScan: number) => string;
}

/** Pages per slice the splitter aims for: fewer slices waste requests on near-empty ranges. */
const PAGES_PER_SLICE = 2;

/**
 * Reads every object matching the filters, in no particular order (for aggregation). The first page is read
 * alone; if more remain and the creation range has a start, the rest of the range is cut into slices by the
 * density of that first page, and the slices are read in parallel, as many at once as the endpoint's limit allows.
 */
export async function scanAll<T extends ListedObject>(scan: FullScan<T>): Promise<{ slices: number }> {
  const { ctx } = scan;
  let read = 0;
  const consume = (page: Stripe.ApiList<T>, detail = '') => {
    read += page.data.length;
    if (read > scan.maxScan) throw new ScanLimitError(scan.tooMany(scan.maxScan));
    for (const item of page.data) scan.onItem(item);
    scan.progress.page(page.data.length, detail);
  };

  const first = await fetchOne(ctx, 'api', scan.fetchPage, { limit: PAGE_SIZE, ...(scan.created ? { created: scan.created } : {}) });
  consume(first);
  const last = first.data[first.data.length - 1];
  if (!first.has_more || !last) return { slices: 0 };

  // Planned within the endpoint's limit: more slices in flight than it lets through in a second would only queue.
  const concurrency = sliceConcurrency(ctx.stripe, ctx.mode);
  const slices = planSlices(first.data, scan.created, concurrency);
  if (slices.length <= 1) {
    await readSlice({ gte: scan.created?.gte, lt: scan.created?.lt, after: last.id });
    return { slices: 1 };
  }

  // One failing slice stops the others; the caller's cancellation stops all.
  const stop = new AbortController();
  const sliceCtx: ToolContext = { ...ctx, signal: AbortSignal.any([ctx.signal, stop.signal]) };
  let done = 0;
  const queue = [...slices];
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      await readSlice(next, sliceCtx, () => ` (${done} of ${slices.length} date slices done)`);
      done++;
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, slices.length) }, worker));
  } catch (err) {
    stop.abort();
    throw err;
  }
  return { slices: slices.length };

  async function readSlice(slice: Slice, on: ToolContext = ctx, detail: () => string = () => ''): Promise<void> {
    let cursor = slice.after;
    for (;;) {
      throwIfCancelled(on.signal);
      const range: UnixRange = {
        ...(slice.gte !== undefined ? { gte: slice.gte } : {}),
        ...(slice.lt !== undefined ? { lt: slice.lt } : {}),
      };
      const page = await fetchOne(on, 'api', scan.fetchPage, {
        limit: PAGE_SIZE,
        ...(cursor ? { starting_after: cursor } : {}),
        ...(range.gte !== undefined || range.lt !== undefined ? { created: range } : {}),
      });
      consume(page, detail());
      const tail = page.data[page.data.length - 1];
      if (!page.has_more || !tail) return;
      cursor = tail.id;
    }
  }
}

interface Slice {
  gte?: number | undefined;
  lt?: number | undefined;
  /** Continue after this object (the first slice resumes after the first page). */
  after?: string | undefined;
}

/**
 * Splits what is left after the first page into date slices. The first page spans [oldest, newest] of its
 * objects; the rest of the range is assumed about as dense, so it gets about one slice per PAGES_PER_SLICE pages.
 */
export function planSlices(firstPage: ReadonlyArray<ListedObject>, created: UnixRange | undefined, concurrency: number): Slice[] {
  const last = firstPage[firstPage.length - 1];
  const newest = firstPage[0]?.created;
  const oldest = last?.created;
  const start = created?.gte;
  if (!last || start === undefined || newest === undefined || oldest === undefined) return [{ after: last?.id }];
  const end = oldest + 1; // objects created in the same second as the last one may still follow it
  if (end - start <= 1) return [{ gte: start, lt: end, after: last.id }];
  const span = Math.max(1, newest - oldest + 1);
  const pagesLeft = ((end - start) / span) * (firstPage.length / PAGE_SIZE);
  const maxSlices = concurrency * 4;
  const count = Math.max(1, Math.min(maxSlices, Math.ceil(pagesLeft / PAGES_PER_SLICE), end - start));
  if (count === 1) return [{ gte: start, lt: end, after: last.id }];
  const width = Math.ceil((end - start) / count);
  const slices: Slice[] = [];
  for (let i = 0; i < count; i++) {
    const lt = end - i * width;
    const gte = Math.max(start, lt - width);
    if (lt <= start) break;
    slices.push({ gte: i === count - 1 ? start : gte, lt, ...(i === 0 ? { after: last.id } : {}) });
  }
  return slices;
}
