import { z } from 'zod';
import type Stripe from 'stripe';
import { chargeFacets, compactCharge, compactChargeSchema } from '../stripe/compact/charge.js';
import { compactCustomer, compactCustomerSchema, customerFacets } from '../stripe/compact/customer.js';
import { compactInvoice, compactInvoiceSchema, invoiceFacets } from '../stripe/compact/invoice.js';
import { compactPaymentIntent, compactPaymentIntentSchema, paymentIntentFacets } from '../stripe/compact/payment-intent.js';
import { compactPrice, compactPriceSchema, priceFacets } from '../stripe/compact/price.js';
import { compactProduct, compactProductSchema, productFacets } from '../stripe/compact/product.js';
import { compactSubscription, compactSubscriptionSchema, subscriptionFacets } from '../stripe/compact/subscription.js';
import type { Facets } from '../stripe/compact/facets.js';
import { emptyFieldsOptional } from '../stripe/compact/shared.js';
import type { ReadPermission } from '../stripe/permissions.js';
import { defineTool } from './define-tool.js';
import { OBJECT_KINDS } from './lists/index.js';
import { assertMode, checked, listInput, listSummarySchema, rawStripeObject } from './common.js';
import { ListCollector } from './engine/list.js';
import type { ListedObject } from './engine/scan.js';
import { ToolInputError } from '../stripe/errors.js';
import { FREE_TEXT_RESOURCES, searchFreeText } from './engine/free-text.js';
import { formatCount } from './engine/output.js';
import { paced, throwIfCancelled } from './engine/pacer.js';
import { SEARCH_RESOURCES, SEARCH_SYNTAX, describeSearchFields, searchQueryProblem, type SearchResource } from '../stripe/search-query.js';

/** Every resource's query fields, from Stripe's tables (src/stripe/search-query.ts). */
const FIELDS_BY_RESOURCE = SEARCH_RESOURCES.map((r) => `${r}: ${describeSearchFields(r)}`).join(' · ');

export { SEARCH_RESOURCES, type SearchResource } from '../stripe/search-query.js';

/** The permission searching each resource needs (the same as listing it). */
/** What searching a resource needs: the permission its list tool declares (the kind `customer` for `customers`). */
function permissionOf(resource: SearchResource): ReadPermission {
  const kind = OBJECT_KINDS.find((k) => `${k.object}s` === resource);
  if (!kind) throw new Error(`No list tool declares the kind of the searchable resource "${resource}"`);
  return kind.permission;
}

const SEARCH_PERMISSIONS = Object.fromEntries(SEARCH_RESOURCES.map((r) => [r, permissionOf(r)])) as Record<SearchResource, ReadPermission>;

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
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  facets: Facets<any>;
}

const TARGETS: Record<SearchResource, SearchTarget> = {
  customers: { run: (s, p) => s.customers.search(p), compact: compactCustomer, facets: customerFacets },
  charges: { run: (s, p) => s.charges.search(p), compact: compactCharge, facets: chargeFacets },
  invoices: { run: (s, p) => s.invoices.search(p), compact: compactInvoice, facets: invoiceFacets },
  payment_intents: { run: (s, p) => s.paymentIntents.search(p), compact: compactPaymentIntent, facets: paymentIntentFacets },
  prices: { run: (s, p) => s.prices.search(p), compact: compactPrice, facets: priceFacets },
  products: { run: (s, p) => s.products.search(p), compact: compactProduct, facets: productFacets },
  subscriptions: { run: (s, p) => s.subscriptions.search(p), compact: compactSubscription, compactExpand: ['data.discounts'], facets: subscriptionFacets },
};

/** Refuses, before anything is sent, a query Stripe would refuse, saying what the field allows. */
function assertStripeAccepts(resource: SearchResource, query: string): void {
  const problem = searchQueryProblem(resource, query);
  if (!problem) return;
  const syntax = problem.field === undefined ? ` Syntax: ${SEARCH_SYNTAX}.` : '';
  throw new ToolInputError(`Stripe would refuse this query (nothing was sent): ${problem.detail}.${syntax}`);
}

