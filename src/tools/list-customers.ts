import { z } from 'zod';
import type Stripe from 'stripe';
import { compactCustomer, compactCustomerSchema, customerFacets } from '../stripe/compact/customer.js';
import { dateRange } from '../stripe/time.js';
import { defineTool } from './define-tool.js';
import { LISTS_AS_INSTRUCTED, checked, createdRangeInput, listInput, listOutput, listPage, withTestClockNote } from './common.js';

export const listCustomers = defineTool({
  name: 'list_customers',
  toolset: 'billing',
  aggregates: { facets: customerFacets, mayUse: [] },
  permissions: { needs: ['rak_customer_read'], mayUse: [] },
  listOrder: 10,
  returns: {
    object: 'customer', label: 'customer', idPrefixes: ['cus_'], dashboardPath: 'customers',
    retrieve: (stripe, id) => stripe.customers.retrieve(id) as Promise<Stripe.Customer>,
    compact: compactCustomer,
    title: (c) => `Customer ${[c.name, c.email ? `<${c.email}>` : null].filter(Boolean).join(' ') || c.id}`,
  },
  title: 'List customers',
  description: [
    'Customers: id, name, email, phone, description, created, currency, balance (credit), delinquent, country, metadata. Partial name or email: search.',
    LISTS_AS_INSTRUCTED,
    'Example: {"email":"jane@example.com"}.',
  ].join(' '),
  input: z.strictObject({
    email: checked((v) => v.length >= 1 && v.length <= 512, 'must be an email address').optional().describe('Exact'),
    ...createdRangeInput,
    ...listInput,
  }),
  output: listOutput(compactCustomerSchema),
  handler: async (args, ctx) => {
    const created = dateRange(args.created_after, args.created_before, 'created');
    const answer = await listPage({
      ctx,
      object: 'customer',
      args,
      compact: compactCustomer,
      facets: customerFacets,
      created,
      fetchPage: (page) =>
        ctx.stripe.customers.list({ ...page, ...(args.email ? { email: args.email } : {}) }),
    });
    return withTestClockNote(answer, ctx.mode, 'customers');
  },
});
