import { z } from 'zod';
import type Stripe from 'stripe';
import { money } from '../money.js';
import { isoTime } from '../time.js';
import { idOf, isoDate, metadataSchema, moneyString } from './shared.js';
import { defineFacets } from './facets.js';

export const compactDisputeSchema = z.object({
  id: z.string(),
  amount: moneyString,
  currency: z.string(),
  status: z.string().describe('warning_needs_response, warning_under_review, warning_closed, needs_response, under_review, won, lost, prevented, appeal_needs_response or appeal_under_review'),
  reason: z.string().describe('e.g. fraudulent, product_not_received, duplicate, general'),
  charge: z.string(),
  payment_intent: z.string().nullable(),
  created: isoDate,
  evidence_due_by: isoDate.nullable().describe('Deadline to submit evidence'),
  has_evidence: z.boolean().nullable(),
  evidence_past_due: z.boolean().nullable(),
  is_charge_refundable: z.boolean(),
  network_reason_code: z.string().nullable(),
  balance_transactions: z.array(z.string()).describe('Balance transaction ids (funds withdrawn and reinstated)'),
  metadata: metadataSchema,
});

export type CompactDispute = z.infer<typeof compactDisputeSchema>;

export function compactDispute(dispute: Stripe.Dispute): CompactDispute {
  return {
    id: dispute.id,
    amount: money(dispute.amount, dispute.currency)!,
    currency: dispute.currency,
    status: dispute.status,
    reason: dispute.reason,
    charge: idOf(dispute.charge)!,
    payment_intent: idOf(dispute.payment_intent),
    created: isoTime(dispute.created)!,
    evidence_due_by: isoTime(dispute.evidence_details?.due_by),
    has_evidence: dispute.evidence_details?.has_evidence ?? null,
    evidence_past_due: dispute.evidence_details?.past_due ?? null,
    is_charge_refundable: dispute.is_charge_refundable,
    network_reason_code: dispute.network_reason_code ?? null,
    balance_transactions: (dispute.balance_transactions ?? []).map((txn) => idOf(txn as string | Stripe.BalanceTransaction)!),
    metadata: dispute.metadata ?? {},
  };
}

/** What list_disputes can group and sum (fields named as above). */
export const disputeFacets = defineFacets<Stripe.Dispute>({
  currency: (d) => d.currency,
  groups: {
    status: (d) => d.status,
    reason: (d) => d.reason,
    currency: (d) => d.currency,
    network_reason_code: (d) => d.network_reason_code,
    charge: (d) => idOf(d.charge),
  },
  money: { amount: (d) => d.amount },
  dates: { created: (d) => d.created, evidence_due_by: (d) => d.evidence_details?.due_by },
  defaultSums: ['amount'],
});
