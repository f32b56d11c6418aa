/** Subscriptions (with items and discounts) and how each one lives: trial, billing periods, ending. */
import type Stripe from 'stripe';
import { planOf } from './catalog.js';
import type { CustomerCtx, Generator } from './generator.js';
import { finishInvoice, makeSubscriptionInvoice } from './invoices.js';
import type { InvoiceOutcome, ProrationLine } from './invoices.js';
import { randomFailure } from './payments.js';
import { BUILDER_IDS, DAY, HOUR, SEED_EPOCH, addMonths, idOf } from './util.js';
import type { Cur, IdSource } from './util.js';

// ---------------------------------------------------------------------------------------------------------------
// Shapes

export type DiscountSeed = Omit<Partial<Stripe.Discount>, 'source' | 'customer' | 'subscription'> & {
  /** Coupon id or object (a repeating coupon object sets `end`). */
  coupon?: string | Stripe.Coupon;
  customer?: string | Stripe.Customer | null;
  subscription?: string | Stripe.Subscription | null;
};

export function discountShape(f: DiscountSeed = {}, ids: IdSource = BUILDER_IDS): Stripe.Discount {
  const { coupon, customer, subscription, ...rest } = f;
  const start = f.start ?? SEED_EPOCH;
  const end = typeof coupon === 'object' && coupon.duration === 'repeating' ? addMonths(start, coupon.duration_in_months ?? 1) : null;
  return {
    id: f.id ?? ids.longId('di_'),
    object: 'discount',
    checkout_session: null,
    customer: idOf(customer),
    customer_account: null,
    end,
    invoice: null,
    invoice_item: null,
    promotion_code: null,
    source: { coupon: idOf(coupon), type: 'coupon' },
    start,
    subscription: idOf(subscription),
    subscription_item: null,
    ...rest,
  };
}

export type SubscriptionItemSeed = Stripe.Price | (Omit<Partial<Stripe.SubscriptionItem>, 'price' | 'plan'> & { price: Stripe.Price });

/** End of the billing period of `r` that starts at `start`. */
export function periodEndOf(start: number, r: Stripe.Price.Recurring | null): number {
  const n = r?.interval_count || 1;
  if (!r || r.interval === 'month') return addMonths(start, n);
  if (r.interval === 'year') return addMonths(start, 12 * n);
  if (r.interval === 'week') return start + 7 * DAY * n;
  return start + DAY * n;
}

export function subscriptionItemShape(subId: string, created: number, s: SubscriptionItemSeed, ids: IdSource = BUILDER_IDS): Stripe.SubscriptionItem {
  const { price, ...rest } = 'object' in s && s.object === 'price' ? { price: s } : (s as Exclude<SubscriptionItemSeed, Stripe.Price>);
  const periodStart = rest.current_period_start ?? created;
  return {
    id: rest.id ?? ids.shortId('si_'),
    object: 'subscription_item',
    billing_thresholds: null,
    created,
    current_period_end: periodEndOf(periodStart, price.recurring),
    current_period_start: periodStart,
    current_trial: null,
    discounts: [],
    metadata: {},
    plan: planOf(price),
    price,
    // Stripe leaves `quantity` out of items on metered prices.
    ...(price.recurring?.usage_type === 'metered' ? {} : { quantity: 1 }),
    subscription: subId,
    tax_rates: [],
    ...rest,
  };
}

export type SubscriptionSeed = Omit<Partial<Stripe.Subscription>, 'items' | 'customer' | 'discounts'> & {
  customer?: string | Stripe.Customer;
  /** Prices (quantity 1) or partial items with their price; periods start at `start_date`. */
  items?: Array<SubscriptionItemSeed | Stripe.SubscriptionItem>;
  /** Discount ids or objects (their objects belong in the seed's `discounts`). */
  discounts?: Array<string | Stripe.Discount>;
};

