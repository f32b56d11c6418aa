import { z } from 'zod';
import { compactSubscription, compactSubscriptionSchema, subscriptionFacets } from '../stripe/compact/subscription.js';
import { dateRange } from '../stripe/time.js';
import { defineTool } from './define-tool.js';
import { idFilter, createdRangeInput, listInput, listOutput, listPage, requireNonEmpty, withTestClockNote } from './common.js';

const STATUSES = ['active', 'past_due', 'unpaid', 'canceled', 'incomplete', 'incomplete_expired', 'trialing', 'paused', 'ended', 'all'] as const;

export const listSubscriptions = defineTool({
  name: 'list_subscriptions',
  toolset: 'billing',
  aggregates: {
    facets: subscriptionFacets,
    mayUse: [
      { permission: 'rak_customer_read', without: 'rows grouped by customer show ids, not names and emails' },
      { permission: 'rak_product_read', without: 'rows grouped by product or price show product ids, not names' },
    ],
  },
  permissions: { needs: ['rak_subscription_read'], mayUse: [] },
  listOrder: 50,
  returns: {
    object: 'subscription', label: 'subscription', idPrefixes: ['sub_'], dashboardPath: 'subscriptions',
    retrieve: (stripe, id) => stripe.subscriptions.retrieve(id, { expand: ['discounts'] }), compact: compactSubscription,
    title: (c) => `Subscription ${c.id} · ${c.status} · customer ${c.customer}`,
  },
  title: 'List subscriptions',
  description: [
    'Subscriptions: status, customer, items (price, product, amount, interval, quantity), period, cancellation, trial, discounts, latest invoice, created, metadata.',
    'No status: every status but canceled (incomplete_expired included); "canceled": deleted customers\' included; "ended": canceled or incomplete_expired. MRR, churn: get_mrr, get_churn.',
    'Example: {"status":"past_due"}.',
  ].join(' '),
  readme: { notes: { status: 'any Stripe status, `all`, `ended`; without it Stripe leaves out canceled ones' } },
  input: z.strictObject({
    customer: idFilter('cus_…'),
    price: idFilter('price_…: with an item on it'),
    status: z.enum(STATUSES).optional(),
    ...createdRangeInput,
    ...listInput,
  }),
  output: listOutput(compactSubscriptionSchema),
  handler: async (args, ctx) => {
    requireNonEmpty(args.customer, 'customer');
    requireNonEmpty(args.price, 'price');
    const created = dateRange(args.created_after, args.created_before, 'created');
    const answer = await listPage({
      ctx,
      object: 'subscription',
      args,
      compact: compactSubscription,
      facets: subscriptionFacets,
      created,
      fetchPage: (page) =>
        ctx.stripe.subscriptions.list({
          ...page,
          ...(args.customer ? { customer: args.customer } : {}),
          ...(args.price ? { price: args.price } : {}),
          ...(args.status ? { status: args.status } : {}),
          // Discounts come as ids; the compact answer shows each one's coupon and end date.
          ...(args.detail === 'compact' ? { expand: ['data.discounts'] } : {}),
        }),
    });
    // Stripe lists a customer's subscriptions whatever their test clock; without customer, those on test clocks are left out.
    return args.customer ? answer : withTestClockNote(answer, ctx.mode, 'subscriptions');
  },
});
