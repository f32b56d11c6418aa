import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AccountLimiter, accountLimiter, endpointOf, STRIPE_RATE_LIMITS, type Permit } from '../../src/stripe/rate-limit.js';
import { describeRateLimits, RATE_LIMITS_ENV, stripeRateLimits } from '../../src/stripe/rate-limit-setting.js';

describe('the endpoint a request counts against', () => {
  it('is each named operation: a list, a retrieve of any id, a search', () => {
    expect(endpointOf('GET', '/v1/charges?limit=100&starting_after=ch_1')).toBe('GET /v1/charges');
    expect(endpointOf('GET', '/v1/charges/ch_1')).toBe('GET /v1/charges/{id}');
    expect(endpointOf('GET', '/v1/charges/ch_2?expand[]=customer')).toBe('GET /v1/charges/{id}');
    expect(endpointOf('GET', '/v1/products/gold-plan')).toBe('GET /v1/products/{id}');
    expect(endpointOf('GET', '/v1/customers/search?query=x')).toBe('GET /v1/customers/search');
    expect(endpointOf('GET', '/v1/balance')).toBe('GET /v1/balance');
    expect(endpointOf('GET', '/v1/customers/cus_1/balance_transactions')).toBe('GET /v1/customers/{id}/balance_transactions');
  });
});

describe('client-side rate limit (one account and mode)', () => {
  beforeEach(() => void vi.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => void vi.useRealTimers());

  /** Asks for n permits on an endpoint; records when each was granted (ms after the start) and answers it at once. */
  function ask(limiter: AccountLimiter, endpoint: string, n: number, granted: number[], options: { paging?: boolean; answer?: boolean } = {}): Permit[] {
    const permits: Permit[] = [];
    for (let i = 0; i < n; i++) {
      void limiter.acquire(endpoint, options).then((p) => {
        granted.push(Date.now() - 1_000_000);
        permits.push(p);
        if (options.answer !== false) p.answered();
      });
    }
    return permits;
  }

  /** The most grants within any 1000 ms. */
  const busiest = (times: number[]) => Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + 1_000).length));

  it("keeps one endpoint to 25 in any second, even in live mode where the account's limit is 100, sent evenly spaced", async () => {
    const limiter = new AccountLimiter(STRIPE_RATE_LIMITS, 'live');
    const granted: number[] = [];
    ask(limiter, 'GET /v1/balance_transactions', 60, granted);
    await vi.advanceTimersByTimeAsync(0);
    expect(granted).toEqual([0]);
    await vi.advanceTimersByTimeAsync(999);
    expect(granted.length).toBe(25);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(granted).toEqual(Array.from({ length: 60 }, (_, i) => i * 40));
    expect(busiest(granted)).toBe(25);
  });

  it('paces one endpoint by a raised figure: 50 in the first second, 20 ms apart', async () => {
    const limiter = new AccountLimiter({ ...STRIPE_RATE_LIMITS, endpoint: 50 }, 'live');
    const granted: number[] = [];
    ask(limiter, 'GET /v1/payouts', 60, granted);
    await vi.advanceTimersByTimeAsync(999);
    expect(granted).toEqual(Array.from({ length: 50 }, (_, i) => i * 20));
  });

  it('does not hold back another endpoint behind a busy one, and keeps all endpoints within the global limit', async () => {
    const limiter = new AccountLimiter(STRIPE_RATE_LIMITS, 'live');
    const busy: number[] = [];
    const other: number[] = [];
    ask(limiter, 'GET /v1/charges', 40, busy);
    await vi.advanceTimersByTimeAsync(100);
    ask(limiter, 'GET /v1/charges/{id}', 1, other);
    await vi.advanceTimersByTimeAsync(0);
    expect(other).toEqual([100]);

    const all: number[] = [];
    for (const e of ['a', 'b', 'c', 'd', 'e', 'f']) ask(limiter, `GET /v1/${e}`, 30, all);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(all.length).toBe(180);
    expect(busiest([...busy, ...other, ...all])).toBe(100); // seven endpoints could send 175: the global limit binds
  });

  it('counts a request until a second after its answer: one in flight holds its place', async () => {
    const limiter = new AccountLimiter({ ...STRIPE_RATE_LIMITS, endpoint: 2 }, 'live');
    const granted: number[] = [];
    const permits = ask(limiter, 'GET /v1/customers', 3, granted, { answer: false });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(granted).toEqual([0, 500]);
    permits[0]!.answered();
    await vi.advanceTimersByTimeAsync(999);
    expect(granted.length).toBe(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(granted).toEqual([0, 500, 6_000]);
  });

  it("lets paging take 80 % of the mode's limit, and other calls the rest", async () => {
    const limiter = new AccountLimiter(STRIPE_RATE_LIMITS, 'test');
    const paging: number[] = [];
    const other: number[] = [];
    for (const e of ['a', 'b']) ask(limiter, `GET /v1/${e}`, 25, paging, { paging: true });
    ask(limiter, 'GET /v1/balance', 5, other);
    await vi.advanceTimersByTimeAsync(999);
    expect([paging.length, other.length]).toEqual([20, 5]);
  });

  it('counts all search endpoints together at 20 a second', async () => {
    const limiter = new AccountLimiter(STRIPE_RATE_LIMITS, 'live');
    const granted: number[] = [];
    ask(limiter, 'GET /v1/customers/search', 15, granted);
    ask(limiter, 'GET /v1/charges/search', 15, granted);
    await vi.advanceTimersByTimeAsync(999);
    expect(granted.length).toBe(20);
  });

  it('drops a cancelled request from the queue instead of sending it later', async () => {
    const limiter = new AccountLimiter({ ...STRIPE_RATE_LIMITS, endpoint: 1 }, 'live');
    const granted: number[] = [];
    ask(limiter, 'GET /v1/payouts', 1, granted);
    const stop = new AbortController();
    const waiting = limiter.acquire('GET /v1/payouts', { signal: stop.signal });
    const after: number[] = [];
    ask(limiter, 'GET /v1/payouts', 1, after);
    stop.abort();
    await expect(waiting).rejects.toThrow(/cancelled/);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(after).toEqual([1_000]); // it took the place the cancelled one left
  });

  it('is one per account and mode for the whole process, whichever client asks', () => {
    const a = accountLimiter('https://api.stripe.com:443', 'acct_1', 'live', STRIPE_RATE_LIMITS);
    expect(accountLimiter('https://api.stripe.com:443', 'acct_1', 'live', { ...STRIPE_RATE_LIMITS })).toBe(a);
    expect(accountLimiter('https://api.stripe.com:443', 'acct_1', 'test', STRIPE_RATE_LIMITS)).not.toBe(a);
    expect(accountLimiter('https://api.stripe.com:443', 'acct_2', 'live', STRIPE_RATE_LIMITS)).not.toBe(a);
  });
});

