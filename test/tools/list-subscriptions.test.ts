/** list_subscriptions: "who is past due?", "who churned this month and why?", "what is each customer on?". */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Stripe from 'stripe';
import { collectAll, startHarness, type Harness } from '../helpers/harness.js';
import { id, ids, iso, major, asSent } from '../helpers/expected.js';
import { cleanDeep } from '../../src/stripe/sanitize.js';
import type { Dataset } from '../../src/emulator/types.js';

let h: Harness;
let data: Dataset;
/**
 * Every subscription Stripe lists without customer, canceled ones included, newest first: none on a test clock, and
 * (status other than canceled) none of a deleted customer (see src/emulator/list-rules.ts).
 */
let subscriptions: Stripe.Subscription[];
/** Those Stripe lists for status canceled: deleted customers' included. */
let canceledListed: Stripe.Subscription[];
beforeAll(async () => {
  h = await startHarness();
  data = h.emulator.dataset('test');
  canceledListed = data.subscriptions.filter((s) => !s.test_clock && s.status === 'canceled');
  subscriptions = data.subscriptions.filter((s) => !s.test_clock && id(s.customer) !== data.special.deletedCustomer);
});
afterAll(async () => h?.close());

/** Discounts are expanded (one level): the coupon is named by id; its details would need the Coupons permission. */
function expectedDiscount(discountId: string) {
  const discount = data.discounts.find((d) => d.id === discountId)!;
  return { id: discountId, coupon: id(discount.source.coupon), coupon_details: null, start: iso(discount.start), end: iso(discount.end) };
}

function expected(s: Stripe.Subscription) {
  return {
    id: s.id,
    status: s.status,
    customer: id(s.customer),
    currency: s.currency,
    items: s.items.data.map((item) => ({
      id: item.id,
      price: item.price.id,
      product: id(item.price.product),
      nickname: item.price.nickname,
      unit_amount: item.price.unit_amount === null ? null : major(item.price.unit_amount, item.price.currency),
      currency: item.price.currency,
      interval: item.price.recurring?.interval ?? null,
      interval_count: item.price.recurring?.interval_count ?? null,
      quantity: item.quantity ?? null,
      usage_type: item.price.recurring?.usage_type ?? null,
      current_period_start: iso(item.current_period_start),
      current_period_end: iso(item.current_period_end),
    })),
    items_has_more: s.items.has_more,
    cancel_at_period_end: s.cancel_at_period_end,
    cancel_at: iso(s.cancel_at),
    canceled_at: iso(s.canceled_at),
    ended_at: iso(s.ended_at),
    cancellation_reason: s.cancellation_details?.reason ?? null,
    cancellation_feedback: s.cancellation_details?.feedback ?? null,
    trial_start: iso(s.trial_start),
    trial_end: iso(s.trial_end),
    start_date: iso(s.start_date),
    created: iso(s.created),
    collection_method: s.collection_method,
    discounts: s.discounts.map((d) => expectedDiscount(id(d)!)),
    latest_invoice: id(s.latest_invoice),
    metadata: s.metadata,
  };
}

