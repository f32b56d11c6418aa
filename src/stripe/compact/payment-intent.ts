import { z } from 'zod';
import type Stripe from 'stripe';
import { money } from '../money.js';
import { isoTime } from '../time.js';
import { idOf, isoDate, metadataSchema, moneyString } from './shared.js';
import { defineFacets } from './facets.js';

export const compactPaymentIntentSchema = z.object({
  id: z.string(),
  amount: moneyString,
  amount_received: moneyString,
  amount_capturable: moneyString,
  currency: z.string(),
  status: z.string().describe('Stripe status, e.g. succeeded, requires_payment_method (after a failed attempt), canceled'),
  customer: z.string().nullable(),
  description: z.string().nullable(),
  receipt_email: z.string().nullable(),
  created: isoDate,
  canceled_at: isoDate.nullable(),
  cancellation_reason: z.string().nullable(),
  capture_method: z.string(),
  last_payment_error: z
    .object({
      code: z.string().nullable(),
      decline_code: z.string().nullable(),
      message: z.string().nullable(),
      type: z.string().nullable(),
      charge: z.string().nullable(),
    })
    .nullable()
    .describe('Why the latest payment attempt failed; absent if none failed'),
  latest_charge: z.string().nullable(),
  payment_method: z.string().nullable(),
  payment_method_types: z.array(z.string()),
  metadata: metadataSchema,
});

export type CompactPaymentIntent = z.infer<typeof compactPaymentIntentSchema>;

export function compactPaymentIntent(intent: Stripe.PaymentIntent): CompactPaymentIntent {
  const error = intent.last_payment_error;
  return {
    id: intent.id,
    amount: money(intent.amount, intent.currency)!,
    amount_received: money(intent.amount_received, intent.currency)!,
    amount_capturable: money(intent.amount_capturable, intent.currency)!,
    currency: intent.currency,
    status: intent.status,
    customer: idOf(intent.customer),
    description: intent.description ?? null,
    receipt_email: intent.receipt_email ?? null,
    created: isoTime(intent.created)!,
    canceled_at: isoTime(intent.canceled_at),
    cancellation_reason: intent.cancellation_reason ?? null,
    capture_method: intent.capture_method,
    last_payment_error: error
      ? {
          code: error.code ?? null,
          decline_code: error.decline_code ?? null,
          message: error.message ?? null,
          type: error.type ?? null,
          charge: error.charge ?? null,
        }
      : null,
    latest_charge: idOf(intent.latest_charge),
    payment_method: idOf(intent.payment_method),
    payment_method_types: intent.payment_method_types ?? [],
    metadata: intent.metadata ?? {},
  };
}

/** What list_payment_intents can group and sum (fields named as above). */
export const paymentIntentFacets = defineFacets<Stripe.PaymentIntent>({
  currency: (p) => p.currency,
  groups: {
    customer: (p) => idOf(p.customer),
    status: (p) => p.status,
    currency: (p) => p.currency,
    failure_code: (p) => p.last_payment_error?.code,
    decline_code: (p) => p.last_payment_error?.decline_code,
    capture_method: (p) => p.capture_method,
    cancellation_reason: (p) => p.cancellation_reason,
  },
  money: {
    amount: (p) => p.amount,
    amount_received: (p) => p.amount_received,
    amount_capturable: (p) => p.amount_capturable,
  },
  dates: { created: (p) => p.created, canceled_at: (p) => p.canceled_at },
  defaultSums: ['amount', 'amount_received'],
});
