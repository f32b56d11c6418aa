import { z } from 'zod';
import type Stripe from 'stripe';
import { compactCharge, compactChargeSchema, chargeFacets } from '../stripe/compact/charge.js';
import { amountTitle } from '../stripe/objects.js';
import { dateRange } from '../stripe/time.js';
import { defineTool } from './define-tool.js';
import { idFilter, createdRangeInput, listInput, listOutput, listPage, requireNonEmpty } from './common.js';

export const listCharges = defineTool({
  name: 'list_charges',
  toolset: 'payments',
  aggregates: { facets: chargeFacets, mayUse: [{ permission: 'rak_customer_read', without: 'rows grouped by customer show ids, not names and emails' }] },
  permissions: { needs: ['rak_charge_read'], mayUse: [] },
  listOrder: 20,
  returns: {
    object: 'charge', label: 'charge', idPrefixes: ['ch_', 'py_'], dashboardPath: 'payments',
    retrieve: (stripe, id) => stripe.charges.retrieve(id), compact: compactCharge, title: amountTitle('Charge'),
  },
  title: 'List charges',
  description: [
    'Charges, failed attempts included: amount, captured, refunded, status, failure code/message, outcome (decline reason, risk), customer, payment intent, card brand/last4, created, metadata. By amount or last4: search.',
    'Example: {"status":"failed","created_after":"7d"}.',
  ].join(' '),
  readme: { appliedWhilePaging: ['status', 'refunded', 'disputed'] },
  input: z.strictObject({
    customer: idFilter('cus_…'),
    payment_intent: idFilter('pi_…'),
    status: z.enum(['succeeded', 'pending', 'failed']).optional(),
    refunded: z.boolean().optional().describe('true: fully refunded only'),
    disputed: z.boolean().optional(),
    ...createdRangeInput,
    ...listInput,
  }),
  output: listOutput(compactChargeSchema),
  handler: async (args, ctx) => {
    requireNonEmpty(args.customer, 'customer');
    requireNonEmpty(args.payment_intent, 'payment_intent');
    const created = dateRange(args.created_after, args.created_before, 'created');
    const filtered = args.status !== undefined || args.refunded !== undefined || args.disputed !== undefined;
    const keep = (charge: Stripe.Charge) =>
      (args.status === undefined || charge.status === args.status) &&
      (args.refunded === undefined || charge.refunded === args.refunded) &&
      (args.disputed === undefined || charge.disputed === args.disputed);
    return listPage({
      ctx,
      object: 'charge',
      args,
      compact: compactCharge,
      facets: chargeFacets,
      created,
      ...(filtered ? { keep } : {}),
      fetchPage: (page) =>
        ctx.stripe.charges.list({
          ...page,
          ...(args.customer ? { customer: args.customer } : {}),
          ...(args.payment_intent ? { payment_intent: args.payment_intent } : {}),
        }),
    });
  },
});
