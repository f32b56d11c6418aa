/** The pieces under aggregation and paging: time buckets in a zone, exact sums, fractions, slicing, the aggregator. */
import { describe, expect, it } from 'vitest';
import { Bucketer, checkTimeZone, monthStart } from '../../src/tools/engine/buckets.js';
import { divideRounded, ExactSum } from '../../src/tools/engine/exact-sum.js';
import { Aggregator } from '../../src/tools/engine/aggregate.js';
import { planSlices } from '../../src/tools/engine/scan.js';
import { OutputBudget } from '../../src/tools/engine/output.js';
import { pagingRate } from '../../src/tools/engine/pacer.js';
import { STRIPE_RATE_LIMITS } from '../../src/stripe/rate-limit.js';
import { Fraction } from '../../src/tools/metrics/fraction.js';
import { monthlyFactor } from '../../src/tools/metrics/subscription-mrr.js';
import { defineFacets } from '../../src/stripe/compact/facets.js';

const utc = (iso: string) => Date.parse(iso) / 1000;

describe('time buckets', () => {
  it('labels UTC days, ISO weeks (by their Monday), months, quarters and years', () => {
    const t = utc('2026-01-01T12:00:00Z'); // a Thursday
    expect(new Bucketer('day').label(t)).toBe('2026-01-01');
    expect(new Bucketer('week').label(t)).toBe('2025-12-29');
    expect(new Bucketer('month').label(t)).toBe('2026-01');
    expect(new Bucketer('quarter').label(utc('2026-08-31T23:59:59Z'))).toBe('2026-Q3');
    expect(new Bucketer('year').label(t)).toBe('2026');
    expect(new Bucketer('week').label(utc('2026-05-04T00:00:00Z'))).toBe('2026-05-04'); // a Monday starts its own week
    expect(new Bucketer('week').label(utc('2026-05-03T23:59:59Z'))).toBe('2026-04-27');
  });

  it('puts a moment in the local day, month and year of the time zone', () => {
    // 03:30 UTC on 1 May is still 30 April in New York, and already 1 May in Tokyo.
    const t = utc('2026-05-01T03:30:00Z');
    expect(new Bucketer('day', 'America/New_York').label(t)).toBe('2026-04-30');
    expect(new Bucketer('month', 'America/New_York').label(t)).toBe('2026-04');
    expect(new Bucketer('day', 'Asia/Tokyo').label(utc('2026-04-30T15:00:00Z'))).toBe('2026-05-01');
    expect(new Bucketer('year', 'Pacific/Auckland').label(utc('2025-12-31T11:00:00Z'))).toBe('2026');
    expect(new Bucketer('month', 'Asia/Kolkata').label(utc('2026-05-31T18:29:59Z'))).toBe('2026-05');
    expect(new Bucketer('month', 'Asia/Kolkata').label(utc('2026-05-31T18:30:00Z'))).toBe('2026-06');
  });

  it('starts buckets at local midnight across daylight-saving changes', () => {
    const paris = new Bucketer('day', 'Europe/Paris');
    // 29 March 2026: clocks go from 02:00 to 03:00, so the day is 23 hours long.
    const spring = paris.bucketOf(utc('2026-03-29T12:00:00Z'));
    expect(spring).toEqual({ label: '2026-03-29', start: utc('2026-03-28T23:00:00Z'), end: utc('2026-03-29T22:00:00Z') });
    const autumn = paris.bucketOf(utc('2026-10-25T12:00:00Z'));
    expect(autumn.end - autumn.start).toBe(25 * 3600);
    expect(new Bucketer('month', 'America/New_York').bucketOf(utc('2026-03-15T12:00:00Z'))).toEqual({
      label: '2026-03',
      start: utc('2026-03-01T05:00:00Z'),
      end: utc('2026-04-01T04:00:00Z'),
    });
    // Santiago skips midnight when summer time starts (6 September 2026, 00:00 → 01:00): the day starts at 01:00.
    const santiago = new Bucketer('day', 'America/Santiago').bucketOf(utc('2026-09-06T12:00:00Z'));
    expect(santiago.label).toBe('2026-09-06');
    expect(santiago.start).toBe(utc('2026-09-06T04:00:00Z'));
    expect(monthStart(2026, 13, 'UTC')).toBe(utc('2027-01-01T00:00:00Z'));
  });

  it('lists every bucket of a range, and refuses more than asked for', () => {
    const months = new Bucketer('month').bucketsBetween(utc('2026-01-15T00:00:00Z'), utc('2026-04-01T00:00:00Z'), 12)!;
    expect(months.map((b) => b.label)).toEqual(['2026-01', '2026-02', '2026-03']);
    expect(new Bucketer('day').bucketsBetween(utc('2026-01-01T00:00:00Z'), utc('2027-01-01T00:00:00Z'), 100)).toBeNull();
  });

  it('accepts IANA zones and explains a wrong one', () => {
    expect(checkTimeZone('Europe/Paris')).toBe('Europe/Paris');
    expect(checkTimeZone('UTC')).toBe('UTC');
    expect(() => checkTimeZone('Mars/Olympus')).toThrow(/not an IANA time zone.*Europe\/Paris/);
  });
});

