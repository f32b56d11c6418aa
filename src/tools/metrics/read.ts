/** Reading what the metrics need: every subscription (streamed, never kept) and product names. */
import type Stripe from 'stripe';
import { ToolInputError } from '../../stripe/errors.js';
import type { ToolContext } from '../define-tool.js';
import { AGGREGATE_SCAN_LIMIT } from '../engine/list.js';
import { formatCount } from '../engine/output.js';
import { OptionalPermissionFallback } from '../engine/optional-permission.js';
import { PAGE_SIZE, ScanProgress, scanInOrder } from '../engine/scan.js';

export type SubscriptionStatusFilter = 'all' | 'active' | 'past_due';

/**
 * The subscriptions' expansions, richest first. A coupon is a resource of its own (Coupons: Read, rak_coupon_read);
 * without it the discounts are still read (their dates, and how many there are), then, if even that is refused,
 * nothing is expanded.
 */
const SUBSCRIPTION_EXPANSIONS: readonly string[][] = [['data.discounts.source.coupon'], ['data.discounts'], []];

export interface SubscriptionsRead {
  scanned: number;
  /** null when coupons were read; else how many subscriptions read without them had discounts. */
  discountedWithoutCoupons: number | null;
}

/**
 * Streams the subscriptions of the given status lists, discounts and their coupons expanded (forever or not).
 * A key without Coupons: Read still gets every subscription, with coupons not expanded (the caller says so).
 */
export async function readSubscriptions(
  ctx: ToolContext,
  options: { statuses: SubscriptionStatusFilter[]; customer?: string | undefined },
  onSubscription: (subscription: Stripe.Subscription) => void,
): Promise<SubscriptionsRead> {
  const progress = new ScanProgress(ctx, 'subscriptions');
  const expansions = new OptionalPermissionFallback(ctx, 'rak_coupon_read', SUBSCRIPTION_EXPANSIONS);
  let discountedWithoutCoupons = 0;
  for (const status of options.statuses) {
    const scan = await scanInOrder<Stripe.Subscription>({
      ctx,
      progress,
      maxScan: AGGREGATE_SCAN_LIMIT,
      pageSize: () => PAGE_SIZE,
      fetchPage: (page) =>
        expansions.run((expand) =>
          ctx.stripe.subscriptions.list({
            ...page,
            status,
            ...(options.customer ? { customer: options.customer } : {}),
            ...(expand.length ? { expand } : {}),
          }),
        ),
      onItem: (subscription) => {
        if (expansions.missing && (subscription.discounts ?? []).length > 0) discountedWithoutCoupons++;
        onSubscription(subscription);
        return true;
      },
    });
    if (scan.capped) throw new ToolInputError(`More than ${formatCount(AGGREGATE_SCAN_LIMIT)} subscriptions: more than one call reads.`);
  }
  return { scanned: progress.scanned, discountedWithoutCoupons: expansions.missing ? discountedWithoutCoupons : null };
}

/** The caveat of an answer computed without coupons: which figures may be overstated, and what to set. */
export function couponsCaveat(discounted: number, figures: string): string {
  const fix = 'Set "Coupons" to Read on the restricted key (Dashboard → Developers → API keys → the key → Edit) to apply forever coupons.';
  const head = "The key cannot read Coupons (Stripe asked for 'rak_coupon_read'), so no coupon is applied";
  if (discounted === 0) return `${head}; none of the subscriptions read has a discount, so no figure is affected. ${fix}`;
  return (
    `${head}: ${formatCount(discounted)} ${discounted === 1 ? 'subscription has' : 'subscriptions have'} discounts and ${discounted === 1 ? 'is' : 'are'} counted at list price, ` +
    `so ${figures} may be overstated (a subscription free under a 100%-off coupon counts as paying). ${fix}`
  );
}

/** Product id → name, for labelling rows. */
export async function readProductNames(ctx: ToolContext): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  await scanInOrder<Stripe.Product>({
    ctx,
    progress: new ScanProgress(ctx, 'products'),
    maxScan: AGGREGATE_SCAN_LIMIT,
    pageSize: () => PAGE_SIZE,
    fetchPage: (page) => ctx.stripe.products.list({ ...page }),
    onItem: (product) => {
      names.set(product.id, product.name);
      return true;
    },
  });
  return names;
}
