/**
 * get_mrr_bridge: how MRR moved month by month (Stripe Billing's MRR growth:
 * docs.stripe.com/billing/subscriptions/analytics/glossary). Checked against figures worked out by hand on a
 * business written with the emulator's seeding API (upgrade, seat downgrade with prorations, churn and
 * reactivation, trial, a customer in and out within a month, an invoice of 12 lines, a subscription without
 * invoices), and against a separate computation over the demo dataset (helpers/bridge-reference.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Stripe from 'stripe';
import { seed } from '../../src/emulator/index.js';
import { startHarness, TEST_ANCHOR, type Harness } from '../helpers/harness.js';
import { inOneUtcMonth, major } from '../helpers/expected.js';
import { referenceBridge, referencePercent, roundScaled } from '../helpers/bridge-reference.js';

const at = (iso: string) => Date.parse(iso) / 1000;
const addMonth = (iso: string, n = 1) => {
  const d = new Date(iso);
  d.setUTCMonth(d.getUTCMonth() + n);
  return d.toISOString();
};

const product = seed.product({ name: 'App' });
const basic = seed.price({ product: product.id, unit_amount: 1000, recurring: { interval: 'month' } }); // $10.00
const pro = seed.price({ product: product.id, unit_amount: 3000, recurring: { interval: 'month' } }); //  $30.00
const annual = seed.price({ product: product.id, unit_amount: 120000, recurring: { interval: 'year' } }); // $1,200.00 a year = $100.00 a month
const eur = seed.price({ product: product.id, currency: 'eur', unit_amount: 2000, recurring: { interval: 'month' } }); // €20.00
const addons = Array.from({ length: 12 }, (_, i) => seed.price({ product: product.id, unit_amount: 100, nickname: `Add-on ${i + 1}`, recurring: { interval: 'month' } }));

const customers = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'I', 'J'].map((name) => seed.customer({ name }));
const [A, B, C, D, E, F, G, I, J] = customers as [Stripe.Customer, Stripe.Customer, Stripe.Customer, Stripe.Customer, Stripe.Customer, Stripe.Customer, Stripe.Customer, Stripe.Customer, Stripe.Customer];

type Item = { price: Stripe.Price; quantity: number };
const sub = (customer: Stripe.Customer, start: string, items: Item[], extra: Pick<Partial<Stripe.Subscription>, 'status' | 'ended_at' | 'canceled_at' | 'trial_start' | 'trial_end'> = {}) =>
  seed.subscription({ customer: customer.id, start_date: at(start), created: at(start), items, ...extra });
const ended = (iso: string) => ({ status: 'canceled' as const, ended_at: at(iso), canceled_at: at(iso) });

const invoices: Stripe.Invoice[] = [];
/** One invoice per period from `from`, `count` of them, each billing `items` for its period. */
const bill = (s: Stripe.Subscription, from: string, count: number, items: Item[], months = 1) => {
  for (let k = 0; k < count; k++) {
    const start = addMonth(from, k * months);
    invoices.push(
      seed.invoice({
        customer: s.customer as string,
        subscription: s.id,
        created: at(start),
        status: 'paid',
        lines: items.map((i) => ({ price: i.price, quantity: i.quantity, period: { start: at(start), end: at(addMonth(start, months)) } })),
      }),
    );
  }
};
/** Stripe's proration lines of a subscription update: a credit for unused time, a charge for remaining time. */
const proration = (s: Stripe.Subscription, item: Item, amount: number, from: string, to: string) => ({
  price: item.price,
  quantity: item.quantity,
  amount,
  period: { start: at(from), end: at(to) },
  parent: {
    type: 'invoice_item_details' as const,
    invoice_item_details: { invoice_item: `ii_${s.id.slice(-10)}${amount < 0 ? 'c' : 'r'}`, proration: true, proration_details: { credited_items: null }, subscription: s.id },
    subscription_item_details: null,
  },
});