export function subscriptionShape(f: SubscriptionSeed = {}, ids: IdSource = BUILDER_IDS): Stripe.Subscription {
  const { items: itemSeeds, customer, discounts, ...rest } = f;
  const id = f.id ?? ids.longId('sub_');
  const start = f.start_date ?? f.created ?? SEED_EPOCH;
  const items = (itemSeeds ?? []).map((s) => (s.object === 'subscription_item' ? (s as Stripe.SubscriptionItem) : subscriptionItemShape(id, start, s as SubscriptionItemSeed, ids)));
  const status = f.status ?? 'active';
  const endedAt = status === 'canceled' || status === 'incomplete_expired' ? start + DAY : null;
  return {
    id,
    object: 'subscription',
    application: null,
    application_fee_percent: null,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null },
    billing_cycle_anchor: start,
    billing_cycle_anchor_config: null,
    billing_mode: { flexible: null, type: 'classic' },
    billing_schedules: [],
    billing_thresholds: null,
    cancel_at: null,
    cancel_at_period_end: false,
    canceled_at: status === 'canceled' ? (f.ended_at ?? endedAt) : null,
    cancellation_details: { comment: null, feedback: null, feedback_option: null, reason: status === 'canceled' ? 'cancellation_requested' : null },
    collection_method: 'charge_automatically',
    created: start,
    currency: items[0]?.price.currency ?? 'usd',
    customer: idOf(customer) ?? ids.shortId('cus_'),
    customer_account: null,
    days_until_due: f.collection_method === 'send_invoice' ? 30 : null,
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: null,
    discounts: (discounts ?? []).map((d) => idOf(d) as string) as unknown as Stripe.Discount[],
    ended_at: endedAt,
    invoice_settings: { account_tax_ids: null, custom_fields: null, description: null, footer: null, issuer: { type: 'self' } },
    items: { object: 'list', data: items, has_more: false, url: `/v1/subscription_items?subscription=${id}` },
    latest_invoice: null,
    livemode: false,
    managed_payments: null,
    metadata: {},
    next_pending_invoice_item_invoice: null,
    on_behalf_of: null,
    pause_collection: null,
    payment_settings: { payment_method_options: null, payment_method_types: null, save_default_payment_method: 'off' },
    pending_invoice_item_interval: null,
    pending_setup_intent: null,
    pending_update: null,
    schedule: null,
    start_date: start,
    status,
    test_clock: null,
    transfer_data: null,
    trial_end: null,
    trial_settings: { end_behavior: { billing_cycle_anchor: null, missing_payment_method: 'create_invoice' } },
    trial_start: null,
    ...rest,
  } as Stripe.Subscription;
}

// ---------------------------------------------------------------------------------------------------------------
// Generated subscriptions

type SubFate = 'active' | 'trialing' | 'past_due' | 'unpaid' | 'canceled' | 'incomplete' | 'incomplete_expired';
type Collection = 'charge_automatically' | 'send_invoice';

interface SubPlan {
  c: CustomerCtx;
  start: number;
  productKey: string;
  yearly: boolean;
  fate: SubFate;
  quantity: number;
  coupon: string | null;
  collection: Collection;
  trial: boolean;
  metered: boolean;
  /** More licensed items after the first (demo subscriptions). */
  extra?: Array<{ price: Stripe.Price; quantity: number }>;
  /** A discount on the customer (`customer.discount`): applies to the invoices when the subscription has none. */
  customerDiscount?: AppliedDiscount | null;
  /** Upgrades and downgrades of the first item (demo subscriptions), oldest first. */
  changes?: PlanChange[];
}

/**
 * A change of the first item's price or quantity at `at`. Prorated, it bills the difference for the rest of its
 * period on the next invoice: a credit for the unused time on the old item and a charge for the remaining time on
 * the new one (proration invoice items: docs.stripe.com/billing/subscriptions/prorations). Not prorated, the next
 * invoice simply bills the new item.
 */
export interface PlanChange {
  at: number;
  price?: Stripe.Price;
  quantity?: number;
  prorate: boolean;
}

type PlanChoice = Omit<SubPlan, 'c' | 'start' | 'extra' | 'customerDiscount' | 'changes'>;

export interface AppliedDiscount {
  discount: Stripe.Discount;
  coupon: Stripe.Coupon;
}

