/** list_balance_transactions: the ledger, for fees, net revenue and what a payout contained. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Stripe from 'stripe';
import { collectAll, startHarness, type Harness } from '../helpers/harness.js';
import { exponentOf, id, ids, iso, major, asSent } from '../helpers/expected.js';
import { compactBalanceTransaction } from '../../src/stripe/compact/balance-transaction.js';

/** Major-unit string → minor units as a bigint, to check sums exactly. */
function minor(value: string, currency: string): bigint {
  const exp = exponentOf(currency);
  const [whole, fraction = ''] = value.replace('-', '').split('.');
  expect(fraction.length).toBe(exp);
  const n = BigInt(whole! + fraction);
  return value.startsWith('-') ? -n : n;
}

let h: Harness;
let txns: Stripe.BalanceTransaction[];
let paidOutBy: Record<string, string>;
let all: Array<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
beforeAll(async () => {
  h = await startHarness();
  const data = h.emulator.dataset('test');
  txns = data.balanceTransactions;
  paidOutBy = data.paidOutBy;
  all = await collectAll(h, 'list_balance_transactions');
});
afterAll(async () => h?.close());

describe('list_balance_transactions', () => {
  it('lists the whole ledger newest first with amount, fee and net exact', () => {
    expect(ids(all as Array<{ id: string }>)).toEqual(ids(txns));
    for (const [i, t] of all.entries()) {
      const raw = txns[i]!;
      expect(t).toEqual(asSent({
        id: raw.id,
        amount: major(raw.amount, raw.currency),
        fee: major(raw.fee, raw.currency),
        net: major(raw.net, raw.currency),
        currency: raw.currency,
        type: raw.type,
        reporting_category: raw.reporting_category,
        status: raw.status,
        available_on: iso(raw.available_on),
        created: iso(raw.created),
        source: id(raw.source),
        description: raw.description,
        fee_details: raw.fee_details.map((f) => ({ amount: major(f.amount, f.currency), currency: f.currency, type: f.type, description: f.description })),
        exchange_rate: raw.exchange_rate,
      }));
      // net = amount − fee, to the last minor unit, and the fee details add up to the fee.
      expect(minor(t.net, t.currency)).toBe(minor(t.amount, t.currency) - minor(t.fee, t.currency));
      if (t.fee_details.length > 0) {
        const sum = t.fee_details.reduce((s: bigint, f: { amount: string; currency: string }) => s + minor(f.amount, f.currency), 0n);
        expect(sum).toBe(minor(t.fee, t.currency));
      }
    }
  });

  it('shows converted charges (JPY, KWD) in the settlement currency with their exchange rate', () => {
    const converted = all.filter((t) => t.exchange_rate != null);
    expect(converted.length).toBeGreaterThan(0);
    for (const t of converted) expect(['usd', 'eur']).toContain(t.currency);
    expect(all.some((t) => t.currency === 'eur')).toBe(true);
  });

  it('filters by type and by currency on Stripe\'s side', async () => {
    for (const type of ['charge', 'refund', 'payout', 'stripe_fee']) {
      const before = h.emulator.requests.length;
      const got = await collectAll(h, 'list_balance_transactions', { type });
      const expected = txns.filter((t) => t.type === type);
      expect(expected.length, type).toBeGreaterThan(0);
      expect(ids(got), type).toEqual(ids(expected));
      const sent = h.emulator.requests.slice(before).filter((r) => r.path === '/v1/balance_transactions');
      expect(sent.every((r) => r.query.type === type)).toBe(true);
    }
    const eur = await collectAll(h, 'list_balance_transactions', { currency: 'EUR', type: 'charge' });
    const expected = txns.filter((t) => t.currency === 'eur' && t.type === 'charge');
    expect(expected.length).toBeGreaterThan(0);
    expect(ids(eur)).toEqual(ids(expected));
  });

  it('lists what one automatic payout paid out, and the transaction behind one source', async () => {
    const payout = Object.values(paidOutBy)[Math.floor(Object.values(paidOutBy).length / 2)]!;
    const got = await collectAll(h, 'list_balance_transactions', { payout });
    const expected = txns.filter((t) => paidOutBy[t.id] === payout);
    expect(expected.length).toBeGreaterThan(0);
    expect(ids(got)).toEqual(ids(expected));

    const charge = txns.find((t) => t.type === 'charge')!;
    const source = id(charge.source)!;
    const bySource = await h.call('list_balance_transactions', { source });
    expect(bySource.isError).toBe(false);
    expect(ids(bySource.structured.data)).toEqual(ids(txns.filter((t) => id(t.source) === source)));
    expect(bySource.structured.data[0].source).toBe(source);
  });

  it('explains bad input instead of calling Stripe', async () => {
    const before = h.emulator.requests.length;
    const badType = await h.call('list_balance_transactions', { type: 'charges' });
    expect(badType.isError).toBe(true);
    expect(badType.text).toMatch(/type/);
    const badPayout = await h.call('list_balance_transactions', { payout: 'not an id' });
    expect(badPayout.isError).toBe(true);
    expect(badPayout.text).toMatch(/payout/);
    const unknown = await h.call('list_balance_transactions', { reporting_category: 'fee' });
    expect(unknown.isError).toBe(true);
    expect(h.emulator.requests.length).toBe(before);
  });
});

describe('balance transactions in zero- and three-decimal currencies', () => {
  // The demo account settles in USD and EUR only, so these currencies never reach the ledger there.
  const txn = (currency: string, amount: number, fee: number) =>
    ({
      id: 'txn_1', object: 'balance_transaction', amount, fee, net: amount - fee, currency, type: 'charge', reporting_category: 'charge',
      status: 'available', available_on: 1767225600, created: 1767225600, source: { id: 'ch_1' }, description: null, exchange_rate: null,
      balance_type: 'payments', fee_details: [{ amount: fee, application: null, currency, description: 'Stripe processing fees', type: 'stripe_fee' }],
    }) as unknown as Stripe.BalanceTransaction;

  it('keeps each currency\'s own number of decimals', () => {
    expect(compactBalanceTransaction(txn('kwd', 12345, 405))).toMatchObject({
      amount: '12.345', fee: '0.405', net: '11.940', source: 'ch_1', created: '2026-01-01T00:00:00Z',
      fee_details: [{ amount: '0.405', currency: 'kwd', type: 'stripe_fee', description: 'Stripe processing fees' }],
    });
    expect(compactBalanceTransaction(txn('jpy', 5000, 180))).toMatchObject({ amount: '5000', fee: '180', net: '4820' });
    expect(compactBalanceTransaction(txn('usd', -5, 0))).toMatchObject({ amount: '-0.05', fee: '0.00', net: '-0.05' });
  });
});
