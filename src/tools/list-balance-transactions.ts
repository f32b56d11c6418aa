import { z } from 'zod';
import { compactBalanceTransaction, compactBalanceTransactionSchema, balanceTransactionFacets } from '../stripe/compact/balance-transaction.js';
import { dateRange } from '../stripe/time.js';
import { defineTool } from './define-tool.js';
import { aggregateInput, createdRangeInput, listInput, listOutput, listPage } from './common.js';

/** Balance transaction types Stripe documents (stripe 23.x types). */
export const BALANCE_TRANSACTION_TYPES = [
  'adjustment', 'advance', 'advance_funding', 'anticipation_repayment', 'application_fee', 'application_fee_refund', 'charge',
  'climate_order_purchase', 'climate_order_refund', 'connect_collection_transfer', 'contribution', 'fee_credit_funding',
  'inbound_transfer', 'inbound_transfer_reversal', 'issuing_authorization_hold', 'issuing_authorization_release', 'issuing_dispute',
  'issuing_dispute_provisional_credit', 'issuing_dispute_provisional_credit_reversal', 'issuing_transaction', 'obligation_outbound',
  'obligation_reversal_inbound', 'payment', 'payment_failure_refund', 'payment_network_reserve_hold', 'payment_network_reserve_release',
  'payment_refund', 'payment_reversal', 'payment_unreconciled', 'payout', 'payout_cancel', 'payout_failure',
  'payout_minimum_balance_hold', 'payout_minimum_balance_release', 'refund', 'refund_failure', 'reserve_hold', 'reserve_release',
  'reserve_transaction', 'reserved_funds', 'stripe_balance_payment_debit', 'stripe_balance_payment_debit_reversal', 'stripe_fee',
  'stripe_fx_fee', 'tax_fee', 'tax_fund', 'topup', 'topup_reversal', 'transfer', 'transfer_cancel', 'transfer_failure', 'transfer_refund',
] as const;

const objectId = (what: string) =>
  z.string().regex(/^[a-z]+_[A-Za-z0-9]+$/, `must be a Stripe id (${what})`);

export const listBalanceTransactions = defineTool({
  name: 'list_balance_transactions',
  permissions: { needs: ['rak_balance_transaction_source_read'], mayUse: [] },
  returns: {
    object: 'balance_transaction', label: 'balance transaction', idPrefixes: ['txn_'], dashboardPath: 'balance/history',
    retrieve: (stripe, id) => stripe.balanceTransactions.retrieve(id), compact: compactBalanceTransaction,
    title: (c) => `Balance transaction · ${c.type} · ${c.amount} ${String(c.currency).toUpperCase()} (fee ${c.fee}, net ${c.net})`,
  },
  title: 'List balance transactions',
  description: [
    'Lists every movement of the Stripe balance (the ledger), newest first: id, amount, fee, net (amount − fee), currency, type, reporting_category, status (available or pending), available_on and created (ISO 8601 UTC), source id, description, fee_details, exchange_rate.',
    'Filters: type (charge, refund, payout, stripe_fee, adjustment, …), currency, payout (po_…: what an automatic payout paid out), source (ch_…, re_…: the transaction of that object), created_after (inclusive) / created_before (exclusive).',
    'Use it for fees and net revenue. Pages: limit 1–100 then cursor = next_cursor, or max_results (≤ 10,000) paged on the server. Totals: group_by (type, reporting_category, month, …) with metrics (count, sum:fee, sum:total_fees = processing + Stripe-billed fees, …) aggregate every match exactly, per currency.',
    'Example: {"payout":"po_1Abc"} or {"created_after":"2026-01-01","created_before":"2026-04-01","group_by":["month"],"metrics":["sum:total_fees"]}.',
  ].join(' '),
  input: z.strictObject({
    type: z.enum(BALANCE_TRANSACTION_TYPES).optional().describe('Only transactions of this type'),
    currency: z
      .string()
      .regex(/^[A-Za-z]{3}$/, 'must be a three-letter ISO 4217 currency code, e.g. usd')
      .optional()
      .describe('Three-letter ISO currency code, e.g. usd, eur, jpy'),
    payout: objectId('po_…').optional().describe('Payout id: only the transactions that automatic payout paid out'),
    source: objectId('ch_…, re_…, py_…').optional().describe('Id of the object that caused the transaction (charge, refund, …)'),
    ...createdRangeInput,
    ...listInput,
    ...aggregateInput(balanceTransactionFacets),
  }),
  output: listOutput(compactBalanceTransactionSchema),
  handler: async (args, ctx) => {
    const created = dateRange(args.created_after, args.created_before, 'created');
    return listPage({
      ctx,
      object: 'balance_transaction',
      args,
      compact: compactBalanceTransaction,
      facets: balanceTransactionFacets,
      created,
      fetchPage: (page) =>
        ctx.stripe.balanceTransactions.list({
          ...page,
          ...(args.type ? { type: args.type } : {}),
          ...(args.currency ? { currency: args.currency.toLowerCase() } : {}),
          ...(args.payout ? { payout: args.payout } : {}),
          ...(args.source ? { source: args.source } : {}),
        }),
    });
  },
});
