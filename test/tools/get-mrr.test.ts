/**
 * get_mrr: MRR as Stripe Billing defines it, now and at past month-ends. Checked against figures worked out by
 * hand on a business of eight customers, and against a separate computation over the demo dataset.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectDashboardAdvice, startHarness, startRestrictedHarness, type Harness, type RestrictedHarness } from '../helpers/harness.js';
import { inOneUtcMonth, iso, major } from '../helpers/expected.js';
import { referenceAt, referenceCurrent, rounded, totalsByCurrency, type RefSubscription } from '../helpers/subscription-reference.js';
import type { Dataset } from '../../src/emulator/index.js';

const utc = (date: string) => Date.parse(date) / 1000;
const monthEnd = (month: string) => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return Date.UTC(y, m, 1) / 1000 - 1;
};

describe('get_mrr on a business small enough to check by hand', () => {
  // Eight customers (seed 42, "now" 2026-11-01). Their subscriptions, as the emulator generates them:
  //  A cus_3IZZ… active   USD Pro monthly $49 × 4 + a metered item                    from 2026-07-07  → $196.00
  //  B cus_nU3v… past_due USD Pro monthly $49 × 2 + a metered item                    from 2025-12-06  →  $98.00
  //  C cus_3BxZ… active   USD Team monthly $15 × 27, NONPROFIT10 ($10 off, forever)  from 2025-12-03  → $395.00
  //  D cus_NHH6… canceled USD Team monthly $15 × 23, trial to 2025-10-01, ended 2025-10-05             ($345.00)
  //  E cus_Du0G… active   EUR Team monthly €14 × 8, LOYAL20 (20 % off, forever)      from 2025-09-15  →  €89.60
  //  F cus_CvNa… active   JPY Pro yearly ¥70,000                                      from 2025-08-18  →  ¥5,833 (70,000 ÷ 12)
  //  G cus_9Yk8… active   USD Team monthly $15 × 12, trial to 2025-07-19              from 2025-07-05  → $180.00
  let h: Harness;
  let ds: Dataset;
  beforeAll(async () => {
    h = await startHarness({ emulator: { size: { customers: 8 } } });
    ds = h.emulator.dataset('test');
  });
  afterAll(async () => h?.close());

  it('is the business the figures below were worked out for', () => {
    const seen = ds.subscriptions.map((s) => [
      s.customer.toString().slice(0, 8),
      s.status,
      s.currency,
      s.items.data.map((i) => `${i.price.unit_amount}×${i.quantity ?? 'metered'}/${i.price.recurring!.interval}`).join('+'),
      s.discounts.length,
    ]);
    expect(seen).toEqual([
      ['cus_3IZZ', 'active', 'usd', '4900×4/month+2×metered/month', 0],
      ['cus_nU3v', 'past_due', 'usd', '4900×2/month+2×metered/month', 0],
      ['cus_3BxZ', 'active', 'usd', '1500×27/month', 1],
      ['cus_NHH6', 'canceled', 'usd', '1500×23/month', 0],
      ['cus_Du0G', 'active', 'eur', '1400×8/month', 1],
      ['cus_CvNa', 'active', 'jpy', '70000×1/year', 0],
      ['cus_9Yk8', 'active', 'usd', '1500×12/month', 0],
    ]);
  });

  it('gives MRR now per currency: quantity, yearly ÷ 12 and forever coupons applied, metered and canceled left out', async () => {
    const r = await h.call('get_mrr', {});
    expect(r.isError, r.text).toBe(false);
    expect(r.structured.current).toEqual([
      { currency: 'eur', mrr: '89.60', subscriptions: 1, customers: 1 },
      { currency: 'jpy', mrr: '5833', subscriptions: 1, customers: 1 },
      { currency: 'usd', mrr: '869.00', subscriptions: 4, customers: 4 }, // 196 + 98 + 395 + 180
    ]);
    expect(r.structured.excluded).toEqual({ metered_items: 2 });
    expect(r.structured.history).toBeUndefined();
    expect(r.structured.definition).toMatch(/forever/);
  });

  it('groups by product (with names) and by plan (product + interval)', async () => {
    const byProduct = await h.call('get_mrr', { group_by: 'product' });
    expect(byProduct.structured.current_groups).toEqual([
      { currency: 'eur', product: 'prod_3iZ0yNPDyW3klw', product_name: 'Team', mrr: '89.60', subscriptions: 1 },
      { currency: 'jpy', product: 'prod_YhCBY1mkm3S67l', product_name: 'Pro', mrr: '5833', subscriptions: 1 },
      { currency: 'usd', product: 'prod_3iZ0yNPDyW3klw', product_name: 'Team', mrr: '575.00', subscriptions: 2 }, // 395 + 180
      { currency: 'usd', product: 'prod_YhCBY1mkm3S67l', product_name: 'Pro', mrr: '294.00', subscriptions: 2 }, // 196 + 98
    ]);
    const byPlan = await h.call('get_mrr', { group_by: 'plan' });
    expect(byPlan.structured.current_groups.map((g: Record<string, unknown>) => [g.currency, g.product_name, g.interval, g.mrr])).toEqual([
      ['eur', 'Team', 'month', '89.60'],
      ['jpy', 'Pro', 'year', '5833'],
      ['usd', 'Team', 'month', '575.00'],
      ['usd', 'Pro', 'month', '294.00'],
    ]);
  });

  it('rebuilds month-ends from start, trial and end dates, and says what it cannot know', async () => {
    const r = await h.call('get_mrr', { month_ends: ['2025-07', '2025-09', '2025-10', '2025-12', '2026-07'] });
    expect(r.isError, r.text).toBe(false);
    const rows = r.structured.history.map((row: Record<string, unknown>) => [row.month, row.currency, row.mrr, row.subscriptions]);
    expect(rows).toEqual([
      ['2025-07', 'usd', '180.00', 1], // G only (its trial ended 19 July)
      ['2025-09', 'eur', '89.60', 1], // E started 15 Sept with its coupon
      ['2025-09', 'jpy', '5833', 1],
      ['2025-09', 'usd', '180.00', 1], // D still in its trial on 30 Sept
      ['2025-10', 'eur', '89.60', 1],
      ['2025-10', 'jpy', '5833', 1],
      ['2025-10', 'usd', '180.00', 1], // D paid from 1 Oct and ended 5 Oct
      ['2025-12', 'eur', '89.60', 1],
      ['2025-12', 'jpy', '5833', 1],
      ['2025-12', 'usd', '673.00', 3], // + B (past_due now, counted) and C with its $10 off
      ['2026-07', 'eur', '89.60', 1],
      ['2026-07', 'jpy', '5833', 1],
      ['2026-07', 'usd', '869.00', 4], // + A
    ]);
    expect(r.structured.history[0].month_end).toBe('2025-07-31T23:59:59Z');
    expect(r.structured.reconstruction.cannot_know.join(' ')).toMatch(/current items/);
    expect(r.structured.reconstruction.cannot_know.join(' ')).toMatch(/unpaid/);
    expect(r.structured.excluded).toMatchObject({ canceled_subscriptions: 1, metered_items: 2 });
  });

  it("reads one customer's subscriptions, and ends months in the given time zone", async () => {
    const one = await h.call('get_mrr', { customer: ds.subscriptions[2]!.customer as string });
    expect(one.structured.current).toEqual([{ currency: 'usd', mrr: '395.00', subscriptions: 1, customers: 1 }]);
    const tokyo = await h.call('get_mrr', { month_ends: ['2025-07'], timezone: 'Asia/Tokyo' });
    expect(tokyo.structured.history).toEqual([{ month: '2025-07', month_end: '2025-07-31T14:59:59Z', currency: 'usd', mrr: '180.00', subscriptions: 1, customers: 1 }]);
  });
});

describe('get_mrr on the demo business, against a separate computation', () => {
  let h: Harness;
  let ds: Dataset;
  beforeAll(async () => {
    h = await startHarness();
    ds = h.emulator.dataset('test');
  });
  afterAll(async () => h?.close());

  const totalsRows = (subs: RefSubscription[]) =>
    [...totalsByCurrency(subs).entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([currency, t]) => ({ currency, mrr: major(rounded(t.scaled), currency), subscriptions: t.subscriptions, customers: t.customers.size }));

  it('agrees on MRR now, per currency and per price', async () => {
    const r = await h.call('get_mrr', { group_by: 'price' });
    expect(r.isError, r.text).toBe(false);
    const reference = referenceCurrent(ds, utc(r.structured.as_of.replace('Z', '.000Z')));
    expect(r.structured.current).toEqual(totalsRows(reference));
    const byPrice = new Map<string, { currency: string; scaled: bigint; subscriptions: number }>();
    for (const s of reference) {
      if (s.scaled === 0n) continue;
      for (const item of s.items) {
        const g = byPrice.get(item.price) ?? { currency: s.currency, scaled: 0n, subscriptions: 0 };
        g.scaled += item.scaled;
        g.subscriptions++;
        byPrice.set(item.price, g);
      }
    }
    const got = new Map(r.structured.current_groups.map((g: Record<string, unknown>) => [g.price, g]));
    expect(got.size).toBe(byPrice.size);
    for (const [price, g] of byPrice) {
      expect(got.get(price), price).toMatchObject({ currency: g.currency, mrr: major(rounded(g.scaled), g.currency), subscriptions: g.subscriptions });
    }
    // The special customer with a forever 20 % coupon on 8 Team seats pays 80 % of 8 × the Team price.
    const special = ds.subscriptions.find((s) => s.customer === ds.special.foreverDiscountCustomer)!;
    const item = special.items.data[0]!;
    const mine = await h.call('get_mrr', { customer: ds.special.foreverDiscountCustomer });
    expect(mine.structured.current[0].mrr).toBe(major((item.price.unit_amount! * item.quantity! * 80) / 100, special.currency));
    // The demo's coupon cases (figures in Dataset.special): the customer's 15 % on a $99.00 plan (99 × 0.85 = 84.15);
    // 25 % on the Team line only (5 × 15 × 0.75 + 49 = 105.25); EUR 5.00 off a EUR 45.00 month (40.00).
    for (const [customer, mrr] of [[ds.special.customerDiscountCustomer, '84.15'], [ds.special.appliesToCustomer, '105.25'], [ds.special.amountOffEurCustomer, '40.00']] as const) {
      expect((await h.call('get_mrr', { customer })).structured.current[0].mrr, customer).toBe(mrr);
    }
    // Trials, metered items, canceled, unpaid and incomplete subscriptions are not MRR.
    const meteredItems = ds.subscriptions.filter((s) => ['active', 'past_due'].includes(s.status)).flatMap((s) => s.items.data).filter((i) => i.price.recurring?.usage_type === 'metered');
    expect(r.structured.excluded.metered_items).toBe(meteredItems.length);
  });

  it('agrees on the last three month-ends by plan', async () => {
    const { r, months, expectedMonths } = await inOneUtcMonth(async (now) => {
      const r = await h.call('get_mrr', { group_by: 'plan', history_months: 3 });
      const months = [...new Set(r.structured.history.map((row: { month: string }) => row.month))] as string[];
      const expectedMonths = [3, 2, 1].map((k) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - k, 1)).toISOString().slice(0, 7));
      return { r, months, expectedMonths };
    });
    expect(r.isError, r.text).toBe(false);
    expect(months).toHaveLength(3);
    expect(months).toEqual(expectedMonths);
    for (const month of months) {
      const reference = referenceAt(ds, monthEnd(month));
      expect(r.structured.history.filter((row: { month: string }) => row.month === month).map(({ month: _m, month_end: _e, ...rest }: Record<string, unknown>) => rest), month).toEqual(totalsRows(reference));
      const plans = new Map<string, bigint>();
      for (const s of reference) for (const item of s.items) plans.set(`${s.currency}|${item.product}|${item.interval}`, (plans.get(`${s.currency}|${item.product}|${item.interval}`) ?? 0n) + item.scaled);
      const rows = r.structured.history_groups.filter((row: { month: string }) => row.month === month);
      expect(rows.length).toBe(plans.size);
      for (const row of rows) expect(row.mrr).toBe(major(rounded(plans.get(`${row.currency}|${row.product}|${row.interval}`)!), row.currency));
    }
    expect(r.structured.history[0].month_end).toBe(iso(monthEnd(months[0]!)));
  });
});

describe('get_mrr input and permissions', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ emulator: { size: { customers: 8 } } });
  });
  afterAll(async () => h?.close());

  it('refuses months that are not over and unknown time zones, before calling Stripe', async () => {
    const before = h.emulator.requests.length;
    const future = await h.call('get_mrr', { month_ends: ['2099-01'] });
    expect(future.isError).toBe(true);
    expect(future.text).toMatch(/2099-01 has not ended yet/);
    const zone = await h.call('get_mrr', { history_months: 2, timezone: 'Moon/Base' });
    expect(zone.isError).toBe(true);
    expect(zone.text).toMatch(/IANA/);
    const month = await h.call('get_mrr', { month_ends: ['2026-13'] });
    expect(month.isError).toBe(true);
    expect(h.emulator.requests.length).toBe(before);
  });

  it('names the Subscriptions permission a restricted key lacks, and does without product names', async () => {
    const noSubs = await startRestrictedHarness(['rak_product_read']);
    try {
      expectDashboardAdvice(noSubs, await noSubs.call('get_mrr', {}), 'Subscriptions', 'rak_subscription_read');
    } finally {
      await noSubs.close();
    }
    const noProducts = await startRestrictedHarness(['rak_subscription_read']);
    try {
      const r = await noProducts.call('get_mrr', { group_by: 'product' });
      expect(r.isError, r.text).toBe(false);
      expect(r.structured.caveats.join(' ')).toMatch(/Products/);
      expect(r.structured.current_groups.length).toBeGreaterThan(0);
      expect(r.structured.current_groups[0].product_name).toBeUndefined();
    } finally {
      await noProducts.close();
    }
  });
});

describe('get_mrr with a restricted key that cannot read Coupons', () => {
  // The eight-customer business above: C ($10 off, forever) and E (20 % off, forever) carry coupons the key cannot read.
  let noCoupons: RestrictedHarness;
  let withCoupons: RestrictedHarness;
  beforeAll(async () => {
    noCoupons = await startRestrictedHarness(['rak_subscription_read'], 'rk_test_NoCouponsKey0001', { size: { customers: 8 } });
    withCoupons = await startRestrictedHarness(['rak_subscription_read', 'rak_coupon_read', 'rak_customer_read'], 'rk_test_CouponsKey000002', { size: { customers: 8 } });
  });
  afterAll(async () => {
    await noCoupons?.close();
    await withCoupons?.close();
  });

  it('still answers, at list price for the discounted subscriptions, and says which figures may be overstated and what to set', async () => {
    const r = await noCoupons.call('get_mrr', { group_by: 'product' });
    expect(r.isError, r.text).toBe(false);
    expect(r.structured.current).toEqual([
      { currency: 'eur', mrr: '112.00', subscriptions: 1, customers: 1 }, // E at list price: €14 × 8
      { currency: 'jpy', mrr: '5833', subscriptions: 1, customers: 1 },
      { currency: 'usd', mrr: '879.00', subscriptions: 4, customers: 4 }, // C at list price: $15 × 27 = $405
    ]);
    const caveat = r.structured.caveats.find((c: string) => /Coupons/.test(c));
    expect(caveat).toMatch(/^The key cannot read Coupons \(Stripe asked for 'rak_coupon_read'\), so no coupon is applied: 2 subscriptions have discounts/);
    expect(caveat).toMatch(/current MRR, its groups and the subscription and customer counts may be overstated/);
    expect(caveat).toMatch(/Set "Coupons" to Read on the restricted key/);
    // The caveat names the resource Stripe asked for, not the tool's main one.
    expect(caveat).not.toMatch(/Subscriptions/);
    // One caveat for the missing coupons, not a second one counting the same discounts as unreadable.
    expect(r.structured.caveats.filter((c: string) => /could not be applied/.test(c))).toEqual([]);
    expect(r.text).not.toContain(noCoupons.key);
  });

  it('with Coupons: Read the same call applies the coupons and has no such caveat', async () => {
    const r = await withCoupons.call('get_mrr', {});
    expect(r.isError, r.text).toBe(false);
    expect(r.structured.current.map((c: { currency: string; mrr: string }) => `${c.currency} ${c.mrr}`)).toEqual(['eur 89.60', 'jpy 5833', 'usd 869.00']);
    expect(r.structured.caveats.join(' ')).not.toMatch(/Coupons/);
  });
});

