/**
 * Client-side rate limit (GCRA): each acquire reserves the next slot at once, then waits for it,
 * so concurrent pagers share the budget fairly and paging never trips Stripe's own limit.
 */
export class RateLimiter {
  private theoreticalArrival = 0;
  private readonly intervalMs: number;
  private readonly toleranceMs: number;

  constructor(readonly perSecond: number, burst = Math.max(1, Math.floor(perSecond / 2))) {
    this.intervalMs = 1000 / perSecond;
    this.toleranceMs = (burst - 1) * this.intervalMs;
  }

  /** Milliseconds the caller must wait before its request may go out (the slot is reserved). */
  reserve(now = Date.now()): number {
    const arrival = Math.max(this.theoreticalArrival, now);
    const wait = Math.max(0, arrival - this.toleranceMs - now);
    this.theoreticalArrival = arrival + this.intervalMs;
    return wait;
  }

  async acquire(): Promise<void> {
    const wait = this.reserve();
    if (wait > 0) await sleep(wait);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Stripe's documented per-account limits: live ~100/s, test ~25/s, Search ~20/s counted apart. */
export const STRIPE_RATE_LIMITS = { live: 100, test: 25, search: 20 } as const;
