import { z } from 'zod';
import { compactProduct, compactProductSchema, productFacets } from '../stripe/compact/product.js';
import { dateRange } from '../stripe/time.js';
import { defineTool } from './define-tool.js';
import { createdRangeInput, listInput, listOutput, listPage } from './common.js';

export const listProducts = defineTool({
  name: 'list_products',
  toolset: 'billing',
  aggregates: { facets: productFacets, mayUse: [] },
  permissions: { needs: ['rak_product_read'], mayUse: [] },
  listOrder: 60,
  returns: {
    object: 'product', label: 'product', idPrefixes: ['prod_'], customIds: true, dashboardPath: 'products',
    retrieve: (stripe, id) => stripe.products.retrieve(id), compact: compactProduct,
    title: (c) => `Product ${c.name ?? c.id}${c.active === false ? ' (archived)' : ''}`,
  },
  title: 'List products',
  description: [
    'Products (what is sold): id, name, description, active (false = archived), default price, type, unit label, url, created, updated, metadata. Their prices: list_prices with product.',
    'Example: {"active":true}.',
  ].join(' '),
  input: z.strictObject({
    active: z.boolean().optional(),
    ...createdRangeInput,
    ...listInput,
  }),
  output: listOutput(compactProductSchema),
  handler: async (args, ctx) => {
    const created = dateRange(args.created_after, args.created_before, 'created');
    return listPage({
      ctx,
      object: 'product',
      args,
      compact: compactProduct,
      facets: productFacets,
      created,
      fetchPage: (page) =>
        ctx.stripe.products.list({
          ...page,
          ...(args.active !== undefined ? { active: args.active } : {}),
        }),
    });
  },
});