function chooseFate(g: Generator, age: number, isYearly: boolean): SubFate {
  const period = isYearly ? 365 * DAY : 30 * DAY;
  const fate = g.rng.weighted<SubFate>([
    ['active', 58],
    ['canceled', 21],
    ['past_due', 5],
    ['unpaid', 3],
    ['trialing', 4],
    ['incomplete', 2],
    ['incomplete_expired', 3],
  ]);
  if ((fate === 'past_due' || fate === 'canceled') && age < 3 * DAY) return 'active';
  if (fate === 'unpaid' && (age < period + 25 * DAY || isYearly)) return 'active';
  return fate;
}

function randomPlan(g: Generator, c: CustomerCtx, start: number): PlanChoice {
  const age = g.now - start;
  let productKey = g.rng.weighted([
    ['starter', 45],
    ['pro', 35],
    ['team', 15],
    ['basic', 5],
  ] as const) as string;
  if (productKey === 'basic' && (c.obj.currency !== 'usd' || start > g.now - 330 * DAY)) productKey = 'starter';
  const yearly = productKey !== 'basic' && g.rng.chance(0.18);
  const fate = chooseFate(g, age, yearly);
  const quantity = productKey === 'team' ? g.rng.int(2, 30) : productKey === 'pro' && g.rng.chance(0.12) ? g.rng.int(2, 4) : 1;
  let coupon: string | null = null;
  if (g.rng.chance(0.09)) coupon = c.obj.currency === 'usd' && g.rng.chance(0.3) ? 'NONPROFIT10' : 'LOYAL20';
  else if (g.rng.chance(0.08)) coupon = 'WELCOME3M';
  else if (g.rng.chance(0.06)) coupon = 'LAUNCH50';
  const collection: Collection = g.rng.chance(productKey === 'team' ? 0.3 : 0.05) ? 'send_invoice' : 'charge_automatically';
  const trial = g.rng.chance(0.3);
  const metered = productKey === 'pro' && c.obj.currency === 'usd' && g.rng.chance(0.35);
  return { productKey, yearly, fate, quantity, coupon, collection, trial, metered };
}

/** What the special customers' subscriptions are, whatever the random draw said. */
function specialPlan(g: Generator, c: CustomerCtx): Partial<PlanChoice> | null {
  const sp = g.special;
  if (c.obj.id === sp.jpyCustomer) return { productKey: 'pro', yearly: true, fate: 'active', quantity: 1, coupon: null, trial: false, metered: false, collection: 'charge_automatically' };
  if (c.obj.id === sp.foreverDiscountCustomer) return { productKey: 'team', yearly: false, fate: 'active', quantity: 8, coupon: 'LOYAL20', trial: false, collection: 'charge_automatically' };
  if (c.obj.id === sp.controlCharsCustomer) return { productKey: 'team', yearly: false, fate: 'active', quantity: 12, coupon: null, collection: 'send_invoice' };
  if (c.obj.id === sp.injectionCustomer) return { productKey: 'pro', fate: 'past_due', collection: 'charge_automatically', yearly: false };
  return null;
}

export function buildSubscriptions(g: Generator): void {
  for (const c of g.customers) {
    if (c.obj.currency === 'kwd') continue;
    const special = specialPlan(g, c);
    if (!special && !g.rng.chance(0.86)) continue;
    const start = Math.min(c.obj.created + g.rng.int(30, 2 * HOUR), g.now - 30);
    const plan: SubPlan = { c, start, ...randomPlan(g, c, start), ...special };
    simulateSubscription(g, plan);
    // Some customers come back: a failed first attempt followed by a new subscription, or a churned customer
    // who resubscribes.
    if ((plan.fate === 'incomplete_expired' && g.rng.chance(0.5)) || (plan.fate === 'canceled' && g.rng.chance(0.08))) {
      const last = g.subscriptions[g.subscriptions.length - 1] as Stripe.Subscription;
      const restart = (last.ended_at ?? start) + g.rng.int(1, 20) * DAY;
      if (restart < g.now - 2 * DAY) {
        simulateSubscription(g, {
          c,
          start: restart,
          productKey: plan.productKey === 'basic' ? 'starter' : plan.productKey,
          yearly: false,
          fate: 'active',
          quantity: plan.quantity,
          coupon: null,
          collection: 'charge_automatically',
          trial: false,
          metered: false,
        });
      }
    }
  }
}

