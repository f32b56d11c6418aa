/**
 * The six questions of issue 5, each answered on the demo business in at most two tool calls, with the figures
 * checked against the emulator's raw data worked out here (and in helpers/subscription-reference.ts), never
 * against the server's own code. The README shows the same calls.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Stripe from 'stripe';
import { startHarness, TEST_ANCHOR, type Harness, type ToolResult } from '../helpers/harness.js';
import { customerNamesIn, id, ids, major } from '../helpers/expected.js';
import { referenceAt, referenceChurn, rounded, totalsByCurrency } from '../helpers/subscription-reference.js';
import type { Dataset } from '../../src/emulator/index.js';

const utc = (date: string) => Date.parse(date) / 1000;
const byKey = <T>(entries: Iterable<[string, T]>) => [...entries].sort(([a], [b]) => (a < b ? -1 : 1));

let h: Harness;
let ds: Dataset;
let calls = 0;
/** Every question goes through this, so the test can count the calls it took. */
async function ask(tool: string, args: Record<string, unknown>): Promise<ToolResult> {
  calls++;
  const r = await h.call(tool, args);
  expect(r.isError, `${tool}: ${r.text}`).toBe(false);
  return r;
}

beforeAll(async () => {
  h = await startHarness({ now: () => TEST_ANCHOR.getTime() }); // the server's clock at the data's "now", for 7d
  ds = h.emulator.dataset('test');
});
afterAll(async () => h?.close());

