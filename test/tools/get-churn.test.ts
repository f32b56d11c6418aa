/**
 * get_churn: subscriptions and customers that stopped paying in a window, the MRR they took, and Stripe's churn
 * rate. Checked by hand on eight customers and against a separate computation over the demo dataset.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, startRestrictedHarness, type Harness } from '../helpers/harness.js';
import { major } from '../helpers/expected.js';
import { listedSubscriptions, referenceChurn, rounded } from '../helpers/subscription-reference.js';
import type { Dataset } from '../../src/emulator/index.js';

const utc = (date: string) => Date.parse(date) / 1000;
const rate = (churned: number, base: number) => (base === 0 ? null : `${((churned * 100) / base).toFixed(2)}%`);

describe('get_churn on the eight-customer business (see get-mrr.test.ts for its subscriptions)', () => {
  let h: Harness;
  let ds: Dataset;
  beforeAll(async () => {
    h = await startHarness({ emulator: { size: { customers: 8 } } });
    ds = h.emulator.dataset('test');
  });
  afterAll(async () => h?.close());

  it('October 2025: D paid from the end of its trial (1 Oct) and was canceled on 5 Oct', async () => {
    const r = await h.call('get_churn', { month: '2025-10' });
    expect(r.isError, r.text).toBe(false);
    // Paying on 1 Oct 00:00: E (EUR), F (JPY), G (USD). New in October: D. Churned: D. Rate 1 ÷ (3 + 1).
    const counts = { active_at_start: 3, new_in_window: 1, churned: 1, churn_rate: 0.25, churn_rate_percent: '25.00%' };
    expect(r.structured.subscriptions).toEqual(counts);
    expect(r.structured.customers).toEqual(counts);
    expect(r.structured.lost_mrr).toEqual([{ currency: 'usd', mrr: '345.00' }]); // 23 seats × $15
    const d = ds.subscriptions.find((s) => s.status === 'canceled')!;
    expect(r.structured.churned_subscriptions).toEqual([
      {
        subscription: d.id,
        customer: d.customer,
        customer_name: 'Nora Dubois',
        churned_at: '2025-10-05T03:16:31Z',
        how: 'canceled',
        reason: 'cancellation_requested',
        feedback: 'too_expensive',
        currency: 'usd',
        mrr: '345.00',
        products: ['prod_3iZ0yNPDyW3klw'],
        product_names: ['Team'],
      },
    ]);
    expect(r.structured.window).toEqual({ start: '2025-10-01T00:00:00Z', end: '2025-11-01T00:00:00Z', days: 31, label: '2025-10 (UTC)' });
    expect(r.structured.note).toMatch(/30-day windows; this window is 31 days/);
  });

  it('a window with no churn has a rate of 0, and one before any subscriber has none', async () => {
    const december = await h.call('get_churn', { start: '2025-12-01', end: '2025-12-31' });
    // Paying on 1 Dec: E, F, G. New: C (3 Dec) and B (6 Dec). Nobody left.
    expect(december.structured.subscriptions).toEqual({ active_at_start: 3, new_in_window: 2, churned: 0, churn_rate: 0, churn_rate_percent: '0.00%' });
    expect(december.structured.lost_mrr).toEqual([]);
    expect(december.structured.note).toBeUndefined(); // exactly 30 days
    const early = await h.call('get_churn', { month: '2025-01' });
    expect(early.structured.customers).toEqual({ active_at_start: 0, new_in_window: 0, churned: 0, churn_rate: null, churn_rate_percent: null });
  });
});

describe('get_churn with a restricted key that cannot read Coupons', () => {
  it('answers with the same counts, and says lost MRR and the churn counts may be overstated and what to set', async () => {
    const noCoupons = await startRestrictedHarness(['rak_subscription_read'], 'rk_test_NoCouponsChurn01', { size: { customers: 8 } });
    const full = await startHarness({ emulator: { size: { customers: 8 } } });
    try {
      const r = await noCoupons.call('get_churn', { month: '2025-10' });
      expect(r.isError, r.text).toBe(false);
      const reference = await full.call('get_churn', { month: '2025-10' });
      expect(reference.structured.caveats).toBeUndefined();
      // D, the one churned subscription, had no coupon: the figures agree; the caveat says what could differ.
      expect(r.structured.subscriptions).toEqual(reference.structured.subscriptions);
      expect(r.structured.lost_mrr).toEqual([{ currency: 'usd', mrr: '345.00' }]);
      // This key cannot read Customers or Products either: their names are missing, and the answer says so.
      expect(r.structured.caveats).toHaveLength(3);
      expect(r.structured.caveats.slice(1)).toEqual([
        `Customer names are missing: the key cannot read Customers (Stripe asked for 'rak_customer_read'; set "Customers" to Read to see them); rows show customer ids.`,
        `Product names are missing: the key cannot read Products (Stripe asked for 'rak_product_read'; set "Products" to Read to see them); rows show product ids.`,
      ]);
      expect(r.structured.churned_subscriptions[0].customer_name).toBeUndefined();
      expect(r.structured.churned_subscriptions[0].product_names).toBeUndefined();
      expect(r.structured.caveats[0]).toMatch(/^The key cannot read Coupons \(Stripe asked for 'rak_coupon_read'\), so no coupon is applied: 2 subscriptions have discounts/);
      expect(r.structured.caveats[0]).toMatch(/lost MRR and the churn counts and rates may be overstated/);
      expect(r.structured.caveats[0]).toMatch(/Set "Coupons" to Read/);
    } finally {
      await noCoupons.close();
      await full.close();
    }
  });
});

describe('get_churn on the demo business, against a separate computation', () => {
  let h: Harness;
  let ds: Dataset;
  beforeAll(async () => {
    h = await startHarness();
    ds = h.emulator.dataset('test');
  });
  afterAll(async () => h?.close());

  const check = (result: Record<string, any>, start: number, end: number) => { // eslint-disable-line @typescript-eslint/no-explicit-any
    const ref = referenceChurn(ds, start, end);
    for (const kind of ['subscriptions', 'customers'] as const) {
      const c = ref[kind];
      expect(result[kind], kind).toMatchObject({ active_at_start: c.active, new_in_window: c.fresh, churned: c.churned, churn_rate_percent: rate(c.churned, c.active + c.fresh) });
    }
    expect(result.lost_mrr).toEqual([...ref.lost.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([currency, scaled]) => ({ currency, mrr: major(rounded(scaled), currency) })));
    expect(result.churned_subscriptions.map((c: { subscription: string }) => c.subscription).sort()).toEqual([...ref.churned].sort());
    return ref;
  };

  it('agrees on May of the last year of data (2026)', async () => {
    const r = await h.call('get_churn', { month: '2026-05' });
    expect(r.isError, r.text).toBe(false);
    const ref = check(r.structured, utc('2026-05-01T00:00:00Z'), utc('2026-06-01T00:00:00Z'));
    expect(ref.subscriptions.churned).toBeGreaterThan(0);
    expect(r.structured.scanned).toBe(listedSubscriptions(ds).length); // all but the test-clock one (test mode)
  });

  it('agrees over every month of the data, and on the default 30-day window', async () => {
    let churnedSomewhere = 0;
    for (let m = 0; m < 18; m++) {
      const start = new Date(Date.UTC(2025, 4 + m, 1));
      const month = start.toISOString().slice(0, 7);
      const r = await h.call('get_churn', { month });
      const ref = check(r.structured, start.getTime() / 1000, Date.UTC(2025, 5 + m, 1) / 1000);
      churnedSomewhere += ref.subscriptions.churned;
    }
    expect(churnedSomewhere).toBeGreaterThan(20); // unpaid ones included
    const recent = await h.call('get_churn', {});
    expect(recent.structured.window.days).toBe(30);
    check(recent.structured, utc(recent.structured.window.start), utc(recent.structured.window.end));
    const unpaid = ds.subscriptions.filter((s) => s.status === 'unpaid');
    expect(unpaid.length).toBeGreaterThan(0);
    const octoberToNow = await h.call('get_churn', { start: '2026-10-01', end: '2026-11-01' });
    const how = octoberToNow.structured.churned_subscriptions.map((c: { how: string }) => c.how);
    expect(how).toContain('turned unpaid');
    expect(octoberToNow.structured.cannot_know.join(' ')).toMatch(/unpaid/);
  }, 60_000);

  it('explains a window it cannot use', async () => {
    const both = await h.call('get_churn', { month: '2026-05', start: '2026-05-01' });
    expect(both.isError).toBe(true);
    expect(both.text).toMatch(/either month or start\/end/);
    const reversed = await h.call('get_churn', { start: '2026-06-01', end: '2026-05-01' });
    expect(reversed.isError).toBe(true);
    expect(reversed.text).toMatch(/must be earlier/);
    const bad = await h.call('get_churn', { month: 'May' });
    expect(bad.isError).toBe(true);
  });
});
