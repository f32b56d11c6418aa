import { z } from 'zod';
import type Stripe from 'stripe';
import { isoTime } from '../time.js';
import { idOf, isoDate, metadataSchema } from './shared.js';

export const compactProductSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  active: z.boolean().describe('false = archived: no new purchases'),
  default_price: z.string().nullable().describe('Price id used by default'),
  type: z.string().nullable().describe('good or service, where Stripe still reports it'),
  unit_label: z.string().nullable(),
  url: z.string().nullable(),
  created: isoDate,
  updated: isoDate,
  metadata: metadataSchema,
});

export type CompactProduct = z.infer<typeof compactProductSchema>;

export function compactProduct(product: Stripe.Product): CompactProduct {
  return {
    id: product.id,
    name: product.name,
    description: product.description ?? null,
    active: product.active,
    default_price: idOf(product.default_price),
    type: product.type ?? null,
    unit_label: product.unit_label ?? null,
    url: product.url ?? null,
    created: isoTime(product.created)!,
    updated: isoTime(product.updated)!,
    metadata: product.metadata ?? {},
  };
}
