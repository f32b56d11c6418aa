/**
 * Coupons with the two fields Stripe sends only when expanded (docs.stripe.com/api/coupons/object: `applies_to`,
 * `currency_options`). They cannot be reached through a subscription listing: data.discounts.source.coupon.applies_to
 * is a fifth level, and Stripe expands four at most (docs.stripe.com/api/expanding_objects). So the metrics read the
 * coupons once, before the subscriptions, and look each discount's coupon up here.
 */
import type Stripe from 'stripe';
import type { ToolContext } from '../define-tool.js';
import { AGGREGATE_SCAN_LIMIT } from '../engine/list.js';
import { readIfAllowed } from '../engine/optional-permission.js';
import { PAGE_SIZE, ScanProgress, scanInOrder } from '../engine/scan.js';

/** Coupon id → coupon with applies_to and currency_options; null when the key cannot read Coupons. */
export type CouponBook = ReadonlyMap<string, Stripe.Coupon> | null;

export async function readCouponBook(ctx: ToolContext): Promise<CouponBook> {
  const book = new Map<string, Stripe.Coupon>();
  // Coupons are optional (get_mrr's mayUse): a key that cannot read them gets no book and a caveat.
  const read = await readIfAllowed(ctx, 'rak_coupon_read', () =>
    scanInOrder<Stripe.Coupon>({
      ctx,
      progress: new ScanProgress(ctx, 'coupons'),
      maxScan: AGGREGATE_SCAN_LIMIT,
      pageSize: () => PAGE_SIZE,
      fetchPage: (page) => ctx.stripe.coupons.list({ ...page, expand: ['data.applies_to', 'data.currency_options'] }),
      onItem: (coupon) => {
        book.set(coupon.id, coupon);
        return true;
      },
    }),
  );
  return read === null ? null : book;
}
