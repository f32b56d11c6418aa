/**
 * Stripe's rate limits (docs.stripe.com/rate-limits), kept by our client and enforced by the emulator: per account
 * and mode a global limit (live 100/s, test 25/s), each endpoint's own 25/s on top, Search 20/s; over a limit a 429
 * with Stripe-Rate-Limited-Reason. Everything is measured at the emulator, as Stripe would count it.
 */
import Stripe from 'stripe';
import { afterEach, describe, expect, it } from 'vitest';
import { EMULATOR_RATE_LIMITS, startEmulator, type EmulatorHandle, type EmulatorOptions, type RecordedRequest } from '../../src/emulator/index.js';
import { createStripeClient, rateLimitsOf } from '../../src/stripe/client.js';
import { RATE_LIMITS_ENV } from '../../src/stripe/rate-limit-setting.js';
import { startHarness, TEST_ANCHOR, type Harness } from '../helpers/harness.js';

/** The most requests that arrived within any one second (1000 ms, as the emulator counts). */
function busiestSecond(requests: RecordedRequest[]): number {
  const times = requests.map((r) => r.at).sort((a, b) => a - b);
  let best = 0;
  for (let lo = 0, hi = 0; hi < times.length; hi++) {
    while ((times[hi] as number) - (times[lo] as number) >= 1000) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

const rateLimited = (requests: RecordedRequest[]) => requests.filter((r) => r.status === 429);
const on = (requests: RecordedRequest[], prefix: string) => requests.filter((r) => r.path === prefix || r.path.startsWith(`${prefix}/`));

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((o) => o.close()));
});

async function emulator(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
  const e = await startEmulator({ anchor: TEST_ANCHOR, ...options });
  open.push(e);
  return e;
}

async function harness(): Promise<Harness> {
  const h = await startHarness();
  open.push(h);
  return h;
}

function withEnv<T>(value: string, make: () => Promise<T>): Promise<T> {
  const saved = process.env[RATE_LIMITS_ENV];
  process.env[RATE_LIMITS_ENV] = value;
  return make().finally(() => {
    if (saved === undefined) delete process.env[RATE_LIMITS_ENV];
    else process.env[RATE_LIMITS_ENV] = saved;
  });
}

describe('the emulator enforces Stripe\'s limits', () => {
  const get = (e: EmulatorHandle, path: string, key = e.keys.live) => fetch(`${e.url}${path}`, { headers: { Authorization: `Bearer ${key}` } });
  // The mechanics are checked with small figures over a long window, so a burst surely lands in one window on a
  // loaded machine; the client tests below hold the figures to one second.
  const inOrder = async (e: EmulatorHandle, paths: string[], key?: string) => {
    const out: Response[] = [];
    for (const p of paths) out.push(await get(e, p, key));
    return out;
  };

  it("is Stripe's figures by default: live 100/s, test 25/s, each endpoint 25/s, Search 20/s", () => {
    expect(EMULATOR_RATE_LIMITS).toEqual({ live: 100, test: 25, endpoint: 25, search: 20, windowMs: 1000 });
  });

  it("answers Stripe's 429 past an endpoint's limit, counting every id of a retrieve as one endpoint", async () => {
    const e = await emulator({ rateLimits: { endpoint: 3, windowMs: 60_000 } });
    const ids = e.dataset('live').charges.slice(0, 4).map((c) => c.id);
    const responses = await inOrder(e, ids.map((id) => `/v1/charges/${id}`));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 429]);
    const r = responses[3]!;
    expect(r.headers.get('stripe-rate-limited-reason')).toBe('endpoint-rate');
    expect(r.headers.get('request-id')).toMatch(/^req_/);
    expect(r.headers.get('stripe-should-retry')).toBeNull(); // Stripe documents no retry hint for a rate limit
    const body = (await r.json()) as { error: Record<string, string> };
    expect(body.error).toMatchObject({ type: 'invalid_request_error', code: 'rate_limit' });
    expect(body.error.message).toMatch(/^Request rate limit exceeded\. .*https:\/\/stripe\.com\/docs\/rate-limits/);
    // stripe-node raises it as the rate-limit error users get told to wait for.
    const stripe = new Stripe(e.keys.live, { host: '127.0.0.1', port: String(e.port), protocol: 'http', maxNetworkRetries: 0 });
    await expect(stripe.charges.retrieve(ids[0]!)).rejects.toBeInstanceOf(Stripe.errors.StripeRateLimitError);
    // The list is another endpoint, with a budget of its own.
    expect((await get(e, '/v1/charges')).status).toBe(200);
  });

  it('keeps the global limit per account and mode over all endpoints', async () => {
    const e = await emulator({ rateLimits: { test: 4, windowMs: 60_000 } });
    const first = await inOrder(e, ['/v1/charges', '/v1/charges', '/v1/customers', '/v1/balance'], e.keys.test);
    expect(first.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const over = await get(e, '/v1/invoices', e.keys.test);
    expect(over.status).toBe(429);
    expect(over.headers.get('stripe-rate-limited-reason')).toBe('global-rate');
    expect((await get(e, '/v1/invoices', e.keys.live)).status).toBe(200); // live mode counts apart
  });

  it('keeps Search to its limit over all search endpoints together', async () => {
    const e = await emulator({ rateLimits: { search: 2, windowMs: 60_000 } });
    const q = `${encodeURIComponent('created>0')}&limit=1`;
    const statuses = (await inOrder(e, [`/v1/customers/search?query=${q}`, `/v1/charges/search?query=${q}`, `/v1/invoices/search?query=${q}`])).map((r) => r.status);
    expect(statuses).toEqual([200, 200, 429]);
    const over = await get(e, `/v1/products/search?query=${q}`);
    expect(over.headers.get('stripe-rate-limited-reason')).toBe('resource-specific');
  });

  it('takes raised figures, and only an explicit rateLimits: false turns the limits off', async () => {
    const raised = await emulator({ rateLimits: { endpoint: 30, windowMs: 60_000 } });
    expect((await Promise.all(Array.from({ length: 30 }, () => get(raised, '/v1/payouts')))).every((r) => r.status === 200)).toBe(true);
    const off = await emulator({ rateLimits: false });
    expect((await Promise.all(Array.from({ length: 60 }, () => get(off, '/v1/payouts')))).every((r) => r.status === 200)).toBe(true);
  });
});

