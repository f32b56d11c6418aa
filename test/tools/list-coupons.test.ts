/** list_coupons: "which discounts do we offer, and how often were they used?"; coupon ids the account chose open with fetch. */
import { beforeAll, describe, expect, it } from 'vitest';
import type Stripe from 'stripe';
import { collectAll, useHarness, startRestrictedHarness } from '../helpers/harness.js';
import { asSent, ids, iso, major } from '../helpers/expected.js';

function expected(c: Stripe.Coupon) {
  return {
    id: c.id,
    name: c.name,
    percent_off: c.percent_off,
    amount_off: c.amount_off === null ? null : major(c.amount_off, c.currency!),
    currency: c.currency,
    duration: c.duration,
    duration_in_months: c.duration_in_months,
    valid: c.valid,
    times_redeemed: c.times_redeemed,
    max_redemptions: c.max_redemptions,
    redeem_by: iso(c.redeem_by),
    created: iso(c.created),
    metadata: c.metadata ?? {},
  };
}

const h = useHarness();
let coupons: Stripe.Coupon[];
beforeAll(() => {
  coupons = h.emulator.dataset('test').coupons;
});

describe('list_coupons', () => {
  it('lists every coupon newest first: percent or exact amount off in its currency, duration, redemptions', async () => {
    const all = await collectAll(h, 'list_coupons');
    expect(ids(all)).toEqual(ids(coupons));
    for (const [i, c] of all.entries()) expect(c).toEqual(asSent(expected(coupons[i]!)));
    expect(all.find((c) => c.id === 'EURO5OFF')).toMatchObject({ amount_off: '5.00', currency: 'eur', duration: 'forever' });
  });

  it('pages by coupon ids that carry no prefix (account-chosen ids are cursors too)', async () => {
    const first = await h.call('list_coupons', { limit: 2 });
    expect(first.structured.next_cursor).toBe(coupons[1]!.id);
    const next = await h.call('list_coupons', { limit: 2, cursor: first.structured.next_cursor });
    expect(ids(next.structured.data)).toEqual(ids(coupons.slice(2, 4)));
  });

  it('fetch opens a coupon by its own id with only Coupons: Read, after products and prices said no', async () => {
    const r = await startRestrictedHarness(['rak_coupon_read']);
    try {
      const got = await r.call('fetch', { id: 'PARTNER15' });
      expect(got.isError, got.text).toBe(false);
      expect(got.structured).toMatchObject({ id: 'PARTNER15', metadata: { object: 'coupon' }, url: 'https://dashboard.stripe.com/test/coupons/PARTNER15' });
      expect(got.structured.title).toBe('Coupon · Partner 15% off (whole account) · 15% off · forever');
      const none = await r.call('fetch', { id: 'NOSUCHCOUPON' });
      expect(none.isError).toBe(true);
      // Products and prices refused, the coupon lookup found nothing: the refusals are named together.
      expect(none.text).toContain('set "Products" to Read for a product; set "Prices" to Read for a price');
    } finally {
      await r.close();
    }
  });
});
