/** list_prices: "what does Pro cost in yen?" and friends. */
import { beforeAll, describe, expect, it } from 'vitest';
import type Stripe from 'stripe';
import { collectAll, sentTo, useHarness } from '../helpers/harness.js';
import { ids, iso, major, asSent } from '../helpers/expected.js';
import { minorDecimalToMajor, priceUnitAmount } from '../../src/stripe/compact/price.js';

const h = useHarness();
let prices: Stripe.Price[];
beforeAll(() => {
  prices = h.emulator.dataset('test').prices;
});

describe('list_prices', () => {
  it('lists prices newest first with amounts as exact decimal strings', async () => {
    const all = await collectAll(h, 'list_prices');
    expect(ids(all)).toEqual(ids(prices));
    for (const [i, p] of all.entries()) {
      const raw = prices[i]!;
      expect(p).toEqual(asSent({
        id: raw.id,
        product: raw.product,
        active: raw.active,
        currency: raw.currency,
        unit_amount: raw.unit_amount === null ? null : major(raw.unit_amount, raw.currency),
        type: raw.type,
        interval: raw.recurring?.interval ?? null,
        interval_count: raw.recurring?.interval_count ?? null,
        usage_type: raw.recurring?.usage_type ?? null,
        billing_scheme: raw.billing_scheme,
        nickname: raw.nickname,
        lookup_key: raw.lookup_key,
        tax_behavior: raw.tax_behavior,
        created: iso(raw.created),
        metadata: raw.metadata,
      }));
    }
  });

  it('gets zero-decimal and two-decimal currencies right', async () => {
    const all = await collectAll(h, 'list_prices');
    const yen = all.filter((p) => p.currency === 'jpy');
    expect(yen.length).toBeGreaterThan(0);
    for (const p of yen) expect(p.unit_amount).toMatch(/^\d+$/);
    expect(yen.map((p) => p.unit_amount)).toContain('3000'); // Starter monthly: ¥3000, not ¥30.00
    const usd = all.filter((p) => p.currency === 'usd');
    for (const p of usd) expect(p.unit_amount).toMatch(/^\d+\.\d{2}$/);
    expect(usd.map((p) => p.unit_amount)).toContain('19.00');
    expect(usd.map((p) => p.unit_amount)).toContain('0.02'); // the metered per-call price
  });

  it('filters by product, type, currency, active and interval, each on Stripe\'s side', async () => {
    const product = prices.find((p) => p.type === 'one_time')!.product as string;
    const cases: Array<[Record<string, unknown>, (p: Stripe.Price) => boolean, Record<string, unknown>]> = [
      [{ product }, (p) => p.product === product, { product }],
      [{ type: 'one_time' }, (p) => p.type === 'one_time', { type: 'one_time' }],
      [{ type: 'recurring' }, (p) => p.type === 'recurring', { type: 'recurring' }],
      [{ currency: 'JPY' }, (p) => p.currency === 'jpy', { currency: 'jpy' }],
      [{ active: false }, (p) => !p.active, { active: 'false' }],
      [{ recurring_interval: 'year' }, (p) => p.recurring?.interval === 'year', { recurring: { interval: 'year' } }],
      [
        { currency: 'usd', recurring_interval: 'month', type: 'recurring' },
        (p) => p.currency === 'usd' && p.recurring?.interval === 'month',
        { currency: 'usd', type: 'recurring', recurring: { interval: 'month' } },
      ],
    ];
    for (const [args, keep, query] of cases) {
      const before = h.emulator.requests.length;
      const got = await collectAll(h, 'list_prices', args);
      const expected = ids(prices.filter(keep));
      expect(expected.length, JSON.stringify(args)).toBeGreaterThan(0);
      expect(expected.length, JSON.stringify(args)).toBeLessThan(prices.length);
      expect(ids(got), JSON.stringify(args)).toEqual(expected);
      const sent = sentTo(h, '/v1/prices', before);
      expect(sent.length).toBeGreaterThan(0);
      for (const r of sent) expect(r.query, JSON.stringify(args)).toMatchObject(query);
    }
  });

  it('returns Stripe\'s own objects with detail "full", decimals as Stripe sends them', async () => {
    const r = await h.call('list_prices', { limit: 100, detail: 'full' });
    expect(r.isError).toBe(false);
    expect(r.structured.data).toEqual(JSON.parse(JSON.stringify(prices)));
    const first = r.structured.data[0];
    expect(typeof first.unit_amount_decimal).toBe('string');
    expect(first.unit_amount).toBe(prices[0]!.unit_amount);
  });

  it('explains bad input instead of calling Stripe', async () => {
    const before = h.emulator.requests.length;
    const contradiction = await h.call('list_prices', { type: 'one_time', recurring_interval: 'month' });
    expect(contradiction.isError).toBe(true);
    expect(contradiction.text).toMatch(/recurring_interval only applies to recurring prices/);
    const badCurrency = await h.call('list_prices', { currency: 'dollars' });
    expect(badCurrency.isError).toBe(true);
    expect(badCurrency.text).toMatch(/currency/);
    const badInterval = await h.call('list_prices', { recurring_interval: 'monthly' });
    expect(badInterval.isError).toBe(true);
    const unknown = await h.call('list_prices', { lookup_key: 'pro_monthly_usd' });
    expect(unknown.isError).toBe(true);
    expect(unknown.text).toMatch(/lookup_key/);
    const blank = await h.call('list_prices', { product: '   ' });
    expect(blank.isError).toBe(true);
    expect(blank.text).toMatch(/product must not be empty/);
    expect(h.emulator.requests.length).toBe(before);
  });
});

describe('sub-cent prices (unit_amount_decimal)', () => {
  it('moves the decimal point by the currency exponent without floats', () => {
    expect(minorDecimalToMajor('2000', 'usd')).toBe('20.00');
    expect(minorDecimalToMajor('0.5', 'usd')).toBe('0.005');
    expect(minorDecimalToMajor('12.50000', 'usd')).toBe('0.125');
    expect(minorDecimalToMajor('5', 'usd')).toBe('0.05');
    expect(minorDecimalToMajor('1250', 'kwd')).toBe('1.250');
    expect(minorDecimalToMajor('0.1', 'kwd')).toBe('0.0001');
    expect(minorDecimalToMajor('1234.5', 'jpy')).toBe('1234.5');
    expect(minorDecimalToMajor('7', 'JPY')).toBe('7');
    expect(minorDecimalToMajor('0.000000000001', 'eur')).toBe('0.00000000000001');
    expect(() => minorDecimalToMajor('abc', 'usd')).toThrow();
  });

  it('uses unit_amount when present, else unit_amount_decimal, else null', () => {
    expect(priceUnitAmount({ unit_amount: 1999, unit_amount_decimal: null, currency: 'usd' })).toBe('19.99');
    const decimalOnly = { unit_amount: null, unit_amount_decimal: '0.25' as unknown as Stripe.Decimal, currency: 'usd' };
    expect(priceUnitAmount(decimalOnly)).toBe('0.0025');
    expect(priceUnitAmount({ unit_amount: null, unit_amount_decimal: null, currency: 'usd' })).toBeNull();
  });
});
