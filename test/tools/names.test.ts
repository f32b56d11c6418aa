/**
 * Names where people expect names (issue 14 item 1): rows grouped by customer carry the customer's name and email;
 * by product or price, the product's name and the price's nickname or amount/interval; get_churn names customers
 * and products. Looked up only for the rows returned, in batches (the emulator's request log counts them), and
 * without failing: a key that cannot read Customers or Products gets ids and a caveat; a deleted customer or
 * product is said to be deleted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Stripe from 'stripe';
import { seed, startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { ada, at, bob, charge, gone, legacy, legacyQuarterly, objects, pro, proMonthly } from '../helpers/names-business.js';
import { clientFor } from '../emulator/helpers.js';
import { startHarness, startRestrictedHarness, type Harness } from '../helpers/harness.js';

/** Requests to Stripe since `from`, as `path?query` lines, for one resource's endpoints. */
const requestsTo = (e: EmulatorHandle, from: number, prefix: string) =>
  e.requests.slice(from).filter((r) => r.path.startsWith(prefix)).map((r) => ({ path: r.path, query: r.query }));

describe('names on a hand-written business', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ emulator: { objects: { test: objects } } });
  });
  afterAll(async () => h?.close());

  it('ranks customers with their names and emails, says which one was deleted, and lists the customers once for all', async () => {
    const from = h.emulator.requests.length;
    const r = await h.call('aggregate', { resource: 'charges', group_by: ['customer'], metrics: ['sum:amount'] });
    expect(r.isError, r.text).toBe(false);
    const usd = r.structured.aggregate.rows.filter((row: { currency: string }) => row.currency === 'usd');
    expect(usd).toEqual([
      { customer: ada.id, customer_name: 'Ada Lovelace', customer_email: 'ada@example.com', currency: 'usd', 'sum:amount': '60.00' },
      { customer: gone.id, customer_name: '(deleted)', currency: 'usd', 'sum:amount': '40.00' },
      { customer: bob.id, customer_name: 'Bob Stone', currency: 'usd', 'sum:amount': '30.00' },
    ].sort((a, b) => (a.customer < b.customer ? -1 : 1)));
    expect(r.structured.aggregate.note).toMatch(/\(deleted\): Stripe says the customer or product was deleted\./);
    // Three customers: one page of the list serves the two it lists; the deleted one is retrieved by id (Stripe
    // lists no deleted customer).
    expect(requestsTo(h.emulator, from, '/v1/customers')).toEqual([
      { path: '/v1/customers', query: { limit: '100' } },
      { path: `/v1/customers/${gone.id}`, query: {} },
    ]);
  });

  it('top 1 per currency: the two customers returned come from one list page', async () => {
    const from = h.emulator.requests.length;
    const r = await h.call('aggregate', { resource: 'charges', group_by: ['customer'], metrics: ['sum:amount'], top: 1 });
    expect(r.isError, r.text).toBe(false);
    expect(r.structured.aggregate.rows.map((row: { customer_name: string }) => row.customer_name)).toEqual(['Bob Stone', 'Ada Lovelace']); // eur, usd
    expect(requestsTo(h.emulator, from, '/v1/customers')).toEqual([{ path: '/v1/customers', query: { limit: '100' } }]);
  });

  it('names products in one request for every row, and a deleted product as deleted', async () => {
    // status "all" leaves out the deleted customer's subscription (Stripe includes those only in "canceled").
    const from = h.emulator.requests.length;
    const r = await h.call('aggregate', { resource: 'subscriptions', filters: { status: 'all' }, group_by: ['product'] });
    expect(r.isError, r.text).toBe(false);
    expect(r.structured.aggregate.rows).toEqual(
      [
        { product: pro.id, product_name: 'Pro', count: 1 },
        { product: legacy.id, product_name: '(deleted)', count: 2 },
      ].sort((a, b) => (a.product < b.product ? -1 : 1)),
    );
    const products = requestsTo(h.emulator, from, '/v1/products');
    expect(products).toHaveLength(1);
    expect(products[0]!.path).toBe('/v1/products');
    expect([...(products[0]!.query.ids as string[])].sort()).toEqual([pro.id, legacy.id].sort());
  });

  it("names prices by nickname, else amount and interval, from the subscriptions' own prices, with their product", async () => {
    const from = h.emulator.requests.length;
    const r = await h.call('aggregate', { resource: 'subscriptions', filters: { status: 'all' }, group_by: ['price'], order_by: 'price' });
    expect(r.isError, r.text).toBe(false);
    const byPrice = Object.fromEntries(r.structured.aggregate.rows.map((row: { price: string }) => [row.price, row]));
    expect(byPrice[proMonthly.id]).toEqual({ price: proMonthly.id, price_name: 'Pro monthly', product: pro.id, product_name: 'Pro', count: 1 });
    expect(byPrice[legacyQuarterly.id]).toEqual({ price: legacyQuarterly.id, price_name: '15.00 USD/3 months', product: legacy.id, product_name: '(deleted)', count: 2 });
    // No price is read: only the products, once.
    expect(requestsTo(h.emulator, from, '/v1/prices')).toEqual([]);
    expect(requestsTo(h.emulator, from, '/v1/products')).toHaveLength(1);
  });

  it('list_prices grouped by product names the products', async () => {
    const r = await h.call('aggregate', { resource: 'prices', group_by: ['product'] });
    expect(r.isError, r.text).toBe(false);
    expect(r.structured.aggregate.rows.map((row: { product_name: string }) => row.product_name).sort()).toEqual(['(deleted)', 'Pro']);
  });

  it('get_churn names the churned customers from the subscriptions it reads (no customer request) and the products in one', async () => {
    const from = h.emulator.requests.length;
    const r = await h.call('get_churn', { month: '2026-06' });
    expect(r.isError, r.text).toBe(false);
    // Names only (no email: a churn list stays short).
    expect(r.structured.churned_subscriptions.map((c: Record<string, unknown>) => [c.customer, c.customer_name, c.customer_email, c.products, c.product_names])).toEqual([
      [gone.id, '(deleted)', undefined, [pro.id], ['Pro']],
      [ada.id, 'Ada Lovelace', undefined, [legacy.id], ['(deleted)']],
    ]);
    expect(requestsTo(h.emulator, from, '/v1/customers')).toEqual([]);
    expect(requestsTo(h.emulator, from, '/v1/products')).toHaveLength(1);
  });

  it('get_mrr reads the names of the grouped products only, in one request, instead of every product', async () => {
    const from = h.emulator.requests.length;
    const r = await h.call('get_mrr', { group_by: 'product' });
    expect(r.isError, r.text).toBe(false);
    expect(r.structured.current_groups.map((g: Record<string, unknown>) => [g.product, g.product_name]).sort()).toEqual([[legacy.id, '(deleted)'], [pro.id, 'Pro']].sort());
    const products = requestsTo(h.emulator, from, '/v1/products');
    expect(products).toHaveLength(1);
    expect(products[0]!.query.ids).toBeDefined();
  });
});

