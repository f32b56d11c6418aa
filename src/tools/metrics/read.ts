/** Reading what the metrics need: every subscription (streamed, never kept) and coupons' terms (names: engine/names.ts). */
import type Stripe from 'stripe';
import { ToolInputError } from '../../stripe/errors.js';
import type { ToolContext } from '../define-tool.js';
import { AGGREGATE_SCAN_LIMIT } from '../engine/list.js';
import { formatCount } from '../engine/output.js';
import { OptionalPermissionFallback } from '../engine/optional-permission.js';
import { PAGE_SIZE, ScanProgress, scanInOrder } from '../engine/scan.js';

/** A Stripe status filter, or `not_canceled`: no status at all, which Stripe answers with every status but canceled. */
export type SubscriptionStatusFilter = 'not_canceled' | 'canceled' | 'active' | 'past_due';

/**
 * Every subscription, as two lists: no status (every status but canceled, incomplete_expired included) and
 * `canceled`, the one status Stripe documents as including subscriptions of deleted customers
 * (docs.stripe.com/api/subscriptions/list, `status`). `all` is not used: the page does not say it includes them.
 */
export const EVERY_STATUS: SubscriptionStatusFilter[] = ['not_canceled', 'canceled'];

/** How a status list reads in an answer's filters. */
export const statusLabel = (s: SubscriptionStatusFilter) => (s === 'not_canceled' ? 'every status but canceled' : s);

/**
 * The subscriptions' discount expansions, richest first. A coupon is a resource of its own (Coupons: Read,
 * rak_coupon_read); without it the discounts are still read (their dates, and how many there are), then, if even
 * that is refused, nothing is expanded.
 */
const DISCOUNT_EXPANSIONS: readonly string[][] = [['data.discounts.source.coupon'], ['data.discounts'], []];

/**
 * `data.customer` brings the customer's own discount (a subscription without discounts inherits it:
 * docs.stripe.com/api/subscriptions/create, `discounts`); its coupon would be a fifth level
 * (data.customer.discount.source.coupon), so coupons are read apart (coupons.ts). A key that cannot read Customers
 * still gets the figures, with a caveat.
 */
const CUSTOMER_EXPANSIONS: readonly string[][] = [['data.customer'], []];

export interface SubscriptionRead {
  scanned: number;
  /** null when coupons were read; else how many subscriptions read without them had discounts. */
  discountedWithoutCoupons: number | null;
  /** Optional expansions the key could not read (their permission), e.g. customers' own discounts. */
  unreadable: string[];
}

/** Streams the subscriptions of the given status lists, discounts (with coupons) and customers expanded when the key allows. */
export async function readSubscriptions(
  ctx: ToolContext,
  options: { statuses: SubscriptionStatusFilter[]; customer?: string | undefined },
  onSubscription: (subscription: Stripe.Subscription) => void,
): Promise<SubscriptionRead> {
  const progress = new ScanProgress(ctx, 'subscriptions');
  const discounts = new OptionalPermissionFallback(ctx, 'rak_coupon_read', DISCOUNT_EXPANSIONS);
  const customers = new OptionalPermissionFallback(ctx, 'rak_customer_read', CUSTOMER_EXPANSIONS);
  let discountedWithoutCoupons = 0;
  for (const status of options.statuses) {
    const scan = await scanInOrder<Stripe.Subscription>({
      ctx,
      progress,
      maxScan: AGGREGATE_SCAN_LIMIT,
      pageSize: () => PAGE_SIZE,
      // Nested: a refusal of Customers drops only that expansion; one of Coupons (rethrown inside) drops coupons.
      fetchPage: (page) =>
        discounts.run((discountExpand) =>
          customers.run((customerExpand) => {
            const expand = [...discountExpand, ...customerExpand];
            return ctx.stripe.subscriptions.list({
              ...page,
              ...(status === 'not_canceled' ? {} : { status }),
              ...(options.customer ? { customer: options.customer } : {}),
              ...(expand.length ? { expand } : {}),
            });
          }),
        ),
      onItem: (subscription) => {
        if (discounts.missing && (subscription.discounts ?? []).length > 0) discountedWithoutCoupons++;
        onSubscription(subscription);
        return true;
      },
    });
    if (scan.capped) throw new ToolInputError(`More than ${formatCount(AGGREGATE_SCAN_LIMIT)} subscriptions: more than one call reads.`);
  }
  return {
    scanned: progress.scanned,
    discountedWithoutCoupons: discounts.missing ? discountedWithoutCoupons : null,
    unreadable: customers.missing ? ['rak_customer_read'] : [],
  };
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