interface Ending {
  endedAt: number | null;
  canceledAt: number | null;
  cancelAt: number | null;
  cancelAtPeriodEnd: boolean;
  cancelReason: Stripe.Subscription.CancellationDetails.Reason | null;
  feedback: Stripe.Subscription.CancellationDetails.Feedback | null;
  paymentFailedEnd: boolean;
}

/** How a canceled subscription ended: after failed payments, at a period end, or immediately. */
function cancellation(g: Generator, start: number, anchor: number, step: (t: number, n: number) => number): Ending {
  const e: Ending = { endedAt: null, canceledAt: null, cancelAt: null, cancelAtPeriodEnd: false, cancelReason: null, feedback: null, paymentFailedEnd: g.rng.chance(0.3) };
  const boundaries: number[] = [];
  for (let t = step(anchor, 1); t < g.now - HOUR; t = step(t, 1)) boundaries.push(t);
  if (e.paymentFailedEnd) {
    const b = boundaries.length ? g.rng.pick(boundaries) : anchor;
    e.endedAt = Math.min(b + g.rng.int(15, 25) * DAY, g.now - HOUR);
    e.canceledAt = e.endedAt;
    e.cancelReason = 'payment_failed';
    return e;
  }
  if (boundaries.length && g.rng.chance(0.5)) {
    e.endedAt = g.rng.pick(boundaries);
    e.canceledAt = Math.max(start + HOUR, e.endedAt - g.rng.int(1, 20) * DAY);
    e.cancelAt = e.endedAt;
    e.cancelAtPeriodEnd = true;
  } else {
    e.endedAt = start + Math.floor((g.now - start) * g.rng.float() * 0.98) + HOUR;
    e.canceledAt = e.endedAt;
  }
  e.cancelReason = 'cancellation_requested';
  e.feedback = g.rng.weighted<Stripe.Subscription.CancellationDetails.Feedback | null>([
    ['too_expensive', 30],
    ['missing_features', 15],
    ['switched_service', 15],
    ['unused', 20],
    ['customer_service', 5],
    ['low_quality', 5],
    [null, 20],
  ]);
  return e;
}

function ending(g: Generator, fate: SubFate, yearly: boolean, start: number, anchor: number, step: (t: number, n: number) => number): Ending {
  if (fate === 'canceled') return cancellation(g, start, anchor, step);
  const e: Ending = { endedAt: null, canceledAt: null, cancelAt: null, cancelAtPeriodEnd: false, cancelReason: null, feedback: null, paymentFailedEnd: false };
  if (fate === 'incomplete_expired') e.endedAt = start + 23 * HOUR;
  if (fate === 'active' && g.rng.chance(0.05) && !yearly) {
    e.cancelAtPeriodEnd = true;
    e.canceledAt = g.now - g.rng.int(1, 10) * DAY;
  }
  return e;
}

/** The subscription's discount (and coupon) when it has one; a coupon in another currency falls back to LOYAL20. */
function subscriptionDiscount(g: Generator, c: CustomerCtx, code: string | null, currency: string, start: number, subId: string): AppliedDiscount | null {
  if (!code) return null;
  let coupon = g.couponById.get(code) ?? null;
  if (coupon && coupon.currency && coupon.currency !== currency) coupon = g.couponById.get('LOYAL20') ?? null;
  if (!coupon) return null;
  coupon.times_redeemed += 1;
  const discount = discountShape({ id: g.longId('di_'), coupon, customer: c.obj.id, start, subscription: subId });
  g.discounts.push(discount);
  return { discount, coupon };
}

