import { z } from 'zod';
import type Stripe from 'stripe';
import { compactPrice, compactPriceSchema, priceFacets } from '../stripe/compact/price.js';
import { ToolInputError } from '../stripe/errors.js';
import { dateRange } from '../stripe/time.js';
import { defineTool } from './define-tool.js';
import { currencyFilter, idFilter, createdRangeInput, listInput, listOutput, listPage, requireNonEmpty } from './common.js';

export const listPrices = defineTool({
  name: 'list_prices',
  toolset: 'billing',
  aggregates: { facets: priceFacets, mayUse: [{ permission: 'rak_product_read', without: 'rows grouped by product show product ids, not names' }] },
  permissions: { needs: ['rak_plan_read'], mayUse: [] },
  listOrder: 70,
  returns: {
    object: 'price', aliases: ['plan'], label: 'price', idPrefixes: ['price_', 'plan_'], customIds: true, dashboardPath: 'prices',
    retrieve: (stripe, id) => stripe.prices.retrieve(id), compact: compactPrice,
    title: (c) => ['Price', c.nickname, c.unit_amount && c.currency ? `${c.unit_amount} ${String(c.currency).toUpperCase()}${c.interval ? `/${c.interval}` : ''}` : null].filter(Boolean).join(' · '),
  },
  title: 'List prices',
  description: [
    'Prices: id, product, active, currency, unit_amount (absent if tiered or customer-chosen), type, interval and count, usage_type, billing_scheme, nickname, lookup_key, tax_behavior, created, metadata.',
    'Example: {"product":"prod_Nx1","type":"recurring"}.',
  ].join(' '),
  input: z.strictObject({
    product: idFilter('prod_… or a custom id'),
    type: z.enum(['one_time', 'recurring']).optional(),
    currency: currencyFilter,
    active: z.boolean().optional().describe('false: archived'),
    recurring_interval: z.enum(['day', 'week', 'month', 'year']).optional(),
    ...createdRangeInput,
    ...listInput,
  }),
  output: listOutput(compactPriceSchema),
  handler: async (args, ctx) => {
    requireNonEmpty(args.product, 'product');
    if (args.recurring_interval && args.type === 'one_time') {
      throw new ToolInputError('recurring_interval only applies to recurring prices; drop it or set type to "recurring".');
    }
    const created = dateRange(args.created_after, args.created_before, 'created');
    const params: Stripe.PriceListParams = {
      ...(args.product ? { product: args.product.trim() } : {}),
      ...(args.type ? { type: args.type } : {}),
      ...(args.currency ? { currency: args.currency.toLowerCase() } : {}),
      ...(args.active !== undefined ? { active: args.active } : {}),
      ...(args.recurring_interval ? { recurring: { interval: args.recurring_interval } } : {}),
    };
    return listPage({
      ctx,
      object: 'price',
      args,
      compact: compactPrice,
      facets: priceFacets,
      created,
      fetchPage: (page) =>
        ctx.stripe.prices.list({ ...page, ...params }),
    });
  },
});
