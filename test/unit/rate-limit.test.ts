import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../src/stripe/rate-limit.js';

describe('client-side rate limit', () => {
  it('lets a burst through, then spaces requests at the configured rate', () => {
    const limiter = new RateLimiter(25, 5); // test mode: 25/s
    const now = 1_000_000;
    const waits = Array.from({ length: 30 }, () => limiter.reserve(now));
    expect(waits.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
    // Request n (0-based) may go at (n - 4) × 40 ms: 30 requests take ~1 s at 25/s.
    expect(waits[5]).toBeCloseTo(40, 5);
    expect(waits[29]).toBeCloseTo(25 * 40, 5);
    // Never more than 25 within any one second after the burst allowance.
    const inFirstSecond = waits.filter((w) => w < 1000).length;
    expect(inFirstSecond).toBeLessThanOrEqual(25 + 4);
  });

  it('recovers its budget when idle', () => {
    const limiter = new RateLimiter(20, 2);
    expect(limiter.reserve(0)).toBe(0);
    expect(limiter.reserve(0)).toBe(0);
    expect(limiter.reserve(0)).toBeGreaterThan(0);
    expect(limiter.reserve(10_000)).toBe(0);
  });
});
