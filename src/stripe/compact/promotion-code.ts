import { z } from 'zod';
import type Stripe from 'stripe';
import { money } from '../money.js';
import { isoTime } from '../time.js';
import { idOf, isoDate, metadataSchema, moneyString } from './shared.js';
import { defineFacets, flag } from './facets.js';

// Shape: docs.stripe.com/api/promotion_codes/object (the coupon sits in `promotion.coupon` since API 2025-09-30).
export const compactPromotionCodeSchema = z.object({
  id: z.string(),
  code: z.string().describe('What customers type, e.g. FALL20'),
  active: z.boolean(),
  coupon: z.string().nullable().describe('The coupon it applies (list_coupons, fetch)'),
  customer: z.string().nullable().describe('Only this customer may redeem it'),
  times_redeemed: z.number().int(),
  max_redemptions: z.number().int().nullable(),
  expires_at: isoDate.nullable(),
  first_time_transaction: z.boolean().describe('Only for customers who never paid before'),
  minimum_amount: moneyString.nullable().describe('Smallest order it applies to, in minimum_amount_currency'),
  minimum_amount_currency: z.string().nullable(),
  created: isoDate,
  metadata: metadataSchema,
});

export type CompactPromotionCode = z.infer<typeof compactPromotionCodeSchema>;

export function compactPromotionCode(code: Stripe.PromotionCode): CompactPromotionCode {
  const r = code.restrictions;
  return {
    id: code.id,
    code: code.code,
    active: code.active,
    coupon: idOf(code.promotion?.coupon),
    customer: idOf(code.customer),
    times_redeemed: code.times_redeemed,
    max_redemptions: code.max_redemptions ?? null,
    expires_at: isoTime(code.expires_at),
    first_time_transaction: r?.first_time_transaction ?? false,
    minimum_amount: money(r?.minimum_amount, r?.minimum_amount_currency),
    minimum_amount_currency: r?.minimum_amount_currency ?? null,
    created: isoTime(code.created)!,
    metadata: code.metadata ?? {},
  };
}

/** What list_promotion_codes can group and sum (fields named as above). */
export const promotionCodeFacets = defineFacets<Stripe.PromotionCode>({
  currency: (p) => p.restrictions?.minimum_amount_currency,
  groups: {
    active: (p) => flag(p.active),
    coupon: (p) => idOf(p.promotion?.coupon),
    customer: (p) => idOf(p.customer),
  },
  money: { minimum_amount: (p) => p.restrictions?.minimum_amount },
  dates: { created: (p) => p.created, expires_at: (p) => p.expires_at },
  defaultSums: [],
});
