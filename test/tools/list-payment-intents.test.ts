/** list_payment_intents: "which payments failed, and why?", "what is stuck waiting for the customer?". */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Stripe from 'stripe';
import { collectAll, startHarness, type Harness } from '../helpers/harness.js';
import { id, ids, iso, major, asSent } from '../helpers/expected.js';
import { cleanDeep } from '../../src/stripe/sanitize.js';
import type { Dataset } from '../../src/emulator/types.js';

const isFailed = (p: Stripe.PaymentIntent) => p.last_payment_error != null && p.status !== 'succeeded';

function expected(p: Stripe.PaymentIntent) {
  const e = p.last_payment_error;
  return {
    id: p.id,
    amount: major(p.amount, p.currency),
    amount_received: major(p.amount_received, p.currency),
    amount_capturable: major(p.amount_capturable, p.currency),
    currency: p.currency,
    status: p.status,
    customer: id(p.customer),
    description: p.description,
    receipt_email: p.receipt_email,
    created: iso(p.created),
    canceled_at: iso(p.canceled_at),
    cancellation_reason: p.cancellation_reason,
    capture_method: p.capture_method,
    last_payment_error: e && {
      code: e.code ?? null,
      decline_code: e.decline_code ?? null,
      message: e.message ?? null,
      type: e.type,
      charge: e.charge ?? null,
    },
    latest_charge: id(p.latest_charge),
    payment_method: id(p.payment_method),
    payment_method_types: p.payment_method_types,
    metadata: p.metadata,
  };
}

let h: Harness;
let data: Dataset;
let intents: Stripe.PaymentIntent[];
beforeAll(async () => {
  h = await startHarness();
  data = h.emulator.dataset('test');
  intents = data.paymentIntents;
});
afterAll(async () => h?.close());

describe('list_payment_intents', () => {
  it('lists every payment intent newest first, without gaps or duplicates, each with the fields that matter', async () => {
    const all = await collectAll(h, 'list_payment_intents');
    expect(intents.length).toBeGreaterThan(100);
    expect(ids(all)).toEqual(ids(intents));
    for (const [i, p] of all.entries()) expect(p).toEqual(asSent(cleanDeep(expected(intents[i]!))));
  });

  it('"failed" means an attempt failed and the payment has not succeeded, with the reason', async () => {
    const wanted = intents.filter(isFailed);
    expect(wanted.length).toBeGreaterThan(0);
    const got = await collectAll(h, 'list_payment_intents', { status: 'failed' });
    expect(ids(got)).toEqual(ids(wanted));
    // A payment that failed once and then succeeded on a retry is not a failed payment.
    const recovered = intents.filter((p) => p.status === 'succeeded' && data.charges.some((c) => c.payment_intent === p.id && c.status === 'failed'));
    expect(recovered.length).toBeGreaterThan(0);
    expect(ids(got)).not.toEqual(expect.arrayContaining([recovered[0]!.id]));
    for (const p of got) {
      expect(p.status).not.toBe('succeeded');
      expect(p.last_payment_error.code).toEqual(expect.any(String));
      expect(p.last_payment_error.message).toEqual(expect.any(String));
    }
    const declined = got.find((p) => p.last_payment_error.code === 'card_declined');
    expect(declined?.last_payment_error.decline_code).toEqual(expect.any(String));
    const first = await h.call('list_payment_intents', { status: 'failed', limit: 1 });
    expect(first.structured.scanned).toBe(intents.findIndex(isFailed) + 1);
  });

  it("filters on each Stripe status while paging", async () => {
    const statuses = [...new Set(intents.map((p) => p.status))];
    expect(statuses.length).toBeGreaterThan(1);
    for (const status of statuses) {
      const got = await collectAll(h, 'list_payment_intents', { status });
      expect(ids(got), status).toEqual(ids(intents.filter((p) => p.status === status)));
      expect(got.length, status).toBeGreaterThan(0);
    }
    const none = await collectAll(h, 'list_payment_intents', { status: 'requires_capture' });
    expect(ids(none)).toEqual(ids(intents.filter((p) => p.status === 'requires_capture')));
  });

  it('pages a filtered list in small steps without gaps or duplicates', async () => {
    const wanted = ids(intents.filter(isFailed));
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 300; i++) {
      const r = await h.call('list_payment_intents', { status: 'failed', limit: 2, ...(cursor ? { cursor } : {}) });
      expect(r.isError).toBe(false);
      seen.push(...ids(r.structured.data));
      if (!r.structured.has_more) break;
      cursor = r.structured.next_cursor;
    }
    expect(seen).toEqual(wanted);
  });

  it("filters on customer on Stripe's side, and on creation time", async () => {
    const customer = data.special.jpyCustomer;
    const before = h.emulator.requests.length;
    const mine = await collectAll(h, 'list_payment_intents', { customer });
    expect(mine.length).toBeGreaterThan(0);
    expect(ids(mine)).toEqual(ids(intents.filter((p) => id(p.customer) === customer)));
    const sent = h.emulator.requests.slice(before).filter((r) => r.path === '/v1/payment_intents');
    expect(sent.every((r) => r.query.customer === customer)).toBe(true);

    const times = [...new Set(intents.map((p) => p.created))].sort((a, b) => a - b);
    const from = times[Math.floor(times.length * 0.6)]!;
    const to = times[Math.floor(times.length * 0.7)]!;
    const window = await collectAll(h, 'list_payment_intents', { created_after: iso(from), created_before: to });
    const wanted = intents.filter((p) => p.created >= from && p.created < to);
    expect(wanted.length).toBeGreaterThan(0);
    expect(ids(window)).toEqual(ids(wanted));
    const failedInWindow = await collectAll(h, 'list_payment_intents', { status: 'failed', created_after: from, created_before: to });
    expect(ids(failedInWindow)).toEqual(ids(wanted.filter(isFailed)));
  });

  it('gives money in major units: JPY without decimals, KWD with three', async () => {
    for (const [customer, currency, pattern] of [
      [data.special.jpyCustomer, 'jpy', /^\d+$/],
      [data.special.kwdCustomer, 'kwd', /^\d+\.\d{3}$/],
    ] as const) {
      const got = (await collectAll(h, 'list_payment_intents', { customer })).filter((p) => p.currency === currency);
      expect(got.length, currency).toBeGreaterThan(0);
      for (const p of got) {
        const raw = intents.find((x) => x.id === p.id)!;
        expect(p.amount).toMatch(pattern);
        expect(p.amount).toBe(major(raw.amount, currency));
        expect(p.amount_received).toBe(major(raw.amount_received, currency));
      }
    }
  });

  it("returns Stripe's own objects with detail \"full\"", async () => {
    const r = await h.call('list_payment_intents', { status: 'failed', limit: 5, detail: 'full' });
    expect(r.isError).toBe(false);
    expect(r.structured.data).toEqual(cleanDeep(JSON.parse(JSON.stringify(intents.filter(isFailed).slice(0, 5)))));
    expect(r.structured.amounts).toMatch(/minor units/);
  });

  it('explains bad input instead of calling Stripe', async () => {
    const before = h.emulator.requests.length;
    const unknown = await h.call('list_payment_intents', { amount: 100 });
    expect(unknown.isError).toBe(true);
    expect(unknown.text).toMatch(/amount/);
    const badStatus = await h.call('list_payment_intents', { status: 'declined' });
    expect(badStatus.isError).toBe(true);
    expect(h.emulator.requests.length).toBe(before);
  });
});