describe('our client keeps to them', () => {
  it("keeps one endpoint to 25/s across concurrent tool calls (live mode, where the account's limit is 100/s)", async () => {
    const h = await harness();
    const txns = h.emulator.dataset('live').balanceTransactions;
    const from = new Date(txns[txns.length - 1]!.created * 1000).toISOString().slice(0, 10);
    await h.call('list_balance_transactions', { mode: 'live', limit: 1 });
    const mark = h.emulator.requests.length;
    const args = { mode: 'live', resource: 'balance_transactions', filters: { created_after: from }, group_by: ['month'] };
    const [a, b] = await Promise.all([h.call('aggregate', { ...args, metrics: ['count'] }), h.call('aggregate', { ...args, metrics: ['sum:net'] })]);
    expect(a.isError, a.text).toBe(false);
    expect(b.isError, b.text).toBe(false);
    expect(a.structured.scanned).toBe(txns.length);
    const sent = on(h.emulator.requests.slice(mark), '/v1/balance_transactions');
    expect(sent.length).toBeGreaterThan(50);
    expect(rateLimited(sent)).toEqual([]);
    expect(busiestSecond(sent)).toBeLessThanOrEqual(25);
  });

  it('keeps every endpoint together within the global limit (test mode: 25/s, paging 20/s)', async () => {
    const h = await harness();
    const mark = h.emulator.requests.length;
    const args = { filters: { created_after: '2025-01-01' }, group_by: ['month'], metrics: ['count'] };
    const results = await Promise.all(['charges', 'invoices', 'payment_intents'].map((resource) => h.call('aggregate', { resource, ...args })));
    for (const r of results) expect(r.isError, r.text).toBe(false);
    const sent = h.emulator.requests.slice(mark);
    expect(sent.length).toBeGreaterThan(60);
    expect(rateLimited(sent)).toEqual([]);
    expect(busiestSecond(sent)).toBeLessThanOrEqual(20);
  });

  it('shares one limit between clients of one account, not one per client object', async () => {
    const e = await emulator();
    // Two keys of the same account (the emulator has one), on clients made apart, as two connections would be.
    const keys = ['rk_live_shared_account_one', 'rk_live_shared_account_two'];
    const clients = await Promise.all(keys.map((apiKey) => createStripeClient({ apiKey, mode: 'live', apiBase: e.url, account: 'acct_shared' })));
    const ids = e.dataset('live').customers.slice(0, 30).map((c) => c.id);
    await Promise.all(clients.flatMap((stripe) => ids.map((id) => stripe.customers.retrieve(id))));
    const sent = on(e.requests, '/v1/customers');
    expect(sent.length).toBe(60);
    expect(rateLimited(sent)).toEqual([]);
    expect(busiestSecond(sent)).toBeLessThanOrEqual(25);
  });

  it('keeps the global limit over many endpoints at once (live mode: 100/s), each endpoint at 25/s', async () => {
    const e = await emulator();
    const stripe = await createStripeClient({ apiKey: e.keys.live, mode: 'live', apiBase: e.url });
    const ds = e.dataset('live');
    const work = [
      ...ds.customers.slice(0, 30).map((o) => () => stripe.customers.retrieve(o.id)),
      ...ds.charges.slice(0, 30).map((o) => () => stripe.charges.retrieve(o.id)),
      ...ds.invoices.slice(0, 30).map((o) => () => stripe.invoices.retrieve(o.id!)),
      ...ds.paymentIntents.slice(0, 30).map((o) => () => stripe.paymentIntents.retrieve(o.id)),
      ...ds.refunds.slice(0, 10).map((o) => () => stripe.refunds.retrieve(o.id)),
      ...Array.from({ length: 30 }, () => () => stripe.customers.list({ limit: 1 })),
    ];
    await Promise.all(work.map((run) => run()));
    expect(rateLimited(e.requests)).toEqual([]);
    expect(busiestSecond(e.requests)).toBeLessThanOrEqual(100);
    for (const path of ['/v1/customers/', '/v1/charges/', '/v1/invoices/', '/v1/payment_intents/']) {
      expect(busiestSecond(e.requests.filter((r) => r.path.startsWith(path))), path).toBeLessThanOrEqual(25);
    }
  });

  it('keeps Search to 20/s over all search endpoints', async () => {
    const e = await emulator();
    const stripe = await createStripeClient({ apiKey: e.keys.live, mode: 'live', apiBase: e.url });
    const query = 'created>0';
    await Promise.all([
      ...Array.from({ length: 25 }, () => stripe.customers.search({ query, limit: 1 })),
      ...Array.from({ length: 25 }, () => stripe.charges.search({ query, limit: 1 })),
    ]);
    const searches = e.requests.filter((r) => r.path.endsWith('/search'));
    expect(searches.length).toBe(50);
    expect(rateLimited(searches)).toEqual([]);
    expect(busiestSecond(searches)).toBeLessThanOrEqual(20);
  });

  it('keeps to a per-endpoint figure STRIPE_MCP_STRIPE_RATE_LIMITS lowers, and uses one it raises', async () => {
    const e = await emulator();
    const lowered = await withEnv('endpoint=5', () => createStripeClient({ apiKey: e.keys.live, mode: 'live', apiBase: e.url }));
    await Promise.all(Array.from({ length: 12 }, () => lowered.payouts.list({ limit: 1 })));
    expect(busiestSecond(on(e.requests, '/v1/payouts'))).toBeLessThanOrEqual(5);

    const raised = await emulator({ rateLimits: { endpoint: 50 } });
    const fast = await withEnv('endpoint=50', () => createStripeClient({ apiKey: raised.keys.live, mode: 'live', apiBase: raised.url }));
    await Promise.all(Array.from({ length: 50 }, () => fast.payouts.list({ limit: 1 })));
    expect(rateLimited(raised.requests)).toEqual([]);
    // How fast 50 requests go depends on this machine's load; that the raised figure is the one the client paces
    // by is checked here, and what pacing by it means is checked with fake timers in test/unit/rate-limit.test.ts.
    expect(rateLimitsOf(fast).endpoint).toBe(50);
    expect(rateLimitsOf(lowered).endpoint).toBe(5);
  });
});

