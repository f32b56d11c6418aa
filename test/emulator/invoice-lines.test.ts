/**
 * Invoice lines as Stripe serves them: an invoice carries "the first handful" of its lines inline, `has_more` when
 * there are more, and the full list is paged at /v1/invoices/{id}/lines (docs.stripe.com/api/invoice-line-item/retrieve),
 * under the Invoices permission.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Stripe from 'stripe';
import { seed, startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { clientFor } from './helpers.js';

const prices = Array.from({ length: 13 }, (_, i) => seed.price({ unit_amount: 100 * (i + 1), recurring: { interval: 'month' } }));
const big = seed.invoice({ status: 'paid', lines: prices.map((price) => ({ price })) });
const small = seed.invoice({ status: 'paid', lines: prices.slice(0, 2).map((price) => ({ price })) });

let handle: EmulatorHandle;
let stripe: Stripe;
beforeAll(async () => {
  handle = await startEmulator({
    objects: { test: { prices, invoices: [big, small] } },
    keys: { rk_test_NoInvoices0001: { mode: 'test', permissions: ['rak_customer_read'] } },
  });
  stripe = clientFor(handle);
});
afterAll(async () => handle?.close());

describe('invoice lines', () => {
  it('carries ten lines inline, with has_more, in a list and a retrieve', async () => {
    const listed = (await stripe.invoices.list({ limit: 10 })).data.find((i) => i.id === big.id)!;
    expect(listed.lines.data.map((l) => l.id)).toEqual(big.lines.data.slice(0, 10).map((l) => l.id));
    expect(listed.lines.has_more).toBe(true);
    const one = await stripe.invoices.retrieve(small.id!);
    expect(one.lines.data).toHaveLength(2);
    expect(one.lines.has_more).toBe(false);
  });

  it('pages the full list at /v1/invoices/{id}/lines', async () => {
    const first = await stripe.invoices.listLineItems(big.id!, { limit: 5 });
    expect(first.has_more).toBe(true);
    expect(first.url).toBe(`/v1/invoices/${big.id}/lines`);
    const rest = await stripe.invoices.listLineItems(big.id!, { limit: 100, starting_after: first.data[4]!.id });
    expect(rest.has_more).toBe(false);
    expect([...first.data, ...rest.data].map((l) => l.id)).toEqual(big.lines.data.map((l) => l.id));
    const before = await stripe.invoices.listLineItems(big.id!, { limit: 3, ending_before: rest.data[0]!.id });
    expect(before.data.map((l) => l.id)).toEqual(big.lines.data.slice(2, 5).map((l) => l.id));
    expect(before.has_more).toBe(true);
  });

  it('answers 404 for an unknown invoice, 400 for an unknown parameter, 403 without Invoices read', async () => {
    await expect(stripe.invoices.listLineItems('in_missing')).rejects.toMatchObject({ statusCode: 404, code: 'resource_missing' });
    await expect(stripe.invoices.listLineItems(big.id!, { status: 'paid' } as never)).rejects.toMatchObject({ statusCode: 400 });
    const restricted = clientFor(handle, 'rk_test_NoInvoices0001');
    await expect(restricted.invoices.listLineItems(big.id!)).rejects.toMatchObject({ statusCode: 403, message: expect.stringContaining('rak_invoice_read') });
  });
});
