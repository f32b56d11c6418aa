/** list_payouts: "when does the money reach the bank, and did any payout fail?". */
import { beforeAll, describe, expect, it } from 'vitest';
import type Stripe from 'stripe';
import { collectAll, sentTo, useHarness } from '../helpers/harness.js';
import { id, ids, iso, major, asSent } from '../helpers/expected.js';

const h = useHarness();
let payouts: Stripe.Payout[];
beforeAll(() => {
  payouts = h.emulator.dataset('test').payouts;
});

describe('list_payouts', () => {
  it('lists every payout newest first, amounts exact, dates ISO', async () => {
    const all = await collectAll(h, 'list_payouts');
    expect(ids(all)).toEqual(ids(payouts));
    expect(new Set(ids(all)).size).toBe(all.length);
    for (const [i, p] of all.entries()) {
      const raw = payouts[i]!;
      expect(p).toEqual(asSent({
        id: raw.id,
        amount: major(raw.amount, raw.currency),
        currency: raw.currency,
        status: raw.status,
        arrival_date: iso(raw.arrival_date),
        created: iso(raw.created),
        method: raw.method,
        type: raw.type,
        automatic: raw.automatic,
        destination: id(raw.destination),
        failure_code: raw.failure_code,
        failure_message: raw.failure_message,
        balance_transaction: id(raw.balance_transaction),
        description: raw.description,
        statement_descriptor: raw.statement_descriptor,
      }));
      expect(typeof p.amount).toBe('string');
    }
    // A failed payout says why.
    const failed = all.find((p) => p.status === 'failed');
    expect(failed?.failure_code).toEqual(expect.any(String));
  });

  it('filters by each status on Stripe\'s side', async () => {
    const present = new Set(payouts.map((p) => p.status));
    expect(present.size).toBeGreaterThanOrEqual(4);
    for (const status of ['paid', 'pending', 'in_transit', 'canceled', 'failed']) {
      const before = h.emulator.requests.length;
      const got = await collectAll(h, 'list_payouts', { status });
      expect(ids(got), status).toEqual(ids(payouts.filter((p) => p.status === status)));
      expect(got.every((p) => p.status === status)).toBe(true);
      const sent = sentTo(h, '/v1/payouts', before);
      expect(sent.every((r) => r.query.status === status)).toBe(true);
    }
  });

  it('filters by arrival date: arrival_after inclusive, arrival_before exclusive, sent as arrival_date', async () => {
    const dates = [...new Set(payouts.map((p) => p.arrival_date))].sort((a, b) => a - b);
    const from = dates[Math.floor(dates.length / 3)]!;
    const to = dates[Math.floor((2 * dates.length) / 3)]!;
    const before = h.emulator.requests.length;
    const got = await collectAll(h, 'list_payouts', { arrival_after: iso(from), arrival_before: iso(to) });
    const expected = payouts.filter((p) => p.arrival_date >= from && p.arrival_date < to);
    expect(expected.length).toBeGreaterThan(0);
    expect(ids(got)).toEqual(ids(expected));
    expect(got.some((p) => p.arrival_date === iso(from))).toBe(true); // the inclusive edge is in
    expect(got.some((p) => p.arrival_date === iso(to))).toBe(false); // the exclusive edge is out
    const sent = sentTo(h, '/v1/payouts', before);
    expect(sent[0]?.query.arrival_date).toEqual({ gte: String(from), lt: String(to) });
  });

  it('filters by creation time and combines filters', async () => {
    const times = [...new Set(payouts.map((p) => p.created))].sort((a, b) => a - b);
    const cut = times[Math.floor(times.length / 2)]!;
    const after = await collectAll(h, 'list_payouts', { created_after: cut });
    expect(ids(after)).toEqual(ids(payouts.filter((p) => p.created >= cut)));
    const paidBefore = await collectAll(h, 'list_payouts', { created_before: cut, status: 'paid' });
    const expected = payouts.filter((p) => p.created < cut && p.status === 'paid');
    expect(expected.length).toBeGreaterThan(0);
    expect(ids(paidBefore)).toEqual(ids(expected));
  });

  it('explains bad input instead of calling Stripe', async () => {
    const before = h.emulator.requests.length;
    const badStatus = await h.call('list_payouts', { status: 'sent' });
    expect(badStatus.isError).toBe(true);
    expect(badStatus.text).toMatch(/status/);
    const unknown = await h.call('list_payouts', { destination: 'ba_123' });
    expect(unknown.isError).toBe(true);
    expect(unknown.text).toMatch(/destination/);
    expect(h.emulator.requests.length).toBe(before);
  });
});