// A: Basic from May, upgraded to Pro from the 1 September invoice (no prorations).   Jul 10.00 → Aug 10.00 → Sep 30.00 → Oct 30.00
const SA = sub(A, '2026-05-01', [{ price: pro, quantity: 1 }]);
bill(SA, '2026-05-01', 4, [{ price: basic, quantity: 1 }]);
bill(SA, '2026-09-01', 2, [{ price: pro, quantity: 1 }]);
// B: Pro × 3 seats from June, down to 2 seats on 15 August, prorated on the 1 September invoice.  90.00 → 60.00 → 60.00 → 60.00
const SB = sub(B, '2026-06-01', [{ price: pro, quantity: 2 }]);
bill(SB, '2026-06-01', 3, [{ price: pro, quantity: 3 }]);
invoices.push(
  seed.invoice({
    customer: B.id,
    subscription: SB.id,
    created: at('2026-09-01'),
    status: 'paid',
    lines: [
      proration(SB, { price: pro, quantity: 3 }, -1645, '2026-08-15', '2026-09-01'),
      proration(SB, { price: pro, quantity: 2 }, 1097, '2026-08-15', '2026-09-01'),
      { price: pro, quantity: 2, period: { start: at('2026-09-01'), end: at('2026-10-01') } },
    ],
  }),
);
bill(SB, '2026-10-01', 1, [{ price: pro, quantity: 2 }]);
// C: Basic from March, canceled 10 August (churn); back on 5 October with Basic × 3 (reactivation).  10.00 → 0 → 0 → 30.00
const SC1 = sub(C, '2026-03-01', [{ price: basic, quantity: 1 }], ended('2026-08-10'));
bill(SC1, '2026-03-01', 6, [{ price: basic, quantity: 1 }]);
const SC2 = sub(C, '2026-10-05', [{ price: basic, quantity: 3 }]);
bill(SC2, '2026-10-05', 1, [{ price: basic, quantity: 3 }]);
// D: new on 20 September, yearly.                                                      0 → 0 → 100.00 → 100.00
const SD = sub(D, '2026-09-20', [{ price: annual, quantity: 1 }]);
bill(SD, '2026-09-20', 1, [{ price: annual, quantity: 1 }], 12);
// E: EUR since January, no invoices read (valued with its current items).             €20.00 throughout
const SE = sub(E, '2026-01-01', [{ price: eur, quantity: 1 }]);
// F: trial from 25 September to 9 October, then Pro.                                  0 → 0 → 0 → 30.00
const SF = sub(F, '2026-09-25', [{ price: pro, quantity: 1 }], { trial_start: at('2026-09-25'), trial_end: at('2026-10-09') });
invoices.push(
  seed.invoice({ customer: F.id, subscription: SF.id, created: at('2026-09-25'), status: 'paid', lines: [{ price: pro, quantity: 1, amount: 0, period: { start: at('2026-09-25'), end: at('2026-10-09') } }] }),
);
bill(SF, '2026-10-09', 1, [{ price: pro, quantity: 1 }]);
// G: in and out within September: in no month's figures.
const SG = sub(G, '2026-09-03', [{ price: basic, quantity: 1 }], ended('2026-09-20'));
bill(SG, '2026-09-03', 1, [{ price: basic, quantity: 1 }]);
// I: twelve $1.00 add-ons since July: each invoice has 12 lines, two more than Stripe sends inline.  12.00 throughout
const addonItems = addons.map((price) => ({ price, quantity: 1 }));
const SI = sub(I, '2026-07-01', addonItems);
bill(SI, '2026-07-01', 4, addonItems);
// J: Pro since June; a forever 50 % coupon from 15 September (a contraction in September).  30.00 → 30.00 → 15.00 → 15.00
const HALF = seed.coupon({ id: 'HALF', percent_off: 50, duration: 'forever' });
const SJ = sub(J, '2026-06-01', [{ price: pro, quantity: 1 }]);
const halfOff = seed.discount({ coupon: HALF.id, customer: J.id, subscription: SJ.id, start: at('2026-09-15') });
SJ.discounts = [halfOff.id] as unknown as Stripe.Discount[];
bill(SJ, '2026-06-01', 5, [{ price: pro, quantity: 1 }]);

// USD (cents) at the ends of Jul, Aug, Sep, Oct:
//   A 1000 1000 3000 3000 · B 9000 6000 6000 6000 · C 1000 0 0 3000 · D 0 0 10000 10000 · F 0 0 0 3000 · I 1200 ×4
//   J 3000 3000 1500 1500
// Aug: start 15200; contraction 3000 (B), churned 1000 (C); end 11200; 4 paying (A, B, I, J): ARPU 2800.
// Sep: start 11200; expansion 2000 (A), new 10000 (D), contraction 1500 (J); end 21700; 5 paying: ARPU 4340.
// Oct: start 21700; reactivation 3000 (C), new 3000 (F); end 27700; 7 paying: ARPU 3957.14….
// Retention Aug–Oct of A, B, C, I, J (15200 at the start): 3000 + 6000 + 3000 + 1200 + 1500 = 14700 → NRR 96.71 %;
//   capped at the start: 1000 + 6000 + 1000 + 1200 + 1500 = 10700 → GRR 70.39 %.
const objects = {
  customers,
  products: [product],
  prices: [basic, pro, annual, eur, ...addons],
  coupons: [HALF],
  discounts: [halfOff],
  subscriptions: [SA, SB, SC1, SC2, SD, SE, SF, SG, SI, SJ],
  invoices,
};

