import { z } from 'zod';
import { compactRefund, compactRefundSchema, refundFacets } from '../stripe/compact/refund.js';
import { amountTitle } from '../stripe/objects.js';
import { dateRange } from '../stripe/time.js';
import { defineTool } from './define-tool.js';
import { idFilter, createdRangeInput, listInput, listOutput, listPage, requireNonEmpty } from './common.js';

export const listRefunds = defineTool({
  name: 'list_refunds',
  toolset: 'payments',
  aggregates: { facets: refundFacets, mayUse: [{ permission: 'rak_customer_read', without: 'rows grouped by customer show ids, not names and emails' }] },
  permissions: { needs: ['rak_refund_read'], mayUse: [] },
  listOrder: 80,
  returns: {
    object: 'refund', label: 'refund', idPrefixes: ['re_', 'pyr_'], dashboardPath: 'refunds',
    retrieve: (stripe, id) => stripe.refunds.retrieve(id), compact: compactRefund, title: amountTitle('Refund'),
  },
  title: 'List refunds',
  description: [
    "Refunds: amount, currency, status, reason, failure reason, charge, payment intent, customer, balance transaction, created, metadata. A customer's refunded charges: list_charges with customer, refunded.",
    'Example: {"created_after":"last_month","created_before":"this_month"}.',
  ].join(' '),
  input: z.strictObject({
    charge: idFilter('ch_… or py_…'),
    payment_intent: idFilter('pi_…'),
    ...createdRangeInput,
    ...listInput,
  }),
  output: listOutput(compactRefundSchema),
  handler: async (args, ctx) => {
    requireNonEmpty(args.charge, 'charge');
    requireNonEmpty(args.payment_intent, 'payment_intent');
    const created = dateRange(args.created_after, args.created_before, 'created');
    return listPage({
      ctx,
      object: 'refund',
      args,
      compact: compactRefund,
      facets: refundFacets,
      created,
      fetchPage: (page) =>
        ctx.stripe.refunds.list({
          ...page,
          ...(args.charge ? { charge: args.charge } : {}),
          ...(args.payment_intent ? { payment_intent: args.payment_intent } : {}),
        }),
    });
  },
});
