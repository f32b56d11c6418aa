/** The Stripe client under every tool: read-only by construction, retry-aware, and pinned. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { createStripeClient, STRIPE_API_VERSION } from '../../src/stripe/client.js';
import { TEST_ANCHOR } from '../helpers/harness.js';

let emulator: EmulatorHandle;
beforeAll(async () => {
  emulator = await startEmulator({ anchor: TEST_ANCHOR });
});
afterAll(async () => emulator?.close());

const client = (backoffBaseMs = 5) => createStripeClient({ apiKey: emulator.keys.test, mode: 'test', apiBase: emulator.url, backoffBaseMs });
const writes = () => emulator.requests.filter((r) => r.method !== 'GET');

describe('the read-only guard', () => {
  it('stops every write before it reaches the network', async () => {
    const stripe = await client();
    const attempts = [
      () => stripe.customers.create({ email: 'x@example.com' }),
      () => stripe.customers.update('cus_x', { name: 'y' }),
      () => stripe.customers.del('cus_x'),
      () => stripe.refunds.create({ charge: 'ch_x' }),
      () => stripe.payouts.create({ amount: 100, currency: 'usd' }),
      () => stripe.rawRequest('POST', '/v1/charges', { amount: 100 }),
    ];
    for (const attempt of attempts) {
      await expect(attempt()).rejects.toThrow(/only reads from Stripe/);
    }
    expect(writes()).toEqual([]);
  });

  it('still lets reads through, each sending the pinned API version as Stripe-Version', async () => {
    const stripe = await client();
    const before = emulator.requests.length;
    const page = await stripe.customers.list({ limit: 1 });
    await stripe.balance.retrieve();
    expect(page.data).toHaveLength(1);
    const sent = emulator.requests.slice(before);
    expect(sent).toHaveLength(2);
    // What Stripe reads the request as: the header on the wire, not the constant in our code.
    expect(sent.map((r) => r.stripeVersion)).toEqual([STRIPE_API_VERSION, STRIPE_API_VERSION]);
    expect(STRIPE_API_VERSION).toMatch(/^\d{4}-\d{2}-\d{2}\.[a-z]+$/);
  });
});

describe('retries', () => {
  it('retries 429 with backoff until it gets through', async () => {
    const stripe = await client();
    const before = emulator.requests.length;
    emulator.injectFault({ status: 429, times: 2, pathPrefix: '/v1/customers' });
    const page = await stripe.customers.list({ limit: 1 });
    expect(page.data).toHaveLength(1);
    expect(emulator.requests.length - before).toBe(3);
  });

  it('gives up on a persistent 429 with a rate-limit error', async () => {
    const stripe = await client();
    emulator.injectFault({ status: 429, times: 10, pathPrefix: '/v1/charges' });
    await expect(stripe.charges.list({ limit: 1 })).rejects.toMatchObject({ type: 'StripeRateLimitError' });
  });

  it('retries a 500 as stripe-node does', async () => {
    const stripe = await client();
    emulator.injectFault({ status: 500, times: 1, pathPrefix: '/v1/invoices' });
    const page = await stripe.invoices.list({ limit: 1 });
    expect(page.data).toHaveLength(1);
  });
});
