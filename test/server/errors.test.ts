/** Every error path a user can hit ends in a clear isError message, and the server keeps serving. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';

const REVOKED = 'rk_test_revokedkey0001';
const EXPIRED = 'rk_test_expiredkey0002';
const CUSTOMERS_ONLY = 'rk_test_customersonly03';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    emulator: {
      keys: {
        [REVOKED]: { mode: 'test', revoked: true },
        [EXPIRED]: { mode: 'test', expired: true },
        [CUSTOMERS_ONLY]: { mode: 'test', permissions: ['rak_customer_read'] },
      },
    },
    connections: (e) => [
      { name: 'demo', keys: { test: e.keys.test, live: e.keys.live }, defaultMode: 'test', apiBase: e.url },
      { name: 'revoked', keys: { test: REVOKED }, apiBase: e.url },
      { name: 'expired', keys: { test: EXPIRED }, apiBase: e.url },
      { name: 'limited', keys: { test: CUSTOMERS_ONLY }, apiBase: e.url },
      { name: 'offline', keys: { test: e.keys.test }, apiBase: 'http://127.0.0.1:9' },
    ],
  });
});
afterAll(async () => h?.close());

describe('errors say what to do', () => {
  it('a revoked key', async () => {
    const r = await h.call('list_customers', { connection: 'revoked' });
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/did not accept the API key/);
    expect(r.text).toMatch(/Stripe request id: req_/);
    expect(r.text).not.toContain(REVOKED);
  });

  it('an expired key', async () => {
    const r = await h.call('list_customers', { connection: 'expired' });
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/expired/);
    expect(r.text).toMatch(/new restricted key/);
  });

  it('a restricted key without the permission names the Dashboard setting, and other tools still work', async () => {
    const denied = await h.call('list_subscriptions', { connection: 'limited' });
    expect(denied.isError).toBe(true);
    expect(denied.text).toMatch(/set "Subscriptions" to Read/);
    expect(denied.text).toMatch(/rak_subscription_read/);
    const allowed = await h.call('list_customers', { connection: 'limited', limit: 1 });
    expect(allowed.isError).toBe(false);
  });

  it('Stripe rate limiting that outlasts the retries', async () => {
    h.emulator.injectFault({ status: 429, times: 20, pathPrefix: '/v1/payouts' });
    const r = await h.call('list_payouts', { connection: 'demo' });
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/rate-limiting/);
    expect(r.text).toMatch(/try again/);
  }, 60_000);

  it('Stripe down', async () => {
    h.emulator.injectFault({ status: 503, times: 10, pathPrefix: '/v1/refunds' });
    const r = await h.call('list_refunds', { connection: 'demo' });
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/internal problem/);
    expect(r.text).toMatch(/status\.stripe\.com/);
  }, 60_000);

  it('the network unreachable', async () => {
    const r = await h.call('get_balance', { connection: 'offline' });
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/Could not reach Stripe/);
  }, 60_000);

  it('a cursor that does not exist', async () => {
    const r = await h.call('list_customers', { connection: 'demo', cursor: 'cus_doesnotexist000' });
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/Not found|No such customer/);
  });

  it('a bad search query gives Stripe\'s message and the syntax', async () => {
    const r = await h.call('search', { connection: 'demo', resource: 'customers', query: "name:'a' AND email:'b' OR name:'c'" });
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/field:'value'/);
  });

  it('an unknown connection or missing mode', async () => {
    const unknown = await h.call('list_customers', { connection: 'nope' });
    expect(unknown.isError).toBe(true);
    const missing = await h.call('list_customers', { connection: 'limited', mode: 'live' });
    expect(missing.isError).toBe(true);
    expect(missing.text).toMatch(/has no live-mode key/);
  });

  it('keeps serving after all of that', async () => {
    const r = await h.call('list_customers', { connection: 'demo', limit: 1 });
    expect(r.isError).toBe(false);
  });
});
