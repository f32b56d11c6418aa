/** Reading what the metrics need: every subscription (streamed, never kept), coupons' terms and product names. */
import type Stripe from 'stripe';
import { ToolInputError } from '../../stripe/errors.js';
import type { ToolContext } from '../define-tool.js';
import { AGGREGATE_SCAN_LIMIT } from '../engine/list.js';
import { formatCount } from '../engine/output.js';
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
 * What the subscription listing expands beyond its discounts. `data.customer` brings the customer's own discount
 * (a subscription without discounts inherits it: docs.stripe.com/api/subscriptions/create, `discounts`); its coupon
 * would be a fifth level (data.customer.discount.source.coupon), so coupons are read apart (coupons.ts). A key that
 * cannot read it still gets the figures, with a caveat: the expansion is dropped when Stripe names its permission.
 */
const OPTIONAL_EXPANSIONS = [{ path: 'data.customer', permission: 'rak_customer_read' }] as const;

export interface SubscriptionRead {
  scanned: number;
  /** Optional expansions the key could not read (their permission), e.g. customers' own discounts. */
  unreadable: string[];
}

const refusedPermission = (err: unknown): string | null => {
  const e = err as { type?: string; message?: string };
  if (e?.type !== 'StripePermissionError') return null;
  return OPTIONAL_EXPANSIONS.find((x) => e.message?.includes(x.permission))?.permission ?? null;
};

/** Streams the subscriptions of the given status lists, discounts (with coupons) and customers expanded. */
export async function readSubscriptions(
  ctx: ToolContext,
  options: { statuses: SubscriptionStatusFilter[]; customer?: string | undefined },
  onSubscription: (subscription: Stripe.Subscription) => void,
): Promise<SubscriptionRead> {
  const progress = new ScanProgress(ctx, 'subscriptions');
  const unreadable: string[] = [];
  const expand = () => ['data.discounts.source.coupon', ...OPTIONAL_EXPANSIONS.filter((x) => !unreadable.includes(x.permission)).map((x) => x.path)];
  for (const status of options.statuses) {
    for (;;) {
      let delivered = 0;
      try {
        const scan = await scanInOrder<Stripe.Subscription>({
          ctx,
          progress,
          maxScan: AGGREGATE_SCAN_LIMIT,
          pageSize: () => PAGE_SIZE,
          fetchPage: (page) =>
            ctx.stripe.subscriptions.list({
              ...page,
              ...(status === 'not_canceled' ? {} : { status }),
              ...(options.customer ? { customer: options.customer } : {}),
              expand: expand(),
            }),
          onItem: (subscription) => {
            delivered++;
            onSubscription(subscription);
            return true;
          },
        });
        if (scan.capped) throw new ToolInputError(`More than ${formatCount(AGGREGATE_SCAN_LIMIT)} subscriptions: more than one call reads.`);
        break;
      } catch (err) {
        // Stripe checks the permission of what a request expands on its first page: nothing was counted yet.
        const permission = refusedPermission(err);
        if (!permission || delivered > 0 || unreadable.includes(permission)) throw err;
        unreadable.push(permission);
      }
    }
  }
  return { scanned: progress.scanned, unreadable };
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
