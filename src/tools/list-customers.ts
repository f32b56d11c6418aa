import { z } from 'zod';
import type Stripe from 'stripe';
import { compactCustomer, compactCustomerSchema, customerFacets } from '../stripe/compact/customer.js';
import { dateRange } from '../stripe/time.js';
import { defineTool } from './define-tool.js';
import { checked, createdRangeInput, listInput, listOutput, listPage, withTestClockNote } from './common.js';

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
    'Customers: id, name, email, phone, description, created, currency, balance (credit), delinquent, country, metadata. Part of a name or email: search. Their charges, invoices or subscriptions: those lists with customer.',
    'Example: {"email":"jane@example.com"}.',
  ].join(' '),
  // Stripe's email filter is "a case-sensitive filter on the list based on the customer's email field" (OpenAPI
  // spec, GET /v1/customers; docs.stripe.com/api/customers/list); the emulator's is exact too (resources.ts).
  input: z.strictObject({
    email: checked((v) => v.length >= 1 && v.length <= 512, 'must be an email address').optional().describe('Exact, case-sensitive'),
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
