import { z } from 'zod';
import type Stripe from 'stripe';
import { isoTime } from '../time.js';
import { idOf, isoDate, metadataSchema } from './shared.js';
import { defineFacets, flag } from './facets.js';

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

/** What list_products can group (fields named as above); products carry no money. */
export const productFacets = defineFacets<Stripe.Product>({
  currency: () => null,
  groups: {
    active: (p) => flag(p.active),
    type: (p) => p.type,
    unit_label: (p) => p.unit_label,
  },
  money: {},
  dates: { created: (p) => p.created, updated: (p) => p.updated },
  defaultSums: [],
});
