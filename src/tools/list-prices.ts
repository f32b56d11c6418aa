import { z } from 'zod';
import type Stripe from 'stripe';
import { compactPrice, compactPriceSchema, priceFacets } from '../stripe/compact/price.js';
import { ToolInputError } from '../stripe/errors.js';
import { dateRange } from '../stripe/time.js';
import { defineTool } from './define-tool.js';
import { aggregateInput, createdRangeInput, listInput, listOutput, listPage, requireNonEmpty } from './common.js';

export const listPrices = defineTool({
  name: 'list_prices',
  permissions: { needs: ['rak_plan_read'], mayUse: [] },
  returns: {
    object: 'price', aliases: ['plan'], label: 'price', idPrefixes: ['price_', 'plan_'], customIds: true, dashboardPath: 'prices',
    retrieve: (stripe, id) => stripe.prices.retrieve(id), compact: compactPrice,
    title: (c) => ['Price', c.nickname, c.unit_amount && c.currency ? `${c.unit_amount} ${String(c.currency).toUpperCase()}${c.interval ? `/${c.interval}` : ''}` : null].filter(Boolean).join(' · '),
  },
  title: 'List prices',
  description: [
    'Lists Stripe prices (what a product costs), newest first: id, product id, active, currency, unit_amount, type (one_time or recurring), interval and interval_count, usage_type (licensed or metered), billing_scheme, nickname, lookup_key, tax_behavior, created (ISO 8601 UTC), metadata.',
    'Filters: product (id), type, currency (e.g. usd), active (false = archived), recurring_interval (day, week, month, year), created_after (inclusive) / created_before (exclusive).',
    'unit_amount is null for tiered or customer-chosen prices. Pages: limit 1–100 then cursor = next_cursor, or max_results (≤ 10,000) paged on the server. Counts: group_by (product, interval, currency, …).',
    'To search by lookup_key or metadata use the search tool (resource "prices").',
    'Example: {"product":"prod_Nx1","type":"recurring"} or {"currency":"eur","recurring_interval":"year"}.',
  ].join(' '),
  input: z.strictObject({
    product: z.string().min(1).max(255).optional().describe('Product id (prod_… or a custom id): only its prices'),
    type: z.enum(['one_time', 'recurring']).optional().describe('one_time or recurring'),
    currency: z
      .string()
      .regex(/^[A-Za-z]{3}$/, 'must be a three-letter ISO 4217 currency code, e.g. usd')
      .optional()
      .describe('Three-letter ISO currency code, e.g. usd, eur, jpy'),
    active: z.boolean().optional().describe('true: prices usable for new purchases; false: archived prices'),
    recurring_interval: z.enum(['day', 'week', 'month', 'year']).optional().describe('Only recurring prices billed at this interval'),
    ...createdRangeInput,
    ...listInput,
    ...aggregateInput(priceFacets),
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