/** The start after fates that only make sense recently, the trial, and the fate the trial implies. */
function timeline(g: Generator, o: SubPlan): { start: number; fate: SubFate; trial: boolean; trialEnd: number | null } {
  let start = o.start;
  let fate = o.fate;
  if (fate === 'trialing') start = Math.max(start, g.now - g.rng.int(1, 13) * DAY - g.rng.int(0, 20 * HOUR));
  if (fate === 'incomplete') start = Math.max(start, g.now - g.rng.int(1, 20) * HOUR);
  if (start <= o.c.obj.created) start = o.c.obj.created + 60;
  const trial = fate === 'trialing' || (o.trial && fate !== 'incomplete' && fate !== 'incomplete_expired');
  const trialEnd = trial ? start + 14 * DAY : null;
  if (fate !== 'trialing' && trialEnd !== null && trialEnd > g.now - DAY) fate = 'trialing';
  return { start, fate, trial, trialEnd };
}

interface Life {
  o: SubPlan;
  sub: Stripe.Subscription;
  items: Stripe.SubscriptionItem[];
  start: number;
  anchor: number;
  fate: SubFate;
  trial: boolean;
  trialEnd: number | null;
  end: Ending;
  discount: AppliedDiscount | null;
  metered: boolean;
  step: (t: number, n: number) => number;
}

export function simulateSubscription(g: Generator, o: SubPlan): Stripe.Subscription {
  const { c } = o;
  const currency = c.obj.currency as Cur;
  const interval = o.yearly ? 'year' : 'month';
  const price = g.priceIndex.get(`${o.productKey}:${currency}:${interval}`) ?? (g.priceIndex.get(`${o.productKey}:usd:month`) as Stripe.Price);
  const step = (t: number, n: number): number => addMonths(t, o.yearly ? 12 * n : n);
  const { start, fate, trial, trialEnd } = timeline(g, o);
  const anchor = trialEnd ?? start;
  const subId = g.longId('sub_');
  const items = [subscriptionItemShape(subId, start, { id: g.shortId('si_'), price, quantity: o.quantity }, BUILDER_IDS)];
  const metered = o.metered && currency === 'usd' && !o.yearly;
  if (metered) items.push(subscriptionItemShape(subId, start, { id: g.shortId('si_'), price: g.meteredPrice }));
  for (const x of o.extra ?? []) items.push(subscriptionItemShape(subId, start, { id: g.shortId('si_'), price: x.price, quantity: x.quantity }));
  const discount = subscriptionDiscount(g, c, o.coupon, currency, start, subId);
  const end = ending(g, fate, o.yearly, start, anchor, step);
  const sub = newSubscription(g, { o, subId, items, start, anchor, fate, trial, trialEnd, end, currency });
  const life: Life = { o, sub, items, start, anchor, fate, trial, trialEnd, end, discount, metered, step };
  const { invoices, couponApplied, currentStart } = bill(g, life);
  applyChanges(g, life);
  closeSubscription(g, life, invoices, couponApplied, currentStart);
  return sub;
}

function newSubscription(
  g: Generator,
  a: { o: SubPlan; subId: string; items: Stripe.SubscriptionItem[]; start: number; anchor: number; fate: SubFate; trial: boolean; trialEnd: number | null; end: Ending; currency: string },
): Stripe.Subscription {
  const { end } = a;
  return subscriptionShape({
    id: a.subId,
    billing_cycle_anchor: a.anchor,
    cancel_at: end.cancelAt,
    cancel_at_period_end: end.cancelAtPeriodEnd,
    canceled_at: end.canceledAt,
    cancellation_details: { comment: null, feedback: end.feedback, feedback_option: null, reason: end.cancelReason },
    collection_method: a.o.collection,
    created: a.start,
    currency: a.currency,
    customer: a.o.c.obj.id,
    days_until_due: a.o.collection === 'send_invoice' ? 30 : null,
    default_payment_method: a.o.c.card.pm,
    ended_at: end.endedAt,
    items: a.items,
    livemode: g.livemode,
    metadata: g.rng.chance(0.25) ? { workspace_id: `ws_${g.rng.alnum(8).toLowerCase()}` } : {},
    start_date: a.start,
    status: a.fate,
    trial_end: a.trialEnd,
    trial_start: a.trial ? a.start : null,
  });
}

