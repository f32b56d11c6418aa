/** list_refunds: "how much did we refund last month, and why?", "was this charge refunded?". */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Stripe from 'stripe';
import { collectAll, expectDashboardAdvice, startHarness, startRestrictedHarness, type Harness, type RestrictedHarness } from '../helpers/harness.js';
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

  it('pages one refund at a time through the cursor', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < refunds.length + 2; i++) {
      const r = await h.call('list_refunds', { limit: 1, ...(cursor ? { cursor } : {}) });
      expect(r.isError).toBe(false);
      expect(r.structured.count).toBe(r.structured.data.length);
      seen.push(...ids(r.structured.data));
      if (!r.structured.has_more) {
        expect(r.structured.next_cursor).toBeNull();
        break;
      }
      cursor = r.structured.next_cursor;
    }
    expect(seen).toEqual(ids(refunds));
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

  it('filters on creation time: after inclusive, before exclusive', async () => {
    const times = [...new Set(refunds.map((r) => r.created))].sort((a, b) => a - b);
    expect(times.length).toBeGreaterThan(2);
    const from = times[1]!;
    const to = times[times.length - 1]!;
    const window = await collectAll(h, 'list_refunds', { created_after: iso(from), created_before: to });
    const wanted = refunds.filter((r) => r.created >= from && r.created < to);
    expect(ids(window)).toEqual(ids(wanted));
    expect(window.some((r) => r.created === iso(from))).toBe(true);
    expect(window.some((r) => r.created === iso(to))).toBe(false);
  });

  it('gives refunded money in major units of the charge currency', async () => {
    for (const r of refunds.slice(0, 20)) {
      const got = (await collectAll(h, 'list_refunds', { charge: id(r.charge)! })).find((x) => x.id === r.id)!;
      const charge = data.charges.find((c) => c.id === id(r.charge))!;
      expect(got.currency).toBe(charge.currency);
      expect(got.amount).toBe(major(r.amount, r.currency));
    }
  });

  it("returns Stripe's own objects with detail \"full\"", async () => {
    const r = await h.call('list_refunds', { limit: 10, detail: 'full' });
    expect(r.isError).toBe(false);
    expect(r.structured.data).toEqual(cleanDeep(JSON.parse(JSON.stringify(refunds.slice(0, 10)))));
    expect(r.structured.amounts).toMatch(/minor units/);
  });

  it('explains bad input instead of calling Stripe', async () => {
    const before = h.emulator.requests.length;
    const badDate = await h.call('list_refunds', { created_after: '2026-13-45' });
    expect(badDate.isError).toBe(true);
    expect(badDate.text).toMatch(/created_after.*2026-13-45.*not a real calendar date/);
    const reversed = await h.call('list_refunds', { created_after: '2026-06-01', created_before: '2026-05-01' });
    expect(reversed.isError).toBe(true);
    expect(reversed.text).toMatch(/created_after .* must be earlier than created_before/);
    const unknown = await h.call('list_refunds', { customer: 'cus_123' });
    expect(unknown.isError).toBe(true);
    expect(unknown.text).toMatch(/customer/);
    const millis = await h.call('list_refunds', { created_after: Date.parse('2026-05-01T00:00:00Z') });
    expect(millis.isError).toBe(true);
    expect(millis.text).toMatch(/milliseconds/);
    expect(h.emulator.requests.length).toBe(before);
  });
});

describe('list_refunds with a restricted key', () => {
  let r: RestrictedHarness;
  beforeAll(async () => {
    r = await startRestrictedHarness(['rak_charge_read']);
  });
  afterAll(async () => r?.close());

  it('tells the user which Dashboard permission to turn on', async () => {
    expectDashboardAdvice(r, await r.call('list_refunds', {}), 'Refunds');
  });
});
