import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Stripe from 'stripe';
import type { Dataset, EmulatorHandle } from '../../src/emulator/index.js';
import { allPages, clientFor, ids, newestFirst, start } from './helpers.js';

let handle: EmulatorHandle;
let stripe: Stripe;
let ds: Dataset;

beforeAll(async () => {
  handle = await start();
  stripe = clientFor(handle);
  ds = handle.dataset('test');
});
afterAll(async () => {
  await handle.close();
});

async function expectStripeError(p: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(Stripe.errors.StripeError);
    return e as Stripe.errors.StripeError;
  }
  throw new Error('expected the request to fail');
}

describe('pagination', () => {
  it('walks every customer with starting_after: no duplicates, no gaps, has_more false at the end', async () => {
    const { items, pages } = await allPages((cursor) => stripe.customers.list({ limit: 7, ...(cursor ? { starting_after: cursor } : {}) }));
    const listed = ds.customers.filter((c) => !c.test_clock); // Stripe leaves customers on a test clock out
    expect(listed.length).toBe(ds.customers.length - 1);
    expect(ids(items)).toEqual(ids(newestFirst(listed)));
    expect(pages).toBe(Math.ceil(listed.length / 7));
  });

  it('defaults to 10 items, newest first, with the list envelope', async () => {
    const page = await stripe.charges.list();
    expect(page.object).toBe('list');
    expect(page.url).toBe('/v1/charges');
    expect(page.has_more).toBe(true);
    expect(ids(page.data)).toEqual(ids(newestFirst(ds.charges).slice(0, 10)));
  });

  it('ending_before returns the items just before the cursor, in list order', async () => {
    const all = newestFirst(ds.invoices);
    const cursor = all[25] as Stripe.Invoice;
    const page = await stripe.invoices.list({ limit: 5, ending_before: cursor.id });
    expect(ids(page.data)).toEqual(ids(all.slice(20, 25)));
    expect(page.has_more).toBe(true);
    const top = await stripe.invoices.list({ limit: 5, ending_before: (all[3] as Stripe.Invoice).id });
    expect(ids(top.data)).toEqual(ids(all.slice(0, 3)));
    expect(top.has_more).toBe(false);
  });

  it("stripe-node's auto-pagination sees the whole filtered collection", async () => {
    const counts = new Map<string, number>();
    for (const i of ds.invoices) counts.set(i.customer as string, (counts.get(i.customer as string) ?? 0) + 1);
    const customer = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] as string;
    const got = await stripe.invoices.list({ customer, limit: 3 }).autoPagingToArray({ limit: 1000 });
    expect(ids(got)).toEqual(ids(newestFirst(ds.invoices.filter((i) => i.customer === customer))));
    expect(got.length).toBeGreaterThan(3);
  });

  it('rejects both cursors, unknown cursors and limits outside 1–100', async () => {
    const a = ds.customers[0]?.id as string;
    const both = await expectStripeError(stripe.customers.list({ starting_after: a, ending_before: a }));
    expect(both.statusCode).toBe(400);
    const missing = await expectStripeError(stripe.customers.list({ starting_after: 'cus_doesnotexist00' }));
    expect(missing.statusCode).toBe(404);
    expect(missing.code).toBe('resource_missing');
    expect(missing.param).toBe('starting_after');
    expect(missing.message).toBe("No such customer: 'cus_doesnotexist00'");
    const high = await expectStripeError(stripe.customers.list({ limit: 101 }));
    expect(high).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(high.message).toBe('This value must be less than or equal to 100.');
    expect(high.param).toBe('limit');
    const low = await expectStripeError(stripe.customers.list({ limit: 0 }));
    expect(low.message).toBe('This value must be greater than or equal to 1.');
    const nan = await expectStripeError(stripe.customers.list({ limit: 'abc' as unknown as number }));
    expect(nan.message).toBe('Invalid integer: abc');
    expect(nan.param).toBe('limit');
    const ok = await stripe.customers.list({ limit: 100 });
    expect(ok.data).toHaveLength(100);
  });
});

