import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Stripe from 'stripe';
import { seed } from '../../src/emulator/index.js';
import type { EmulatorHandle } from '../../src/emulator/index.js';
import { clientFor, ids, start } from './helpers.js';
import { describeWithShared, sharedFile } from '../helpers/shared.js';

// Stripe's official fixtures sit in ../shared beside the checkout: a fresh clone skips the shape checks (CI fails).
const FIXTURES = sharedFile('stripe/fixtures3.json');

describe('seed builders', () => {
  const p = seed.price({ unit_amount: 2500, recurring: { interval: 'year' } });
  const built: Array<[string, object]> = [
    ['customer', seed.customer()],
    ['product', seed.product()],
    ['price', p],
    ['coupon', seed.coupon()],
    ['discount', seed.discount({ coupon: 'X' })],
    ['subscription', seed.subscription({ items: [p] })],
    ['subscription_item', seed.subscription({ items: [p] }).items.data[0] as object],
    ['invoice', seed.invoice({ lines: [{ price: p }] })],
    ['line_item', seed.invoice({ lines: [{ price: p }] }).lines.data[0] as object],
    ['charge', seed.charge()],
    ['payment_intent', seed.paymentIntent()],
    ['balance_transaction', seed.balanceTransaction()],
    ['refund', seed.refund()],
    ['dispute', seed.dispute()],
    ['payout', seed.payout()],
    ['invoice_payment', seed.invoicePayment()],
    ['test_helpers.test_clock', seed.testClock()],
  ];
  // Keys in the official fixture that the current API version no longer returns.
  const removedFromApi: Record<string, string[]> = { invoice: ['subscription'] };

  describeWithShared('against Stripe’s fixtures', FIXTURES, () => {
    const fx = FIXTURES.json<{ resources: Record<string, Record<string, unknown>> }>().resources;
    it.each(built)('a built %s carries every top-level key of Stripe’s fixture', (name, obj) => {
      const skip = new Set(removedFromApi[name] ?? []);
      const missing = Object.keys(fx[name] as object).filter((k) => !skip.has(k) && !(k in obj));
      expect(missing).toEqual([]);
      expect((obj as { object: string }).object).toBe((fx[name] as { object: string }).object);
    });
  });

  it('gives ids in Stripe’s formats and keeps what the test wrote', () => {
    expect(seed.customer().id).toMatch(/^cus_[A-Za-z0-9]{14}$/);
    expect(seed.subscription().id).toMatch(/^sub_1[A-Za-z0-9]{23}$/);
    expect(seed.charge().id).toMatch(/^ch_3[A-Za-z0-9]{23}$/);
    expect(seed.balanceTransaction().id).toMatch(/^txn_3[A-Za-z0-9]{23}$/);
    const c = seed.customer({ id: 'cus_given', email: 'a@b.example' });
    expect([c.id, c.email, c.name]).toEqual(['cus_given', 'a@b.example', null]);
    const sub = seed.subscription({ customer: c, items: [{ price: p, quantity: 3 }] });
    expect(sub.customer).toBe('cus_given');
    expect(sub.currency).toBe('usd');
    expect(sub.items.data[0]?.quantity).toBe(3);
    expect(sub.items.data[0]?.plan.interval).toBe('year');
    // A yearly item's period runs one year.
    const item = sub.items.data[0] as Stripe.SubscriptionItem;
    expect(new Date(item.current_period_end * 1000).getUTCFullYear() - new Date(item.current_period_start * 1000).getUTCFullYear()).toBe(1);
  });
});

describe('startEmulator({ objects })', () => {
  let em: EmulatorHandle;
  const product = seed.product({ id: 'gold-plan', name: 'Gold' });
  const price = seed.price({ product, unit_amount: 1200, currency: 'eur', recurring: { interval: 'month' } });
  const coupon = seed.coupon({ id: 'TENOFF', amount_off: 1000, currency: 'eur' });
  const older = seed.customer({ created: 1_700_000_000, email: 'older@example.com' });
  const newer = seed.customer({ created: 1_700_000_100, email: 'newer@example.com' });
  const sub = seed.subscription({ customer: newer, items: [price], created: 1_700_000_200 });
  const discount = seed.discount({ coupon, customer: newer, subscription: sub });
  sub.discounts = [discount.id] as unknown as Stripe.Discount[];
  const bt = seed.balanceTransaction({ amount: 5000, fee: 175, currency: 'eur' });

  beforeAll(async () => {
    em = await start({
      objects: {
        test: { customers: [older, newer], products: [product], prices: [price], coupons: [coupon], discounts: [discount], subscriptions: [sub], balanceTransactions: [bt] },
        live: { customers: [seed.customer()] },
      },
    });
  });
  afterAll(() => em.close());

  it('serves exactly the given objects, newest first, with livemode of the mode', async () => {
    const test = clientFor(em);
    const live = clientFor(em, em.keys.live);
    const customers = await test.customers.list();
    expect(ids(customers.data)).toEqual([newer.id, older.id]);
    expect(customers.data.every((c) => c.livemode === false)).toBe(true);
    const liveCustomers = await live.customers.list();
    expect(liveCustomers.data).toHaveLength(1);
    expect(liveCustomers.data[0]?.livemode).toBe(true);
    expect((await live.subscriptions.list()).data).toEqual([]);
    expect((await test.charges.list()).data).toEqual([]);
  });

  it('resolves references between seeded objects and sums the balance', async () => {
    const test = clientFor(em);
    const got = await test.subscriptions.retrieve(sub.id, { expand: ['discounts.source.coupon'] });
    const d = got.discounts[0] as Stripe.Discount;
    expect((d.source.coupon as Stripe.Coupon).amount_off).toBe(1000);
    expect((await test.products.retrieve('gold-plan')).name).toBe('Gold');
    const balance = await test.balance.retrieve();
    expect(balance.available.find((b) => b.currency === 'eur')?.amount).toBe(4825);
    expect((await test.accounts.retrieveCurrent()).id).toMatch(/^acct_1/);
  });

  it('refuses a seed with an id twice', async () => {
    const c = seed.customer();
    const em2 = await start({ objects: { live: { customers: [c, { ...c }] } } });
    // The live store is built on first use.
    expect(() => em2.dataset('live')).toThrow(/id .* twice/);
    await em2.close();
  });
});