export const search = defineTool({
  name: 'search',
  toolset: 'lookup',
  permissions: {
    needs: [],
    mayUse: [],
    byChoice: {
      of: 'the resource searched',
      permissions: SEARCH_PERMISSIONS,
      otherwise: { of: 'plain-text search (no resource)', permissions: FREE_TEXT_RESOURCES.map(permissionOf) },
    },
  },
  title: 'Search Stripe',
  description: [
    "Finds customers, charges, invoices, payment_intents, prices, products or subscriptions with Stripe's query language, answering compact objects like the list tools.",
    "Syntax: field:'value' exact; field~'abc' contains (fields marked ~); >, <, >=, <= on fields marked # (amounts in minor units: amount>1000 = 10.00 USD; dates as Unix seconds); -field:'x' not; field:null; metadata['key']:'v'; up to 10 clauses with AND or OR, not both. Pages with next_page as page, or max_results.",
    'Without resource: plain text (name, email, number, amount, id) across resources, answering [{id, title, url}] for fetch. Results can lag a minute.',
    'Example: {"resource":"charges","query":"status:\'failed\' AND amount>5000"}.',
  ].join(' '),
  readme: {
    filters:
      "`resource` (customers, charges, invoices, payment_intents, prices, products, subscriptions), `query` in [Stripe's Search Query Language](https://docs.stripe.com/search#search-query-language), `page` (the previous `next_page`), `limit` or `max_results` (up to 10,000), `include_total_count`. Without `resource`, `query` is plain text (a name, email, invoice number, amount or id) looked up across customers, invoices, charges, payment intents and products, answered as `results: [{id, title, url}]` — the shape ChatGPT's deep research expects",
  },
  input: z.strictObject({
    resource: z.enum(SEARCH_RESOURCES).optional(),
    query: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(MAX_QUERY_LENGTH, `must be at most ${MAX_QUERY_LENGTH} characters (Stripe allows at most 10 clauses)`)
      .describe(`Fields: ${FIELDS_BY_RESOURCE}. active, shippable, disputed, refunded: 'true'/'false'.`),
    // The list engine's own paging and detail arguments (src/tools/common.ts), explained in the instructions.
    limit: listInput.limit,
    max_results: listInput.max_results,
    page: checked((v) => v.length >= 1 && v.length <= 2000, 'must be next_page from the previous result').optional().describe('next_page'),
    include_total_count: z.boolean().default(false),
    detail: listInput.detail,
  }),
  output: z.object({
    object: z.literal('search_result'),
    resource: z.enum(SEARCH_RESOURCES).nullable().describe('null for a plain-text search across resources'),
    count: z.number().int().describe('Objects in data (or hits in results)'),
    results: z
      .array(z.object({ id: z.string(), title: z.string(), url: z.string().nullable() }))
      .optional()
      .describe('Plain-text search (no resource): one entry per hit, with a Stripe Dashboard link'),
    scanned: z.number().int().optional().describe('Matches read from Stripe for this answer'),
    has_more: z.boolean().optional().describe('More matches: call again with page = next_page'),
    next_page: z.string().nullable().optional(),
    total_count: z.number().int().optional().describe('All matches, when include_total_count was true'),
    amounts: z.string().optional(),
    note: z.string(),
    summary: listSummarySchema,
    data: z
      .array(
      z.union([
        emptyFieldsOptional(compactCustomerSchema),
        emptyFieldsOptional(compactChargeSchema),
        emptyFieldsOptional(compactInvoiceSchema),
        emptyFieldsOptional(compactPaymentIntentSchema),
        emptyFieldsOptional(compactPriceSchema),
        emptyFieldsOptional(compactProductSchema),
        emptyFieldsOptional(compactSubscriptionSchema),
        rawStripeObject,
      ]),
      )
      .optional(),
  }),
  handler: async (args, ctx) => {
    if (args.resource === undefined) {
      if (args.page !== undefined || args.include_total_count || args.max_results !== undefined) {
        throw new ToolInputError('page, max_results and include_total_count need a resource: name one to use Stripe\'s query language.');
      }
      const results = await searchFreeText(ctx.stripe, ctx.mode, ctx.connection, args.query, args.limit);
      return { object: 'search_result' as const, resource: null, count: results.length, results, note: SEARCH_NOTE };
    }
    assertStripeAccepts(args.resource, args.query);
    const target = TARGETS[args.resource];
    let page = args.page?.trim();
    if (args.page !== undefined && !page) throw new ToolInputError('page must not be empty: pass next_page from the previous result.');
    const wanted = args.max_results ?? args.limit;
    const full = args.detail === 'full';
    // The list engine's collector: the same output budget, projection, totals and summary as the list tools.
    const collected = new ListCollector<ListedObject, unknown>(target.facets, target.compact, args.detail);
    let scanned = 0;
    let hasMore = true;
    let totalCount: number | undefined;
    while (hasMore && scanned < wanted) {
      throwIfCancelled(ctx.signal);
      const params: Stripe.CustomerSearchParams = { query: args.query, limit: Math.min(100, wanted - scanned), ...(page ? { page } : {}) };
      // total_count once, on the first page; the projection's expansions on every page.
      const expand = [...(args.include_total_count && scanned === 0 ? ['total_count'] : []), ...(full ? [] : (target.compactExpand ?? []))];
      if (expand.length > 0) params.expand = expand;
      const result = await paced(ctx, 'search', () => target.run(ctx.stripe, params));
      const items = result.data as ListedObject[];
      assertMode(items, ctx);
      if (typeof result.total_count === 'number') totalCount = result.total_count;
      for (const item of items) collected.add(item);
      scanned += items.length;
      ctx.progress?.(scanned, `Read ${formatCount(scanned)} ${args.resource.replace('_', ' ')}`);
      hasMore = result.has_more && items.length > 0;
      page = result.next_page ?? undefined;
      if (!page) hasMore = false;
    }
    const nextPage = hasMore ? (page ?? null) : null;
    const { budget } = collected;
    return {
      object: 'search_result' as const,
      resource: args.resource,
      count: budget.items.length,
      scanned,
      has_more: hasMore,
      next_page: nextPage,
      ...(args.include_total_count && totalCount !== undefined ? { total_count: totalCount } : {}),
      amounts: collected.amounts,
      note: SEARCH_NOTE,
      ...(budget.over
        ? {
            summary: collected.summary({
              noun: 'matches',
              hasMore,
              sizeArg: args.max_results !== undefined ? 'max_results' : 'limit',
              narrow: 'add clauses to the query to narrow it',
              aggregate: 'For totals or rankings use the aggregate tool over the list\'s own filters (it reads every match; it takes no search query).',
              continues: nextPage ? 'next_page' : null,
            }),
          }
        : {}),
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      data: budget.items as any[],
    };
  },
});
