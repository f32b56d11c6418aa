import { z } from 'zod';
import type Stripe from 'stripe';
import { money } from '../money.js';
import { isoTime } from '../time.js';
import { isoDate, metadataSchema, moneyString } from './shared.js';
import { defineFacets, flag } from './facets.js';

// Shape: docs.stripe.com/api/coupons/object. applies_to and currency_options come only when expanded: not listed here.
export const compactCouponSchema = z.object({
  id: z.string().describe('Often chosen by the account (e.g. SUMMER25); this is what a discount names'),
  name: z.string().nullable(),
  percent_off: z.number().nullable().describe('e.g. 25.5 = 25.5 % off'),
  amount_off: moneyString.nullable().describe('Fixed amount off, in currency'),
  currency: z.string().nullable().describe('Currency of amount_off'),
  duration: z.string().describe('once, repeating (duration_in_months) or forever'),
  duration_in_months: z.number().int().nullable(),
  valid: z.boolean().describe('false once redeem_by passed or max_redemptions is reached'),
  times_redeemed: z.number().int(),
  max_redemptions: z.number().int().nullable(),
  redeem_by: isoDate.nullable(),
  created: isoDate,
  metadata: metadataSchema,
});

export type CompactCoupon = z.infer<typeof compactCouponSchema>;

export function compactCoupon(coupon: Stripe.Coupon): CompactCoupon {
  return {
    id: coupon.id,
    name: coupon.name ?? null,
    percent_off: coupon.percent_off ?? null,
    amount_off: money(coupon.amount_off, coupon.currency),
    currency: coupon.currency ?? null,
    duration: coupon.duration,
    duration_in_months: coupon.duration_in_months ?? null,
    valid: coupon.valid,
    times_redeemed: coupon.times_redeemed,
    max_redemptions: coupon.max_redemptions ?? null,
    redeem_by: isoTime(coupon.redeem_by),
    created: isoTime(coupon.created)!,
    metadata: coupon.metadata ?? {},
  };
}

/** What list_coupons can group and sum (fields named as above). */
export const couponFacets = defineFacets<Stripe.Coupon>({
  currency: (c) => c.currency,
  groups: {
    duration: (c) => c.duration,
    valid: (c) => flag(c.valid),
    currency: (c) => c.currency,
  },
  money: { amount_off: (c) => c.amount_off },
  dates: { created: (c) => c.created, redeem_by: (c) => c.redeem_by },
  defaultSums: [],
});