describe('list_subscriptions', () => {
  it('leaves out canceled subscriptions by default, as Stripe does (incomplete_expired ones are listed)', async () => {
    const all = await collectAll(h, 'list_subscriptions');
    const wanted = subscriptions.filter((s) => s.status !== 'canceled');
    expect(subscriptions.some((s) => s.status === 'canceled')).toBe(true);
    expect(all.some((s) => s.status === 'incomplete_expired')).toBe(true);
    expect(ids(all)).toEqual(ids(wanted));
    expect(all.some((s) => s.status === 'canceled')).toBe(false);
  });

  it('lists every status with "all", each with items, cancellation, trial and discounts', async () => {
    const all = await collectAll(h, 'list_subscriptions', { status: 'all' });
    expect(subscriptions.length).toBeGreaterThan(100);
    expect(ids(all)).toEqual(ids(subscriptions));
    for (const [i, s] of all.entries()) expect(s).toEqual(asSent(cleanDeep(expected(subscriptions[i]!))));
    // Periods live on the items in this API version.
    expect(all.every((s) => s.items.every((item: { current_period_end: string | null }) => item.current_period_end !== null))).toBe(true);
  });

  it('names the coupon of a discounted subscription', async () => {
    const got = await collectAll(h, 'list_subscriptions', { customer: data.special.foreverDiscountCustomer });
    const discounted = got.find((s) => s.discounts.length > 0);
    expect(discounted).toBeDefined();
    const coupon = data.coupons.find((c) => c.id === discounted.discounts[0].coupon)!;
    expect(coupon.duration).toBe('forever');
    expect(discounted.discounts[0].id).toMatch(/^di_/);
    expect(discounted.discounts[0].end).toBeNull();
    expect(discounted.items[0].quantity).toBeGreaterThan(1);
    const sent = h.emulator.requests.filter((r) => r.path === '/v1/subscriptions').at(-1)!;
    expect(sent.query.expand).toEqual(['data.discounts']);
  });

  it('filters on each status, with canceled and ended reachable', async () => {
    const statuses = [...new Set(subscriptions.map((s) => s.status))];
    expect(statuses).toEqual(expect.arrayContaining(['active', 'canceled', 'past_due', 'trialing']));
    for (const status of statuses) {
      const before = h.emulator.requests.length;
      const got = await collectAll(h, 'list_subscriptions', { status });
      expect(ids(got), status).toEqual(ids(status === 'canceled' ? canceledListed : subscriptions.filter((s) => s.status === status)));
      const sent = h.emulator.requests.slice(before).filter((r) => r.path === '/v1/subscriptions');
      expect(sent.every((r) => r.query.status === status)).toBe(true);
    }
    const ended = await collectAll(h, 'list_subscriptions', { status: 'ended' });
    expect(ids(ended)).toEqual(ids(subscriptions.filter((s) => s.status === 'canceled' || s.status === 'incomplete_expired')));
    const canceled = await collectAll(h, 'list_subscriptions', { status: 'canceled' });
    expect(canceled.some((s) => s.customer === data.special.deletedCustomer)).toBe(true);
    expect(canceled.every((s) => s.canceled_at != null && s.ended_at != null)).toBe(true);
    expect(canceled.some((s) => s.cancellation_reason != null)).toBe(true);
  });

  it('filters on customer and on price', async () => {
    const customer = data.special.jpyCustomer;
    const mine = await collectAll(h, 'list_subscriptions', { customer, status: 'all' });
    expect(mine.length).toBeGreaterThan(0);
    expect(ids(mine)).toEqual(ids(subscriptions.filter((s) => id(s.customer) === customer)));
    expect(mine[0].items[0].unit_amount).toMatch(/^\d+$/); // JPY: no decimals
    expect(mine[0].items[0].interval).toBe('year');

    const price = subscriptions[0]!.items.data[0]!.price.id;
    const before = h.emulator.requests.length;
    const onPrice = await collectAll(h, 'list_subscriptions', { price, status: 'all' });
    const wanted = subscriptions.filter((s) => s.items.data.some((item) => item.price.id === price));
    expect(wanted.length).toBeGreaterThan(0);
    expect(wanted.length).toBeLessThan(subscriptions.length);
    expect(ids(onPrice)).toEqual(ids(wanted));
    const sent = h.emulator.requests.slice(before).filter((r) => r.path === '/v1/subscriptions');
    expect(sent.every((r) => r.query.price === price)).toBe(true);
  });

  it('filters on creation time: after inclusive, before exclusive', async () => {
    const times = [...new Set(subscriptions.map((s) => s.created))].sort((a, b) => a - b);
    const from = times[Math.floor(times.length * 0.3)]!;
    const to = times[Math.floor(times.length * 0.6)]!;
    const window = await collectAll(h, 'list_subscriptions', { status: 'all', created_after: iso(from), created_before: iso(to) });
    const wanted = subscriptions.filter((s) => s.created >= from && s.created < to);
    expect(wanted.length).toBeGreaterThan(0);
    expect(ids(window)).toEqual(ids(wanted));
    expect(window.at(-1).created).toBe(iso(from));
  });

  it('pages with limit and cursor without gaps or duplicates', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 100; i++) {
      const r = await h.call('list_subscriptions', { status: 'all', limit: 37, ...(cursor ? { cursor } : {}) });
      expect(r.isError).toBe(false);
      expect(r.structured.count).toBe(r.structured.data.length);
      seen.push(...ids(r.structured.data));
      if (!r.structured.has_more) {
        expect(r.structured.next_cursor).toBeNull();
        break;
      }
      cursor = r.structured.next_cursor;
    }
    expect(seen).toEqual(ids(subscriptions));
  });

  it("returns Stripe's own objects with detail \"full\"", async () => {
    const r = await h.call('list_subscriptions', { status: 'all', limit: 10, detail: 'full' });
    expect(r.isError).toBe(false);
    expect(r.structured.data).toEqual(cleanDeep(JSON.parse(JSON.stringify(subscriptions.slice(0, 10)))));
    expect(r.structured.amounts).toMatch(/minor units/);
  });

  it('explains bad input instead of calling Stripe', async () => {
    const before = h.emulator.requests.length;
    const unknown = await h.call('list_subscriptions', { plan: 'price_123' });
    expect(unknown.isError).toBe(true);
    expect(unknown.text).toMatch(/plan/);
    const badStatus = await h.call('list_subscriptions', { status: 'cancelled' });
    expect(badStatus.isError).toBe(true);
    expect(h.emulator.requests.length).toBe(before);
  });
});
