import { z } from 'zod';
import type Stripe from 'stripe';
import { money } from '../money.js';
import { isoTime } from '../time.js';
import { idOf, isoDate, moneyString } from './shared.js';
import { defineFacets } from './facets.js';

export const compactFeeDetailSchema = z.object({
  amount: moneyString,
  currency: z.string(),
  type: z.string().describe('application_fee, payment_method_passthrough_fee, stripe_fee or tax'),
  description: z.string().nullable(),
});

export const compactBalanceTransactionSchema = z.object({
  id: z.string(),
  amount: moneyString.describe('Gross amount; negative for money leaving the balance'),
  fee: moneyString.describe('Fees paid for this transaction'),
  net: moneyString.describe('amount − fee: what changed in the balance'),
  currency: z.string(),
  type: z.string().describe('charge, refund, payout, stripe_fee, adjustment, …'),
  reporting_category: z.string().describe("Stripe's accounting category, e.g. charge, refund, payout, fee"),
  status: z.string().describe('available or pending'),
  available_on: isoDate.describe('When the funds become available for payout, ISO 8601 UTC'),
  created: isoDate,
  source: z.string().nullable().describe('Id of the object that caused it (charge ch_…, refund re_…, payout po_…)'),
  description: z.string().nullable(),
  fee_details: z.array(compactFeeDetailSchema),
  exchange_rate: z.number().nullable().describe('Rate used when the source was in another currency; absent otherwise'),
});

export type CompactBalanceTransaction = z.infer<typeof compactBalanceTransactionSchema>;

export function compactBalanceTransaction(txn: Stripe.BalanceTransaction): CompactBalanceTransaction {
  return {
    id: txn.id,
    amount: money(txn.amount, txn.currency)!,
    fee: money(txn.fee, txn.currency)!,
    net: money(txn.net, txn.currency)!,
    currency: txn.currency,
    type: txn.type,
    reporting_category: txn.reporting_category,
    status: txn.status,
    available_on: isoTime(txn.available_on)!,
    created: isoTime(txn.created)!,
    source: idOf(txn.source),
    description: txn.description ?? null,
    fee_details: (txn.fee_details ?? []).map((fee) => ({
      amount: money(fee.amount, fee.currency)!,
      currency: fee.currency,
      type: fee.type,
      description: fee.description ?? null,
    })),
    exchange_rate: txn.exchange_rate ?? null,
  };
}

/** What list_balance_transactions can group and sum (fields named as above). */
export const balanceTransactionFacets = defineFacets<Stripe.BalanceTransaction>({
  currency: (t) => t.currency,
  groups: {
    type: (t) => t.type,
    reporting_category: (t) => t.reporting_category,
    status: (t) => t.status,
    currency: (t) => t.currency,
  },
  money: {
    amount: (t) => t.amount,
    fee: (t) => t.fee,
    net: (t) => t.net,
    // Stripe-billed fees (Billing, Radar, …) are transactions of reporting category "fee" with a negative amount.
    total_fees: (t) => (t.reporting_category === 'fee' ? t.fee - t.amount : t.fee),
  },
  dates: { created: (t) => t.created, available_on: (t) => t.available_on },
  derived: {
    total_fees: 'fee + Stripe-billed fees (reporting_category fee)',
  },
  defaultSums: ['amount', 'fee', 'net'],
});
