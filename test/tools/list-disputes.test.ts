/** list_disputes: "which disputes need an answer, and by when?", "how many did we lose this year?". */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Stripe from 'stripe';
import { collectAll, startHarness, type Harness } from '../helpers/harness.js';
import { id, ids, iso, major, asSent } from '../helpers/expected.js';
import { cleanDeep } from '../../src/stripe/sanitize.js';
import type { Dataset } from '../../src/emulator/types.js';

function expected(d: Stripe.Dispute) {
  return {
    id: d.id,
    amount: major(d.amount, d.currency),
    currency: d.currency,
    status: d.status,
    reason: d.reason,
    charge: id(d.charge),
    payment_intent: id(d.payment_intent),
    created: iso(d.created),
    evidence_due_by: iso(d.evidence_details.due_by),
    has_evidence: d.evidence_details.has_evidence,
    evidence_past_due: d.evidence_details.past_due,
    is_charge_refundable: d.is_charge_refundable,
    network_reason_code: d.network_reason_code ?? null,
    balance_transactions: d.balance_transactions.map((t) => id(t)),
    metadata: d.metadata,
  };
}

let h: Harness;
let data: Dataset;
let disputes: Stripe.Dispute[];
beforeAll(async () => {
  h = await startHarness();
  data = h.emulator.dataset('test');
  disputes = data.disputes;
});
afterAll(async () => h?.close());

describe('list_disputes', () => {
  it('lists every dispute newest first, each with the fields that matter', async () => {
    expect(disputes.length).toBeGreaterThan(1);
    const all = await collectAll(h, 'list_disputes');
    expect(ids(all)).toEqual(ids(disputes));
    for (const [i, d] of all.entries()) expect(d).toEqual(asSent(cleanDeep(expected(disputes[i]!))));
    // Funds withdrawn for a dispute show as balance transaction ids.
    expect(all.some((d) => d.balance_transactions.length > 0 && d.balance_transactions.every((t: string) => t.startsWith('txn_')))).toBe(true);
  });

  it('filters on status while paging, and says how many it scanned', async () => {
    const statuses = [...new Set(disputes.map((d) => d.status))];
    expect(statuses.length).toBeGreaterThan(1);
    for (const status of statuses) {
      const got = await collectAll(h, 'list_disputes', { status });
      expect(ids(got), status).toEqual(ids(disputes.filter((d) => d.status === status)));
      expect(got.length, status).toBeGreaterThan(0);
    }
    const status = disputes.at(-1)!.status;
    const page = await h.call('list_disputes', { status, limit: 100 });
    expect(page.structured.scanned).toBe(disputes.length);
    expect(page.structured.has_more).toBe(false);
    const unfiltered = await h.call('list_disputes', { limit: 100 });
    expect(unfiltered.structured.scanned).toBe(unfiltered.structured.count);
    // A status no dispute has yields an empty, final page.
    const absent = (['won', 'lost', 'needs_response', 'warning_closed', 'prevented', 'appeal_under_review'] as const).find((s) => !statuses.includes(s))!;
    const none = await h.call('list_disputes', { status: absent });
    expect(none.structured).toMatchObject({ count: 0, has_more: false, next_cursor: null, data: [] });
  });

  it('pages a status filter one match at a time without gaps or duplicates', async () => {
    const status = disputes[0]!.status;
    const wanted = ids(disputes.filter((d) => d.status === status));
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < disputes.length + 2; i++) {
      const r = await h.call('list_disputes', { status, limit: 1, ...(cursor ? { cursor } : {}) });
      expect(r.isError).toBe(false);
      seen.push(...ids(r.structured.data));
      if (!r.structured.has_more) break;
      cursor = r.structured.next_cursor;
    }
    expect(seen).toEqual(wanted);
  });

  it("filters on charge and payment intent on Stripe's side, and on creation time", async () => {
    const sample = disputes[0]!;
    const before = h.emulator.requests.length;
    const ofCharge = await collectAll(h, 'list_disputes', { charge: id(sample.charge)! });
    expect(ids(ofCharge)).toEqual(ids(disputes.filter((d) => id(d.charge) === id(sample.charge))));
    expect(ofCharge.length).toBeGreaterThan(0);
    const sent = h.emulator.requests.slice(before).filter((r) => r.path === '/v1/disputes');
    expect(sent.every((r) => r.query.charge === id(sample.charge))).toBe(true);
    const ofIntent = await collectAll(h, 'list_disputes', { payment_intent: id(sample.payment_intent)! });
    expect(ids(ofIntent)).toEqual(ids(disputes.filter((d) => id(d.payment_intent) === id(sample.payment_intent))));

    const times = [...new Set(disputes.map((d) => d.created))].sort((a, b) => a - b);
    const from = times[0]!;
    const to = times[times.length - 1]!;
    const window = await collectAll(h, 'list_disputes', { created_after: iso(from), created_before: iso(to) });
    expect(ids(window)).toEqual(ids(disputes.filter((d) => d.created >= from && d.created < to)));
    expect(window.some((d) => d.created === iso(to))).toBe(false);
    expect(window.some((d) => d.created === iso(from))).toBe(true);
  });

  it('matches the disputed charges', async () => {
    const disputedCharges = ids(data.charges.filter((c) => c.disputed));
    const all = await collectAll(h, 'list_disputes');
    expect([...new Set(all.map((d) => d.charge))].sort()).toEqual([...disputedCharges].sort());
  });

  it("returns Stripe's own objects with detail \"full\"", async () => {
    const r = await h.call('list_disputes', { detail: 'full', limit: 100 });
    expect(r.isError).toBe(false);
    expect(r.structured.data).toEqual(cleanDeep(JSON.parse(JSON.stringify(disputes.slice(0, 100)))));
    expect(r.structured.amounts).toMatch(/minor units/);
  });

  it('explains bad input instead of calling Stripe', async () => {
    const before = h.emulator.requests.length;
    const unknown = await h.call('list_disputes', { reason: 'fraudulent' });
    expect(unknown.isError).toBe(true);
    expect(unknown.text).toMatch(/reason/);
    const badStatus = await h.call('list_disputes', { status: 'open' });
    expect(badStatus.isError).toBe(true);
    expect(h.emulator.requests.length).toBe(before);
  });
});