describe('one retry policy', () => {
  for (const [what, headers] of [
    ['a plain 429', {}],
    ['a 429 that says Stripe-Should-Retry: true', { 'Stripe-Should-Retry': 'true' }],
  ] as const) {
    it(`${what} costs at most 4 requests: our 3 retries, none stacked by stripe-node's own`, async () => {
      const e = await emulator();
      e.injectFault({ status: 429, times: 50, pathPrefix: '/v1/customers', headers });
      const stripe = await createStripeClient({ apiKey: e.keys.test, mode: 'test', apiBase: e.url, backoffBaseMs: 1 });
      await expect(stripe.customers.list({ limit: 1 })).rejects.toBeInstanceOf(Stripe.errors.StripeRateLimitError);
      expect(on(e.requests, '/v1/customers').length).toBe(4);
    });
  }

  it('a 500 is still retried by stripe-node, once per retry', async () => {
    const e = await emulator();
    e.injectFault({ status: 500, times: 50, pathPrefix: '/v1/customers' });
    const stripe = await createStripeClient({ apiKey: e.keys.test, mode: 'test', apiBase: e.url });
    await expect(stripe.customers.list({ limit: 1 })).rejects.toBeInstanceOf(Stripe.errors.StripeAPIError);
    expect(on(e.requests, '/v1/customers').length).toBe(3);
  }, 20_000);
});
