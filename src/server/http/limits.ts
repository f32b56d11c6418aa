/** The per-token rate limit: a token bucket per caller, refilled continuously. */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly perMs: number;
  private readonly sweeper: NodeJS.Timeout | undefined;

  /**
   * @param perMinute requests a caller may make per minute, on average; 0 turns the limit off.
   * @param burst requests a caller may make at once after being idle (default: a minute's worth).
   */
  constructor(
    readonly perMinute: number,
    private readonly burst = perMinute,
    private readonly now: () => number = Date.now,
  ) {
    this.perMs = perMinute / 60_000;
    if (perMinute > 0) {
      // Full buckets carry no information: dropping them keeps memory flat however many callers come and go.
      this.sweeper = setInterval(() => this.sweep(), 60_000);
      this.sweeper.unref();
    }
  }

  /** Takes one request from the caller's bucket: 0 when allowed, else the seconds until the next one is. */
  take(key: string): number {
    if (this.perMinute <= 0) return 0;
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + (now - bucket.at) * this.perMs);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.perMs / 1000));
  }

  get size(): number {
    return this.buckets.size;
  }

  sweep(): void {
    const now = this.now();
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.at) * this.perMs >= this.burst) this.buckets.delete(key);
    }
  }

  close(): void {
    if (this.sweeper) clearInterval(this.sweeper);
  }
}
