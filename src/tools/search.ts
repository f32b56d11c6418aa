import { z } from 'zod';
import type Stripe from 'stripe';
import { compactCharge, compactChargeSchema } from '../stripe/compact/charge.js';
import { compactCustomer, compactCustomerSchema } from '../stripe/compact/customer.js';
import { compactInvoice, compactInvoiceSchema } from '../stripe/compact/invoice.js';
import { compactPaymentIntent, compactPaymentIntentSchema } from '../stripe/compact/payment-intent.js';
import { compactPrice, compactPriceSchema } from '../stripe/compact/price.js';
import { compactProduct, compactProductSchema } from '../stripe/compact/product.js';
import { compactSubscription, compactSubscriptionSchema } from '../stripe/compact/subscription.js';
import { defineTool } from './define-tool.js';
import { AMOUNTS_COMPACT, AMOUNTS_FULL, DEFAULT_LIMIT, assertMode, detailInput, rawStripeObject } from './common.js';
import { ToolInputError } from '../stripe/errors.js';

export const SEARCH_RESOURCES = ['customers', 'charges', 'invoices', 'payment_intents', 'prices', 'products', 'subscriptions'] as const;
export type SearchResource = (typeof SEARCH_RESOURCES)[number];

export const SEARCH_NOTE =
  'Search results can be up to a minute stale (longer during Stripe outages), so very recent changes may be missing; Stripe Search is not available to accounts in India.';

/** The longest query we pass on; real queries (at most 10 clauses) are far shorter. */
export const MAX_QUERY_LENGTH = 1000;

interface SearchTarget {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  run: (stripe: Stripe, params: Stripe.CustomerSearchParams) => Promise<Stripe.ApiSearchResult<any>>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  compact: (item: any) => unknown;
  /** What the projection needs expanded, the same as the resource's list tool asks for (compact only). */
  compactExpand?: string[];
}

const TARGETS: Record<SearchResource, SearchTarget> = {
  customers: { run: (s, p) => s.customers.search(p), compact: compactCustomer },
  charges: { run: (s, p) => s.charges.search(p), compact: compactCharge },
  invoices: { run: (s, p) => s.invoices.search(p), compact: compactInvoice },
  payment_intents: { run: (s, p) => s.paymentIntents.search(p), compact: compactPaymentIntent },
  prices: { run: (s, p) => s.prices.search(p), compact: compactPrice },
  products: { run: (s, p) => s.products.search(p), compact: compactProduct },
  subscriptions: { run: (s, p) => s.subscriptions.search(p), compact: compactSubscription, compactExpand: ['data.discounts'] },
};

export const search = defineTool({
  name: 'search',
  title: 'Search Stripe',
  dashboardResource: 'the searched resource',
  description: [
    'Finds customers, charges, invoices, payment_intents, prices, products or subscriptions with Stripe\'s Search Query Language, for what list tools cannot filter: partial names or emails, metadata, amounts, statuses.',
    "Syntax: field:'value' exact; field~'abc' contains (3+ characters); >, <, >=, <= on numbers and Unix-second timestamps (created>1767225600); -field:'x' negates; metadata['key']:'value'; field:null tests emptiness; join clauses with AND or OR (not both), at most 10. Amounts in queries are minor units (amount>1000 = 10.00 USD).",
    'Fields are listed in the query argument. Returns compact objects like the list tools (detail "full" for Stripe\'s own); pages: pass next_page as page; include_total_count adds total_count.',
    'Results can be up to a minute stale; Search is unavailable in India.',
    'Example: {"resource":"customers","query":"email~\'acme.com\' AND created>1767225600"} or {"resource":"charges","query":"status:\'failed\' AND amount>5000"}.',
  ].join(' '),
  input: z.strictObject({
    resource: z.enum(SEARCH_RESOURCES).describe('What to search'),
    query: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(MAX_QUERY_LENGTH, `must be at most ${MAX_QUERY_LENGTH} characters (Stripe allows at most 10 clauses)`)
      .describe(
        'Search Query Language. Fields per resource — customers: email, name, phone, created, metadata · ' +
          'charges: amount, currency, customer, status, refunded, disputed, created, metadata, payment_method_details.card.{brand,last4,exp_month,exp_year,fingerprint} · ' +
          'invoices: customer, status, number, receipt_number, subscription, total, currency, created, metadata · ' +
          'payment_intents: amount, currency, customer, status, created, metadata · prices: product, active, currency, type, lookup_key, metadata · ' +
          "products: name, description, active, url, shippable, metadata · subscriptions: status, created, metadata. Example: name~'acme' AND metadata['plan']:'pro'",
      ),
    limit: z.number().int().min(1).max(100).default(DEFAULT_LIMIT).describe(`Objects per page, 1–100 (default ${DEFAULT_LIMIT}).`),
    page: z.string().min(1).max(2000).optional().describe('next_page from the previous result of the same query, to get the next page.'),
    include_total_count: z.boolean().default(false).describe('Also return total_count, the number of all matches (slower).'),
    detail: detailInput,
  }),
  output: z.object({
    object: z.literal('search_result'),
    resource: z.enum(SEARCH_RESOURCES),
    count: z.number().int().describe('Objects in data'),
    has_more: z.boolean().describe('More matches: call again with page = next_page'),
    next_page: z.string().nullable(),
    total_count: z.number().int().optional().describe('All matches, when include_total_count was true'),
    amounts: z.string(),
    note: z.string(),
    data: z.array(
      z.union([
        compactCustomerSchema,
        compactChargeSchema,
        compactInvoiceSchema,
        compactPaymentIntentSchema,
        compactPriceSchema,
        compactProductSchema,
        compactSubscriptionSchema,
        rawStripeObject,
      ]),
    ),
  }),
  handler: async (args, ctx) => {
    const target = TARGETS[args.resource];
    const page = args.page?.trim();
    if (args.page !== undefined && !page) throw new ToolInputError('page must not be empty: pass next_page from the previous result.');
    const params: Stripe.CustomerSearchParams = {
      query: args.query,
      limit: args.limit,
      ...(page ? { page } : {}),
    };
    const expand = [...(args.include_total_count ? ['total_count'] : []), ...(args.detail === 'compact' ? (target.compactExpand ?? []) : [])];
    if (expand.length > 0) params.expand = expand;
    const result = await target.run(ctx.stripe, params);
    const items = result.data as Array<{ id: string; object: string; livemode?: boolean }>;
    assertMode(items, ctx);
    return {
      object: 'search_result' as const,
      resource: args.resource,
      count: items.length,
      has_more: result.has_more,
      next_page: result.has_more ? (result.next_page ?? null) : null,
      ...(args.include_total_count && typeof result.total_count === 'number' ? { total_count: result.total_count } : {}),
      amounts: args.detail === 'full' ? AMOUNTS_FULL : AMOUNTS_COMPACT,
      note: SEARCH_NOTE,
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      data: args.detail === 'full' ? items : (items.map(target.compact) as any[]),
    };
  },
});
