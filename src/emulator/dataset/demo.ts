/**
 * Demo objects for the cases a real account has and the random business does not: ids the account chose
 * (product `gold-plan`, plan/price `gold-monthly`, coupons), a forever coupon on the customer rather than the
 * subscription, a coupon limited to some products (`applies_to`), an amount-off coupon in EUR, objects on a test
 * clock (test mode only), and a canceled subscription whose customer was deleted. Their ids are in
 * `Dataset['special']`.
 *
 * They are drawn from their own random stream, after the random business, so the rest of the dataset is the same
 * with or without them; they appear only in a business of at least DEMO_MIN_CUSTOMERS customers (the small
 * businesses tests work out by hand stay as they are).
 *
 * Custom ids: Stripe lets the account choose the id of a product ("You can optionally override this ID"), a plan
 * (same wording; plans are prices, so the plan's id is also the price's) and a coupon ("Unique string of your
 * choice"); not of a price created with the Prices API (no `id` parameter). Source: the create endpoints in
 * Stripe's OpenAPI spec (POST /v1/products, /v1/plans, /v1/coupons, /v1/prices).
 */
import type Stripe from 'stripe';
import { Rng, hashSeed } from '../random.js';
import { couponShape, priceShape, productShape } from './catalog.js';
import { REGION_DE, REGION_US, addCustomer } from './customers.js';
import type { Dataset } from '../types.js';
import type { CustomerCtx, Generator } from './generator.js';
import { discountShape, simulateSubscription } from './subscriptions.js';
import type { AppliedDiscount } from './subscriptions.js';
import { DAY, addMonths } from './util.js';

export const DEMO_MIN_CUSTOMERS = 100;

export const GOLD_PRODUCT_ID = 'gold-plan';
export const GOLD_PLAN_ID = 'gold-monthly';

const DEMO_COUPONS: Array<Partial<Stripe.Coupon>> = [
  { id: 'PARTNER15', name: 'Partner 15% off (whole account)', percent_off: 15, duration: 'forever' },
  { id: 'TEAMSEATS25', name: '25% off Team seats', percent_off: 25, duration: 'forever' },
  { id: 'EURO5OFF', name: '€5 off every month', amount_off: 500, currency: 'eur', duration: 'forever' },
];

export function buildDemo(g: Generator): void {
  if (g.size.customers < DEMO_MIN_CUSTOMERS) return;
  const main = g.rng;
  g.rng = new Rng(hashSeed(g.seed, `${g.mode}-demo`));
  try {
    demoCatalog(g);
    g.special = { ...g.special, ...demoSubscriptions(g) };
  } finally {
    g.rng = main;
  }
}

/** Product `gold-plan` with its plan `gold-monthly` (USD 99.00 a month), and the demo coupons. */
function demoCatalog(g: Generator): void {
  const created = g.start - 40 * DAY;
  const product = productShape({ id: GOLD_PRODUCT_ID, created, description: 'Legacy Gold plan, created with the Plans API.', livemode: g.livemode, metadata: { tier: 'gold' }, name: 'Gold', updated: created + DAY });
  const price = priceShape({ id: GOLD_PLAN_ID, created: created + 600, product: product.id, currency: 'usd', unit_amount: 9900, nickname: 'Gold monthly (USD)', recurring: { interval: 'month' }, livemode: g.livemode });
  product.default_price = price.id;
  g.products.push(product);
  g.prices.push(price);
  g.priceIndex.set('gold:usd:month', price);
  const team = g.productByKey.get('team') as Stripe.Product;
  for (const c of DEMO_COUPONS) {
    const coupon = couponShape({ ...c, created: created + g.rng.int(1, 20) * DAY, livemode: g.livemode, ...(c.id === 'TEAMSEATS25' ? { applies_to: { products: [team.id] } } : {}) });
    g.coupons.push(coupon);
    g.couponById.set(coupon.id, coupon);
  }
}

function demoCustomer(g: Generator, ageDays: number, name: string, email: string, region = REGION_US, metadata: Record<string, string> = {}): CustomerCtx {
  return addCustomer(g, { created: g.now - ageDays * DAY, region, name, email, metadata: { demo: 'true', ...metadata } });
}

type Plan = Parameters<typeof simulateSubscription>[1];

function plan(c: CustomerCtx, productKey: string, start: number, more: Partial<Plan> = {}): Plan {
  return { c, start, productKey, yearly: false, fate: 'active', quantity: 1, coupon: null, collection: 'charge_automatically', trial: false, metered: false, ...more };
}

/** A forever coupon on the customer itself (`customer.discount`), not on a subscription. */
function customerDiscount(g: Generator, c: CustomerCtx, couponId: string, start: number): AppliedDiscount {
  const coupon = g.couponById.get(couponId) as Stripe.Coupon;
  coupon.times_redeemed += 1;
  const discount = discountShape({ id: g.longId('di_'), coupon, customer: c.obj.id, start, subscription: null });
  g.discounts.push(discount);
  c.obj.discount = discount;
  return { discount, coupon };
}

