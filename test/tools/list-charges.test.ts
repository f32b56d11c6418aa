/** list_charges: "which payments failed and why?", "what did this customer pay?", "what was refunded or disputed?". */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Stripe from 'stripe';
import { collectAll, startHarness, type Harness } from '../helpers/harness.js';
import { id, ids, iso, major, asSent } from '../helpers/expected.js';
import { cleanDeep } from '../../src/stripe/sanitize.js';
import type { Dataset } from '../../src/emulator/types.js';

/** What the compact projection must say about a charge, written from Stripe's raw object. */
function expected(c: Stripe.Charge) {
  const issuerDecline = c.outcome?.type === 'issuer_declined' ? c.outcome.reason : null;
  return {
    id: c.id,
    amount: major(c.amount, c.currency),
    amount_captured: major(c.amount_captured, c.currency),
    amount_refunded: major(c.amount_refunded, c.currency),
    currency: c.currency,
    status: c.status,
    paid: c.paid,
    captured: c.captured,
    refunded: c.refunded,
    disputed: c.disputed,
    failure_code: c.failure_code,
    failure_message: c.failure_message,
    decline_code: issuerDecline,
    outcome: c.outcome && {
      type: c.outcome.type,
      network_status: c.outcome.network_status,
      reason: c.outcome.reason,
      seller_message: c.outcome.seller_message,
      risk_level: c.outcome.risk_level ?? null,
      network_decline_code: c.outcome.network_decline_code,
    },
    customer: id(c.customer),
    payment_intent: id(c.payment_intent),
    balance_transaction: id(c.balance_transaction),
    receipt_email: c.receipt_email,
    description: c.description,
    payment_method_type: c.payment_method_details?.type ?? null,
    card_brand: c.payment_method_details?.card?.brand ?? null,
    card_last4: c.payment_method_details?.card?.last4 ?? null,
    created: iso(c.created),
    metadata: c.metadata,
  };
}

let h: Harness;
let data: Dataset;
let charges: Stripe.Charge[];
beforeAll(async () => {
  h = await startHarness();
  data = h.emulator.dataset('test');
  charges = data.charges;
});
afterAll(async () => h?.close());

