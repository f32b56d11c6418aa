/**
 * Pacing and cancellation for the pages a tool reads on its own (max_results, aggregation, metrics).
 *
 * The HTTP layer's limiter (src/stripe/rate-limit.ts) keeps every request of the process within the account's
 * limits: the global one, each endpoint's (25/s: one list can never be paged faster) and Search's. Paging many
 * pages in parallel would take all of the global limit and leave nothing for other calls on the same account, so
 * every paged request here is marked as paging, and paging as a whole keeps to PAGING_SHARE of the global limit.
 * Parallel date slices are planned within what one endpoint allows (sliceConcurrency).
 */
import type Stripe from 'stripe';
import { rateLimitsOf } from '../../stripe/client.js';
import { PAGING_SHARE, pagingScope, type RateLimits } from '../../stripe/rate-limit.js';
import type { Mode } from '../../stripe/keys.js';

/** Date slices read at the same time at most: enough to hide latency, few enough to stay polite. */
export const SLICE_CONCURRENCY: Record<Mode, number> = { test: 4, live: 8 };

export type PaceKind = 'api' | 'search';

/** Requests a second paging one endpoint can reach, on a client with these limits (search is counted apart). */
export function pagingRate(limits: RateLimits, mode: Mode, kind: PaceKind): number {
  const share = Math.max(1, Math.floor(limits[mode] * PAGING_SHARE));
  return Math.min(share, limits.endpoint, kind === 'search' ? limits.search : Infinity);
}

/** Date slices one scan reads at the same time: never more than its endpoint lets through in a second. */
export function sliceConcurrency(stripe: Stripe, mode: Mode): number {
  return Math.max(1, Math.min(SLICE_CONCURRENCY[mode], pagingRate(rateLimitsOf(stripe), mode, 'api')));
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

export interface PaceContext {
  stripe: Stripe;
  mode: Mode;
  signal: AbortSignal;
}

/** Runs one paged request (the HTTP layer paces it as paging); cancellation ends the wait or the request at once. */
export async function paced<T>(ctx: PaceContext, _kind: PaceKind, request: () => Promise<T>): Promise<T> {
  throwIfCancelled(ctx.signal);
  return untilCancelled(pagingScope.run({ signal: ctx.signal }, request), ctx.signal);
}
