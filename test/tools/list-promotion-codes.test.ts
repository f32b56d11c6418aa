/** list_promotion_codes: "which codes are live, and which coupon is FALL20?". */
import { beforeAll, describe, expect, it } from 'vitest';
import type Stripe from 'stripe';
import { collectAll, sentTo, useHarness } from '../helpers/harness.js';
import { asSent, id, ids, iso, major } from '../helpers/expected.js';

function expected(p: Stripe.PromotionCode) {
  const r = p.restrictions;
  return {
    id: p.id,
    code: p.code,
    active: p.active,
    coupon: id(p.promotion.coupon),
    customer: id(p.customer),
    times_redeemed: p.times_redeemed,
    max_redemptions: p.max_redemptions,
    expires_at: iso(p.expires_at),
    first_time_transaction: r.first_time_transaction,
    minimum_amount: r.minimum_amount === null ? null : major(r.minimum_amount, r.minimum_amount_currency!),
    minimum_amount_currency: r.minimum_amount_currency,
    created: iso(p.created),
    metadata: p.metadata ?? {},
  };
}

const h = useHarness();
let codes: Stripe.PromotionCode[];
beforeAll(() => {
  codes = h.emulator.dataset('test').promotionCodes;
});

const sentToCodes = (before: number) => sentTo(h, '/v1/promotion_codes', before);

describe('list_promotion_codes', () => {
  it('lists every code newest first with its coupon (promotion.coupon), restrictions and redemptions', async () => {
    expect(codes.some((c) => !c.active) && codes.some((c) => c.customer) && codes.some((c) => c.restrictions.minimum_amount)).toBe(true);
    const all = await collectAll(h, 'list_promotion_codes');
    expect(ids(all)).toEqual(ids(codes));
    for (const [i, c] of all.entries()) expect(c).toEqual(asSent(expected(codes[i]!)));
  });

  it('finds a code typed in any case, on Stripe\'s side', async () => {
    const code = codes[0]!;
    const before = h.emulator.requests.length;
    const r = await h.call('list_promotion_codes', { code: code.code.toLowerCase() });
    expect(ids(r.structured.data)).toEqual(ids(codes.filter((c) => c.code.toLowerCase() === code.code.toLowerCase())));
    expect(sentToCodes(before).map((q) => q.query.code)).toEqual([code.code.toLowerCase()]);
  });

  it('filters by coupon, customer and active on Stripe\'s side', async () => {
    const coupon = id(codes[0]!.promotion.coupon)!;
    const customer = id(codes.find((c) => c.customer)!.customer)!;
    const before = h.emulator.requests.length;
    expect(ids(await collectAll(h, 'list_promotion_codes', { coupon }))).toEqual(ids(codes.filter((c) => id(c.promotion.coupon) === coupon)));
    expect(ids(await collectAll(h, 'list_promotion_codes', { customer }))).toEqual(ids(codes.filter((c) => id(c.customer) === customer)));
    expect(ids(await collectAll(h, 'list_promotion_codes', { active: false }))).toEqual(ids(codes.filter((c) => !c.active)));
    expect(sentToCodes(before).map((q) => q.query)).toEqual([
      expect.objectContaining({ coupon }),
      expect.objectContaining({ customer }),
      expect.objectContaining({ active: 'false' }),
    ]);
  });

  it('fetch opens a code by its promo_ id', async () => {
    const code = codes[0]!;
    const r = await h.call('fetch', { id: code.id });
    expect(r.structured).toMatchObject({ metadata: { object: 'promotion code' }, url: `https://dashboard.stripe.com/test/promotion_codes/${code.id}` });
    expect(r.structured.text).toContain(`code: ${code.code}`);
  });
});