describe('list_charges', () => {
  it('lists every charge newest first, without gaps or duplicates, each with the fields that matter', async () => {
    const all = await collectAll(h, 'list_charges');
    expect(charges.length).toBeGreaterThan(100); // more than one page
    expect(ids(all)).toEqual(ids(charges));
    for (const [i, charge] of all.entries()) expect(charge).toEqual(asSent(cleanDeep(expected(charges[i]!))));
  });

  it('explains failed payments: failure code, message, decline code and outcome', async () => {
    const failed = charges.filter((c) => c.status === 'failed');
    expect(failed.length).toBeGreaterThan(0);
    const got = await collectAll(h, 'list_charges', { status: 'failed' });
    expect(ids(got)).toEqual(ids(failed));
    for (const c of got) {
      expect(c.status).toBe('failed');
      expect(c.paid).toBe(false);
      expect(c.failure_code).toEqual(expect.any(String));
      expect(c.failure_message).toEqual(expect.any(String));
      expect(c.outcome.network_status).toBe('declined_by_network');
    }
    const insufficient = got.find((c) => c.outcome.reason === 'insufficient_funds');
    expect(insufficient?.decline_code).toBe('insufficient_funds');
    // Succeeded charges never carry a decline code.
    const ok = await h.call('list_charges', { status: 'succeeded', limit: 50 });
    expect(ok.structured.data.every((c: { decline_code: unknown; status: string }) => c.decline_code == null && c.status === 'succeeded')).toBe(true);
  });

  it('filters on status, refunded and disputed while paging, and says how many it scanned', async () => {
    const cases: Array<[Record<string, unknown>, (c: Stripe.Charge) => boolean]> = [
      [{ status: 'succeeded' }, (c) => c.status === 'succeeded'],
      [{ refunded: true }, (c) => c.refunded],
      [{ refunded: false }, (c) => !c.refunded],
      [{ disputed: true }, (c) => c.disputed],
      [{ disputed: false, status: 'succeeded' }, (c) => !c.disputed && c.status === 'succeeded'],
    ];
    for (const [args, match] of cases) {
      const wanted = charges.filter(match);
      expect(wanted.length, JSON.stringify(args)).toBeGreaterThan(0);
      expect(wanted.length, JSON.stringify(args)).toBeLessThan(charges.length);
      expect(ids(await collectAll(h, 'list_charges', args)), JSON.stringify(args)).toEqual(ids(wanted));
    }
    const page = await h.call('list_charges', { disputed: true, limit: 2 });
    expect(page.structured.count).toBe(2);
    expect(page.structured.scanned).toBeGreaterThanOrEqual(2);
    expect(page.structured.scanned).toBe(charges.findIndex((c) => c.id === page.structured.data[1].id) + 1);
  });

  it('pages a filtered list in small steps without gaps or duplicates', async () => {
    const wanted = ids(charges.filter((c) => c.refunded));
    expect(wanted.length).toBeGreaterThan(3);
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 200; i++) {
      const r = await h.call('list_charges', { refunded: true, limit: 3, ...(cursor ? { cursor } : {}) });
      expect(r.isError).toBe(false);
      seen.push(...ids(r.structured.data));
      if (!r.structured.has_more) break;
      cursor = r.structured.next_cursor;
    }
    expect(seen).toEqual(wanted);
  });

  it("filters on customer and payment intent on Stripe's side", async () => {
    const customer = id(charges.find((c) => c.customer && charges.filter((x) => x.customer === c.customer).length > 1)!.customer)!;
    const before = h.emulator.requests.length;
    const mine = await collectAll(h, 'list_charges', { customer });
    expect(ids(mine)).toEqual(ids(charges.filter((c) => id(c.customer) === customer)));
    expect(mine.length).toBeGreaterThan(1);
    const sent = h.emulator.requests.slice(before).filter((r) => r.path === '/v1/charges');
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((r) => r.query.customer === customer)).toBe(true);

    const retried = charges.find((c) => c.status === 'failed' && c.payment_intent)!;
    const pi = id(retried.payment_intent)!;
    const attempts = await collectAll(h, 'list_charges', { payment_intent: pi });
    expect(ids(attempts)).toEqual(ids(charges.filter((c) => id(c.payment_intent) === pi)));
    expect(attempts.length).toBeGreaterThan(0);
  });

  it('filters on creation time: after inclusive, before exclusive', async () => {
    const times = [...new Set(charges.map((c) => c.created))].sort((a, b) => a - b);
    const from = times[Math.floor(times.length * 0.4)]!;
    const to = times[Math.floor(times.length * 0.5)]!;
    const window = await collectAll(h, 'list_charges', { created_after: from, created_before: to });
    const wanted = charges.filter((c) => c.created >= from && c.created < to);
    expect(wanted.length).toBeGreaterThan(0);
    expect(ids(window)).toEqual(ids(wanted));
    expect(window.some((c) => c.created === iso(from))).toBe(true);
    expect(window.some((c) => c.created === iso(to))).toBe(false);
    // The same moments written as ISO date-times with an offset.
    const sameWindow = await collectAll(h, 'list_charges', {
      created_after: iso(from).replace('Z', '+00:00'),
      created_before: iso(to),
    });
    expect(ids(sameWindow)).toEqual(ids(wanted));
    // A whole day as a date.
    const day = iso(from).slice(0, 10);
    const dayStart = Date.parse(`${day}T00:00:00Z`) / 1000;
    const oneDay = await collectAll(h, 'list_charges', { created_after: day, created_before: dayStart + 86400 });
    expect(ids(oneDay)).toEqual(ids(charges.filter((c) => c.created >= dayStart && c.created < dayStart + 86400)));
  });

  it('gives money in major units: JPY without decimals, KWD with three', async () => {
    for (const [customer, currency, pattern] of [
      [data.special.jpyCustomer, 'jpy', /^\d+$/],
      [data.special.kwdCustomer, 'kwd', /^\d+\.\d{3}$/],
    ] as const) {
      const raw = charges.filter((c) => id(c.customer) === customer && c.currency === currency);
      expect(raw.length, currency).toBeGreaterThan(0);
      const got = await collectAll(h, 'list_charges', { customer });
      for (const c of got.filter((x) => x.currency === currency)) {
        const source = raw.find((r) => r.id === c.id)!;
        expect(c.amount).toMatch(pattern);
        expect(c.amount).toBe(major(source.amount, currency));
      }
    }
    const usd = charges.find((c) => c.currency === 'usd' && c.amount % 100 !== 0)!;
    const page = await collectAll(h, 'list_charges', { customer: id(usd.customer)! });
    expect(page.find((c) => c.id === usd.id)!.amount).toBe(`${Math.floor(usd.amount / 100)}.${String(usd.amount % 100).padStart(2, '0')}`);
  });

  it('shows refunds partly and fully on the charge', async () => {
    const partial = charges.find((c) => c.amount_refunded > 0 && !c.refunded);
    const full = charges.find((c) => c.refunded)!;
    for (const raw of [partial, full].filter((c): c is Stripe.Charge => c !== undefined)) {
      const got = (await collectAll(h, 'list_charges', { payment_intent: id(raw.payment_intent)! })).find((c) => c.id === raw.id)!;
      expect(got.amount_refunded).toBe(major(raw.amount_refunded, raw.currency));
      expect(got.refunded).toBe(raw.refunded);
    }
  });

  it('explains bad input instead of calling Stripe', async () => {
    const before = h.emulator.requests.length;
    const unknown = await h.call('list_charges', { amount_gte: 100 });
    expect(unknown.isError).toBe(true);
    expect(unknown.text).toMatch(/amount_gte/);
    const badStatus = await h.call('list_charges', { status: 'declined' });
    expect(badStatus.isError).toBe(true);
    expect(badStatus.text).toMatch(/status/);
    const blank = await h.call('list_charges', { customer: '  ' });
    expect(blank.isError).toBe(true);
    expect(blank.text).toMatch(/customer must not be empty/);
    expect(h.emulator.requests.length).toBe(before);
  });
});