describe('batching on an account with more customers than a page', () => {
  // 250 customers (3 pages); the two with charges are the oldest, so the first page has neither.
  const many = Array.from({ length: 250 }, (_, i) => seed.customer({ name: `Customer ${i}`, email: `c${i}@example.com`, created: at('2026-01-01') + 3600 * (i + 1) }));
  const [oldest, second] = [many[0]!, many[1]!];
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ emulator: { objects: { test: { customers: many, charges: [charge(oldest, 100), charge(second, 200), ...many.slice(2, 40).map((c, i) => charge(c, 300 + i))] } } } });
  });
  afterAll(async () => h?.close());

  it('two customers to name: one list page, then by id (never more than twice the cheaper way)', async () => {
    const from = h.emulator.requests.length;
    const r = await h.call('aggregate', { resource: 'charges', group_by: ['customer'], metrics: ['sum:amount'], order: 'asc', top: 2 });
    expect(r.isError, r.text).toBe(false);
    expect(r.structured.aggregate.rows.map((row: { customer_name: string }) => row.customer_name)).toEqual(['Customer 0', 'Customer 1']);
    const calls = requestsTo(h.emulator, from, '/v1/customers');
    expect(calls).toHaveLength(3);
    expect(calls[0]).toEqual({ path: '/v1/customers', query: { limit: '100' } });
    expect(calls.slice(1).map((c) => c.path).sort()).toEqual([`/v1/customers/${oldest.id}`, `/v1/customers/${second.id}`].sort());
  });

  it('forty customers to name: the whole list (3 pages), not forty retrievals', async () => {
    const from = h.emulator.requests.length;
    const r = await h.call('aggregate', { resource: 'charges', group_by: ['customer'], metrics: ['sum:amount'] });
    expect(r.isError, r.text).toBe(false);
    expect(r.structured.aggregate.rows).toHaveLength(40);
    for (const row of r.structured.aggregate.rows) {
      const customer = many.find((c) => c.id === row.customer)!;
      expect([row.customer_name, row.customer_email]).toEqual([customer.name, customer.email]);
    }
    const calls = requestsTo(h.emulator, from, '/v1/customers');
    expect(calls.map((c) => c.path)).toEqual(['/v1/customers', '/v1/customers', '/v1/customers']);
  });
});

