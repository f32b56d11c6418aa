/**
 * Pacing and cancellation for the pages a tool reads on its own (max_results, aggregation, metrics).
 *
 * The HTTP layer's limiter (src/stripe/rate-limit.ts) already keeps each key near Stripe's limit, but it lets a
 * burst of half a second's worth through after a pause, so a key can see about 1.5× the limit within one second.
 * Paging many pages in parallel would do exactly that, so every paged request here also takes a slot of a sliding
 * window: at most 80 % of the mode's limit in any one second, shared by all calls on the same Stripe client.
 * Within that, requests may go out together, so parallel slices keep the process busy in bursts instead of waking
 * it for every request.
 */
import type Stripe from 'stripe';
import { STRIPE_RATE_LIMITS } from '../../stripe/rate-limit.js';
import type { Mode } from '../../stripe/keys.js';

/**
 * Share of Stripe's documented limit that paging may use: the rest is headroom for other calls and for requests
 * that leave later than their slot (the HTTP layer's own limiter may hold some back a little).
 */
export const PACING_SHARE = 0.8;

/** Date slices read at the same time: enough to hide latency, few enough to stay polite. */
export const SLICE_CONCURRENCY: Record<Mode, number> = { test: 4, live: 8 };

export type PaceKind = 'api' | 'search';

/** Requests paging may send on one client within any one second (the search API is counted apart). */
export function pagingRate(mode: Mode, kind: PaceKind): number {
  return Math.floor((kind === 'search' ? STRIPE_RATE_LIMITS.search : STRIPE_RATE_LIMITS[mode]) * PACING_SHARE);
}

/** At most `perWindow` reservations in any `windowMs`: each waits until the one `perWindow` before it is a window old. */
export class WindowPacer {
  private readonly slots: number[] = [];
  private next = 0;
  private last = 0;

  constructor(
    private readonly perWindow: number,
    private readonly windowMs = 1000,
  ) {}

  /** Milliseconds until the reserved slot (the slot is taken at once). */
  reserve(now = Date.now()): number {
    const oldest = this.slots.length === this.perWindow ? this.slots[this.next]! : -Infinity;
    const at = Math.max(now, this.last, oldest + this.windowMs);
    if (this.slots.length < this.perWindow) this.slots.push(at);
    else {
      this.slots[this.next] = at;
      this.next = (this.next + 1) % this.perWindow;
    }
    this.last = at;
    return at - now;
  }
}

const pacers = new WeakMap<Stripe, Partial<Record<PaceKind, WindowPacer>>>();

function pacerFor(stripe: Stripe, mode: Mode, kind: PaceKind): WindowPacer {
  let byKind = pacers.get(stripe);
  if (!byKind) pacers.set(stripe, (byKind = {}));
  return (byKind[kind] ??= new WindowPacer(pagingRate(mode, kind)));
}

export class CancelledError extends Error {
  override name = 'AbortError';
  constructor() {
    super('The call was cancelled.');
  }
}

export function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new CancelledError();
}

/** Settles with the promise, or rejects the moment the signal fires (the request itself cannot be recalled). */
export function untilCancelled<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  throwIfCancelled(signal);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new CancelledError());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  throwIfCancelled(signal);
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(new CancelledError());
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export interface PaceContext {
  stripe: Stripe;
  mode: Mode;
  signal: AbortSignal;
}

/** Waits for a paging slot, then runs one request; cancellation ends the wait or the request at once. */
export async function paced<T>(ctx: PaceContext, kind: PaceKind, request: () => Promise<T>): Promise<T> {
  throwIfCancelled(ctx.signal);
  const wait = pacerFor(ctx.stripe, ctx.mode, kind).reserve();
  if (wait > 0) await sleep(wait, ctx.signal);
  return untilCancelled(request(), ctx.signal);
}