describe('exact money', () => {
  it('sums integer minor units exactly past 2^53', () => {
    const sum = new ExactSum();
    for (let i = 0; i < 3000; i++) sum.add(9_999_999_999_999); // ~3 × 10^16 in total, beyond exact doubles
    sum.add(-1);
    expect(sum.value()).toBe(9_999_999_999_999n * 3000n - 1n);
    expect(() => sum.add(0.5)).toThrow(/not an integer/);
  });

  it('rounds averages half away from zero', () => {
    expect(divideRounded(5n, 2n)).toBe(3n);
    expect(divideRounded(-5n, 2n)).toBe(-3n);
    expect(divideRounded(7n, 3n)).toBe(2n);
  });

  it('keeps MRR fractions exact and rounds once', () => {
    const yearly = Fraction.of(70000).mul(monthlyFactor('year', 1)!);
    expect(yearly.round()).toBe(5833n);
    expect(yearly.mul(Fraction.of(12)).round()).toBe(70000n);
    expect(Fraction.of(1000).mul(monthlyFactor('week', 1)!).round()).toBe(4333n); // 1000 × 52 / 12
    expect(Fraction.of(1000).mul(monthlyFactor('day', 1)!).round()).toBe(30417n); // 1000 × 365 / 12
    expect(Fraction.of(3000).mul(monthlyFactor('month', 3)!).round()).toBe(1000n); // quarterly
    expect(Fraction.decimal('12.5').mul(Fraction.of(8)).round()).toBe(100n);
    expect(Fraction.decimal('-0.005').mul(Fraction.of(100)).round()).toBe(-1n);
  });
});

describe('date slices', () => {
  const page = (newest: number, oldest: number) =>
    Array.from({ length: 100 }, (_, i) => ({ id: `txn_${i}`, created: Math.round(newest - ((newest - oldest) * i) / 99) }));

  it('cuts the rest of a known range by the density of the first page, continuing the first slice after its cursor', () => {
    const slices = planSlices(page(10_000, 9_001), { gte: 0, lt: 10_001 }, 4);
    // 1000 s per page over 9001 s left ≈ 9 pages ≈ 5 slices of about 2 pages.
    expect(slices.length).toBe(5);
    expect(slices[0]).toMatchObject({ lt: 9_002, after: 'txn_99' });
    expect(slices[slices.length - 1]!.gte).toBe(0);
    for (let i = 1; i < slices.length; i++) expect(slices[i]!.lt).toBe(slices[i - 1]!.gte);
  });

  it('caps the slices at four per parallel reader, and reads in order when the start is unknown', () => {
    expect(planSlices(page(1_000_000, 999_901), { gte: 0 }, 4).length).toBe(16);
    expect(planSlices(page(1_000_000, 999_901), { gte: 0 }, 8).length).toBe(32);
    expect(planSlices(page(10_000, 9_001), undefined, 4)).toEqual([{ after: 'txn_99' }]);
  });
});

