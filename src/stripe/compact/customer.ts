import { z } from 'zod';
import type Stripe from 'stripe';
import { money } from '../money.js';
import { isoTime } from '../time.js';
import { isoDate, metadataSchema, moneyString } from './shared.js';
import { defineFacets, flag } from './facets.js';

// Not here: invoice_settings.default_payment_method. A pm_… id is on every customer, no tool can open it, and it was a
// fifth of a compact customer; detail: "full" still has it.
export const compactCustomerSchema = z.object({
  id: z.string(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  description: z.string().nullable(),
  created: isoDate,
  currency: z.string().nullable(),
  balance: moneyString.nullable().describe('Customer credit balance; negative means credit in their favour'),
  delinquent: z.boolean().nullable(),
  country: z.string().nullable(),
  metadata: metadataSchema,
});

export type CompactCustomer = z.infer<typeof compactCustomerSchema>;

export function compactCustomer(customer: Stripe.Customer): CompactCustomer {
  return {
    id: customer.id,
    name: customer.name ?? null,
    email: customer.email ?? null,
    phone: customer.phone ?? null,
    description: customer.description ?? null,
    created: isoTime(customer.created)!,
    currency: customer.currency ?? null,
    balance: money(customer.balance, customer.currency),
    delinquent: customer.delinquent ?? null,
    country: customer.address?.country ?? null,
    metadata: customer.metadata ?? {},
  };
}

/** What list_customers can group and sum (fields named as above). */
export const customerFacets = defineFacets<Stripe.Customer>({
  currency: (c) => c.currency,
  groups: {
    currency: (c) => c.currency,
    country: (c) => c.address?.country,
    delinquent: (c) => flag(c.delinquent),
  },
  money: { balance: (c) => c.balance },
  dates: { created: (c) => c.created },
  defaultSums: [],
});
