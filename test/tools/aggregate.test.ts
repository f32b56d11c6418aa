/**
 * The aggregate tool (group_by / metrics / order_by / top over a list's filters), checked against sums worked out here from the emulator's
 * raw objects (integer minor units, bigint, Intl for time zones: none of the server's aggregation code).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Stripe from 'stripe';
import { startHarness, type Harness } from '../helpers/harness.js';
import { customerNamesIn, id, major } from '../helpers/expected.js';
import type { Dataset } from '../../src/emulator/index.js';

const utc = (date: string) => Date.parse(date.length === 10 ? `${date}T00:00:00Z` : date) / 1000;
const monthOf = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 7);

/** Local calendar date of a moment in a zone, by asking Intl for each object (no caching, no midnight search). */
function localDate(seconds: number, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
      .formatToParts(new Date(seconds * 1000))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}`;
}

interface Sums {
  count: number;
  sums: Record<string, bigint>;
}

/** Groups objects by a key function, summing the named integer fields exactly. */
function groupSum<T>(objects: T[], key: (o: T) => string, fields: Record<string, (o: T) => number>): Map<string, Sums> {
  const out = new Map<string, Sums>();
  for (const o of objects) {
    const k = key(o);
    let entry = out.get(k);
    if (!entry) out.set(k, (entry = { count: 0, sums: Object.fromEntries(Object.keys(fields).map((f) => [f, 0n])) }));
    entry.count++;
    for (const [name, get] of Object.entries(fields)) entry.sums[name]! += BigInt(get(o));
  }
  return out;
}

let h: Harness;
let ds: Dataset;
let txns: Stripe.BalanceTransaction[];
beforeAll(async () => {
  h = await startHarness();
  ds = h.emulator.dataset('test');
  txns = ds.balanceTransactions;
});
afterAll(async () => h?.close());

describe('aggregation in list_balance_transactions', () => {
  it('sums amount, fee and net per month and currency over the whole ledger, exactly', async () => {
    const r = await h.call('aggregate', { resource: 'balance_transactions', group_by: ['month'], metrics: ['count', 'sum:amount', 'sum:fee', 'sum:net'] });
    expect(r.isError, r.text).toBe(false);
    const expected = groupSum(txns, (t) => `${monthOf(t.created)}|${t.currency}`, { amount: (t) => t.amount, fee: (t) => t.fee, net: (t) => t.net });
    const rows = [...expected.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([key, s]) => {
        const [month, currency] = key.split('|') as [string, string];
        return { month, currency, count: s.count, 'sum:amount': major(s.sums.amount!, currency), 'sum:fee': major(s.sums.fee!, currency), 'sum:net': major(s.sums.net!, currency) };
      });
    expect(r.structured.aggregate.rows).toEqual(rows);
    expect(r.structured).toMatchObject({ object: 'balance_transaction', scanned: txns.length, matched: txns.length, filters: {} });
    // Only the table: no page of objects and no paging fields (an aggregation covers every match).
    for (const field of ['data', 'count', 'has_more', 'next_cursor']) expect(r.structured, field).not.toHaveProperty(field);
    // Totals per currency add the rows up; currencies stay apart.
    const totals = groupSum(txns, (t) => t.currency, { net: (t) => t.net });
    expect(r.structured.aggregate.totals.map((t: { currency: string; 'sum:net': string }) => [t.currency, t['sum:net']])).toEqual(
      [...totals.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([c, s]) => [c, major(s.sums.net!, c)]),
    );
  });

  it('groups by two keys in a time zone, with avg, min and max, on the filtered range only', async () => {
    const timeZone = 'America/Los_Angeles';
    const from = utc('2026-03-01');
    const to = utc('2026-05-01');
    const r = await h.call('aggregate', { resource: 'balance_transactions', filters: { created_after: '2026-03-01', created_before: '2026-05-01', type: 'charge' }, group_by: ['day', 'type'], timezone: timeZone, metrics: ['count', 'avg:amount', 'min:fee', 'max:net'] });
    expect(r.isError, r.text).toBe(false);
    const inRange = txns.filter((t) => t.type === 'charge' && t.created >= from && t.created < to);
    expect(r.structured.scanned).toBe(inRange.length);
    const byDay = new Map<string, Stripe.BalanceTransaction[]>();
    for (const t of inRange) {
      const key = `${localDate(t.created, timeZone)}|${t.currency}`;
      byDay.set(key, [...(byDay.get(key) ?? []), t]);
    }
    const rows = [...byDay.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([key, list]) => {
        const [day, currency] = key.split('|') as [string, string];
        const sum = list.reduce((s, t) => s + BigInt(t.amount), 0n);
        const n = BigInt(list.length);
        const avg = (sum * 2n + n) / (2n * n); // amounts here are positive: half up
        return {
          day,
          type: 'charge',
          currency,
          count: list.length,
          'avg:amount': major(avg, currency),
          'min:fee': major(Math.min(...list.map((t) => t.fee)), currency),
          'max:net': major(Math.max(...list.map((t) => t.net)), currency),
        };
      });
    expect(r.structured.aggregate.rows).toEqual(rows);
    expect(r.structured.aggregate).toMatchObject({ group_by: ['day', 'type'], timezone: timeZone, date_field: 'created' });
    expect(r.structured.filters).toEqual({ type: 'charge', created_after: '2026-03-01T00:00:00Z', created_before: '2026-05-01T00:00:00Z' });
  });

  it('buckets by week, quarter and year, and by another date field', async () => {
    const weeks = await h.call('aggregate', { resource: 'balance_transactions', filters: { created_after: '2026-06-01', created_before: '2026-07-01' }, group_by: ['week'], metrics: ['count'] });
    const monday = (s: number) => {
      const d = new Date(s * 1000);
      d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
      return d.toISOString().slice(0, 10);
    };
    const expectedWeeks = groupSum(
      txns.filter((t) => t.created >= utc('2026-06-01') && t.created < utc('2026-07-01')),
      (t) => monday(t.created),
      {},
    );
    expect(weeks.structured.aggregate.rows).toEqual([...expectedWeeks.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([week, s]) => ({ week, count: s.count })));
    expect(weeks.structured.aggregate.rows[0].week).toBe('2026-06-01'); // a Monday

    const quarters = await h.call('aggregate', { resource: 'balance_transactions', group_by: ['quarter'], metrics: ['count'] });
    const q = (s: number) => {
      const d = new Date(s * 1000);
      return `${d.getUTCFullYear()}-Q${Math.floor(d.getUTCMonth() / 3) + 1}`;
    };
    const expectedQuarters = groupSum(txns, (t) => q(t.created), {});
    expect(quarters.structured.aggregate.rows).toEqual([...expectedQuarters.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([quarter, s]) => ({ quarter, count: s.count })));

    const available = await h.call('aggregate', { resource: 'balance_transactions', group_by: ['year', 'status'], date_field: 'available_on', metrics: ['count'] });
    const expectedYears = groupSum(txns, (t) => `${new Date(t.available_on * 1000).getUTCFullYear()}|${t.status}`, {});
    expect(available.structured.aggregate.rows).toEqual(
      [...expectedYears.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, s]) => ({ year: key.split('|')[0], status: key.split('|')[1], count: s.count })),
    );
  });

  it('shows empty months of a known range as zero rows', async () => {
    // The demo business starts in May 2025: January–April have no transactions at all.
    const r = await h.call('aggregate', { resource: 'balance_transactions', filters: { created_after: '2025-01-01', created_before: '2025-07-01' }, group_by: ['month'], metrics: ['count', 'sum:net'] });
    const rows = r.structured.aggregate.rows as Array<{ month: string; currency: string; count: number; 'sum:net': string }>;
    const usd = rows.filter((row) => row.currency === 'usd');
    expect(usd.map((row) => row.month)).toEqual(['2025-01', '2025-02', '2025-03', '2025-04', '2025-05', '2025-06']);
    expect(usd.slice(0, 4).every((row) => row.count === 0 && row['sum:net'] === '0.00')).toBe(true);
    const june = txns.filter((t) => t.currency === 'usd' && monthOf(t.created) === '2025-06');
    expect(usd[5]).toEqual({ month: '2025-06', currency: 'usd', count: june.length, 'sum:net': major(june.reduce((s, t) => s + BigInt(t.net), 0n), 'usd') });
  });

  it('gives totals alone when metrics come without group_by', async () => {
    const r = await h.call('aggregate', { resource: 'balance_transactions', filters: { type: 'stripe_fee' }, metrics: ['count', 'sum:amount', 'sum:total_fees'] });
    const fees = txns.filter((t) => t.type === 'stripe_fee');
    expect(fees.length).toBeGreaterThan(5);
    const amount = fees.reduce((s, t) => s + BigInt(t.amount), 0n);
    const totals = [{ currency: 'usd', count: fees.length, 'sum:amount': major(amount, 'usd'), 'sum:total_fees': major(-amount, 'usd') }];
    expect(r.structured.aggregate.totals).toEqual(totals);
    expect(r.structured.aggregate.rows).toEqual(totals); // the table is the totals
  });
});

describe('rankings and filters read while paging', () => {
  it('ranks the top 5 customers by revenue net of refunds within each currency', async () => {
    const r = await h.call('aggregate', { resource: 'charges', group_by: ['customer'], metrics: ['sum:net_of_refunds', 'count'], order_by: 'sum:net_of_refunds', top: 5 });
    expect(r.isError, r.text).toBe(false);
    const sums = groupSum(ds.charges, (c) => `${c.currency}|${id(c.customer)}`, { net: (c) => c.amount_captured - c.amount_refunded });
    const expected = [...sums.entries()]
      .map(([key, s]) => ({ currency: key.split('|')[0]!, customer: key.split('|')[1]!, net: s.sums.net!, count: s.count }))
      .sort((a, b) => (a.currency !== b.currency ? (a.currency < b.currency ? -1 : 1) : a.net !== b.net ? (a.net > b.net ? -1 : 1) : a.customer < b.customer ? -1 : 1));
    const top: typeof expected = [];
    for (const row of expected) if (top.filter((t) => t.currency === row.currency).length < 5) top.push(row);
    // Each row names its customer (from the dataset's customers), right after the id.
    expect(r.structured.aggregate.rows).toEqual(top.map((t) => ({ customer: t.customer, ...customerNamesIn(ds, t.customer), currency: t.currency, 'sum:net_of_refunds': major(t.net, t.currency), count: t.count })));
    expect(r.structured.aggregate.rows.every((row: { customer_name?: string }) => row.customer_name)).toBe(true);
    expect(r.structured.aggregate).toMatchObject({ order_by: 'sum:net_of_refunds', order: 'desc', top: 5, rows_total: expected.length });
    expect(r.structured.aggregate.note).toMatch(/within each currency/);
    expect(new Set(r.structured.aggregate.rows.map((row: { currency: string }) => row.currency))).toEqual(new Set(['eur', 'jpy', 'kwd', 'usd']));
  });

  it('aggregates only what a filter read while paging keeps (failed charges by failure code)', async () => {
    const r = await h.call('aggregate', { resource: 'charges', filters: { status: 'failed' }, group_by: ['failure_code', 'decline_code'], metrics: ['count', 'sum:amount'], order_by: 'count' });
    const failed = ds.charges.filter((c) => c.status === 'failed');
    expect(failed.length).toBeGreaterThan(10);
    expect(r.structured.scanned).toBe(ds.charges.length);
    expect(r.structured.matched).toBe(failed.length);
    const counted = (r.structured.aggregate.rows as Array<{ count: number }>).reduce((s, row) => s + row.count, 0);
    expect(counted).toBe(failed.length);
    const counts = r.structured.aggregate.rows.map((row: { count: number }) => row.count);
    expect(counts).toEqual([...counts].sort((a: number, b: number) => b - a));
    const insufficient = failed.filter((c) => c.failure_code === 'card_declined' && c.outcome?.reason === 'insufficient_funds');
    const rows = r.structured.aggregate.rows.filter((row: { failure_code: string; decline_code: string }) => row.failure_code === 'card_declined' && row.decline_code === 'insufficient_funds');
    expect(rows.reduce((s: number, row: { count: number }) => s + row.count, 0)).toBe(insufficient.length);
  });

  it('counts subscriptions by status and payouts by month, where money is not asked for', async () => {
    const subs = await h.call('aggregate', { resource: 'subscriptions', filters: { status: 'all' }, group_by: ['status'] });
    // What Stripe lists for status=all: none on a test clock, none of a deleted customer (src/emulator/list-rules.ts).
    const listed = ds.subscriptions.filter((s) => !s.test_clock && s.customer !== ds.special.deletedCustomer);
    const byStatus = groupSum(listed, (s) => s.status, {});
    expect(subs.structured.aggregate.rows).toEqual([...byStatus.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([status, s]) => ({ status, count: s.count })));
    const payouts = await h.call('aggregate', { resource: 'payouts', filters: { status: 'paid', created_after: '2026-09-01', created_before: '2026-11-01' }, group_by: ['month'], metrics: ['sum:amount'] });
    const paid = ds.payouts.filter((p) => p.status === 'paid' && p.created >= utc('2026-09-01') && p.created < utc('2026-11-01'));
    const expected = groupSum(paid, (p) => `${monthOf(p.created)}|${p.currency}`, { amount: (p) => p.amount });
    expect(payouts.structured.aggregate.rows).toEqual(
      [...expected.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, s]) => ({ month: key.split('|')[0], currency: key.split('|')[1], 'sum:amount': major(s.sums.amount!, key.split('|')[1]!) })),
    );
  });

  it('sums a field Stripe gives as a list on each invoice (discount amounts)', async () => {
    const r = await h.call('aggregate', { resource: 'invoices', filters: { status: 'paid' }, metrics: ['count', 'sum:amount_paid', 'sum:discount'] });
    const paid = ds.invoices.filter((i) => i.status === 'paid');
    const byCurrency = groupSum(paid, (i) => i.currency, { paid: (i) => i.amount_paid, discount: (i) => (i.total_discount_amounts ?? []).reduce((s, d) => s + d.amount, 0) });
    expect(r.structured.aggregate.totals).toEqual(
      [...byCurrency.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([c, s]) => ({ currency: c, count: s.count, 'sum:amount_paid': major(s.sums.paid!, c), 'sum:discount': major(s.sums.discount!, c) })),
    );
  });
});

describe('aggregation arguments', () => {
  it('explains what does not fit, without calling Stripe', async () => {
    const before = h.emulator.requests.length;
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ filters: { cursor: 'ch_123' }, group_by: ['customer'] }, /"cursor" is not a filter of charges\. Its filters: customer, payment_intent, status, .*Paging and detail do not apply/],
      [{ filters: { max_results: 500 }, group_by: ['customer'] }, /"max_results" is not a filter of charges.*an aggregation always covers every match/],
      [{ filters: { status: 'failed', group_by: ['decline_code'] } }, /"group_by" is not a filter of charges.*group_by is an argument of aggregate itself: put it beside resource, not inside filters/],
      [{ metrics: ['count'], top: 3 }, /give group_by too/],
      [{ group_by: ['status'], metrics: ['count'], order_by: 'sum:amount' }, /order_by/],
      [{ group_by: ['day', 'month'] }, /at most one time bucket/],
      [{ group_by: ['month'], timezone: 'Europe/Pariss' }, /not an IANA time zone/],
      [{ group_by: ['amount'] }, /group_by\.0: must be a key of charges: customer, status, currency, .*, day, week, month, quarter, year/],
      [{ metrics: ['sum:customer'] }, /metrics\.0: must be count or sum:\/avg:\/min:\/max: of a money field of charges: amount, amount_captured, amount_refunded, net_of_refunds/],
      [{ group_by: ['status', 'customer', 'month'] }, /group_by/],
      [{ group_by: ['month'], date_field: 'updated' }, /date_field: must be a date of charges: created/],
    ];
    for (const [args, message] of cases) {
      const r = await h.call('aggregate', { resource: 'charges', ...args });
      expect(r.isError, JSON.stringify(args)).toBe(true);
      expect(r.text).toMatch(message);
    }
    expect(h.emulator.requests.length).toBe(before);
  });

  it('refuses an unknown resource, and a filter its list tool does not take, naming the resource and its filters', async () => {
    const unknown = await h.call('aggregate', { resource: 'widgets', group_by: ['month'] });
    expect(unknown.isError).toBe(true);
    expect(unknown.text).toMatch(/resource.*"charges"/);
    const wrong = await h.call('aggregate', { resource: 'payouts', filters: { customer: 'cus_1' }, group_by: ['status'] });
    expect(wrong.isError).toBe(true);
    expect(wrong.text).toMatch(/"customer" is not a filter of payouts\. Its filters: status, .*arrival_after/);
    // The list tool's own checks run too: a bad value is refused by list_charges' schema, under filters.
    const bad = await h.call('aggregate', { resource: 'charges', filters: { status: 'paid' }, group_by: ['customer'] });
    expect(bad.text).toMatch(/filters\.status: /);
  });

  it("takes the list tool's date words in filters, and gives totals when asked for nothing", async () => {
    const r = await h.call('aggregate', { resource: 'balance_transactions', filters: { type: 'stripe_fee', created_after: '36500d' } });
    expect(r.isError, r.text).toBe(false);
    expect(r.structured.filters).toMatchObject({ type: 'stripe_fee', created_after: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    const fees = txns.filter((t) => t.type === 'stripe_fee');
    expect(r.structured.aggregate.metrics).toEqual(['count', 'sum:amount', 'sum:fee', 'sum:net']);
    expect(r.structured.aggregate.totals.reduce((n: number, row: { count: number }) => n + row.count, 0)).toBe(fees.length);
  });
});

describe("date words in aggregate's filters", () => {
  it("resolve in the aggregate's timezone against the server's clock: this_month in Paris starts at 23:00 UTC the day before", async () => {
    const paris = await startHarness({ now: () => Date.parse('2026-03-10T12:00:00Z') });
    try {
      const r = await paris.call('aggregate', { resource: 'charges', filters: { created_after: 'this_month', created_before: 'today' }, timezone: 'Europe/Paris', group_by: ['day'] });
      expect(r.isError, r.text).toBe(false);
      // 2026-03-01T00:00 and 2026-03-11T00:00 in Paris (UTC+1 in winter); *_before takes the end of its period.
      expect(r.structured.filters).toMatchObject({ created_after: '2026-02-28T23:00:00Z', created_before: '2026-03-10T23:00:00Z' });
      const utc = await paris.call('aggregate', { resource: 'charges', filters: { created_after: 'this_month' }, group_by: ['day'] });
      expect(utc.structured.filters).toMatchObject({ created_after: '2026-03-01T00:00:00Z' });
    } finally {
      await paris.close();
    }
  });
});

describe('the list tools', () => {
  it('take no aggregation arguments: group_by there points to the aggregate tool, with the resource', async () => {
    const r = await h.call('list_charges', { status: 'failed', group_by: ['customer'] });
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/"group_by" is not an argument of list_charges\. For totals, counts and rankings use the aggregate tool with resource "charges"/);
    const metrics = await h.call('list_balance_transactions', { metrics: ['sum:fee'] });
    expect(metrics.text).toMatch(/use the aggregate tool with resource "balance_transactions"/);
  });
});