describe('the six questions, in at most two calls each', () => {
  it('"What\'s our MRR for the last 3 months, by plan?"', async () => {
    calls = 0;
    const r = await ask('get_mrr', { group_by: 'plan', history_months: 3 });
    expect(calls).toBeLessThanOrEqual(2);
    const months = [...new Set(r.structured.history.map((row: { month: string }) => row.month))] as string[];
    expect(months).toHaveLength(3);
    for (const month of months) {
      const [y, m] = month.split('-').map(Number) as [number, number];
      const reference = referenceAt(ds, Date.UTC(y, m, 1) / 1000 - 1);
      const expected = byKey(totalsByCurrency(reference)).map(([currency, t]) => [month, currency, major(rounded(t.scaled), currency)]);
      expect(r.structured.history.filter((row: { month: string }) => row.month === month).map((row: Record<string, string>) => [row.month, row.currency, row.mrr])).toEqual(expected);
      // Each plan row is named: product name and billing interval.
      for (const row of r.structured.history_groups.filter((g: { month: string }) => g.month === month)) {
        // The catalog's products (the demo data adds `gold-plan`, "Gold", beside Starter, Pro, Team and Basic).
        expect(ds.products.map((p) => p.name)).toContain(row.product_name);
        expect(['month', 'year']).toContain(row.interval);
      }
    }
  });

  it('"Top 10 customers by total revenue" (net of refunds, per currency)', async () => {
    calls = 0;
    const r = await ask('aggregate', { resource: 'charges', group_by: ['customer'], metrics: ['sum:net_of_refunds'], order_by: 'sum:net_of_refunds', top: 10 });
    expect(calls).toBeLessThanOrEqual(2);
    // Independently: what each customer paid (captured charges) minus the refunds listed for their charges.
    const refunded = new Map<string, number>();
    for (const refund of ds.refunds) if (refund.status === 'succeeded') refunded.set(id(refund.charge)!, (refunded.get(id(refund.charge)!) ?? 0) + refund.amount);
    const revenue = new Map<string, bigint>();
    for (const c of ds.charges) {
      const key = `${c.currency}|${id(c.customer)}`;
      revenue.set(key, (revenue.get(key) ?? 0n) + BigInt(c.amount_captured - (refunded.get(c.id) ?? 0)));
    }
    for (const currency of ['eur', 'jpy', 'kwd', 'usd']) {
      const ranked = [...revenue.entries()]
        .filter(([key]) => key.startsWith(`${currency}|`))
        .sort(([ka, a], [kb, b]) => (a !== b ? (a > b ? -1 : 1) : ka < kb ? -1 : 1))
        .slice(0, 10)
        .map(([key, amount]) => ({ customer: key.split('|')[1], ...customerNamesIn(ds, key.split('|')[1]!), currency, 'sum:net_of_refunds': major(amount, currency) }));
      expect(r.structured.aggregate.rows.filter((row: { currency: string }) => row.currency === currency), currency).toEqual(ranked);
    }
  });

  it('"How many customers churned in May?" (May 2026, the last May in the data)', async () => {
    calls = 0;
    const r = await ask('get_churn', { month: '2026-05' });
    expect(calls).toBeLessThanOrEqual(2);
    const ref = referenceChurn(ds, utc('2026-05-01T00:00:00Z'), utc('2026-06-01T00:00:00Z'));
    expect(ref.customers.churned).toBeGreaterThan(0);
    expect(r.structured.customers.churned).toBe(ref.customers.churned);
    expect(r.structured.customers.churn_rate_percent).toBe(`${((ref.customers.churned * 100) / (ref.customers.active + ref.customers.fresh)).toFixed(2)}%`);
    expect(r.structured.lost_mrr).toEqual(byKey(ref.lost).map(([currency, scaled]) => ({ currency, mrr: major(rounded(scaled), currency) })));
  });

  it('"What were our Stripe fees in Q1, broken down by month?"', async () => {
    calls = 0;
    const r = await ask('aggregate', { resource: 'balance_transactions', filters: { created_after: '2026-01-01', created_before: '2026-04-01' }, group_by: ['month'], metrics: ['sum:total_fees', 'sum:fee'] });
    expect(calls).toBeLessThanOrEqual(2);
    // Fees: the fee taken on each transaction, plus Stripe-billed fees (reporting category "fee", negative amounts).
    const fees = new Map<string, { all: bigint; processing: bigint }>();
    for (const t of ds.balanceTransactions) {
      if (t.created < utc('2026-01-01T00:00:00Z') || t.created >= utc('2026-04-01T00:00:00Z')) continue;
      const key = `${new Date(t.created * 1000).toISOString().slice(0, 7)}|${t.currency}`;
      const entry = fees.get(key) ?? { all: 0n, processing: 0n };
      entry.processing += BigInt(t.fee);
      entry.all += BigInt(t.fee) + (t.reporting_category === 'fee' ? BigInt(-t.amount) : 0n);
      fees.set(key, entry);
    }
    expect(r.structured.aggregate.rows).toEqual(
      byKey(fees).map(([key, f]) => {
        const [month, currency] = key.split('|') as [string, string];
        return { month, currency, 'sum:total_fees': major(f.all, currency), 'sum:fee': major(f.processing, currency) };
      }),
    );
    expect(r.structured.aggregate.rows.map((row: { month: string }) => row.month)).toEqual(['2026-01', '2026-01', '2026-02', '2026-02', '2026-03', '2026-03']);
    expect(r.structured.filters).toEqual({ created_after: '2026-01-01T00:00:00Z', created_before: '2026-04-01T00:00:00Z' });
  });

  it('"List failed payment intents in the last 7 days with their failure reason"', async () => {
    calls = 0;
    const since = '2026-10-25'; // seven days before the demo data's "now" (2026-11-01): what "7d" means here
    const list = await ask('list_payment_intents', { status: 'failed', created_after: '7d', max_results: 100 });
    expect(list.structured.filters.created_after).toBe(`${since}T00:00:00Z`);
    const reasons = await ask('aggregate', { resource: 'payment_intents', filters: { status: 'failed', created_after: '7d' }, group_by: ['failure_code', 'decline_code'], metrics: ['count'] });
    expect(calls).toBeLessThanOrEqual(2);
    const failed = ds.paymentIntents.filter((p: Stripe.PaymentIntent) => p.created >= utc(`${since}T00:00:00Z`) && p.last_payment_error && p.status !== 'succeeded');
    expect(failed.length).toBeGreaterThan(0);
    expect(ids(list.structured.data)).toEqual(ids(failed));
    expect(list.structured.has_more).toBe(false);
    for (const [i, intent] of list.structured.data.entries()) {
      const error = failed[i]!.last_payment_error!;
      expect(intent.last_payment_error).toMatchObject({ code: error.code, decline_code: error.decline_code ?? null, message: error.message });
    }
    const counts = new Map<string, number>();
    for (const p of failed) {
      const key = `${p.last_payment_error!.code}|${p.last_payment_error!.decline_code ?? null}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(
      reasons.structured.aggregate.rows.map((row: Record<string, unknown>) => [`${row.failure_code}|${row.decline_code}`, row.count]).sort(),
    ).toEqual([...counts.entries()].sort());
  });

  it('"What\'s our current available balance in USD and EUR?"', async () => {
    calls = 0;
    const r = await ask('get_balance', {});
    expect(calls).toBeLessThanOrEqual(2);
    // The emulator's ledger: available = Σ net of the transactions already available at its "now".
    const now = ds.now;
    for (const currency of ['usd', 'eur']) {
      const available = ds.balanceTransactions.filter((t) => t.currency === currency && t.available_on <= now).reduce((s, t) => s + BigInt(t.net), 0n);
      const pending = ds.balanceTransactions.filter((t) => t.currency === currency && t.available_on > now).reduce((s, t) => s + BigInt(t.net), 0n);
      expect(r.structured.available.find((a: { currency: string }) => a.currency === currency)?.amount).toBe(major(available, currency));
      expect(r.structured.pending.find((a: { currency: string }) => a.currency === currency)?.amount).toBe(major(pending, currency));
    }
  });
});