describe('STRIPE_MCP_STRIPE_RATE_LIMITS', () => {
  const limits = (value?: string) => stripeRateLimits(value === undefined ? {} : { [RATE_LIMITS_ENV]: value });

  it("is Stripe's usual limits when unset or empty", () => {
    expect(limits()).toEqual({ live: 100, test: 25, endpoint: 25, search: 20 });
    expect(limits('  ')).toEqual({ live: 100, test: 25, endpoint: 25, search: 20 });
  });

  it('replaces the limits it names and keeps the others', () => {
    expect(limits('live=300')).toEqual({ live: 300, test: 25, endpoint: 25, search: 20 });
    expect(limits(' live = 40 , test=10,search=5 ')).toEqual({ live: 40, test: 10, endpoint: 25, search: 5 });
    expect(limits('endpoint=50')).toEqual({ live: 100, test: 25, endpoint: 50, search: 20 });
    expect(limits('endpoint=10,live=300')).toEqual({ live: 300, test: 25, endpoint: 10, search: 20 });
  });

  it('refuses what it cannot read, saying what to write', () => {
    for (const bad of ['live', 'live=', 'live=abc', 'live=0', 'live=1.5', 'live=-3', 'live=20000', 'prod=10', 'live=10;test=5', 'live=10,', 'endpoint=0', 'endpoints=30', 'endpoint=x']) {
      expect(() => limits(bad), bad).toThrow(/STRIPE_MCP_STRIPE_RATE_LIMITS=.* is not understood .*endpoint \(each endpoint's own\).*e\.g\. live=300,endpoint=50/);
    }
    expect(() => limits('live=10,live=20')).toThrow(/names live twice/);
    expect(() => limits('endpoint=10,endpoint=20')).toThrow(/names endpoint twice/);
  });

  it('is shown with the per-endpoint figure', () => {
    expect(describeRateLimits({})).toBe("live 100/s, test 25/s, each endpoint 25/s, search 20/s (Stripe's usual limits; STRIPE_MCP_STRIPE_RATE_LIMITS changes them)");
    expect(describeRateLimits({ [RATE_LIMITS_ENV]: 'endpoint=40' })).toMatch(/^live 100\/s, test 25\/s, each endpoint 40\/s, search 20\/s \(from STRIPE_MCP/);
  });
});
