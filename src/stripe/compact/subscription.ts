import { z } from 'zod';
import type Stripe from 'stripe';
import { money } from '../money.js';
import { isoTime } from '../time.js';
import { idOf, isoDate, metadataSchema, moneyString } from './shared.js';
import { defineFacets } from './facets.js';
import { couponTerms } from './coupon.js';

export const compactSubscriptionItemSchema = z.object({
  id: z.string(),
  price: z.string(),
  product: z.string().nullable(),
  nickname: z.string().nullable(),
  unit_amount: moneyString.nullable().describe('Price per unit; null for tiered or custom prices'),
  currency: z.string(),
  interval: z.string().nullable().describe('day, week, month or year; null for a one-off price'),
  interval_count: z.number().int().nullable(),
  quantity: z.number().nullable(),
  usage_type: z.string().nullable().describe('licensed (fixed quantity) or metered (billed on usage)'),
  current_period_start: isoDate.nullable(),
  current_period_end: isoDate.nullable(),
});

export const compactDiscountSchema = z.object({
  id: z.string(),
  coupon: z.string().nullable().describe('Coupon id'),
  coupon_details: z
    .object({
      name: z.string().nullable(),
      percent_off: z.number().nullable(),
      amount_off: moneyString.nullable(),
      currency: z.string().nullable(),
      duration: z.string().describe('once, repeating or forever'),
      duration_in_months: z.number().int().nullable(),
    })
    .nullable()
    .describe('null when Stripe returned only the coupon id'),
  start: isoDate.nullable(),
  end: isoDate.nullable().describe('When the discount stops applying; null = no end'),
});

export const compactSubscriptionSchema = z.object({
  id: z.string(),
  status: z.string().describe('active, past_due, unpaid, canceled, incomplete, incomplete_expired, trialing or paused'),
  customer: z.string(),
  currency: z.string(),
  items: z.array(compactSubscriptionItemSchema),
  items_has_more: z.boolean().describe('More than the items listed here exist'),
  cancel_at_period_end: z.boolean(),
  cancel_at: isoDate.nullable(),
  canceled_at: isoDate.nullable(),
  ended_at: isoDate.nullable(),
  cancellation_reason: z.string().nullable(),
  cancellation_feedback: z.string().nullable(),
  trial_start: isoDate.nullable(),
  trial_end: isoDate.nullable(),
  start_date: isoDate,
  created: isoDate,
  collection_method: z.string(),
  discounts: z.array(compactDiscountSchema),
  latest_invoice: z.string().nullable(),
  metadata: metadataSchema,
});

export type CompactSubscription = z.infer<typeof compactSubscriptionSchema>;

function compactItem(item: Stripe.SubscriptionItem) {
  const price = item.price;
  return {
    id: item.id,
    price: price.id,
    product: idOf(price.product),
    nickname: price.nickname ?? null,
    unit_amount: money(price.unit_amount, price.currency),
    currency: price.currency,
    interval: price.recurring?.interval ?? null,
    interval_count: price.recurring?.interval_count ?? null,
    quantity: item.quantity ?? null,
    usage_type: price.recurring?.usage_type ?? null,
    current_period_start: isoTime(item.current_period_start),
    current_period_end: isoTime(item.current_period_end),
  };
}

/** A subscription discount: an id when Stripe did not expand it, else the discount (its coupon possibly expanded). */
function compactDiscount(discount: string | Stripe.Discount) {
  if (typeof discount === 'string') return { id: discount, coupon: null, coupon_details: null, start: null, end: null };
  const coupon = discount.source?.coupon;
  return {
    id: discount.id,
    coupon: idOf(coupon),
    coupon_details: coupon && typeof coupon === 'object' ? couponTerms(coupon) : null,
    start: isoTime(discount.start),
    end: isoTime(discount.end),
  };
}

export function compactSubscription(subscription: Stripe.Subscription): CompactSubscription {
  return {
    id: subscription.id,
    status: subscription.status,
    customer: idOf(subscription.customer)!,
    currency: subscription.currency,
    items: (subscription.items?.data ?? []).map(compactItem),
    items_has_more: subscription.items?.has_more ?? false,
    cancel_at_period_end: subscription.cancel_at_period_end,
    cancel_at: isoTime(subscription.cancel_at),
    canceled_at: isoTime(subscription.canceled_at),
    ended_at: isoTime(subscription.ended_at),
    cancellation_reason: subscription.cancellation_details?.reason ?? null,
    cancellation_feedback: subscription.cancellation_details?.feedback ?? null,
    trial_start: isoTime(subscription.trial_start),
    trial_end: isoTime(subscription.trial_end),
    start_date: isoTime(subscription.start_date)!,
    created: isoTime(subscription.created)!,
    collection_method: subscription.collection_method,
    discounts: (subscription.discounts ?? []).map(compactDiscount),
    latest_invoice: idOf(subscription.latest_invoice),
    metadata: subscription.metadata ?? {},
  };
}

const firstItem = (s: Stripe.Subscription) => s.items?.data?.[0];

/** What list_subscriptions can group (fields named as above; price, product and interval of the first item). */
export const subscriptionFacets = defineFacets<Stripe.Subscription>({
  currency: (s) => s.currency,
  groups: {
    status: (s) => s.status,
    customer: (s) => idOf(s.customer),
    currency: (s) => s.currency,
    price: (s) => firstItem(s)?.price?.id,
    product: (s) => idOf(firstItem(s)?.price?.product),
    interval: (s) => firstItem(s)?.price?.recurring?.interval,
    collection_method: (s) => s.collection_method,
    cancellation_reason: (s) => s.cancellation_details?.reason,
    cancellation_feedback: (s) => s.cancellation_details?.feedback,
  },
  money: {},
  dates: {
    created: (s) => s.created,
    start_date: (s) => s.start_date,
    canceled_at: (s) => s.canceled_at,
    ended_at: (s) => s.ended_at,
    trial_end: (s) => s.trial_end,
    current_period_end: (s) => firstItem(s)?.current_period_end,
  },
  defaultSums: [],
  carriedPrice: (s) => firstItem(s)?.price,
});
