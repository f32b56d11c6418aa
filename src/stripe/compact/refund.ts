import { z } from 'zod';
import type Stripe from 'stripe';
import { money } from '../money.js';
import { isoTime } from '../time.js';
import { idOf, isoDate, metadataSchema, moneyString } from './shared.js';
import { defineFacets } from './facets.js';

export const compactRefundSchema = z.object({
  id: z.string(),
  amount: moneyString,
  currency: z.string(),
  status: z.string().nullable().describe('pending, requires_action, succeeded, failed or canceled'),
  reason: z.string().nullable().describe('duplicate, fraudulent, requested_by_customer, expired_uncaptured_charge, or null'),
  charge: z.string().nullable(),
  payment_intent: z.string().nullable(),
  customer: z.string().nullable(),
  created: isoDate,
  failure_reason: z.string().nullable(),
  balance_transaction: z.string().nullable(),
  description: z.string().nullable(),
  metadata: metadataSchema,
});

export type CompactRefund = z.infer<typeof compactRefundSchema>;

export function compactRefund(refund: Stripe.Refund): CompactRefund {
  return {
    id: refund.id,
    amount: money(refund.amount, refund.currency)!,
    currency: refund.currency,
    status: refund.status ?? null,
    reason: refund.reason ?? null,
    charge: idOf(refund.charge),
    payment_intent: idOf(refund.payment_intent),
    customer: idOf(refund.customer),
    created: isoTime(refund.created)!,
    failure_reason: refund.failure_reason ?? null,
    balance_transaction: idOf(refund.balance_transaction),
    description: refund.description ?? null,
    metadata: refund.metadata ?? {},
  };
}

/** What list_refunds can group and sum (fields named as above). */
export const refundFacets = defineFacets<Stripe.Refund>({
  currency: (r) => r.currency,
  groups: {
    status: (r) => r.status,
    reason: (r) => r.reason,
    currency: (r) => r.currency,
    charge: (r) => idOf(r.charge),
    customer: (r) => idOf(r.customer),
    failure_reason: (r) => r.failure_reason,
  },
  money: { amount: (r) => r.amount },
  dates: { created: (r) => r.created },
  defaultSums: ['amount'],
});