const usd = (month: string, f: Record<string, string | number>) => ({ month, currency: 'usd', ...f });
const eurRow = (month: string) => ({
  month,
  currency: 'eur',
  starting_mrr: '20.00',
  new: '0.00',
  expansion: '0.00',
  contraction: '0.00',
  churned: '0.00',
  reactivation: '0.00',
  ending_mrr: '20.00',
  net_new_mrr: '0.00',
  customers: 1,
  arr: '240.00',
  arpu: '20.00',
});

describe('get_mrr_bridge on a business worked out by hand', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ emulator: { objects: { test: objects } } });
  });
  afterAll(async () => h?.close());

  it('gives each month its movements, ARR and ARPU, per currency', async () => {
    // The tools' clock is the real one, the data's "now" 2026-11-01: months are named.
    const r = await h.call('get_mrr_bridge', { months: 3, end_month: '2026-10' });
    expect(r.isError, r.text).toBe(false);
    expect(r.structured.range).toEqual({ start: '2026-08-01T00:00:00Z', end: '2026-11-01T00:00:00Z', timezone: 'UTC' });
    expect(r.structured.months).toEqual([
      eurRow('2026-08'),
      usd('2026-08', { starting_mrr: '152.00', new: '0.00', expansion: '0.00', contraction: '30.00', churned: '10.00', reactivation: '0.00', ending_mrr: '112.00', net_new_mrr: '-40.00', customers: 4, arr: '1344.00', arpu: '28.00' }),
      eurRow('2026-09'),
      usd('2026-09', { starting_mrr: '112.00', new: '100.00', expansion: '20.00', contraction: '15.00', churned: '0.00', reactivation: '0.00', ending_mrr: '217.00', net_new_mrr: '105.00', customers: 5, arr: '2604.00', arpu: '43.40' }),
      eurRow('2026-10'),
      usd('2026-10', { starting_mrr: '217.00', new: '30.00', expansion: '0.00', contraction: '0.00', churned: '0.00', reactivation: '30.00', ending_mrr: '277.00', net_new_mrr: '60.00', customers: 7, arr: '3324.00', arpu: '39.57' }),
    ]);
  });

  it('gives net and gross revenue retention of the customers paying at the start', async () => {
    const r = await h.call('get_mrr_bridge', { months: 3, end_month: '2026-10' });
    expect(r.structured.retention).toEqual([
      { currency: 'eur', starting_mrr: '20.00', retained_mrr: '20.00', nrr: '100.00%', grr: '100.00%' },
      { currency: 'usd', starting_mrr: '152.00', retained_mrr: '147.00', nrr: '96.71%', grr: '70.39%' },
    ]);
  });

  it('says what it rebuilt from current items, and what it cannot know', async () => {
    const r = await h.call('get_mrr_bridge', { months: 3, end_month: '2026-10' });
    const caveats = r.structured.caveats.join(' ');
    expect(caveats).toContain('1 subscriptions had no invoice saying what they billed');
    expect(r.structured.cannot_know.join(' ')).toMatch(/without prorations shows from the next invoice/);
    expect(r.structured.definition).toMatch(/reactivation = the same for a customer who had paid before/);
  });

  it('pages the invoice lines Stripe does not send inline', () => {
    const paged = h.emulator.requests.filter((q) => /^\/v1\/invoices\/[^/]+\/lines$/.test(q.path));
    expect(paged.length).toBeGreaterThanOrEqual(4); // SI's four invoices of 12 lines
  });

  it('answers the current month to date, and refuses a month not begun', async () => {
    const { current, month } = await inOneUtcMonth(async (today) => {
      const month = (n: number) => new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() + n, 1)).toISOString().slice(0, 7);
      return { current: await h.call('get_mrr_bridge', { months: 1, end_month: month(0) }), month };
    });
    expect(current.isError, current.text).toBe(false);
    // Nothing changed after the data's last invoices: the month starts where October ended.
    const row = current.structured.months.find((m: { currency: string }) => m.currency === 'usd');
    expect(row).toMatchObject({ month: month(0), starting_mrr: '277.00', ending_mrr: '277.00' });
    expect(row.to_date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const later = await h.call('get_mrr_bridge', { end_month: month(1) });
    expect(later.isError).toBe(true);
    expect(later.text).toMatch(/has not started yet/);
  });

  it('without Coupons read: list prices, and a caveat naming the permission', async () => {
    const key = 'rk_test_NoCouponsKey0001';
    const noCoupons = await startHarness({
      emulator: { objects: { test: objects }, keys: { [key]: { mode: 'test', permissions: ['rak_subscription_read', 'rak_invoice_read', 'rak_customer_read'] } } },
      connections: (e) => [{ name: 'demo', keys: { test: key }, apiBase: e.url }],
    });
    try {
      const r = await noCoupons.call('get_mrr_bridge', { months: 3, end_month: '2026-10' });
      expect(r.isError, r.text).toBe(false);
      // J at list price throughout: no contraction in September.
      expect(r.structured.months.find((m: Record<string, string>) => m.month === '2026-09' && m.currency === 'usd')).toMatchObject({ contraction: '0.00', ending_mrr: '232.00' });
      expect(r.structured.caveats.join(' ')).toMatch(/The key cannot read Coupons \(Stripe asked for 'rak_coupon_read'\).*1 subscription has discounts/);
    } finally {
      await noCoupons.close();
    }
  });

  it('needs Invoices read, and says so', async () => {
    const key = 'rk_test_NoInvoicesKey01';
    const noInvoices = await startHarness({
      emulator: { objects: { test: objects }, keys: { [key]: { mode: 'test', permissions: ['rak_subscription_read', 'rak_coupon_read', 'rak_customer_read'] } } },
      connections: (e) => [{ name: 'demo', keys: { test: key }, apiBase: e.url }],
    });
    try {
      const r = await noInvoices.call('get_mrr_bridge', {});
      expect(r.isError).toBe(true);
      expect(r.text).toContain('set "Invoices" to Read');
      expect(r.text).not.toContain(key);
    } finally {
      await noInvoices.close();
    }
  });
});