describe('parameters', () => {
  it('rejects parameters the endpoint does not take', async () => {
    const e = await expectStripeError(stripe.customers.list({ foo: 'bar' } as Stripe.CustomerListParams));
    expect(e.statusCode).toBe(400);
    expect(e.message).toBe('Received unknown parameter: foo');
    expect(e.param).toBe('foo');
    // `status` is a filter on invoices but not on charges.
    const e2 = await expectStripeError(stripe.charges.list({ status: 'failed' } as Stripe.ChargeListParams));
    expect(e2.message).toBe('Received unknown parameter: status');
    const e3 = await expectStripeError(stripe.charges.list({ created: { gte: 1, since: 2 } } as unknown as Stripe.ChargeListParams));
    expect(e3.message).toBe('Received unknown parameter: created[since]');
  });

  it('validates integers, booleans and enums', async () => {
    const e = await expectStripeError(stripe.charges.list({ created: { gte: 'yesterday' } } as unknown as Stripe.ChargeListParams));
    expect(e.message).toBe('Invalid integer: yesterday');
    expect(e.param).toBe('created[gte]');
    const b = await expectStripeError(stripe.products.list({ active: 'maybe' } as unknown as Stripe.ProductListParams));
    expect(b.message).toBe('Invalid boolean: maybe');
    const s = await expectStripeError(stripe.invoices.list({ status: 'late' } as unknown as Stripe.InvoiceListParams));
    expect(s.message).toMatch(/^Invalid status: must be one of draft, open, paid, uncollectible, or void$/);
  });
});

describe('date ranges', () => {
  it('created[gt|gte|lt|lte] and created=<int> select exactly the matching objects', async () => {
    const sorted = newestFirst(ds.balanceTransactions);
    const hi = (sorted[40] as Stripe.BalanceTransaction).created;
    const lo = (sorted[160] as Stripe.BalanceTransaction).created;
    const cases: Array<[Stripe.RangeQueryParam, (c: number) => boolean]> = [
      [{ gte: lo, lte: hi }, (c) => c >= lo && c <= hi],
      [{ gt: lo, lt: hi }, (c) => c > lo && c < hi],
      [{ gte: hi }, (c) => c >= hi],
      [{ lt: lo }, (c) => c < lo],
    ];
    for (const [range, pred] of cases) {
      const got = await stripe.balanceTransactions.list({ created: range, limit: 100 }).autoPagingToArray({ limit: 5000 });
      expect(ids(got), JSON.stringify(range)).toEqual(ids(sorted.filter((b) => pred(b.created))));
    }
    const exact = (sorted[77] as Stripe.BalanceTransaction).created;
    const got = await stripe.balanceTransactions.list({ created: exact, limit: 100 });
    expect(ids(got.data)).toEqual(ids(sorted.filter((b) => b.created === exact)));
  });

  it('filters payouts on arrival_date and invoices on due_date', async () => {
    const arrivals = ds.payouts.map((p) => p.arrival_date).sort((a, b) => a - b);
    const cut = arrivals[Math.floor(arrivals.length / 2)] as number;
    const payouts = await stripe.payouts.list({ arrival_date: { gte: cut }, limit: 100 }).autoPagingToArray({ limit: 2000 });
    expect(ids(payouts)).toEqual(ids(newestFirst(ds.payouts.filter((p) => p.arrival_date >= cut))));
    const dueSoon = ds.invoices.filter((i) => i.due_date !== null).map((i) => i.due_date as number).sort((a, b) => a - b);
    const dcut = dueSoon[Math.floor(dueSoon.length / 2)] as number;
    const invs = await stripe.invoices.list({ due_date: { lt: dcut }, limit: 100 }).autoPagingToArray({ limit: 2000 });
    expect(ids(invs)).toEqual(ids(newestFirst(ds.invoices.filter((i) => i.due_date !== null && i.due_date < dcut))));
  });
});

