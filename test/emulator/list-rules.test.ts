/**
 * What Stripe leaves out of lists without being asked, and how deep it expands, on a handful of seeded objects:
 * - docs.stripe.com/api/subscriptions/list (`status`): no status = every status but canceled; canceled includes
 *   subscriptions of deleted customers (the emulator leaves them out of every other status, the stricter reading);
 * - Stripe's OpenAPI `test_clock` list parameter: customers and subscriptions on a test clock are left out unless
 *   asked for (subscriptions: also when `customer` is given);
 * - docs.stripe.com/api/expanding_objects: four levels at most, `data` of a list counting as one;
 * - docs.stripe.com/api/coupons/object: `applies_to` and `currency_options` only when expanded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Stripe from 'stripe';
import { seed } from '../../src/emulator/index.js';
import type { EmulatorHandle } from '../../src/emulator/index.js';
import { clientFor, ids, start } from './helpers.js';

const DAY = 86_400;
const gold = seed.product({ id: 'gold-plan', name: 'Gold', created: 1_767_225_600 + 9 * DAY });
const silver = seed.product({ name: 'Silver' });
const goldMonthly = seed.price({ id: 'gold-monthly', product: gold.id, unit_amount: 5000, recurring: { interval: 'month' } });
const silverMonthly = seed.price({ product: silver.id, unit_amount: 2000, recurring: { interval: 'month' } });
const goldOnly = seed.coupon({ id: 'GOLD25', percent_off: 25, duration: 'forever', applies_to: { products: [gold.id] } });
const fiveOff = seed.coupon({ id: 'FIVEOFF', amount_off: 500, currency: 'usd', currency_options: { eur: { amount_off: 450 } } });
const clock = seed.testClock();

const alive = seed.customer({ name: 'Alive', discount: null });
const gone = { ...seed.customer({ name: 'Gone' }), deleted: true } as unknown as Stripe.Customer;
const onClock = seed.customer({ name: 'On a clock', test_clock: clock.id });
const withCoupon = seed.customer({ name: 'Customer coupon' });
const customerDiscount = seed.discount({ coupon: goldOnly.id, customer: withCoupon.id });
withCoupon.discount = customerDiscount;

const subDiscount = seed.discount({ coupon: goldOnly.id, customer: alive.id });
const t = (d: number) => 1_767_225_600 + d * DAY;
const subs = {
  active: seed.subscription({ customer: alive.id, items: [goldMonthly], created: t(1), discounts: [subDiscount.id] }),
  expired: seed.subscription({ customer: alive.id, items: [silverMonthly], status: 'incomplete_expired', created: t(2) }),
  canceled: seed.subscription({ customer: alive.id, items: [silverMonthly], status: 'canceled', created: t(3) }),
  canceledGone: seed.subscription({ customer: gone.id, items: [silverMonthly], status: 'canceled', created: t(4) }),
  expiredGone: seed.subscription({ customer: gone.id, items: [silverMonthly], status: 'incomplete_expired', created: t(5) }),
  clocked: seed.subscription({ customer: onClock.id, items: [silverMonthly], created: t(6), test_clock: clock.id }),
  customerCoupon: seed.subscription({ customer: withCoupon.id, items: [goldMonthly, silverMonthly], created: t(7) }),
};
subDiscount.subscription = subs.active.id;

let handle: EmulatorHandle;
let stripe: Stripe;

beforeAll(async () => {
  handle = await start({
    objects: {
      test: {
        customers: [alive, gone, onClock, withCoupon],
        products: [gold, silver],
        prices: [goldMonthly, silverMonthly],
        coupons: [goldOnly, fiveOff],
        discounts: [subDiscount, customerDiscount],
        subscriptions: Object.values(subs),
      },
    },
  });
  stripe = clientFor(handle);
});
afterAll(async () => handle?.close());

async function refusal(p: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(Stripe.errors.StripeError);
    return e as Stripe.errors.StripeError;
  }
  throw new Error('expected the request to fail');
}

const subIds = (list: Stripe.ApiList<Stripe.Subscription>) => ids(list.data).sort();
const sorted = (...xs: Stripe.Subscription[]) => ids(xs).sort();

describe('subscription status, as docs.stripe.com/api/subscriptions/list describes it', () => {
  it('without status: every status but canceled, incomplete_expired included', async () => {
    // clocked is on a test clock (left out, see below); expiredGone belongs to a deleted customer.
    expect(subIds(await stripe.subscriptions.list())).toEqual(sorted(subs.active, subs.expired, subs.customerCoupon));
  });

  it('canceled: every canceled subscription, deleted customers included', async () => {
    expect(subIds(await stripe.subscriptions.list({ status: 'canceled' }))).toEqual(sorted(subs.canceled, subs.canceledGone));
  });

  it('other statuses leave subscriptions of deleted customers out (the stricter reading)', async () => {
    expect(subIds(await stripe.subscriptions.list({ status: 'all' }))).toEqual(sorted(subs.active, subs.expired, subs.canceled, subs.customerCoupon));
    expect(subIds(await stripe.subscriptions.list({ status: 'ended' }))).toEqual(sorted(subs.expired, subs.canceled));
    expect(subIds(await stripe.subscriptions.list({ status: 'incomplete_expired' }))).toEqual(sorted(subs.expired));
  });

  it('refuses a status Stripe does not have', async () => {
    const e = await refusal(stripe.subscriptions.list({ status: 'expired' as 'all' }));
    expect(e.statusCode).toBe(400);
    expect(e.param).toBe('status');
  });
});

describe('deleted customers', () => {
  it('are not listed nor found, and are retrieved as a deleted stub', async () => {
    const listed = await stripe.customers.list({ limit: 100 });
    expect(ids(listed.data)).not.toContain(gone.id);
    expect((await stripe.customers.search({ query: "name:'Gone'" })).data).toEqual([]);
    expect(ids((await stripe.customers.search({ query: "name:'Alive'" })).data)).toEqual([alive.id]);
    expect(await stripe.customers.retrieve(gone.id)).toMatchObject({ id: gone.id, object: 'customer', deleted: true });
    const expanded = await stripe.subscriptions.retrieve(subs.canceledGone.id, { expand: ['customer'] });
    expect(expanded.customer).toEqual({ id: gone.id, object: 'customer', deleted: true });
  });
});

describe('test clocks', () => {
  it('customers on a test clock are listed only with test_clock', async () => {
    expect(ids((await stripe.customers.list()).data)).not.toContain(onClock.id);
    expect(ids((await stripe.customers.list({ test_clock: clock.id })).data)).toEqual([onClock.id]);
    expect((await stripe.customers.list({ test_clock: 'clock_1NoSuchClock' })).data).toEqual([]);
  });

  it('subscriptions on a test clock are listed with test_clock or customer', async () => {
    expect(ids((await stripe.subscriptions.list({ status: 'all' })).data)).not.toContain(subs.clocked.id);
    expect(ids((await stripe.subscriptions.list({ test_clock: clock.id })).data)).toEqual([subs.clocked.id]);
    expect(ids((await stripe.subscriptions.list({ customer: onClock.id })).data)).toEqual([subs.clocked.id]);
  });
});

describe('expand depth: four levels, data included', () => {
  it('expands four levels in a list and on retrieve', async () => {
    const list = await stripe.subscriptions.list({ customer: alive.id, expand: ['data.discounts.source.coupon'] });
    const discount = list.data.find((s) => s.id === subs.active.id)!.discounts[0] as Stripe.Discount;
    expect((discount.source.coupon as Stripe.Coupon).id).toBe(goldOnly.id);
    const one = await stripe.subscriptions.retrieve(subs.customerCoupon.id, { expand: ['customer.discount.source.coupon'] });
    const coupon = ((one.customer as Stripe.Customer).discount as Stripe.Discount).source.coupon as Stripe.Coupon;
    expect(coupon.percent_off).toBe(25);
  });

  it("refuses a fifth level with Stripe's 400", async () => {
    for (const path of ['data.customer.discount.source.coupon', 'data.discounts.source.coupon.applies_to']) {
      const e = await refusal(stripe.subscriptions.list({ expand: [path] }));
      expect(e.statusCode).toBe(400);
      expect(e.message).toBe(`You cannot expand more than 4 levels of a property. Property: ${path}`);
      expect(e.param).toBe('expand');
    }
    const e = await refusal(stripe.subscriptions.retrieve(subs.active.id, { expand: ['customer.discount.source.coupon.applies_to'] }));
    expect(e.statusCode).toBe(400);
  });
});

describe('coupons: applies_to and currency_options only when expanded', () => {
  it('lists and retrieves coupons without them, and with them when expanded', async () => {
    const plain = await stripe.coupons.list();
    expect(ids(plain.data).sort()).toEqual(['FIVEOFF', 'GOLD25']);
    for (const c of plain.data) {
      expect(c).not.toHaveProperty('applies_to');
      expect(c).not.toHaveProperty('currency_options');
    }
    const full = await stripe.coupons.list({ expand: ['data.applies_to', 'data.currency_options'] });
    const byId = new Map(full.data.map((c) => [c.id, c]));
    expect(byId.get('GOLD25')!.applies_to).toEqual({ products: ['gold-plan'] });
    expect(byId.get('FIVEOFF')!.applies_to).toBeNull();
    expect(byId.get('FIVEOFF')!.currency_options).toEqual({ eur: { amount_off: 450 } });
    expect((await stripe.coupons.retrieve('GOLD25')).applies_to).toBeUndefined();
    expect((await stripe.coupons.retrieve('GOLD25', { expand: ['applies_to'] })).applies_to).toEqual({ products: ['gold-plan'] });
  });

  it('expands applies_to through a subscription discount (four levels on retrieve)', async () => {
    const one = await stripe.subscriptions.retrieve(subs.active.id, { expand: ['discounts.source.coupon.applies_to'] });
    const coupon = (one.discounts[0] as Stripe.Discount).source.coupon as Stripe.Coupon;
    expect(coupon.applies_to).toEqual({ products: ['gold-plan'] });
    const shallow = await stripe.subscriptions.retrieve(subs.active.id, { expand: ['discounts.source.coupon'] });
    expect((shallow.discounts[0] as Stripe.Discount).source.coupon).not.toHaveProperty('applies_to');
  });

  it('expands a customer-level discount coupon in the customers list', async () => {
    const list = await stripe.customers.list({ expand: ['data.discount.source.coupon'] });
    const c = list.data.find((x) => x.id === withCoupon.id)!;
    expect(((c.discount as Stripe.Discount).source.coupon as Stripe.Coupon).id).toBe('GOLD25');
  });

  it('needs the Coupons permission', async () => {
    const key = 'rk_test_NoCouponsKey0001';
    const restricted = await start({ keys: { [key]: { mode: 'test', permissions: ['rak_subscription_read'] } }, objects: { test: { coupons: [goldOnly] } } });
    try {
      const e = await refusal(clientFor(restricted, key).coupons.list());
      expect(e.statusCode).toBe(403);
      expect(e.message).toContain('rak_coupon_read');
    } finally {
      await restricted.close();
    }
  });
});

describe('account-chosen ids', () => {
  it('pages, filters and retrieves by a custom product, price and coupon id', async () => {
    const page = await stripe.products.list({ limit: 1 });
    expect(ids(page.data)).toEqual(['gold-plan']);
    expect(ids((await stripe.products.list({ starting_after: 'gold-plan' })).data)).toEqual([silver.id]);
    expect((await stripe.products.retrieve('gold-plan')).name).toBe('Gold');
    expect((await stripe.prices.retrieve('gold-monthly')).unit_amount).toBe(5000);
    expect(ids((await stripe.prices.list({ product: 'gold-plan' })).data)).toEqual(['gold-monthly']);
    expect(ids((await stripe.subscriptions.list({ price: 'gold-monthly' })).data).sort()).toEqual(sorted(subs.active, subs.customerCoupon));
  });
});
