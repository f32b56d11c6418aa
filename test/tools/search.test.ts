/** search: Stripe's Search Query Language over seven resources, answered with the list tools' projections. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Stripe from 'stripe';
import { collectAll, expectDashboardAdvice, startHarness, startRestrictedHarness, type Harness, type RestrictedHarness } from '../helpers/harness.js';
import { id, ids } from '../helpers/expected.js';
import type { Dataset } from '../../src/emulator/index.js';

/** Pages search to the end through next_page, checking each page on the way. */
async function searchAll(h: Harness, args: Record<string, unknown>, limit = 100) {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const all: any[] = [];
  let page: string | undefined;
  for (let i = 0; i < 200; i++) {
    const r = await h.call('search', { ...args, limit, ...(page ? { page } : {}) });
    if (r.isError) throw new Error(r.text);
    expect(r.structured.count).toBe(r.structured.data.length);
    all.push(...r.structured.data);
    if (!r.structured.has_more) {
      expect(r.structured.next_page).toBeNull();
      return all;
    }
    expect(r.structured.next_page).toEqual(expect.any(String));
    page = r.structured.next_page;
  }
  throw new Error('searchAll: too many pages');
}

let h: Harness;
let ds: Dataset;
beforeAll(async () => {
  h = await startHarness();
  ds = h.emulator.dataset('test');
});
afterAll(async () => h?.close());

