/**
 * The list rules a user meets on a real account, through the tools, on a few seeded objects: subscriptions with no
 * status (every status but canceled), canceled ones of deleted customers, test clocks (test mode says what it may
 * miss), and ids the account chose (`gold-plan`) as cursors, filters and in fetch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Stripe from 'stripe';
import { seed } from '../../src/emulator/index.js';
import { startHarness, type Harness } from '../helpers/harness.js';

const DAY = 86_400;
const t = (d: number) => 1_767_225_600 + d * DAY;
const gold = seed.product({ id: 'gold-plan', name: 'Gold', created: t(9) });
const silver = seed.product({ name: 'Silver', created: t(8) });
const bronze = seed.product({ id: 'bronze', name: 'Bronze', created: t(7) });
const goldMonthly = seed.price({ id: 'gold-monthly', product: gold.id, unit_amount: 5000 });
const alive = seed.customer({ name: 'Alive', created: t(1) });
const gone = { ...seed.customer({ name: 'Gone', created: t(2) }), deleted: true } as unknown as Stripe.Customer;
const clock = seed.testClock();
const onClock = seed.customer({ name: 'On a clock', test_clock: clock.id, created: t(3) });
const subs = {
  active: seed.subscription({ customer: alive.id, items: [goldMonthly], created: t(1) }),
  expired: seed.subscription({ customer: alive.id, items: [goldMonthly], status: 'incomplete_expired', created: t(2) }),
  canceled: seed.subscription({ customer: alive.id, items: [goldMonthly], status: 'canceled', created: t(3) }),
  canceledGone: seed.subscription({ customer: gone.id, items: [goldMonthly], status: 'canceled', created: t(4) }),
  clocked: seed.subscription({ customer: onClock.id, items: [goldMonthly], created: t(5), test_clock: clock.id }),
};
const objects = {
  customers: [alive, gone, onClock],
  products: [gold, silver, bronze],
  prices: [goldMonthly],
  subscriptions: Object.values(subs),
};

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ emulator: { objects: { test: objects, live: objects } } });
});
afterAll(async () => h?.close());

const idsOf = (r: { structured: { data: Array<{ id: string }> } }) => r.structured.data.map((o) => o.id).sort();
const sorted = (...xs: Array<{ id: string }>) => xs.map((x) => x.id).sort();

describe('list_subscriptions', () => {
  it('without status lists every status but canceled, incomplete_expired included', async () => {
    const r = await h.call('list_subscriptions', {});
    expect(r.isError, r.text).toBe(false);
    expect(idsOf(r)).toEqual(sorted(subs.active, subs.expired));
  });

  it('status "canceled" includes subscriptions of deleted customers', async () => {
    expect(idsOf(await h.call('list_subscriptions', { status: 'canceled' }))).toEqual(sorted(subs.canceled, subs.canceledGone));
  });

  it('says so in its description', async () => {
    const { tools } = await h.client.listTools();
    const text = tools.find((x) => x.name === 'list_subscriptions')!.description!;
    expect(text).toContain('every status but canceled (incomplete_expired included)');
    expect(text).toContain("deleted customers' included");
    expect(text).not.toMatch(/only subscriptions that have not ended/);
  });
});

describe('test clocks', () => {
  it('test-mode answers that could miss test-clock objects say so; live-mode answers and per-customer ones do not', async () => {
    const customers = await h.call('list_customers', {});
    expect(idsOf(customers)).toEqual(sorted(alive)); // onClock is left out by Stripe, gone is deleted
    expect(customers.structured.note).toMatch(/Test mode: Stripe leaves customers attached to test clocks out/);
    const subsNote = (await h.call('list_subscriptions', {})).structured.note;
    expect(subsNote).toMatch(/Test mode: Stripe leaves subscriptions attached to test clocks out/);
    const perCustomer = await h.call('list_subscriptions', { customer: onClock.id });
    expect(idsOf(perCustomer)).toEqual(sorted(subs.clocked));
    expect(perCustomer.structured.note).toBeUndefined();
    const live = await h.call('list_customers', { mode: 'live' });
    expect(live.isError, live.text).toBe(false);
    expect(live.structured.note).toBeUndefined();
  });
});

describe('account-chosen ids', () => {
  it('list_products takes "gold-plan" as a cursor', async () => {
    const first = await h.call('list_products', { limit: 1 });
    expect(first.structured.next_cursor).toBe('gold-plan');
    const next = await h.call('list_products', { limit: 5, cursor: 'gold-plan' });
    expect(next.isError, next.text).toBe(false);
    expect(next.structured.data.map((p: { id: string }) => p.id)).toEqual([silver.id, 'bronze']);
  });

  it('filters take custom ids', async () => {
    const prices = await h.call('list_prices', { product: 'gold-plan' });
    expect(idsOf(prices)).toEqual(['gold-monthly']);
    expect(idsOf(await h.call('list_subscriptions', { price: 'gold-monthly', status: 'all' }))).toEqual(sorted(subs.active, subs.expired, subs.canceled));
  });

  it('fetch opens an unprefixed id as a product, then as a price (then as a coupon), and says when none has it', async () => {
    const product = await h.call('fetch', { id: 'gold-plan' });
    expect(product.isError, product.text).toBe(false);
    expect(product.structured).toMatchObject({ id: 'gold-plan', title: 'Product Gold', url: 'https://dashboard.stripe.com/test/products/gold-plan', metadata: { object: 'product' } });
    const price = await h.call('fetch', { id: 'gold-monthly' });
    expect(price.isError, price.text).toBe(false);
    expect(price.structured).toMatchObject({ id: 'gold-monthly', url: 'https://dashboard.stripe.com/test/prices/gold-monthly', metadata: { object: 'price' } });
    const missing = await h.call('fetch', { id: 'platinum' });
    expect(missing.isError).toBe(true);
    expect(missing.text).toMatch(/Not found: no product, price or coupon has the id "platinum" in test mode/);
    const spaced = await h.call('fetch', { id: 'gold plan' });
    expect(spaced.isError).toBe(true);
  });
});
