/**
 * One subscription's monthly recurring revenue as Stripe Billing defines it (../shared facts, "MRR"):
 * - items on recurring, licensed (per-seat) prices only: metered (usage) prices and one-off items are left out;
 * - unit amount × quantity, normalised to a month: yearly ÷ 12, weekly × 52 ÷ 12, daily × 365 ÷ 12, ÷ interval_count;
 * - only coupons with duration "forever" reduce it ("once" and "repeating" do not): the subscription's own discounts,
 *   or, when it has none, its customer's discount (a subscription "inherits the discount from the subscription's
 *   customer" when its discounts are empty: docs.stripe.com/api/subscriptions/create, `discounts`);
 * - a coupon limited to some products (`applies_to.products`) reduces only the items on those products;
 * - an amount off is in the coupon's currency: it applies to a subscription in that currency, or in a currency the
 *   coupon has a `currency_options` amount for (docs.stripe.com/api/coupons/object), and to nothing else;
 * - taxes are not part of a price's amount here, so they are not counted.
 * Which subscriptions count (status, trials) is decided by the callers; this file also says when a subscription
 * brought in MRR, rebuilt from its dates, for history and churn.
 */
import type Stripe from 'stripe';
import type { CouponBook } from './coupons.js';
import { Fraction } from './fraction.js';

export interface ItemMrr {
  price: string;
  product: string | null;
  interval: string;
  interval_count: number;
  mrr: Fraction;
}

export interface SubscriptionMrr {
  id: string;
  customer: string;
  currency: string;
  items: ItemMrr[];
  total: Fraction;
  metered: number;
  /** Items on tiered or customer-chosen prices: Stripe lists no unit amount for them. */
  unpriced: number;
  /** Discounts that could not be read (coupon not expanded) or applied (item-level, other currency). */
  unreadDiscounts: number;
  /** Forever coupons applied to every item because their product limits (applies_to) could not be read. */
  unknownLimits: number;
  itemsHasMore: boolean;
}

const MONTHS_PER: Record<string, Fraction> = {
  // How many of this interval make a month.
  day: Fraction.of(365, 12),
  week: Fraction.of(52, 12),
  month: Fraction.of(1),
  year: Fraction.of(1, 12),
};

/** Monthly share of one billing period of `interval` × `count`. */
export function monthlyFactor(interval: string, count: number): Fraction | null {
  const per = MONTHS_PER[interval];
  return per ? per.div(Fraction.of(Math.max(1, count))) : null;
}

const idOf = (ref: string | { id: string } | null | undefined) => (ref === null || ref === undefined ? null : typeof ref === 'string' ? ref : ref.id);

function unitAmount(price: Stripe.Price): Fraction | null {
  if (typeof price.unit_amount === 'number') return Fraction.of(price.unit_amount);
  const decimal = price.unit_amount_decimal as unknown;
  if (decimal !== null && decimal !== undefined && price.billing_scheme !== 'tiered') return Fraction.decimal(String(decimal));
  return null;
}

/** A forever coupon in force, with whether its product limits are known (Stripe sends applies_to only when expanded). */
interface ForeverCoupon {
  coupon: Stripe.Coupon;
  limitsKnown: boolean;
}

/** The discounts that apply: the subscription's own, or when it has none, its customer's (if the customer was expanded). */
function applicableDiscounts(subscription: Stripe.Subscription): Array<Stripe.Discount | string> {
  const own = subscription.discounts ?? [];
  if (own.length > 0) return own;
  const customer = subscription.customer as Stripe.Customer | Stripe.DeletedCustomer | string;
  if (typeof customer === 'string' || customer.deleted) return [];
  return customer.discount ? [customer.discount] : [];
}

/** Discounts in force at `at` whose coupon lasts forever, each coupon completed from the coupon book when it is there. */
function foreverCoupons(subscription: Stripe.Subscription, at: number, book: CouponBook): { coupons: ForeverCoupon[]; unread: number } {
  const coupons: ForeverCoupon[] = [];
  let unread = 0;
  for (const discount of applicableDiscounts(subscription)) {
    if (typeof discount === 'string') {
      unread++;
      continue;
    }
    if (discount.start > at || (discount.end !== null && discount.end !== undefined && discount.end <= at)) continue;
    const ref = discount.source?.coupon;
    const id = idOf(ref as string | { id: string } | null | undefined);
    const listed = id !== null ? book?.get(id) : undefined;
    const coupon = listed ?? (ref && typeof ref !== 'string' ? ref : null);
    if (!coupon) {
      unread++;
      continue;
    }
    if (coupon.duration === 'forever') coupons.push({ coupon, limitsKnown: listed !== undefined || 'applies_to' in coupon });
  }
  return { coupons, unread };
}

/** The coupon's amount off in `currency`, in its minor units; null when it has none in that currency. */
function amountOffIn(coupon: Stripe.Coupon, currency: string): number | null {
  if (typeof coupon.amount_off !== 'number') return null;
  if (!coupon.currency || coupon.currency.toLowerCase() === currency.toLowerCase()) return coupon.amount_off;
  const option = coupon.currency_options?.[currency.toLowerCase()];
  return typeof option?.amount_off === 'number' ? option.amount_off : null;
}

