import { z } from 'zod';
import type Stripe from 'stripe';
import { money } from '../money.js';
import { isoTime } from '../time.js';
import { idOf, isoDate, metadataSchema, moneyString } from './shared.js';
import { defineFacets, flag } from './facets.js';

export const compactChargeSchema = z.object({
  id: z.string(),
  amount: moneyString,
  amount_captured: moneyString,
  amount_refunded: moneyString,
  currency: z.string(),
  status: z.string().describe('succeeded, pending or failed'),
  paid: z.boolean(),
  captured: z.boolean(),
  refunded: z.boolean().describe('Fully refunded (see amount_refunded for partial refunds)'),
  disputed: z.boolean(),
  failure_code: z.string().nullable(),
  failure_message: z.string().nullable(),
  decline_code: z
    .string()
    .nullable()
    .describe("The issuer's decline code (e.g. insufficient_funds): Stripe puts it in outcome.reason when outcome.type is issuer_declined"),
  outcome: z
    .object({
      type: z.string().nullable().describe('authorized, manual_review, issuer_declined, blocked or invalid'),
      network_status: z.string().nullable(),
      reason: z.string().nullable(),
      seller_message: z.string().nullable(),
      risk_level: z.string().nullable(),
      network_decline_code: z.string().nullable(),
    })
    .nullable(),
  customer: z.string().nullable(),
  payment_intent: z.string().nullable(),
  invoice: z.string().nullable().optional().describe('Only when Stripe returns it on the charge'),
  balance_transaction: z.string().nullable(),
  receipt_email: z.string().nullable(),
  description: z.string().nullable(),
  payment_method_type: z.string().nullable().describe('e.g. card, sepa_debit'),
  card_brand: z.string().nullable(),
  card_last4: z.string().nullable(),
  created: isoDate,
  metadata: metadataSchema,
});

export type CompactCharge = z.infer<typeof compactChargeSchema>;

/** Fields older API versions (or Stripe-compatible servers) may still put on a charge. */
interface LegacyChargeFields {
  invoice?: string | { id: string } | null;
  decline_code?: string | null;
}

export function compactCharge(charge: Stripe.Charge): CompactCharge {
  const legacy = charge as Stripe.Charge & LegacyChargeFields;
  const card = charge.payment_method_details?.card;
  const outcome = charge.outcome;
  return {
    id: charge.id,
    amount: money(charge.amount, charge.currency)!,
    amount_captured: money(charge.amount_captured, charge.currency)!,
    amount_refunded: money(charge.amount_refunded, charge.currency)!,
    currency: charge.currency,
    status: charge.status,
    paid: charge.paid,
    captured: charge.captured,
    refunded: charge.refunded,
    disputed: charge.disputed,
    failure_code: charge.failure_code ?? null,
    failure_message: charge.failure_message ?? null,
    decline_code: legacy.decline_code ?? (outcome?.type === 'issuer_declined' ? (outcome.reason ?? null) : null),
    outcome: outcome
      ? {
          type: outcome.type ?? null,
          network_status: outcome.network_status ?? null,
          reason: outcome.reason ?? null,
          seller_message: outcome.seller_message ?? null,
          risk_level: outcome.risk_level ?? null,
          network_decline_code: outcome.network_decline_code ?? null,
        }
      : null,
    customer: idOf(charge.customer),
    payment_intent: idOf(charge.payment_intent),
    ...('invoice' in legacy && legacy.invoice !== undefined ? { invoice: idOf(legacy.invoice) } : {}),
    balance_transaction: idOf(charge.balance_transaction),
    receipt_email: charge.receipt_email ?? null,
    description: charge.description ?? null,
    payment_method_type: charge.payment_method_details?.type ?? null,
    card_brand: card?.brand ?? null,
    card_last4: card?.last4 ?? null,
    created: isoTime(charge.created)!,
    metadata: charge.metadata ?? {},
  };
}

/** What list_charges can group and sum (fields named as above). */
export const chargeFacets = defineFacets<Stripe.Charge>({
  currency: (c) => c.currency,
  groups: {
    customer: (c) => idOf(c.customer),
    status: (c) => c.status,
    currency: (c) => c.currency,
    failure_code: (c) => c.failure_code,
    decline_code: (c) => (c as Stripe.Charge & LegacyChargeFields).decline_code ?? (c.outcome?.type === 'issuer_declined' ? c.outcome.reason : null),
    outcome_type: (c) => c.outcome?.type,
    risk_level: (c) => c.outcome?.risk_level,
    payment_method_type: (c) => c.payment_method_details?.type,
    card_brand: (c) => c.payment_method_details?.card?.brand,
    refunded: (c) => flag(c.refunded),
    disputed: (c) => flag(c.disputed),
  },
  money: {
    amount: (c) => c.amount,
    amount_captured: (c) => c.amount_captured,
    amount_refunded: (c) => c.amount_refunded,
    net_of_refunds: (c) => c.amount_captured - c.amount_refunded,
  },
  dates: { created: (c) => c.created },
  derived: { net_of_refunds: 'amount_captured − amount_refunded (0 if failed)' },
  defaultSums: ['amount_captured', 'amount_refunded', 'net_of_refunds'],
});
