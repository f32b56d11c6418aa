import { z } from 'zod';
import type Stripe from 'stripe';
import { compactDispute, compactDisputeSchema, disputeFacets } from '../stripe/compact/dispute.js';
import { amountTitle } from '../stripe/objects.js';
import { dateRange } from '../stripe/time.js';
import { defineTool } from './define-tool.js';
import { idFilter, createdRangeInput, listInput, listOutput, listPage, requireNonEmpty } from './common.js';

const STATUSES = [
  'warning_needs_response',
  'warning_under_review',
  'warning_closed',
  'needs_response',
  'under_review',
  'won',
  'lost',
  'prevented',
  'appeal_needs_response',
  'appeal_under_review',
] as const;

export const listDisputes = defineTool({
  name: 'list_disputes',
  toolset: 'payments',
  aggregates: { facets: disputeFacets, mayUse: [] },
  permissions: { needs: ['rak_dispute_read'], mayUse: [] },
  listOrder: 90,
  returns: {
    object: 'dispute', label: 'dispute', idPrefixes: ['dp_', 'du_'], dashboardPath: 'disputes',
    retrieve: (stripe, id) => stripe.disputes.retrieve(id), compact: compactDispute, title: amountTitle('Dispute'),
  },
  title: 'List disputes',
  description: [
    'Disputes (chargebacks, inquiries): amount, currency, status, reason, charge, payment intent, created, evidence due by, evidence given or past due, refundable. Needing a reply: needs_response, warning_needs_response.',
    'Example: {"status":"needs_response"}.',
  ].join(' '),
  readme: { appliedWhilePaging: ['status'] },
  input: z.strictObject({
    charge: idFilter('ch_…'),
    payment_intent: idFilter('pi_…'),
    status: z.enum(STATUSES).optional(),
    ...createdRangeInput,
    ...listInput,
  }),
  output: listOutput(compactDisputeSchema),
  handler: async (args, ctx) => {
    requireNonEmpty(args.charge, 'charge');
    requireNonEmpty(args.payment_intent, 'payment_intent');
    const created = dateRange(args.created_after, args.created_before, 'created');
    const status = args.status;
    return listPage({
      ctx,
      object: 'dispute',
      args,
      compact: compactDispute,
      facets: disputeFacets,
      created,
      ...(status ? { keep: (dispute: Stripe.Dispute) => dispute.status === status } : {}),
      fetchPage: (page) =>
        ctx.stripe.disputes.list({
          ...page,
          ...(args.charge ? { charge: args.charge } : {}),
          ...(args.payment_intent ? { payment_intent: args.payment_intent } : {}),
        }),
    });
  },
});
