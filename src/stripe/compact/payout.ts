import { z } from 'zod';
import type Stripe from 'stripe';
import { money } from '../money.js';
import { isoTime } from '../time.js';
import { idOf, isoDate, moneyString } from './shared.js';
import { defineFacets, flag } from './facets.js';

export const compactPayoutSchema = z.object({
  id: z.string(),
  amount: moneyString,
  currency: z.string(),
  status: z.string().describe('paid, pending, in_transit, canceled or failed'),
  arrival_date: isoDate.describe('When the payout is expected to arrive (or arrived) in the bank, ISO 8601 UTC'),
  created: isoDate,
  method: z.string().describe('standard or instant'),
  type: z.string().describe('bank_account or card'),
  automatic: z.boolean().describe('true = created by Stripe on the payout schedule'),
  destination: z.string().nullable().describe('Bank account or card id'),
  failure_code: z.string().nullable(),
  failure_message: z.string().nullable(),
  balance_transaction: z.string().nullable().describe('Balance transaction id; list_balance_transactions with payout = this id gives what it contains'),
  description: z.string().nullable(),
  statement_descriptor: z.string().nullable(),
});

export type CompactPayout = z.infer<typeof compactPayoutSchema>;

export function compactPayout(payout: Stripe.Payout): CompactPayout {
  return {
    id: payout.id,
    amount: money(payout.amount, payout.currency)!,
    currency: payout.currency,
    status: payout.status,
    arrival_date: isoTime(payout.arrival_date)!,
    created: isoTime(payout.created)!,
    method: payout.method,
    type: payout.type,
    automatic: payout.automatic,
    destination: idOf(payout.destination),
    failure_code: payout.failure_code ?? null,
    failure_message: payout.failure_message ?? null,
    balance_transaction: idOf(payout.balance_transaction),
    description: payout.description ?? null,
    statement_descriptor: payout.statement_descriptor ?? null,
  };
}

/** What list_payouts can group and sum (fields named as above). */
export const payoutFacets = defineFacets<Stripe.Payout>({
  currency: (p) => p.currency,
  groups: {
    status: (p) => p.status,
    currency: (p) => p.currency,
    method: (p) => p.method,
    type: (p) => p.type,
    automatic: (p) => flag(p.automatic),
    failure_code: (p) => p.failure_code,
    destination: (p) => idOf(p.destination),
  },
  money: { amount: (p) => p.amount },
  dates: { created: (p) => p.created, arrival_date: (p) => p.arrival_date },
  defaultSums: ['amount'],
});