function demoSubscriptions(g: Generator): Partial<Dataset['special']> {
  // Gold plan, USD 99.00, PARTNER15 on the customer → MRR 84.15.
  const gold = demoCustomer(g, 240, 'Goldsmith & Co', 'accounts@goldsmith.example', REGION_US, { partner: 'gold' });
  const goldStart = gold.obj.created + 3600;
  simulateSubscription(g, plan(gold, 'gold', goldStart, { customerDiscount: customerDiscount(g, gold, 'PARTNER15', goldStart) }));
  // Team × 5 (USD 15.00, TEAMSEATS25 applies to Team only) + Pro × 1 (USD 49.00) → MRR 56.25 + 49.00 = 105.25.
  const lattice = demoCustomer(g, 150, 'Lattice Works', 'billing@lattice-works.example');
  const pro = g.priceIndex.get('pro:usd:month') as Stripe.Price;
  simulateSubscription(g, plan(lattice, 'team', lattice.obj.created + 3600, { quantity: 5, coupon: 'TEAMSEATS25', extra: [{ price: pro, quantity: 1 }] }));
  // Pro EUR 45.00 with EURO5OFF (amount off, in EUR) → MRR 40.00 EUR.
  const kaffee = demoCustomer(g, 100, 'Kaffeehaus Digital GmbH', 'buchhaltung@kaffeehaus.example', REGION_DE);
  simulateSubscription(g, plan(kaffee, 'pro', kaffee.obj.created + 3600, { coupon: 'EURO5OFF' }));
  const moves = planChanges(g);
  const deleted = deletedCustomer(g);
  return {
    customIdProduct: GOLD_PRODUCT_ID,
    customIdPrice: GOLD_PLAN_ID,
    customerDiscountCustomer: gold.obj.id,
    appliesToCustomer: lattice.obj.id,
    amountOffEurCustomer: kaffee.obj.id,
    ...moves,
    deletedCustomer: deleted,
    ...(g.livemode ? {} : testClockObjects(g)),
  };
}

/**
 * Upgrades, downgrades and a reactivation, for the MRR bridge: a Starter customer moved to Pro at a renewal (no
 * prorations: the next invoice bills Pro), a Team customer cutting seats mid-period and one adding seats (both
 * prorated on the next invoice), and a customer who canceled and came back months later.
 */
function planChanges(g: Generator): Partial<Dataset['special']> {
  const pro = g.priceIndex.get('pro:usd:month') as Stripe.Price;
  const upgrader = demoCustomer(g, 210, 'Brightpath Studio', 'finance@brightpath.example');
  const upStart = upgrader.obj.created + 3600;
  simulateSubscription(g, plan(upgrader, 'starter', upStart, { changes: [{ at: addMonths(upStart, 4), price: pro, prorate: false }] }));
  const shrinker = demoCustomer(g, 190, 'Northgate Logistics', 'ap@northgate.example');
  const downStart = shrinker.obj.created + 3600;
  simulateSubscription(g, plan(shrinker, 'team', downStart, { quantity: 10, changes: [{ at: addMonths(downStart, 3) + 12 * DAY, quantity: 6, prorate: true }] }));
  const grower = demoCustomer(g, 170, 'Fernhill Analytics', 'billing@fernhill.example');
  const growStart = grower.obj.created + 3600;
  simulateSubscription(g, plan(grower, 'team', growStart, { quantity: 4, changes: [{ at: addMonths(growStart, 2) + 9 * DAY, quantity: 9, prorate: true }] }));
  // Canceled after four months, back two months later.
  const returning = demoCustomer(g, 260, 'Returning Rocket Ltd', 'accounts@returning-rocket.example');
  const firstStart = returning.obj.created + 3600;
  const first = simulateSubscription(g, plan(returning, 'pro', firstStart, { fate: 'canceled' }));
  const back = Math.max(first.ended_at ?? firstStart, addMonths(firstStart, 4)) + 60 * DAY;
  simulateSubscription(g, plan(returning, 'pro', Math.min(back, g.now - 20 * DAY)));
  return { upgradeCustomer: upgrader.obj.id, downgradeCustomer: shrinker.obj.id, expansionCustomer: grower.obj.id, reactivatedCustomer: returning.obj.id };
}

/** A churned customer the account later deleted: its canceled subscription, invoices and charges remain. */
function deletedCustomer(g: Generator): string {
  const c = demoCustomer(g, 330, 'Former Client LLC', 'ap@former-client.example');
  simulateSubscription(g, plan(c, 'starter', c.obj.created + 3600, { fate: 'canceled' }));
  g.customers.splice(g.customers.indexOf(c), 1);
  return c.obj.id;
}

/** A test clock (test mode only) with a customer whose Pro subscription is in trial on it. */
function testClockObjects(g: Generator): Partial<Dataset['special']> {
  const created = g.now - 5 * DAY;
  const clock: Stripe.TestHelpers.TestClock = {
    id: g.longId('clock_'),
    object: 'test_helpers.test_clock',
    created,
    deletes_after: created + 30 * DAY,
    frozen_time: g.now,
    livemode: false,
    name: 'Trial conversion simulation',
    status: 'ready',
    status_details: {},
  };
  g.testClocks.push(clock);
  const c = addCustomer(g, { created: created + 60, region: REGION_US, name: 'Clockwork Trial Co', email: 'trial@clockwork.example', metadata: { demo: 'true' } });
  c.obj.test_clock = clock.id;
  const sub = simulateSubscription(g, plan(c, 'pro', created + 120, { fate: 'trialing', trial: true }));
  sub.test_clock = clock.id;
  for (const inv of g.invoices) if (inv.customer === c.obj.id) inv.test_clock = clock.id;
  return { testClock: clock.id, testClockCustomer: c.obj.id, testClockSubscription: sub.id };
}