/** Whether a discount applies to the period starting at `ps`: forever always, repeating until its end, once until used. */
function applies(d: AppliedDiscount | null | undefined, ps: number, couponApplied: boolean): d is AppliedDiscount {
  if (!d) return false;
  const { coupon, discount } = d;
  if (coupon.duration === 'forever') return true;
  if (coupon.duration === 'repeating' && ps < (discount.end ?? 0)) return true;
  return coupon.duration === 'once' && !couponApplied;
}

/** The subscription's own discount when it applies, else the customer's (Stripe prefers the subscription's). */
function discountFor(life: Life, ps: number, couponApplied: boolean): AppliedDiscount | null {
  if (life.discount) return applies(life.discount, ps, couponApplied) ? life.discount : null;
  const customer = life.o.customerDiscount;
  return applies(customer, ps, couponApplied) ? customer : null;
}

/** Invoices of the trial and every billing period up to the subscription's end (or now). */
function bill(g: Generator, life: Life): { invoices: Stripe.Invoice[]; couponApplied: boolean; currentStart: number } {
  const { o, sub, items, start, anchor, fate, trial, trialEnd, step } = life;
  const c = o.c;
  const invoices: Stripe.Invoice[] = [];
  if (trial) {
    const inv = makeSubscriptionInvoice(g, { c, sub, items, periodStart: start, periodEnd: trialEnd as number, created: start, reason: 'subscription_create', trialLine: true, discount: null, coupon: null, usage: 0, previousStart: start });
    invoices.push(inv);
    finishInvoice(g, inv, c, { kind: 'paid_zero', time: start });
  }
  let couponApplied = false;
  let currentStart = trial ? (trialEnd as number) : start;
  let prevStart = start;
  const periodStarts: number[] = [];
  const limit = life.end.endedAt ?? g.now;
  if (fate !== 'trialing') for (let k = 0, ps = anchor; ps < limit; ps = step(anchor, ++k)) periodStarts.push(ps);
  for (let k = 0; k < periodStarts.length; k++) {
    const ps = periodStarts[k] as number;
    currentStart = ps;
    const applied = discountFor(life, ps, couponApplied);
    const usage = life.metered && k > 0 ? g.rng.int(0, 6000) : 0;
    const inv = makeSubscriptionInvoice(g, {
      c,
      sub,
      items: itemsAt(life, ps),
      prorations: k > 0 ? prorationsBetween(life, prevStart, ps) : [],
      periodStart: ps,
      periodEnd: step(anchor, k + 1),
      created: ps,
      reason: k === 0 && !trial ? 'subscription_create' : 'subscription_cycle',
      trialLine: false,
      discount: applied ? applied.discount : null,
      coupon: applied ? applied.coupon : null,
      usage,
      previousStart: prevStart,
    });
    if (applied && inv.total_discount_amounts && inv.total_discount_amounts.length) couponApplied = true;
    invoices.push(inv);
    prevStart = ps;
    finishInvoice(g, inv, c, periodOutcome(g, life, ps, k, periodStarts.length));
  }
  return { invoices, couponApplied, currentStart };
}

/** The items as they stood at `t`: the first one with the changes made by then. */
function itemsAt(life: Life, t: number): Stripe.SubscriptionItem[] {
  const changes = (life.o.changes ?? []).filter((ch) => ch.at <= t);
  if (changes.length === 0) return life.items;
  const [first, ...rest] = life.items as [Stripe.SubscriptionItem, ...Stripe.SubscriptionItem[]];
  let changed = first;
  for (const ch of changes) changed = { ...changed, ...(ch.price ? { price: ch.price, plan: planOf(ch.price) } : {}), ...(ch.quantity !== undefined ? { quantity: ch.quantity } : {}) };
  return [changed, ...rest];
}

/** The proration lines of prorated changes made inside the period [from, to), billed on the invoice at `to`. */
function prorationsBetween(life: Life, from: number, to: number): ProrationLine[] {
  const out: ProrationLine[] = [];
  for (const ch of life.o.changes ?? []) {
    if (!ch.prorate || ch.at <= from || ch.at >= to) continue;
    const before = itemsAt(life, ch.at - 1)[0] as Stripe.SubscriptionItem;
    const after = itemsAt(life, ch.at)[0] as Stripe.SubscriptionItem;
    const share = (item: Stripe.SubscriptionItem) => Math.round(((item.price.unit_amount ?? 0) * (item.quantity ?? 1) * (to - ch.at)) / (to - from));
    out.push({ item: before, amount: -share(before), start: ch.at, end: to }, { item: after, amount: share(after), start: ch.at, end: to });
  }
  return out;
}

