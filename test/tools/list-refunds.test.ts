/** list_refunds: "how much did we refund last month, and why?", "was this charge refunded?". */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Stripe from 'stripe';
import { collectAll, startHarness, type Harness } from '../helpers/harness.js';
import { id, ids, iso, major, asSent } from '../helpers/expected.js';
import { cleanDeep } from '../../src/stripe/sanitize.js';
import type { Dataset } from '../../src/emulator/types.js';

function expected(r: Stripe.Refund) {
  return {
    id: r.id,
    amount: major(r.amount, r.currency),
    currency: r.currency,
    status: r.status,
    reason: r.reason,
    charge: id(r.charge),
    payment_intent: id(r.payment_intent),
    customer: id(r.customer),
    created: iso(r.created),
    failure_reason: r.failure_reason ?? null,
    balance_transaction: id(r.balance_transaction),
    description: r.description ?? null,
    metadata: r.metadata ?? {},
  };
}

let h: Harness;
let data: Dataset;
let refunds: Stripe.Refund[];
beforeAll(async () => {
  h = await startHarness();
  data = h.emulator.dataset('test');
  refunds = data.refunds;
});
afterAll(async () => h?.close());

describe('list_refunds', () => {
  it('lists every refund newest first, without gaps or duplicates, each with the fields that matter', async () => {
    expect(refunds.length).toBeGreaterThan(2);
    const all = await collectAll(h, 'list_refunds');
    expect(ids(all)).toEqual(ids(refunds));
    for (const [i, r] of all.entries()) expect(r).toEqual(asSent(cleanDeep(expected(refunds[i]!))));
    expect(all.some((r) => r.reason != null)).toBe(true);
  });

  it("filters on charge and payment intent on Stripe's side", async () => {
    const sample = refunds[Math.floor(refunds.length / 2)]!;
    const charge = id(sample.charge)!;
    const before = h.emulator.requests.length;
    const ofCharge = await collectAll(h, 'list_refunds', { charge });
    expect(ofCharge.length).toBeGreaterThan(0);
    expect(ids(ofCharge)).toEqual(ids(refunds.filter((r) => id(r.charge) === charge)));
    expect(ofCharge.length).toBeLessThan(refunds.length);
    const sent = h.emulator.requests.slice(before).filter((r) => r.path === '/v1/refunds');
    expect(sent.every((r) => r.query.charge === charge)).toBe(true);

    const pi = id(sample.payment_intent)!;
    const ofIntent = await collectAll(h, 'list_refunds', { payment_intent: pi });
    expect(ids(ofIntent)).toEqual(ids(refunds.filter((r) => id(r.payment_intent) === pi)));
    expect(ofIntent.length).toBeGreaterThan(0);
  });

  it('gives refunded money in major units of the charge currency', async () => {
    for (const r of refunds.slice(0, 20)) {
      const got = (await collectAll(h, 'list_refunds', { charge: id(r.charge)! })).find((x) => x.id === r.id)!;
      const charge = data.charges.find((c) => c.id === id(r.charge))!;
      expect(got.currency).toBe(charge.currency);
      expect(got.amount).toBe(major(r.amount, r.currency));
    }
  });

  it('explains bad input instead of calling Stripe', async () => {
    const before = h.emulator.requests.length;
    const unknown = await h.call('list_refunds', { customer: 'cus_123' });
    expect(unknown.isError).toBe(true);
    expect(unknown.text).toMatch(/customer/);
    expect(h.emulator.requests.length).toBe(before);
  });
});