describe('filters', () => {
  async function all<T extends { id: string }>(p: Stripe.ApiListPromise<T>): Promise<string[]> {
    return ids(await p.autoPagingToArray({ limit: 10_000 }));
  }
  const pick = <T>(arr: T[], pred: (t: T) => boolean): T => {
    const hit = arr.find(pred);
    if (!hit) throw new Error('fixture data missing');
    return hit;
  };

  it('customers: email', async () => {
    const c = pick(ds.customers, (x) => x.email !== null);
    expect(await all(stripe.customers.list({ email: c.email as string }))).toEqual(ids(ds.customers.filter((x) => x.email === c.email)));
    expect(await all(stripe.customers.list({ email: 'nobody@nowhere.example' }))).toEqual([]);
  });

  it('charges: customer, payment_intent', async () => {
    const ch = pick(ds.charges, (x) => x.status === 'failed' && x.customer !== null);
    expect(await all(stripe.charges.list({ customer: ch.customer as string, limit: 100 }))).toEqual(ids(newestFirst(ds.charges.filter((x) => x.customer === ch.customer))));
    const got = await all(stripe.charges.list({ payment_intent: ch.payment_intent as string }));
    expect(got).toEqual(ids(newestFirst(ds.charges.filter((x) => x.payment_intent === ch.payment_intent))));
    expect(got).toContain(ch.id);
  });

  it('payment intents: customer, combined with created', async () => {
    const pi = pick(ds.paymentIntents, (x) => x.customer !== null);
    const since = pi.created - 200 * 86_400;
    expect(await all(stripe.paymentIntents.list({ customer: pi.customer as string, created: { gte: since } }))).toEqual(
      ids(newestFirst(ds.paymentIntents.filter((x) => x.customer === pi.customer && x.created >= since))),
    );
  });

  it('invoices: status, subscription, collection_method, customer', async () => {
    for (const status of ['paid', 'open', 'draft', 'void', 'uncollectible'] as const) {
      expect(await all(stripe.invoices.list({ status, limit: 100 })), status).toEqual(ids(newestFirst(ds.invoices.filter((i) => i.status === status))));
    }
    const sub = pick(ds.subscriptions, (s) => s.status === 'active');
    const bySub = await all(stripe.invoices.list({ subscription: sub.id }));
    expect(bySub).toEqual(ids(newestFirst(ds.invoices.filter((i) => i.parent?.subscription_details?.subscription === sub.id))));
    expect(bySub.length).toBeGreaterThan(0);
    expect(await all(stripe.invoices.list({ collection_method: 'send_invoice', status: 'open', limit: 100 }))).toEqual(
      ids(newestFirst(ds.invoices.filter((i) => i.collection_method === 'send_invoice' && i.status === 'open'))),
    );
  });

  it('subscriptions: every status but canceled by default, status=all/ended/<status>, price, customer', async () => {
    const ended = (s: Stripe.Subscription) => s.status === 'canceled' || s.status === 'incomplete_expired';
    // Without customer or test_clock, none on a test clock; a deleted customer's only under status=canceled.
    const onClock = ds.subscriptions.filter((s) => s.test_clock);
    expect(onClock.length).toBe(1);
    const subscriptions = ds.subscriptions.filter((s) => !s.test_clock && s.customer !== ds.special.deletedCustomer);
    const canceled = ds.subscriptions.filter((s) => !s.test_clock && s.status === 'canceled');
    expect(canceled.length).toBe(subscriptions.filter((s) => s.status === 'canceled').length + 1);
    // docs.stripe.com/api/subscriptions/list: "If no value is supplied, all subscriptions that have not been canceled are returned."
    expect(subscriptions.some((s) => s.status === 'incomplete_expired')).toBe(true);
    expect(await all(stripe.subscriptions.list({ limit: 100 }))).toEqual(ids(newestFirst(subscriptions.filter((s) => s.status !== 'canceled'))));
    expect(await all(stripe.subscriptions.list({ status: 'all', limit: 100 }))).toEqual(ids(newestFirst(subscriptions)));
    expect(await all(stripe.subscriptions.list({ status: 'ended', limit: 100 }))).toEqual(ids(newestFirst(subscriptions.filter(ended))));
    expect(await all(stripe.subscriptions.list({ status: 'canceled', limit: 100 }))).toEqual(ids(newestFirst(canceled)));
    for (const status of ['past_due', 'trialing', 'unpaid', 'incomplete'] as const) {
      expect(subscriptions.some((s) => s.status === status), `the dataset has ${status} subscriptions`).toBe(true);
      expect(await all(stripe.subscriptions.list({ status, limit: 100 })), status).toEqual(ids(newestFirst(subscriptions.filter((s) => s.status === status))));
    }
    expect(await all(stripe.subscriptions.list({ test_clock: onClock[0]!.test_clock as string }))).toEqual(ids(onClock));
    expect(await stripe.customers.retrieve(ds.special.deletedCustomer)).toEqual({ id: ds.special.deletedCustomer, object: 'customer', deleted: true });
    const price = subscriptions[0]?.items.data[0]?.price.id as string;
    expect(await all(stripe.subscriptions.list({ price, status: 'all', limit: 100 }))).toEqual(
      ids(newestFirst(subscriptions.filter((s) => s.items.data.some((it) => it.price.id === price)))),
    );
    const cust = pick(subscriptions, (s) => s.status === 'canceled').customer as string;
    expect(await all(stripe.subscriptions.list({ customer: cust, status: 'all' }))).toEqual(ids(newestFirst(subscriptions.filter((s) => s.customer === cust))));
    const pe = subscriptions.map((s) => s.items.data[0]?.current_period_end ?? 0).sort((a, b) => a - b);
    const cut = pe[Math.floor(pe.length / 2)] as number;
    expect(await all(stripe.subscriptions.list({ status: 'all', current_period_end: { lte: cut }, limit: 100 }))).toEqual(
      ids(newestFirst(subscriptions.filter((s) => (s.items.data[0]?.current_period_end ?? 0) <= cut))),
    );
  });

  it('products and prices: active, ids, product, currency, type, recurring[interval], lookup_keys', async () => {
    expect(await all(stripe.products.list({ active: false }))).toEqual(ids(newestFirst(ds.products.filter((p) => !p.active))));
    expect(await all(stripe.products.list({ active: true }))).toEqual(ids(newestFirst(ds.products.filter((p) => p.active))));
    const two = ds.products.slice(0, 2).map((p) => p.id);
    expect((await all(stripe.products.list({ ids: two }))).sort()).toEqual([...two].sort());
    const product = ds.products[0]?.id as string;
    expect(await all(stripe.prices.list({ product }))).toEqual(ids(newestFirst(ds.prices.filter((p) => p.product === product))));
    expect(await all(stripe.prices.list({ currency: 'jpy' }))).toEqual(ids(newestFirst(ds.prices.filter((p) => p.currency === 'jpy'))));
    expect(await all(stripe.prices.list({ type: 'one_time' }))).toEqual(ids(newestFirst(ds.prices.filter((p) => p.type === 'one_time'))));
    expect(await all(stripe.prices.list({ recurring: { interval: 'year' } }))).toEqual(ids(newestFirst(ds.prices.filter((p) => p.recurring?.interval === 'year'))));
    expect(await all(stripe.prices.list({ recurring: { usage_type: 'metered' } }))).toEqual(ids(newestFirst(ds.prices.filter((p) => p.recurring?.usage_type === 'metered'))));
    const keys = ds.prices.filter((p) => p.lookup_key).slice(0, 3).map((p) => p.lookup_key as string);
    expect((await stripe.prices.list({ lookup_keys: keys })).data.map((p) => p.lookup_key).sort()).toEqual([...keys].sort());
    const e = await expectStripeError(stripe.prices.list({ recurring: { cadence: 'month' } } as unknown as Stripe.PriceListParams));
    expect(e.message).toBe('Received unknown parameter: recurring[cadence]');
  });

  it('refunds and disputes: charge, payment_intent', async () => {
    const r = pick(ds.refunds, (x) => x.payment_intent !== null);
    expect(await all(stripe.refunds.list({ charge: r.charge as string }))).toEqual(ids(newestFirst(ds.refunds.filter((x) => x.charge === r.charge))));
    expect(await all(stripe.refunds.list({ payment_intent: r.payment_intent as string }))).toEqual(ids(newestFirst(ds.refunds.filter((x) => x.payment_intent === r.payment_intent))));
    const d = ds.disputes[0] as Stripe.Dispute;
    expect(await all(stripe.disputes.list({ charge: d.charge as string }))).toEqual([d.id]);
    expect(await all(stripe.disputes.list({ payment_intent: d.payment_intent as string }))).toEqual([d.id]);
  });

  it('payouts: status; balance transactions: type, source, currency, payout', async () => {
    for (const status of ['paid', 'pending', 'in_transit', 'failed', 'canceled']) {
      expect(await all(stripe.payouts.list({ status, limit: 100 })), status).toEqual(ids(newestFirst(ds.payouts.filter((p) => p.status === status))));
    }
    expect(await all(stripe.balanceTransactions.list({ type: 'refund', limit: 100 }))).toEqual(ids(newestFirst(ds.balanceTransactions.filter((b) => b.type === 'refund'))));
    expect(await all(stripe.balanceTransactions.list({ currency: 'eur', type: 'payout', limit: 100 }))).toEqual(
      ids(newestFirst(ds.balanceTransactions.filter((b) => b.currency === 'eur' && b.type === 'payout'))),
    );
    const ch = ds.charges.find((c) => c.balance_transaction) as Stripe.Charge;
    expect(await all(stripe.balanceTransactions.list({ source: ch.id }))).toEqual([ch.balance_transaction as string]);
    const po = ds.payouts.find((p) => p.status === 'paid' && p.automatic) as Stripe.Payout;
    const inPayout = await all(stripe.balanceTransactions.list({ payout: po.id, limit: 100 }));
    expect(inPayout).toEqual(ids(newestFirst(ds.balanceTransactions.filter((b) => ds.paidOutBy[b.id] === po.id))));
    expect(inPayout).toContain(po.balance_transaction as string);
    // What a payout paid out adds up to the payout.
    const paid = ds.balanceTransactions.filter((b) => inPayout.includes(b.id) && b.type !== 'payout');
    expect(paid.reduce((s, b) => s + b.net, 0)).toBe(po.amount);
  });
});

