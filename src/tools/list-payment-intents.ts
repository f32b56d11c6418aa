import { z } from 'zod';
import type Stripe from 'stripe';
import { compactPaymentIntent, compactPaymentIntentSchema, paymentIntentFacets } from '../stripe/compact/payment-intent.js';
import { amountTitle } from '../stripe/objects.js';
import { dateRange } from '../stripe/time.js';
import { defineTool } from './define-tool.js';
import { idFilter, createdRangeInput, listInput, listOutput, listPage, requireNonEmpty } from './common.js';

const STATUSES = [
  'requires_payment_method',
  'requires_confirmation',
  'requires_action',
  'processing',
  'requires_capture',
  'canceled',
  'succeeded',
  'failed',
] as const;

export const listPaymentIntents = defineTool({
  name: 'list_payment_intents',
  toolset: 'payments',
  aggregates: { facets: paymentIntentFacets, mayUse: [{ permission: 'rak_customer_read', without: 'rows grouped by customer show ids, not names and emails' }] },
  permissions: { needs: ['rak_payment_intent_read'], mayUse: [] },
  listOrder: 30,
  returns: {
    object: 'payment_intent', label: 'payment intent', idPrefixes: ['pi_'], dashboardPath: 'payments',
    retrieve: (stripe, id) => stripe.paymentIntents.retrieve(id), compact: compactPaymentIntent, title: amountTitle('Payment'),
  },
  title: 'List payment intents',
  description: [
    'Payment intents (one per payment asked for, across retries): amount, amount received, status, last payment error (code, decline code, message), latest charge, customer, created, metadata.',
    'Example: {"status":"failed","created_after":"7d"}.',
  ].join(' '),
  readme: { appliedWhilePaging: ['status'], notes: { status: "Stripe's statuses, or `failed` = a `last_payment_error` is set" } },
  input: z.strictObject({
    customer: idFilter('cus_…'),
    status: z.enum(STATUSES).optional().describe('failed: an attempt failed, not yet succeeded'),
    ...createdRangeInput,
    ...listInput,
  }),
  output: listOutput(compactPaymentIntentSchema),
  handler: async (args, ctx) => {
    requireNonEmpty(args.customer, 'customer');
    const created = dateRange(args.created_after, args.created_before, 'created');
    const status = args.status;
    const keep = (intent: Stripe.PaymentIntent) =>
      status === 'failed' ? intent.last_payment_error !== null && intent.last_payment_error !== undefined && intent.status !== 'succeeded' : intent.status === status;
    return listPage({
      ctx,
      object: 'payment_intent',
      args,
      compact: compactPaymentIntent,
      facets: paymentIntentFacets,
      created,
      ...(status ? { keep } : {}),
      fetchPage: (page) =>
        ctx.stripe.paymentIntents.list({ ...page, ...(args.customer ? { customer: args.customer } : {}) }),
    });
  },
});