describe('a key that cannot read the names', () => {
  it('gets the figures by id, and a note saying which permission to set to Read', async () => {
    const h = await startRestrictedHarness(['rak_charge_read', 'rak_subscription_read'], 'rk_test_NoNamesKey000001', { objects: { test: objects } });
    try {
      const charges = await h.call('aggregate', { resource: 'charges', group_by: ['customer'], metrics: ['sum:amount'], top: 1 });
      expect(charges.isError, charges.text).toBe(false);
      expect(charges.structured.aggregate.rows.map((row: Record<string, unknown>) => [row.customer, row.customer_name])).toEqual([
        [bob.id, undefined],
        [ada.id, undefined],
      ]);
      expect(charges.structured.aggregate.note).toContain(
        `Customer names are missing: the key cannot read Customers (Stripe asked for 'rak_customer_read'; set "Customers" to Read to see them); rows show customer ids.`,
      );
      expect(charges.text).not.toContain(h.key);
      const subs = await h.call('aggregate', { resource: 'subscriptions', filters: { status: 'all' }, group_by: ['price'] });
      expect(subs.isError, subs.text).toBe(false);
      expect(subs.structured.aggregate.rows.every((row: Record<string, unknown>) => row.price_name && row.product && row.product_name === undefined)).toBe(true);
      expect(subs.structured.aggregate.note).toContain(`set "Products" to Read to see them`);
    } finally {
      await h.close();
    }
  });
});

describe("the emulator is as strict as Stripe's products list", () => {
  let e: EmulatorHandle;
  let stripe: Stripe;
  beforeAll(async () => {
    e = await startEmulator({ objects: { test: objects } });
    stripe = clientFor(e);
  });
  afterAll(async () => e?.close());

  it('answers ids with those products, refuses ids with a cursor, and more ids than a page holds', async () => {
    expect((await stripe.products.list({ ids: [pro.id, legacy.id] })).data.map((p) => p.id)).toEqual([pro.id]);
    await expect(stripe.products.list({ ids: [pro.id], starting_after: pro.id })).rejects.toMatchObject({ type: 'StripeInvalidRequestError', param: 'ids' });
    await expect(stripe.products.list({ ids: Array.from({ length: 101 }, (_, i) => `prod_${i}`) })).rejects.toMatchObject({ type: 'StripeInvalidRequestError', param: 'ids' });
    // Stripe: "You can specify up to 10 lookup_keys" (docs.stripe.com/api/prices/list).
    await expect(stripe.prices.list({ lookup_keys: Array.from({ length: 11 }, (_, i) => `k${i}`) })).rejects.toMatchObject({ param: 'lookup_keys' });
  });
});