describe('the aggregator', () => {
  interface Thing {
    kind: string;
    currency: string | null;
    amount: number | null;
    created: number;
  }
  const facets = defineFacets<Thing>({
    currency: (t) => t.currency,
    groups: { kind: (t) => t.kind },
    money: { amount: (t) => t.amount },
    dates: { created: (t) => t.created },
    defaultSums: ['amount'],
  });
  const things: Thing[] = [
    { kind: 'a', currency: 'usd', amount: 1001, created: utc('2026-01-05T00:00:00Z') },
    { kind: 'a', currency: 'usd', amount: 2, created: utc('2026-01-06T00:00:00Z') },
    { kind: 'b', currency: 'usd', amount: -500, created: utc('2026-03-01T00:00:00Z') },
    { kind: 'a', currency: 'jpy', amount: 700, created: utc('2026-01-07T00:00:00Z') },
    { kind: 'b', currency: 'kwd', amount: 1234, created: utc('2026-03-02T00:00:00Z') },
    { kind: 'b', currency: 'usd', amount: null, created: utc('2026-03-03T00:00:00Z') },
  ];
  const run = (args: ConstructorParameters<typeof Aggregator<Thing>>[1], range?: { gte: number; lt: number; field: string }) => {
    const agg = new Aggregator(facets, args);
    for (const t of things) agg.add(t);
    return agg.result(range);
  };

  it('groups, keeps currencies apart, sums exactly and skips missing amounts', () => {
    const r = run({ group_by: ['kind'], metrics: ['count', 'sum:amount', 'avg:amount', 'min:amount', 'max:amount'] });
    expect(r.rows).toEqual([
      { kind: 'a', currency: 'jpy', count: 1, 'sum:amount': '700', 'avg:amount': '700', 'min:amount': '700', 'max:amount': '700' },
      { kind: 'a', currency: 'usd', count: 2, 'sum:amount': '10.03', 'avg:amount': '5.02', 'min:amount': '0.02', 'max:amount': '10.01' },
      { kind: 'b', currency: 'kwd', count: 1, 'sum:amount': '1.234', 'avg:amount': '1.234', 'min:amount': '1.234', 'max:amount': '1.234' },
      { kind: 'b', currency: 'usd', count: 2, 'sum:amount': '-5.00', 'avg:amount': '-5.00', 'min:amount': '-5.00', 'max:amount': '-5.00' },
    ]);
    expect(r.totals.map((t) => [t.currency, t.count, t['sum:amount']])).toEqual([
      ['jpy', 1, '700'],
      ['kwd', 1, '1.234'],
      ['usd', 4, '5.03'],
    ]);
  });

  it('counts without splitting by currency when no money is asked for', () => {
    expect(run({ group_by: ['kind'], metrics: ['count'] }).rows).toEqual([
      { kind: 'a', count: 3 },
      { kind: 'b', count: 3 },
    ]);
    expect(run({ metrics: ['count'] }).totals).toEqual([{ count: 6 }]);
    // Without group_by the table is the totals, one row per currency.
    expect(run({ metrics: ['sum:amount'] }).rows).toEqual([
      { currency: 'jpy', 'sum:amount': '700' },
      { currency: 'kwd', 'sum:amount': '1.234' },
      { currency: 'usd', 'sum:amount': '5.03' },
    ]);
  });

  it('fills the empty months of a known range, per currency', () => {
    const r = run({ group_by: ['month'], metrics: ['count', 'sum:amount'] }, { gte: utc('2026-01-01T00:00:00Z'), lt: utc('2026-04-01T00:00:00Z'), field: 'created' });
    expect(r.rows.filter((row) => row.currency === 'usd')).toEqual([
      { month: '2026-01', currency: 'usd', count: 2, 'sum:amount': '10.03' },
      { month: '2026-02', currency: 'usd', count: 0, 'sum:amount': '0.00' },
      { month: '2026-03', currency: 'usd', count: 2, 'sum:amount': '-5.00' },
    ]);
    expect(r.rows).toHaveLength(9);
  });

  it('ranks money within each currency and keeps the top rows of each', () => {
    const r = run({ group_by: ['kind'], metrics: ['sum:amount'], order_by: 'sum:amount', top: 1 });
    expect(r.rows).toEqual([
      { kind: 'a', currency: 'jpy', 'sum:amount': '700' },
      { kind: 'b', currency: 'kwd', 'sum:amount': '1.234' },
      { kind: 'a', currency: 'usd', 'sum:amount': '10.03' },
    ]);
    expect(r.rows_total).toBe(4);
    const byCount = run({ group_by: ['kind'], metrics: ['count'], order_by: 'count', order: 'asc', top: 1 });
    expect(byCount.rows).toEqual([{ kind: 'a', count: 3 }]);
  });

  it('explains arguments that do not fit together', () => {
    expect(() => run({ metrics: ['count'], top: 3 })).toThrow(/give group_by too/);
    expect(() => run({ group_by: ['kind'], metrics: ['count'], order_by: 'sum:amount' })).toThrow(/order_by/);
    expect(() => run({ group_by: ['month', 'year'] })).toThrow(/at most one time bucket/);
    expect(() => run({ group_by: ['kind', 'kind'] })).toThrow(/once/);
    expect(() => run({ group_by: ['day'], timezone: 'Nowhere/Land' })).toThrow(/IANA/);
  });
});

describe('the paging pacer', () => {
  it("keeps one endpoint within its own limit and all paging within 80 % of the mode's: live 25, test 20, search 20 a second", () => {
    const usual = STRIPE_RATE_LIMITS;
    expect([pagingRate(usual, 'live', 'api'), pagingRate(usual, 'test', 'api'), pagingRate(usual, 'test', 'search')]).toEqual([25, 20, 20]);
    const set = { live: 300, test: 2, endpoint: 50, search: 20 };
    expect([pagingRate(set, 'live', 'api'), pagingRate(set, 'test', 'api'), pagingRate(set, 'live', 'search')]).toEqual([50, 1, 20]);
  });
});

describe('the output budget', () => {
  it('keeps items while they fit, then none, and estimates the whole size', () => {
    const budget = new OutputBudget<string>(100);
    for (let i = 0; i < 9; i++) budget.add('x'.repeat(8)); // 11 characters each as JSON, with a separator: 99
    expect(budget.over).toBe(false);
    expect(budget.items).toHaveLength(9);
    budget.add('y'.repeat(8)); // 110 > 100: nothing of the list is kept
    expect(budget.over).toBe(true);
    expect(budget.fits).toBe(9);
    expect(budget.items).toEqual([]);
    for (let i = 0; i < 90; i++) budget.add('z'.repeat(8));
    expect(budget.estimatedChars()).toBe(1100);
  });
});