describe('search', () => {
  it('finds customers by partial name, case-insensitively, with the list_customers projection', async () => {
    const expected = ds.customers.filter((c) => (c.name ?? '').toLowerCase().includes('acme'));
    expect(expected.length).toBeGreaterThan(0);
    const r = await h.call('search', { resource: 'customers', query: "name~'ACME'", limit: 100 });
    expect(r.isError).toBe(false);
    expect(r.structured.resource).toBe('customers');
    expect(ids(r.structured.data)).toEqual(ids(expected));
    // Same projection as list_customers, hidden characters stripped by the server.
    const listed = await collectAll(h, 'list_customers');
    for (const item of r.structured.data) expect(item).toEqual(listed.find((c) => c.id === item.id));
    const special = r.structured.data.find((c: { id: string }) => c.id === ds.special.controlCharsCustomer);
    if (special) expect(special.name).not.toMatch(/[\u200B\u0007]/);
  });

  it('finds charges and payment intents with their list projections and exact money (JPY, KWD)', async () => {
    const jpy = ds.special.jpyCustomer;
    const charges = await searchAll(h, { resource: 'charges', query: `customer:'${jpy}'` });
    const expectedCharges = ds.charges.filter((c) => id(c.customer) === jpy);
    expect(expectedCharges.length).toBeGreaterThan(0);
    expect(ids(charges)).toEqual(ids(expectedCharges));
    expect(charges).toEqual(await collectAll(h, 'list_charges', { customer: jpy }));
    const yen = charges.filter((c) => c.currency === 'jpy');
    expect(yen.length).toBeGreaterThan(0);
    for (const c of yen) expect(c.amount).toMatch(/^\d+$/);

    const kwd = ds.special.kwdCustomer;
    const intents = await searchAll(h, { resource: 'payment_intents', query: `customer:'${kwd}' AND currency:'kwd'` });
    const expectedIntents = ds.paymentIntents.filter((p) => id(p.customer) === kwd && p.currency === 'kwd');
    expect(expectedIntents.length).toBeGreaterThan(0);
    expect(ids(intents)).toEqual(ids(expectedIntents));
    expect(intents).toEqual(await collectAll(h, 'list_payment_intents', { customer: kwd }));
    for (const p of intents) expect(p.amount).toMatch(/^\d+\.\d{3}$/);
  });

  it('compares amounts and combines clauses with AND or OR', async () => {
    const failedBig = await searchAll(h, { resource: 'charges', query: "status:'failed' AND amount>=5000" });
    const expected = ds.charges.filter((c) => c.status === 'failed' && c.amount >= 5000);
    expect(expected.length).toBeGreaterThan(0);
    expect(ids(failedBig)).toEqual(ids(expected));

    const either = await searchAll(h, { resource: 'invoices', query: "status:'open' OR status:'uncollectible'" });
    const expectedInvoices = ds.invoices.filter((i) => i.status === 'open' || i.status === 'uncollectible');
    expect(expectedInvoices.length).toBeGreaterThan(0);
    expect(ids(either)).toEqual(ids(expectedInvoices));
    const customer = id(expectedInvoices[0]!.customer)!;
    const listed = await collectAll(h, 'list_invoices', { customer });
    for (const inv of either.filter((i) => i.customer === customer)) expect(inv).toEqual(listed.find((l) => l.id === inv.id));
  });

  it('finds subscriptions, products and prices (negation, metadata, decimals)', async () => {
    const pastDue = await searchAll(h, { resource: 'subscriptions', query: "status:'past_due'" });
    const expectedSubs = ds.subscriptions.filter((s) => s.status === 'past_due');
    expect(expectedSubs.length).toBeGreaterThan(0);
    expect(ids(pastDue)).toEqual(ids(expectedSubs));
    const listedSubs = await collectAll(h, 'list_subscriptions', { status: 'past_due' });
    expect(pastDue).toEqual(listedSubs);

    const archived = await searchAll(h, { resource: 'products', query: "-active:'true'" });
    expect(ids(archived)).toEqual(ids(ds.products.filter((p) => !p.active)));
    const pro = await searchAll(h, { resource: 'products', query: "metadata['tier']:'pro'" });
    expect(ids(pro)).toEqual(ids(ds.products.filter((p) => p.metadata.tier === 'pro')));
    expect(pro).toEqual((await collectAll(h, 'list_products')).filter((p) => p.metadata.tier === 'pro'));

    const proId = pro[0].id as string;
    const proYen = await searchAll(h, { resource: 'prices', query: `product:'${proId}' AND currency:'jpy'` });
    const expectedPrices = ds.prices.filter((p) => p.product === proId && p.currency === 'jpy');
    expect(expectedPrices.length).toBeGreaterThan(0);
    expect(ids(proYen)).toEqual(ids(expectedPrices));
    expect(proYen).toEqual(await collectAll(h, 'list_prices', { product: proId, currency: 'jpy' }));
    expect(proYen.map((p) => p.unit_amount)).toContain('7000');
  });

  it('pages through next_page without gaps or duplicates, and counts all matches when asked', async () => {
    const query = "status:'succeeded' AND currency:'usd'";
    const expected = ds.charges.filter((c) => c.status === 'succeeded' && c.currency === 'usd');
    expect(expected.length).toBeGreaterThan(30);
    const first = await h.call('search', { resource: 'charges', query, limit: 10, include_total_count: true });
    expect(first.isError).toBe(false);
    expect(first.structured.total_count).toBe(expected.length);
    expect(first.structured.has_more).toBe(true);
    const sent = h.emulator.requests.filter((r) => r.path === '/v1/charges/search').at(-1)!;
    expect(sent.query.expand).toEqual(['total_count']);
    const paged = await searchAll(h, { resource: 'charges', query }, 25);
    expect(ids(paged)).toEqual(ids(expected));
    expect(new Set(ids(paged)).size).toBe(paged.length);
    const plain = await h.call('search', { resource: 'charges', query, limit: 1 });
    expect(plain.structured.total_count).toBeUndefined();
  });

  it('says that results can be stale and that Search is unavailable in India', async () => {
    const r = await h.call('search', { resource: 'products', query: "active:'true'" });
    expect(r.structured.note).toMatch(/a minute/);
    expect(r.structured.note).toMatch(/India/);
    expect(r.structured.amounts).toMatch(/major units/);
    expect(r.structured.mode).toBe('test');
  });

  it('returns Stripe\'s own objects with detail "full", decimals as Stripe sends them', async () => {
    const r = await h.call('search', { resource: 'prices', query: "currency:'usd'", limit: 100, detail: 'full' });
    expect(r.isError).toBe(false);
    expect(r.structured.data).toEqual(JSON.parse(JSON.stringify(ds.prices.filter((p) => p.currency === 'usd'))));
    expect(typeof r.structured.data[0].unit_amount_decimal).toBe('string');
    expect(r.structured.amounts).toMatch(/minor units/);
    const subs = await h.call('search', { resource: 'subscriptions', query: "status:'active'", limit: 3, detail: 'full' });
    expect(subs.isError).toBe(false);
    const raw = ds.subscriptions.filter((s: Stripe.Subscription) => s.status === 'active').slice(0, 3);
    expect(subs.structured.data).toEqual(JSON.parse(JSON.stringify(raw)));
  });

  it('refuses a query Stripe would refuse before sending it, saying what the field allows', async () => {
    const before = h.emulator.requests.length;
    const unknownField = await h.call('search', { resource: 'customers', query: "nickname:'bob'" });
    expect(unknownField.isError).toBe(true);
    expect(unknownField.text).toMatch(/Stripe would refuse this query \(nothing was sent\)/);
    expect(unknownField.text).toMatch(/customers has no field nickname; its fields \(~ also contains, # also compares\): created#, email~, metadata, name~, phone~/);
    const tilde = await h.call('search', { resource: 'charges', query: "currency~'usd'" });
    expect(tilde.text).toMatch(/currency on charges takes currency:'value' \(exact match only\)/);
    const gt = await h.call('search', { resource: 'invoices', query: "status>'open'" });
    expect(gt.text).toMatch(/status on invoices takes status:'value' \(words in that order\) or status~'part' \(3\+ characters\)/);
    const mixed = await h.call('search', { resource: 'charges', query: "status:'failed' AND amount>100 OR currency:'usd'" });
    expect(mixed.text).toMatch(/AND and OR cannot be combined in one query/);
    expect(mixed.text).toMatch(/Syntax: field:'value' \(exact\)/);
    expect(tilde.text).not.toMatch(/Syntax:/);
    const short = await h.call('search', { resource: 'customers', query: "name~'ab'" });
    expect(short.text).toMatch(/name~'part' \(3\+ characters\)/);
    const metadata = await h.call('search', { resource: 'products', query: "metadata.tier:'pro'" });
    expect(metadata.text).toMatch(/metadata\['key'\]:'value'/);
    const many = await h.call('search', { resource: 'products', query: Array.from({ length: 11 }, (_, i) => `metadata['k${i}']:'v'`).join(' OR ') });
    expect(many.text).toMatch(/at most 10 clauses, this one has 11/);
    for (const r of [unknownField, tilde, gt, mixed, short, metadata, many]) expect(r.isError).toBe(true);
    expect(h.emulator.requests.length).toBe(before);
  });

  it("still passes on Stripe's own refusals, with the syntax", async () => {
    const otherQueryPage = await h.call('search', { resource: 'customers', query: "name~'acme'", page: 'bm90LWEtcGFnZQ' });
    expect(otherQueryPage.isError).toBe(true);
    expect(otherQueryPage.text).toMatch(/Stripe could not run this search/);
    expect(otherQueryPage.text).toMatch(/page/);
    expect(otherQueryPage.text).toMatch(/req_/);
  });

  it('refuses malformed arguments before calling Stripe', async () => {
    const before = h.emulator.requests.length;
    for (const args of [
      { resource: 'customers', query: '   ' },
      { resource: 'customers' },
      { resource: 'refunds', query: "status:'succeeded'" },
      { resource: 'customers', query: "name~'acme'", limit: 101 },
      { resource: 'customers', query: 'x'.repeat(1001) },
      { resource: 'customers', query: "name~'acme'", cursor: 'cus_123' },
    ]) {
      const r = await h.call('search', args);
      expect(r.isError, JSON.stringify(args).slice(0, 80)).toBe(true);
    }
    const empty = await h.call('search', { resource: 'customers', query: '  ' });
    expect(empty.text).toMatch(/query/);
    const refunds = await h.call('search', { resource: 'refunds', query: "status:'succeeded'" });
    expect(refunds.text).toMatch(/resource/);
    expect(h.emulator.requests.length).toBe(before);
  });

  it('searches live data only when asked for live mode', async () => {
    const live = h.emulator.dataset('live');
    const r = await h.call('search', { resource: 'products', query: "active:'true'", mode: 'live', limit: 100 });
    expect(r.isError).toBe(false);
    expect(r.structured.mode).toBe('live');
    expect(ids(r.structured.data)).toEqual(ids(live.products.filter((p) => p.active)));
    expect(ids(r.structured.data)).not.toEqual(ids(ds.products.filter((p) => p.active)));
  });
});

describe('search with a restricted key', () => {
  let r: RestrictedHarness;
  beforeAll(async () => {
    r = await startRestrictedHarness(['rak_customer_read']);
  });
  afterAll(async () => r?.close());

  it('names the Dashboard permission of the resource searched', async () => {
    expectDashboardAdvice(r, await r.call('search', { resource: 'charges', query: "status:'failed'" }), 'Charges');
    const customers = await r.call('search', { resource: 'customers', query: "name~'acme'" });
    expect(customers.isError).toBe(false);
  });
});