describe('retrieve and expand', () => {
  it('retrieves every resource by id and answers resource_missing for unknown ids', async () => {
    const c = ds.customers[0] as Stripe.Customer;
    expect(await stripe.customers.retrieve(c.id)).toMatchObject({ id: c.id, name: c.name });
    expect((await stripe.charges.retrieve(ds.charges[0]?.id as string)).id).toBe(ds.charges[0]?.id);
    expect((await stripe.paymentIntents.retrieve(ds.paymentIntents[0]?.id as string)).amount).toBe(ds.paymentIntents[0]?.amount);
    expect((await stripe.invoices.retrieve(ds.invoices[0]?.id as string)).total).toBe(ds.invoices[0]?.total);
    const canceled = ds.subscriptions.find((s) => s.status === 'canceled') as Stripe.Subscription;
    expect((await stripe.subscriptions.retrieve(canceled.id)).status).toBe('canceled');
    expect((await stripe.products.retrieve(ds.products[0]?.id as string)).name).toBe(ds.products[0]?.name);
    expect((await stripe.prices.retrieve(ds.prices[0]?.id as string)).unit_amount).toBe(ds.prices[0]?.unit_amount);
    expect((await stripe.refunds.retrieve(ds.refunds[0]?.id as string)).amount).toBe(ds.refunds[0]?.amount);
    expect((await stripe.disputes.retrieve(ds.disputes[0]?.id as string)).status).toBe(ds.disputes[0]?.status);
    expect((await stripe.payouts.retrieve(ds.payouts[0]?.id as string)).amount).toBe(ds.payouts[0]?.amount);
    expect((await stripe.balanceTransactions.retrieve(ds.balanceTransactions[0]?.id as string)).net).toBe(ds.balanceTransactions[0]?.net);
    const cases: Array<[Promise<unknown>, string]> = [
      [stripe.customers.retrieve('cus_x'), "No such customer: 'cus_x'"],
      [stripe.charges.retrieve('ch_x'), "No such charge: 'ch_x'"],
      [stripe.paymentIntents.retrieve('pi_x'), "No such payment_intent: 'pi_x'"],
      [stripe.invoices.retrieve('in_x'), "No such invoice: 'in_x'"],
      [stripe.subscriptions.retrieve('sub_x'), "No such subscription: 'sub_x'"],
      [stripe.prices.retrieve('price_x'), "No such price: 'price_x'"],
      [stripe.payouts.retrieve('po_x'), "No such payout: 'po_x'"],
    ];
    for (const [p, msg] of cases) {
      const e = await expectStripeError(p);
      expect(e.statusCode).toBe(404);
      expect(e.code).toBe('resource_missing');
      expect(e.message).toBe(msg);
    }
  });

  it('expands references in lists (data.X) and on retrieve (X) without changing the dataset', async () => {
    const page = await stripe.charges.list({ limit: 5, expand: ['data.customer', 'data.balance_transaction', 'data.payment_intent'] });
    for (const ch of page.data) {
      const raw = ds.charges.find((c) => c.id === ch.id) as Stripe.Charge;
      if (raw.customer) expect((ch.customer as Stripe.Customer).id).toBe(raw.customer);
      if (raw.balance_transaction) expect((ch.balance_transaction as Stripe.BalanceTransaction).source).toBe(ch.id);
      expect((ch.payment_intent as Stripe.PaymentIntent).object).toBe('payment_intent');
      expect(typeof raw.customer === 'string' || raw.customer === null).toBe(true); // dataset untouched
    }
    const inv = ds.invoices.find((i) => i.parent?.subscription_details && i.status === 'paid') as Stripe.Invoice;
    const got = await stripe.invoices.retrieve(inv.id, { expand: ['customer', 'parent.subscription_details.subscription', 'payments'] });
    expect((got.customer as Stripe.Customer).object).toBe('customer');
    expect((got.parent?.subscription_details?.subscription as Stripe.Subscription).object).toBe('subscription');
    const payment = got.payments?.data[0];
    expect(payment?.payment.type).toBe('payment_intent');
    const pi = await stripe.paymentIntents.retrieve(payment?.payment.payment_intent as string);
    expect(pi.amount).toBe(inv.amount_paid);
  });

  it('expands discounts down to their coupon, so a forever coupon is visible on subscriptions', async () => {
    const subs = await stripe.subscriptions
      .list({ customer: ds.special.foreverDiscountCustomer, expand: ['data.discounts.source.coupon'] })
      .autoPagingToArray({ limit: 100 });
    const d = subs[0]?.discounts[0] as Stripe.Discount;
    expect(d.object).toBe('discount');
    const coupon = d.source.coupon as Stripe.Coupon;
    expect(coupon.object).toBe('coupon');
    expect(coupon.duration).toBe('forever');
    expect(coupon.percent_off).toBeGreaterThan(0);
  });

  it('rejects paths that cannot be expanded', async () => {
    const e = await expectStripeError(stripe.charges.list({ expand: ['data.amount'] }));
    expect(e.message).toBe('This property cannot be expanded (amount).');
    const e2 = await expectStripeError(stripe.charges.list({ expand: ['customer'] }));
    expect(e2.message).toMatch(/^This property cannot be expanded \(customer\)/);
    const e3 = await expectStripeError(stripe.customers.retrieve(ds.customers[0]?.id as string, { expand: ['nonsense'] }));
    expect(e3.statusCode).toBe(400);
  });
});

describe('balance, account and modes', () => {
  it('serves the balance and the account', async () => {
    const b = await stripe.balance.retrieve();
    expect(b.available).toEqual(ds.balance.available);
    expect(b.pending).toEqual(ds.balance.pending);
    const a = await stripe.accounts.retrieveCurrent();
    expect(a.id).toBe(ds.account.id);
  });

  it('live keys read a different business, flagged livemode', async () => {
    const liveClient = clientFor(handle, handle.keys.live);
    const live = await liveClient.customers.list({ limit: 20 });
    const test = await stripe.customers.list({ limit: 20 });
    expect(live.data.every((c) => c.livemode)).toBe(true);
    expect(test.data.every((c) => !c.livemode)).toBe(true);
    const testIds = new Set(ids(test.data));
    expect(live.data.some((c) => testIds.has(c.id))).toBe(false);
    expect((await liveClient.balance.retrieve()).livemode).toBe(true);
    // Any well-formed key works and picks the mode from its prefix.
    const other = clientFor(handle, 'sk_live_' + 'x'.repeat(24));
    expect(ids((await other.customers.list({ limit: 20 })).data)).toEqual(ids(live.data));
  });
});
