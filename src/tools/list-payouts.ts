import { z } from 'zod';
import { compactPayout, compactPayoutSchema, payoutFacets } from '../stripe/compact/payout.js';
import { amountTitle } from '../stripe/objects.js';
import { dateRange } from '../stripe/time.js';
import { defineTool } from './define-tool.js';
import { createdRangeInput, dateInput, listInput, listOutput, listPage } from './common.js';

export const PAYOUT_STATUSES = ['paid', 'pending', 'in_transit', 'canceled', 'failed'] as const;

export const listPayouts = defineTool({
  name: 'list_payouts',
  toolset: 'balance',
  aggregates: { facets: payoutFacets, mayUse: [] },
  permissions: { needs: ['rak_payout_read'], mayUse: [] },
  listOrder: 100,
  returns: {
    object: 'payout', label: 'payout', idPrefixes: ['po_'], dashboardPath: 'payouts',
    retrieve: (stripe, id) => stripe.payouts.retrieve(id), compact: compactPayout, title: amountTitle('Payout'),
  },
  title: 'List payouts',
  description: [
    'Payouts from the balance to a bank account or card: amount, currency, status, arrival_date, created, method, type, automatic, destination, failure code/message, balance transaction. Contents: list_balance_transactions with payout.',
    'Example: {"status":"failed"}.',
  ].join(' '),
  input: z.strictObject({
    status: z.enum(PAYOUT_STATUSES).optional(),
    arrival_after: dateInput.optional().describe('Expected at the bank at or after'),
    arrival_before: dateInput.optional().describe('Expected at the bank before'),
    ...createdRangeInput,
    ...listInput,
  }),
  output: listOutput(compactPayoutSchema),
  handler: async (args, ctx) => {
    const arrival = dateRange(args.arrival_after, args.arrival_before, 'arrival');
    const created = dateRange(args.created_after, args.created_before, 'created');
    return listPage({
      ctx,
      object: 'payout',
      args,
      compact: compactPayout,
      facets: payoutFacets,
      created,
      fetchPage: (page) =>
        ctx.stripe.payouts.list({
          ...page,
          ...(args.status ? { status: args.status } : {}),
          ...(arrival ? { arrival_date: arrival } : {}),
        }),
    });
  },
});
