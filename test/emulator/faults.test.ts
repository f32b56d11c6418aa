import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Stripe from 'stripe';
import type { EmulatorHandle } from '../../src/emulator/index.js';
import { clientFor, start } from './helpers.js';

let handle: EmulatorHandle;
let stripe: Stripe;

beforeAll(async () => {
  handle = await start();
  stripe = clientFor(handle);
});
afterAll(async () => {
  await handle.close();
});

async function failure(p: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  try {
    await p;
  } catch (e) {
    return e as Stripe.errors.StripeError;
  }
  throw new Error('expected the request to fail');
}

describe('fault injection', () => {
  it('a 429 reaches stripe-node as StripeRateLimitError, once', async () => {
    handle.injectFault({ status: 429 });
    const e = await failure(stripe.customers.list());
    expect(e).toBeInstanceOf(Stripe.errors.StripeRateLimitError);
    expect(e.statusCode).toBe(429);
    expect(e.code).toBe('rate_limit');
    expect(e.requestId).toMatch(/^req_/);
    expect((await stripe.customers.list({ limit: 1 })).data).toHaveLength(1);
  });

  it('5xx faults count down and respect pathPrefix', async () => {
    handle.injectFault({ status: 500, times: 2, pathPrefix: '/v1/charges' });
    expect((await stripe.customers.list({ limit: 1 })).data).toHaveLength(1); // not matched
    const a = await failure(stripe.charges.list());
    expect(a).toBeInstanceOf(Stripe.errors.StripeAPIError);
    expect(a.statusCode).toBe(500);
    const b = await failure(stripe.charges.retrieve('ch_whatever'));
    expect(b.statusCode).toBe(500);
    expect((await stripe.charges.list({ limit: 1 })).data).toHaveLength(1);
    handle.injectFault({ status: 503 });
    const c = await failure(stripe.balance.retrieve());
    expect(c).toBeInstanceOf(Stripe.errors.StripeAPIError);
    expect(c.statusCode).toBe(503);
  });

  it('a client with retries gets through a single 502', async () => {
    const u = new URL(handle.url);
    const retrying = new Stripe(handle.keys.test, { host: u.hostname, port: u.port, protocol: 'http', maxNetworkRetries: 1 });
    handle.injectFault({ status: 502, pathPrefix: '/v1/products' });
    const before = handle.requests.length;
    const list = await retrying.products.list();
    expect(list.object).toBe('list');
    expect(handle.requests.slice(before).map((r) => r.status)).toEqual([502, 200]);
  });
});

describe('latency', () => {
  it('adds the configured delay to every response', async () => {
    handle.setLatency(150);
    const t0 = Date.now();
    await stripe.customers.list({ limit: 1 });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    handle.setLatency(0);
  });
});

describe('request recording', () => {
  it('records GETs with the parsed query and the key mode', async () => {
    const before = handle.requests.length;
    await stripe.charges.list({ limit: 3, created: { gte: 1_700_000_000 }, expand: ['data.customer'] });
    await clientFor(handle, handle.keys.live).customers.list({ limit: 1 });
    const [a, b] = handle.requests.slice(before);
    expect(a).toMatchObject({ method: 'GET', path: '/v1/charges', mode: 'test', status: 200, query: { limit: '3', created: { gte: '1700000000' }, expand: ['data.customer'] } });
    expect(b).toMatchObject({ method: 'GET', path: '/v1/customers', mode: 'live' });
    expect(typeof a?.at).toBe('number');
  });

  it('records writes; a create answers like Stripe but changes nothing', async () => {
    const before = handle.requests.length;
    const count = handle.dataset('test').customers.length;
    const created = await stripe.customers.create({ name: 'Should Not Persist', email: 'nobody@example.com' });
    expect(created.object).toBe('customer');
    expect(created.name).toBe('Should Not Persist');
    const rec = handle.requests.slice(before);
    expect(rec).toHaveLength(1);
    expect(rec[0]).toMatchObject({ method: 'POST', path: '/v1/customers', mode: 'test' });
    expect(rec[0]?.body).toContain('name=Should');
    expect(handle.dataset('test').customers).toHaveLength(count);
    const listed = await stripe.customers.list({ email: 'nobody@example.com' });
    expect(listed.data).toHaveLength(0);
    const e = await failure(stripe.refunds.create({ charge: handle.dataset('test').charges[0]?.id as string }));
    expect(e.statusCode).toBe(400);
    expect(handle.requests[handle.requests.length - 1]).toMatchObject({ method: 'POST', path: '/v1/refunds' });
  });

  it('unauthenticated requests are recorded with mode null', async () => {
    await fetch(`${handle.url}/v1/customers`);
    expect(handle.requests[handle.requests.length - 1]).toMatchObject({ path: '/v1/customers', mode: null, status: 401 });
  });
});