describe('get_mrr_bridge on the demo business, against a separate computation', { timeout: 120_000 }, () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());

  it('agrees on every figure of the last six months', async () => {
    const r = await h.call('get_mrr_bridge', { months: 6, end_month: '2026-10' });
    expect(r.isError, r.text).toBe(false);
    const ds = h.emulator.dataset('test');
    const anchor = TEST_ANCHOR.getTime() / 1000;
    const starts = Array.from({ length: 6 }, (_, k) => Date.UTC(2026, 4 + k, 1) / 1000); // May–Oct 2026
    const moments = [starts[0]! - 1, ...starts.slice(1).map((s) => s - 1), anchor - 1];
    const ref = referenceBridge(ds, moments, starts);
    const money = (scaled: bigint, currency: string) => major(roundScaled(scaled), currency);
    const expected = starts.flatMap((_, i) =>
      [...ref.months[i]!.entries()]
        .filter(([, m]) => m.starting > 0n || m.ending > 0n)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([currency, m]) => ({
          currency,
          starting_mrr: money(m.starting, currency),
          new: money(m.new, currency),
          expansion: money(m.expansion, currency),
          contraction: money(m.contraction, currency),
          churned: money(m.churned, currency),
          reactivation: money(m.reactivation, currency),
          ending_mrr: money(m.ending, currency),
          net_new_mrr: money(m.ending - m.starting, currency),
          customers: m.customers,
          arr: money(m.ending * 12n, currency),
          arpu: m.customers ? major((m.ending * 2n + 1200n * BigInt(m.customers)) / (2400n * BigInt(m.customers)), currency) : money(0n, currency),
        })),
    );
    expect(r.structured.months.map(({ month: _m, ...rest }: Record<string, unknown>) => rest)).toEqual(expected);
    const sum = (f: string) => r.structured.months.filter((m: Record<string, string>) => m.currency === 'usd' && Number(m[f]) > 0).length;
    // The demo business shows every movement somewhere in these months.
    for (const f of ['new', 'expansion', 'contraction', 'churned', 'reactivation']) expect(sum(f), f).toBeGreaterThan(0);
    expect(r.structured.retention).toEqual(
      [...ref.retention.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([currency, x]) => ({ currency, starting_mrr: money(x.start, currency), retained_mrr: money(x.end, currency), nrr: referencePercent(x.end, x.start), grr: referencePercent(x.capped, x.start) })),
    );
  });
});
