/**
 * Client-side rate limit: at most `perWindow` requests in any `windowMs` (a sliding window). Each reservation takes
 * the next free slot at once, in order, then waits for it, so concurrent callers share the budget fairly; a burst
 * up to the limit goes out together, and no second ever holds more than the limit, which is what Stripe counts.
 */
export class WindowLimiter {
  private readonly slots: number[] = [];
  private next = 0;
  private last = 0;

  constructor(
    readonly perWindow: number,
    private readonly windowMs = 1000,
  ) {}

  /** Milliseconds until the reserved slot (the slot is taken at once): the one `perWindow` before it is a window old. */
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

  async acquire(): Promise<void> {
    const wait = this.reserve();
    if (wait > 0) await sleep(wait);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Requests per second per mode, and for the Search API, which Stripe counts apart. */
export interface RateLimits {
  live: number;
  test: number;
  search: number;
}

/** Stripe's documented per-account limits: live ~100/s, test ~25/s, Search ~20/s counted apart. */
export const STRIPE_RATE_LIMITS: Readonly<RateLimits> = { live: 100, test: 25, search: 20 };
