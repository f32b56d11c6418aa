/**
 * Promotion codes: what customers type for a coupon (docs.stripe.com/api/promotion_codes/object). Since API
 * 2025-09-30 the coupon sits in `promotion: { type: 'coupon', coupon }`; ids are `promo_` + 24 characters
 * (fixture `promo_1Pgc79B7WZ01zgkWNy4mn5NX`). Built from their own random stream, so the rest of the business stays
 * the same whatever is added here.
 */
import type Stripe from 'stripe';
import { hashSeed } from '../random.js';
import type { Generator } from './generator.js';
import { BUILDER_IDS, DAY, RngIds, SEED_EPOCH } from './util.js';
import type { IdSource } from './util.js';

export type PromotionCodeSeed = Partial<Omit<Stripe.PromotionCode, 'promotion' | 'restrictions'>> & {
  /** The coupon's id (default: none, as in Stripe's fixture). */
  coupon?: string | null;
  restrictions?: Partial<Stripe.PromotionCode.Restrictions>;
};

export function promotionCodeShape(f: PromotionCodeSeed = {}, ids: IdSource = BUILDER_IDS): Stripe.PromotionCode {
  const { coupon = null, restrictions, ...rest } = f;
  return {
    id: ids.longId('promo_'),
    object: 'promotion_code',
    active: true,
    code: ids.rng.alnum(8).toUpperCase(),
    created: SEED_EPOCH,
    customer: null,
    customer_account: null,
    expires_at: null,
    livemode: false,
    max_redemptions: null,
    metadata: {},
    promotion: { type: 'coupon', coupon },
    restrictions: { first_time_transaction: false, minimum_amount: null, minimum_amount_currency: null, ...restrictions },
    times_redeemed: 0,
    ...rest,
  };
}

/** Codes of the generated business: a few per coupon, some expired or used up (inactive), one for one customer only. */
export function buildPromotionCodes(g: Generator): Stripe.PromotionCode[] {
  const ids = new RngIds(hashSeed(g.seed, `${g.mode}-promotion-codes`), g.acctTag);
  const out: Stripe.PromotionCode[] = [];
  for (const coupon of g.coupons) {
    const count = 1 + ids.rng.int(0, 2);
    for (let i = 0; i < count; i++) {
      const created = Math.min(g.now - DAY, coupon.created + ids.rng.int(1, 120) * DAY);
      const expired = ids.rng.chance(0.25);
      const customer = i === 1 && g.customers.length > 0 ? ids.rng.pick(g.customers).obj.id : null;
      out.push(
        promotionCodeShape(
          {
            code: `${coupon.id.replace(/[^A-Za-z0-9]/g, '').slice(0, 10).toUpperCase()}${i === 0 ? '' : ids.rng.digits(2)}`,
            coupon: coupon.id,
            created,
            active: !expired,
            expires_at: expired ? created + 30 * DAY : null,
            customer,
            livemode: g.livemode,
            max_redemptions: i === 0 ? null : 100,
            restrictions: i === 2 ? { first_time_transaction: true, minimum_amount: 5000, minimum_amount_currency: 'usd' } : {},
            times_redeemed: ids.rng.int(0, 40),
          },
          ids,
        ),
      );
    }
  }
  return out;
}
