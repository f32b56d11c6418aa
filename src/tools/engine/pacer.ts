/**
 * Pacing and cancellation for the pages a tool reads on its own (max_results, aggregation, metrics).
 *
 * The HTTP layer's limiter (src/stripe/rate-limit.ts) keeps each key within the account's limit in any one second.
 * Paging many pages in parallel would take all of it and leave nothing for other calls on the same key, so every
 * paged request here also takes a slot of a window of its own: at most 80 % of the mode's limit in any one second,
 * shared by all calls on the same Stripe client. Within that, requests may go out together, so parallel slices keep
 * the process busy in bursts instead of waking it for every request.
 */
import type Stripe from 'stripe';
import { rateLimitsOf } from '../../stripe/client.js';
import { WindowLimiter, type RateLimits } from '../../stripe/rate-limit.js';
import type { Mode } from '../../stripe/keys.js';

/**
 * Share of the account's limit (Stripe's usual one unless STRIPE_MCP_STRIPE_RATE_LIMITS says otherwise) that
 * paging may use: the rest is headroom for other calls and for requests that leave later than their slot (the
 * HTTP layer's own limiter may hold some back a little).
 */
export const PACING_SHARE = 0.8;

/** Date slices read at the same time: enough to hide latency, few enough to stay polite. */
export const SLICE_CONCURRENCY: Record<Mode, number> = { test: 4, live: 8 };

export type PaceKind = 'api' | 'search';

/** Requests paging may send within any one second, of a client with these limits (search is counted apart). */
export function pagingRate(limits: RateLimits, mode: Mode, kind: PaceKind): number {
  return Math.max(1, Math.floor((kind === 'search' ? limits.search : limits[mode]) * PACING_SHARE));
}

const pacers = new WeakMap<Stripe, Partial<Record<PaceKind, WindowLimiter>>>();

function pacerFor(stripe: Stripe, mode: Mode, kind: PaceKind): WindowLimiter {
  let byKind = pacers.get(stripe);
  if (!byKind) pacers.set(stripe, (byKind = {}));
  return (byKind[kind] ??= new WindowLimiter(pagingRate(rateLimitsOf(stripe), mode, kind)));
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
