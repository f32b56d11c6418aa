import { describe, expect, it } from 'vitest';
import { WindowLimiter } from '../../src/stripe/rate-limit.js';
import { RATE_LIMITS_ENV, stripeRateLimits } from '../../src/stripe/rate-limit-setting.js';

describe('client-side rate limit', () => {
  it('lets a burst up to the limit through, then never more than the limit in any one second', () => {
    const limiter = new WindowLimiter(25); // test mode: 25/s
    const slots = Array.from({ length: 100 }, () => 1_000 + limiter.reserve(1_000));
    expect(slots.slice(0, 25).every((t) => t === 1_000)).toBe(true);
    expect(slots[25]).toBe(2_000);
    for (let i = 0; i + 25 < slots.length; i++) expect(slots[i + 25]! - slots[i]!).toBeGreaterThanOrEqual(1_000);
    // Slots never go back in time, even when asked from an earlier clock.
    expect(limiter.reserve(0)).toBeGreaterThan(0);
  });

  it('recovers its budget when idle', () => {
    const limiter = new WindowLimiter(2);
    expect(limiter.reserve(0)).toBe(0);
    expect(limiter.reserve(0)).toBe(0);
    expect(limiter.reserve(0)).toBe(1_000);
    expect(limiter.reserve(10_000)).toBe(0);
  });
});

describe('STRIPE_MCP_STRIPE_RATE_LIMITS', () => {
  const limits = (value?: string) => stripeRateLimits(value === undefined ? {} : { [RATE_LIMITS_ENV]: value });

  it("is Stripe's usual limits when unset or empty", () => {
    expect(limits()).toEqual({ live: 100, test: 25, search: 20 });
    expect(limits('  ')).toEqual({ live: 100, test: 25, search: 20 });
  });

  it('replaces the limits it names and keeps the others', () => {
    expect(limits('live=300')).toEqual({ live: 300, test: 25, search: 20 });
    expect(limits(' live = 40 , test=10,search=5 ')).toEqual({ live: 40, test: 10, search: 5 });
  });

  it('refuses what it cannot read, saying what to write', () => {
    for (const bad of ['live', 'live=', 'live=abc', 'live=0', 'live=1.5', 'live=-3', 'live=20000', 'prod=10', 'live=10;test=5', 'live=10,']) {
      expect(() => limits(bad), bad).toThrow(/STRIPE_MCP_STRIPE_RATE_LIMITS=.* is not understood .*e\.g\. live=300/);
    }
    expect(() => limits('live=10,live=20')).toThrow(/names live twice/);
  });
});
