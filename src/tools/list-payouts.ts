import { z } from 'zod';
import { compactPayout, compactPayoutSchema, payoutFacets } from '../stripe/compact/payout.js';
import { amountTitle } from '../stripe/objects.js';
import { dateRange } from '../stripe/time.js';
import { defineTool } from './define-tool.js';
import { aggregateInput, createdRangeInput, dateInput, listInput, listOutput, listPage } from './common.js';

export const PAYOUT_STATUSES = ['paid', 'pending', 'in_transit', 'canceled', 'failed'] as const;

export const listPayouts = defineTool({
  name: 'list_payouts',
  permissions: { needs: ['rak_payout_read'], mayUse: [] },
  returns: {
    object: 'payout', label: 'payout', idPrefixes: ['po_'], dashboardPath: 'payouts',
    retrieve: (stripe, id) => stripe.payouts.retrieve(id), compact: compactPayout, title: amountTitle('Payout'),
  },
  title: 'List payouts',
  description: [
    'Lists payouts from the Stripe balance to the bank account or card, newest first: id, amount, currency, status, arrival_date and created (ISO 8601 UTC), method (standard or instant), type, automatic, destination id, failure_code and failure_message, balance_transaction id, description, statement_descriptor.',
    'Filters: status (paid, pending, in_transit, canceled, failed), arrival_after / arrival_before (expected bank arrival date), created_after / created_before; *_after is inclusive, *_before exclusive.',
    'Pages: limit 1–100 then cursor = next_cursor, or max_results (≤ 10,000) paged on the server. Totals: group_by (status, month, …) with metrics (count, sum:amount). To see what a payout contained use list_balance_transactions with payout = its id.',
    'Example: {"status":"failed"} or {"arrival_after":"2026-10-01","arrival_before":"2026-11-01","limit":100}.',
  ].join(' '),
  input: z.strictObject({
    status: z.enum(PAYOUT_STATUSES).optional().describe('Only payouts in this status'),
    arrival_after: dateInput.optional().describe('Only payouts whose arrival date is at or after this moment (inclusive; forms as created_after).'),
    arrival_before: dateInput.optional().describe('Only payouts whose arrival date is before this moment (exclusive; forms as created_before).'),
    ...createdRangeInput,
    ...listInput,
    ...aggregateInput(payoutFacets),
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
