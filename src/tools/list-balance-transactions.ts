import { z } from 'zod';
import { compactBalanceTransaction, compactBalanceTransactionSchema, balanceTransactionFacets } from '../stripe/compact/balance-transaction.js';
import { dateRange } from '../stripe/time.js';
import { defineTool } from './define-tool.js';
import { checked, currencyFilter, createdRangeInput, listInput, listOutput, listPage } from './common.js';

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

const objectId = (what: string) => checked((v) => /^[a-z]+_[A-Za-z0-9]+$/.test(v), `must be a Stripe id (${what})`);

export const listBalanceTransactions = defineTool({
  name: 'list_balance_transactions',
  toolset: 'balance',
  aggregates: { facets: balanceTransactionFacets, mayUse: [] },
  permissions: { needs: ['rak_balance_transaction_source_read'], mayUse: [] },
  listOrder: 110,
  returns: {
    object: 'balance_transaction', label: 'balance transaction', idPrefixes: ['txn_'], dashboardPath: 'balance/history',
    retrieve: (stripe, id) => stripe.balanceTransactions.retrieve(id), compact: compactBalanceTransaction,
    title: (c) => `Balance transaction · ${c.type} · ${c.amount} ${String(c.currency).toUpperCase()} (fee ${c.fee}, net ${c.net})`,
  },
  title: 'List balance transactions',
  description: [
    'The balance ledger, for fees and net revenue: amount, fee, net (amount − fee), currency, type, reporting_category, status, available_on, created, source, description, fee_details, exchange_rate.',
    'Example: {"payout":"po_1Abc"}.',
  ].join(' '),
  input: z.strictObject({
    type: checked((v) => (BALANCE_TRANSACTION_TYPES as readonly string[]).includes(v), `must be a balance transaction type: ${BALANCE_TRANSACTION_TYPES.join(', ')}`)
      .optional()
      .describe('charge, refund, payout, stripe_fee, adjustment, …'),
    currency: currencyFilter,
    payout: objectId('po_…').optional().describe('po_…: what it paid out'),
    source: objectId('ch_…, re_…, py_…').optional().describe('ch_…, re_…: what caused it'),
    ...createdRangeInput,
    ...listInput,
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
