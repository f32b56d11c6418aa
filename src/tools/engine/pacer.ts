/**
 * Pacing and cancellation for the pages a tool reads on its own (max_results, aggregation, metrics).
 *
 * The HTTP layer's limiter (src/stripe/rate-limit.ts) already keeps each key near Stripe's limit, but it lets a
 * burst of half a second's worth through at once, so an idle key can see about 1.5× the limit in its first second.
 * Paging many pages in parallel would do exactly that, so every paged request here also waits for a strict slot:
 * at most 90 % of the mode's limit in any second, shared by all calls on the same Stripe client.
 */
import type Stripe from 'stripe';
import { RateLimiter, STRIPE_RATE_LIMITS } from '../../stripe/rate-limit.js';
import type { Mode } from '../../stripe/keys.js';

/** Share of Stripe's documented limit that paging may use (the rest is headroom for other calls). */
export const PACING_SHARE = 0.9;

/** Date slices read at the same time: enough to hide latency, few enough to stay polite. */
export const SLICE_CONCURRENCY: Record<Mode, number> = { test: 4, live: 8 };

export type PaceKind = 'api' | 'search';

const pacers = new WeakMap<Stripe, Partial<Record<PaceKind, RateLimiter>>>();

/** Requests per second paging may send on this client (the search API is counted apart). */
export function pagingRate(mode: Mode, kind: PaceKind): number {
  return (kind === 'search' ? STRIPE_RATE_LIMITS.search : STRIPE_RATE_LIMITS[mode]) * PACING_SHARE;
}

function pacerFor(stripe: Stripe, mode: Mode, kind: PaceKind): RateLimiter {
  let byKind = pacers.get(stripe);
  if (!byKind) pacers.set(stripe, (byKind = {}));
  // Burst 1: slots are evenly spaced, so no one-second window ever holds more than the rate.
  return (byKind[kind] ??= new RateLimiter(pagingRate(mode, kind), 1));
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
  return untilCancelled(new Promise<void>((resolve) => setTimeout(resolve, ms)), signal);
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
