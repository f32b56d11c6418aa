/** Reading what the metrics need: every subscription (streamed, never kept) and product names. */
import type Stripe from 'stripe';
import { ToolInputError } from '../../stripe/errors.js';
import type { ToolContext } from '../define-tool.js';
import { AGGREGATE_SCAN_LIMIT } from '../engine/list.js';
import { formatCount } from '../engine/output.js';
import { PAGE_SIZE, ScanProgress, scanInOrder } from '../engine/scan.js';

export type SubscriptionStatusFilter = 'all' | 'active' | 'past_due';

/** Streams the subscriptions of the given status lists, discounts and their coupons expanded (forever or not). */
export async function readSubscriptions(
  ctx: ToolContext,
  options: { statuses: SubscriptionStatusFilter[]; customer?: string | undefined },
  onSubscription: (subscription: Stripe.Subscription) => void,
): Promise<number> {
  const progress = new ScanProgress(ctx, 'subscriptions');
  for (const status of options.statuses) {
    const scan = await scanInOrder<Stripe.Subscription>({
      ctx,
      progress,
      maxScan: AGGREGATE_SCAN_LIMIT,
      pageSize: () => PAGE_SIZE,
      fetchPage: (page) =>
        ctx.stripe.subscriptions.list({
          ...page,
          status,
          ...(options.customer ? { customer: options.customer } : {}),
          expand: ['data.discounts.source.coupon'],
        }),
      onItem: (subscription) => {
        onSubscription(subscription);
        return true;
      },
    });
    if (scan.capped) throw new ToolInputError(`More than ${formatCount(AGGREGATE_SCAN_LIMIT)} subscriptions: more than one call reads.`);
  }
  return progress.scanned;
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