/** The subscription's MRR with the forever discounts in force at `at` (Unix seconds). */
export function subscriptionMrr(subscription: Stripe.Subscription, at: number, book: CouponBook = null): SubscriptionMrr {
  const items: ItemMrr[] = [];
  let metered = 0;
  let unpriced = 0;
  let unreadDiscounts = 0;
  let unknownLimits = 0;
  let periodFactor: Fraction | null = null;
  for (const item of subscription.items?.data ?? []) {
    const price = item.price;
    const recurring = price?.recurring;
    if (!price || !recurring) continue; // not a recurring price: not MRR
    if (recurring.usage_type === 'metered') {
      metered++;
      continue;
    }
    const factor = monthlyFactor(recurring.interval, recurring.interval_count ?? 1);
    const unit = unitAmount(price);
    if (!factor || !unit) {
      unpriced++;
      continue;
    }
    periodFactor ??= factor;
    if ((item.discounts ?? []).length > 0) unreadDiscounts++;
    items.push({
      price: price.id,
      product: idOf(price.product),
      interval: recurring.interval,
      interval_count: recurring.interval_count ?? 1,
      mrr: unit.mul(Fraction.of(item.quantity ?? 1)).mul(factor),
    });
  }

  const { coupons, unread } = foreverCoupons(subscription, at, book);
  unreadDiscounts += unread;
  for (const { coupon, limitsKnown } of coupons) {
    if (!limitsKnown) unknownLimits++;
    const products = coupon.applies_to?.products ?? [];
    // applies_to limits a coupon to the items on those products; without it (or not read), every item.
    const eligible = products.length > 0 ? items.filter((i) => i.product !== null && products.includes(i.product)) : items;
    const before = eligible.reduce((sum, i) => sum.add(i.mrr), Fraction.ZERO);
    if (before.isZero()) continue;
    if (typeof coupon.percent_off === 'number') {
      const keep = Fraction.of(1).sub(Fraction.decimal(String(coupon.percent_off)).div(Fraction.of(100)));
      for (const item of eligible) item.mrr = item.mrr.mul(keep);
    } else if (typeof coupon.amount_off === 'number') {
      const amount = amountOffIn(coupon, subscription.currency);
      if (amount === null) {
        unreadDiscounts++;
        continue;
      }
      // An amount off comes off each invoice: a month's share of it, spread over the eligible items by their size.
      const off = Fraction.of(amount).mul(periodFactor ?? Fraction.of(1));
      const keep = off.compare(before) >= 0 ? Fraction.ZERO : Fraction.of(1).sub(off.div(before));
      for (const item of eligible) item.mrr = item.mrr.mul(keep);
    }
  }
  return {
    id: subscription.id,
    customer: idOf(subscription.customer) ?? '',
    currency: subscription.currency,
    items,
    total: items.reduce((sum, i) => sum.add(i.mrr), Fraction.ZERO),
    metered,
    unpriced,
    unreadDiscounts,
    unknownLimits,
    itemsHasMore: subscription.items?.has_more ?? false,
  };
}

/** Statuses that count toward MRR now (Stripe Billing's definition). */
export const MRR_STATUSES = ['active', 'past_due'] as const;

/**
 * When the subscription brought in MRR, rebuilt from its dates: from the end of its trial (or its start) until it
 * ended (canceled) or turned unpaid. Stripe records no date for turning unpaid: the start of the current billing
 * period stands in for it (the latest moment it can have happened, for a subscription unpaid for one period).
 * null when it never did (never paid for, canceled in its trial, still trialing, paused).
 */
export function paidInterval(subscription: Stripe.Subscription): { start: number; end: number | null } | null {
  const status = subscription.status;
  if (status === 'incomplete' || status === 'incomplete_expired' || status === 'trialing' || status === 'paused') return null;
  const trialEnd = subscription.trial_end ?? null;
  const start = trialEnd !== null && trialEnd > subscription.start_date ? trialEnd : subscription.start_date;
  let end: number | null = subscription.ended_at ?? null;
  if (status === 'canceled' && end === null) end = subscription.canceled_at ?? null;
  if (status === 'unpaid') {
    const since = unpaidSince(subscription);
    end = end === null ? since : Math.min(end, since);
  }
  if (end !== null && end <= start) return null;
  return { start, end };
}

/** Stand-in for when a subscription turned unpaid: the start of its current billing period. */
export function unpaidSince(subscription: Stripe.Subscription): number {
  const legacy = subscription as Stripe.Subscription & { current_period_start?: number };
  return subscription.items?.data?.[0]?.current_period_start ?? legacy.current_period_start ?? subscription.start_date;
}

/** Brought in MRR at moment `at` (Unix seconds), by the rebuilt interval. */
export function paidAt(interval: { start: number; end: number | null } | null, at: number): boolean {
  return interval !== null && interval.start <= at && (interval.end === null || at < interval.end);
}
