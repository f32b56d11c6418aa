/**
 * get_mrr and get_churn on the coupon cases Stripe counts, on a business written by hand (the emulator's seeding
 * API) with every figure worked out below:
 * - a forever coupon on the customer reduces the MRR of the customer's subscriptions that have no discount of their
 *   own (they "inherit the discount from the subscription's customer": docs.stripe.com/api/subscriptions/create,
 *   `discounts`); a subscription with its own discount does not inherit it;
 * - a coupon limited to some products (`applies_to.products`) reduces only the items on those products, whether it
 *   sits on the subscription or on the customer;
 * - an amount off is in its currency: it applies in that currency or through the coupon's `currency_options`
 *   (docs.stripe.com/api/coupons/object), and not at all to a subscription in a currency it has no amount for;
 * - a `once` coupon does not reduce MRR; canceled subscriptions of deleted customers are still read (status
 *   canceled includes them: docs.stripe.com/api/subscriptions/list).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Stripe from 'stripe';
import { seed } from '../../src/emulator/index.js';
import { startHarness, type Harness } from '../helpers/harness.js';

const at = (iso: string) => Date.parse(iso) / 1000;

const gold = seed.product({ id: 'gold-plan', name: 'Gold' });
const silver = seed.product({ name: 'Silver' });
const goldMonthly = seed.price({ id: 'gold-monthly', product: gold.id, unit_amount: 5000, recurring: { interval: 'month' } }); // $50.00
const silverMonthly = seed.price({ product: silver.id, unit_amount: 2000, recurring: { interval: 'month' } }); // $20.00
const goldYearlyEur = seed.price({ product: gold.id, currency: 'eur', unit_amount: 60000, recurring: { interval: 'year' } }); // €600.00 a year

const CUST20 = seed.coupon({ id: 'CUST20', percent_off: 20, duration: 'forever' });
const GOLD25 = seed.coupon({ id: 'GOLD25', percent_off: 25, duration: 'forever', applies_to: { products: [gold.id] } });
const FIVEOFF = seed.coupon({ id: 'FIVEOFF', amount_off: 500, currency: 'usd', duration: 'forever', currency_options: { eur: { amount_off: 600 } } });
const TENGBP = seed.coupon({ id: 'TENGBP', amount_off: 1000, currency: 'gbp', duration: 'forever' });
const ONCE50 = seed.coupon({ id: 'ONCE50', percent_off: 50, duration: 'once' });

const discounts: Stripe.Discount[] = [];
const discount = (coupon: Stripe.Coupon, owner: { customer?: string; subscription?: string }) => {
  const d = seed.discount({ coupon: coupon.id, customer: owner.customer ?? null, subscription: owner.subscription ?? null });
  discounts.push(d);
  return d;
};
const customerWith = (name: string, coupon?: Stripe.Coupon) => {
  const c = seed.customer({ name });
  if (coupon) c.discount = discount(coupon, { customer: c.id });
  return c;
};
const C1 = customerWith('C1', CUST20);
const C2 = customerWith('C2');
const C3 = customerWith('C3', FIVEOFF);
const C4 = customerWith('C4', ONCE50);
const C5 = customerWith('C5', GOLD25);
const C6 = { ...customerWith('C6 (deleted)'), deleted: true } as unknown as Stripe.Customer;

type Item = { price: Stripe.Price; quantity: number };
const sub = (customer: Stripe.Customer, items: Item[], own: Stripe.Coupon[] = [], extra: Pick<Partial<Stripe.Subscription>, 'status' | 'ended_at' | 'canceled_at'> = {}) => {
  const s = seed.subscription({ customer: customer.id, items, start_date: at('2026-02-01'), created: at('2026-02-01'), ...extra });
  s.discounts = own.map((c) => discount(c, { customer: customer.id, subscription: s.id }).id) as unknown as Stripe.Discount[];
  return s;
};
// USD, monthly (MRR now, cents):
const S1 = sub(C1, [{ price: goldMonthly, quantity: 1 }, { price: silverMonthly, quantity: 2 }]); // (5000 + 4000) × 0.80 = 7200 (customer's 20 %)
const S2 = sub(C1, [{ price: silverMonthly, quantity: 1 }], [FIVEOFF]); //                          2000 − 500 = 1500 (own $5 off; C1's 20 % not inherited)
const S3 = sub(C2, [{ price: goldMonthly, quantity: 2 }, { price: silverMonthly, quantity: 1 }], [GOLD25]); // 10000 × 0.75 + 2000 = 9500 (gold items only)
const S5 = sub(C2, [{ price: silverMonthly, quantity: 1 }], [TENGBP]); //                           2000 (£10 off has no USD amount: not applied)
const S6 = sub(C4, [{ price: silverMonthly, quantity: 1 }]); //                                     2000 (customer's coupon is "once")
const S7 = sub(C5, [{ price: goldMonthly, quantity: 1 }, { price: silverMonthly, quantity: 1 }]); // 5000 × 0.75 + 2000 = 5750 (customer's gold-only 25 %)
// EUR, yearly: 60000 ÷ 12 = 5000 a month; the customer's amount off has a EUR option of €6.00 a year → 600 ÷ 12 = 50 a month.
const S4 = sub(C3, [{ price: goldYearlyEur, quantity: 1 }]); //                                      5000 − 50 = 4950
// Canceled in June 2026 (lost MRR):
const ended = (iso: string) => ({ status: 'canceled' as const, ended_at: at(iso), canceled_at: at(iso) });
const S8 = sub(C6, [{ price: silverMonthly, quantity: 2 }], [GOLD25], ended('2026-06-10')); //       4000 (gold-only coupon, silver items); C6 deleted since
const S9 = sub(C1, [{ price: goldMonthly, quantity: 2 }], [], ended('2026-06-20')); //                10000 × 0.80 = 8000 (C1's 20 %)
// USD now: 7200 + 1500 + 9500 + 2000 + 2000 + 5750 = 27950 → $279.50, 6 subscriptions of C1, C2, C4, C5 (4 customers).
//   by product: gold 5000×0.8 + 7500 + 3750 = 15250 → $152.50; silver 4000×0.8 + 1500 + 2000 + 2000 + 2000 + 2000 = 12700 → $127.00.
// EUR now: 4950 → €49.50.
// End of May 2026, S8 and S9 still paying: USD 27950 + 4000 + 8000 = 39950 → $399.50, 8 subscriptions, 5 customers (+ C6).

const objects = {
  customers: [C1, C2, C3, C4, C5, C6],
  products: [gold, silver],
  prices: [goldMonthly, silverMonthly, goldYearlyEur],
  coupons: [CUST20, GOLD25, FIVEOFF, TENGBP, ONCE50],
  discounts,
  subscriptions: [S1, S2, S3, S4, S5, S6, S7, S8, S9],
};

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ emulator: { objects: { test: objects } } });
});
afterAll(async () => h?.close());

describe('get_mrr: the coupon cases Stripe counts', () => {
  it('applies customer coupons, product-limited coupons and amounts off in their currency', async () => {
    const r = await h.call('get_mrr', {});
    expect(r.isError, r.text).toBe(false);
    expect(r.structured.current).toEqual([
      { currency: 'eur', mrr: '49.50', subscriptions: 1, customers: 1 },
      { currency: 'usd', mrr: '279.50', subscriptions: 6, customers: 4 },
    ]);
    const caveats = r.structured.caveats.join(' ');
    expect(caveats).toMatch(/1 discounts could not be applied/); // TENGBP on a USD subscription
    expect(caveats).toMatch(/Test mode: Stripe's subscription list leaves out subscriptions attached to test clocks/);
    expect(caveats).not.toMatch(/product limits could not be read/);
  });

  it('puts a product-limited coupon on its product only', async () => {
    const r = await h.call('get_mrr', { group_by: 'product' });
    expect(r.structured.current_groups).toEqual([
      { currency: 'eur', product: 'gold-plan', product_name: 'Gold', mrr: '49.50', subscriptions: 1 },
      { currency: 'usd', product: 'gold-plan', product_name: 'Gold', mrr: '152.50', subscriptions: 3 },
      { currency: 'usd', product: silver.id, product_name: 'Silver', mrr: '127.00', subscriptions: 6 },
    ]);
  });

  it("one customer's subscriptions: its own discount wins over the customer's", async () => {
    const r = await h.call('get_mrr', { customer: C1.id });
    expect(r.structured.current).toEqual([{ currency: 'usd', mrr: '87.00', subscriptions: 2, customers: 1 }]); // 7200 + 1500
    expect(r.structured.caveats.join(' ')).not.toMatch(/test clocks/); // Stripe lists a customer's subscriptions whatever their clock
  });

  it('month-ends count canceled subscriptions of deleted customers', async () => {
    const r = await h.call('get_mrr', { month_ends: ['2026-05'] });
    expect(r.isError, r.text).toBe(false);
    expect(r.structured.history).toEqual([
      { month: '2026-05', month_end: '2026-05-31T23:59:59Z', currency: 'eur', mrr: '49.50', subscriptions: 1, customers: 1 },
      { month: '2026-05', month_end: '2026-05-31T23:59:59Z', currency: 'usd', mrr: '399.50', subscriptions: 8, customers: 5 },
    ]);
    expect(r.structured.filters.statuses).toEqual(['every status but canceled', 'canceled']);
  });

  it('without Customers read: figures without customer coupons, and a caveat naming the permission', async () => {
    const key = 'rk_test_NoCustomersKey01';
    const noCustomers = await startHarness({
      emulator: { objects: { test: objects }, keys: { [key]: { mode: 'test', permissions: ['rak_subscription_read', 'rak_coupon_read', 'rak_product_read'] } } },
      connections: (e) => [{ name: 'demo', keys: { test: key }, apiBase: e.url }],
    });
    try {
      const r = await noCustomers.call('get_mrr', {});
      expect(r.isError, r.text).toBe(false);
      // S1 9000 (no 20 %), S7 7000 (no gold 25 %); the rest as above: 9000 + 1500 + 9500 + 2000 + 2000 + 7000 = 31000.
      expect(r.structured.current.find((c: { currency: string }) => c.currency === 'usd')).toEqual({ currency: 'usd', mrr: '310.00', subscriptions: 6, customers: 4 });
      // S4 without its customer's €6.00 a year: 5000.
      expect(r.structured.current.find((c: { currency: string }) => c.currency === 'eur').mrr).toBe('50.00');
      expect(r.structured.caveats.join(' ')).toMatch(/Coupons on customers were not read: the key cannot read Customers \(set "Customers" to Read, permission rak_customer_read\)/);
    } finally {
      await noCustomers.close();
    }
  });
});

describe('get_churn: lost MRR with the coupons in force', () => {
  it('June 2026: S8 (deleted customer, gold-only coupon on silver items) and S9 (customer coupon) churned', async () => {
    const r = await h.call('get_churn', { month: '2026-06' });
    expect(r.isError, r.text).toBe(false);
    // Paying on 1 June: S1–S9 (9). New in June: none. Churned: S8, S9 → 2 ÷ 9.
    expect(r.structured.subscriptions).toEqual({ active_at_start: 9, new_in_window: 0, churned: 2, churn_rate: 0.222222, churn_rate_percent: '22.22%' });
    // Customers paying on 1 June: C1–C6 (6); only C6 lost its last paying subscription → 1 ÷ 6.
    expect(r.structured.customers).toEqual({ active_at_start: 6, new_in_window: 0, churned: 1, churn_rate: 0.166667, churn_rate_percent: '16.67%' });
    expect(r.structured.lost_mrr).toEqual([{ currency: 'usd', mrr: '120.00' }]); // 4000 + 8000
    expect(r.structured.churned_subscriptions.map((c: Record<string, unknown>) => [c.subscription, c.mrr])).toEqual([
      [S8.id, '40.00'],
      [S9.id, '80.00'],
    ]);
    expect(r.structured.cannot_know.join(' ')).not.toMatch(/no longer listed by Stripe/);
  });
});

describe('expansions the metrics ask for', () => {
  it('stay within the four levels Stripe expands, data included', () => {
    const paths = h.emulator.requests.flatMap((r) => ((r.query as { expand?: string[] }).expand ?? []));
    expect(paths).toContain('data.discounts.source.coupon');
    expect(paths).toContain('data.customer');
    expect(paths).toContain('data.applies_to');
    for (const p of paths) expect(p.split('.').length, p).toBeLessThanOrEqual(4);
  });
});