/** The first item as it stands now, after every change made by then (a subscription shows only its current items). */
function applyChanges(g: Generator, life: Life): void {
  const now = itemsAt(life, Math.min(life.end.endedAt ?? g.now, g.now))[0];
  if (now && life.items[0]) Object.assign(life.items[0], { price: now.price, plan: now.plan, quantity: now.quantity });
}

/** What happened to the invoice of period k (of n) that starts at `ps`. */
function periodOutcome(g: Generator, life: Life, ps: number, k: number, n: number): InvoiceOutcome {
  const { fate, o } = life;
  const isLast = k === n - 1;
  if (fate === 'incomplete') return { kind: 'open_failed', time: ps, attempts: 1 };
  if (fate === 'incomplete_expired') return { kind: 'void_failed', time: ps, voidAt: ps + 23 * HOUR };
  if (isLast && fate === 'past_due') return o.collection === 'send_invoice' ? { kind: 'open_overdue', time: ps } : { kind: 'open_failed', time: ps, attempts: g.rng.int(1, 3) };
  if (fate === 'unpaid' && isLast) return { kind: 'draft', time: ps };
  if (fate === 'unpaid' && k === n - 2) return { kind: 'open_failed', time: ps, attempts: 4 };
  if (fate === 'canceled' && life.end.paymentFailedEnd && isLast) return { kind: 'uncollectible', time: ps, markedAt: life.end.endedAt as number };
  if (o.collection === 'send_invoice') {
    const payAt = ps + g.rng.int(1, 25) * DAY + g.rng.int(0, 20 * HOUR);
    return payAt < g.now - HOUR ? { kind: 'paid', time: payAt, retryFailure: null } : { kind: 'open_due', time: ps };
  }
  const retry = ps + 3 * DAY + 2 * HOUR < g.now && g.rng.chance(0.07) ? randomFailure(g) : null;
  return { kind: 'paid', time: ps + HOUR, retryFailure: retry };
}

function nextBoundary(anchor: number, current: number, yearly: boolean): number {
  let k = 0;
  let t = anchor;
  while (t <= current) t = addMonths(anchor, (yearly ? 12 : 1) * ++k);
  return t;
}

/** Period fields on items, the discounts still active, the latest invoice; then the subscription is stored. */
function closeSubscription(g: Generator, life: Life, invoices: Stripe.Invoice[], couponApplied: boolean, currentStart: number): void {
  const { sub, items, fate, start, trialEnd, anchor, step, o } = life;
  const periodStart = fate === 'trialing' ? start : currentStart;
  let periodEnd: number;
  if (fate === 'trialing') periodEnd = trialEnd as number;
  else if (fate === 'incomplete' || fate === 'incomplete_expired') periodEnd = step(start, 1);
  else periodEnd = step(currentStart, 0) === currentStart ? nextBoundary(anchor, currentStart, o.yearly) : step(currentStart, 1);
  for (const it of items) {
    it.current_period_start = periodStart;
    it.current_period_end = periodEnd;
  }
  if (life.end.cancelAtPeriodEnd && fate === 'active') sub.cancel_at = periodEnd;
  if (life.discount && fate !== 'canceled' && fate !== 'incomplete_expired') {
    const { coupon, discount } = life.discount;
    const stillActive =
      coupon.duration === 'forever' ||
      (coupon.duration === 'repeating' && (discount.end ?? 0) > g.now) ||
      (coupon.duration === 'once' && !couponApplied);
    if (stillActive) sub.discounts = [discount.id] as unknown as Stripe.Discount[];
  }
  const last = invoices[invoices.length - 1];
  sub.latest_invoice = last ? last.id : null;
  g.subscriptions.push(sub);
  if (fate === 'past_due' || fate === 'unpaid') o.c.obj.delinquent = true;
}
