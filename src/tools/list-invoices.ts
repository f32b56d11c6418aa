import { z } from 'zod';
import { compactInvoice, compactInvoiceSchema, invoiceFacets } from '../stripe/compact/invoice.js';
import { dateRange } from '../stripe/time.js';
import { defineTool } from './define-tool.js';
import { idFilter, createdRangeInput, dateInput, listInput, listOutput, listPage, requireNonEmpty } from './common.js';

export const listInvoices = defineTool({
  name: 'list_invoices',
  toolset: 'billing',
  aggregates: { facets: invoiceFacets, mayUse: [{ permission: 'rak_customer_read', without: 'rows grouped by customer show ids, not names and emails' }] },
  permissions: { needs: ['rak_invoice_read'], mayUse: [] },
  listOrder: 40,
  returns: {
    object: 'invoice', label: 'invoice', idPrefixes: ['in_'], dashboardPath: 'invoices',
    retrieve: (stripe, id) => stripe.invoices.retrieve(id), compact: compactInvoice,
    title: (c) => [`Invoice ${c.number ?? c.id}`, c.total && c.currency ? `${c.total} ${String(c.currency).toUpperCase()}` : null, c.status].filter(Boolean).join(' · '),
  },
  title: 'List invoices',
  description: [
    'Invoices: number, status, amounts due/paid/remaining, subtotal, discount, tax, total, customer, subscription, billing reason, created, due date, period, paid_at, hosted link, first lines. Overdue: status open, due_before today.',
    'Example: {"status":"open","due_before":"today"}.',
  ].join(' '),
  input: z.strictObject({
    customer: idFilter('cus_…'),
    subscription: idFilter('sub_…'),
    status: z.enum(['draft', 'open', 'paid', 'uncollectible', 'void']).optional(),
    collection_method: z.enum(['charge_automatically', 'send_invoice']).optional(),
    ...createdRangeInput,
    due_after: dateInput.optional().describe('Due at or after; leaves out invoices without a due date'),
    due_before: dateInput.optional().describe('Due before; leaves out invoices without a due date'),
    ...listInput,
  }),
  output: listOutput(compactInvoiceSchema),
  handler: async (args, ctx) => {
    requireNonEmpty(args.customer, 'customer');
    requireNonEmpty(args.subscription, 'subscription');
    const created = dateRange(args.created_after, args.created_before, 'created');
    const due = dateRange(args.due_after, args.due_before, 'due');
    return listPage({
      ctx,
      object: 'invoice',
      args,
      compact: compactInvoice,
      facets: invoiceFacets,
      created,
      fetchPage: (page) =>
        ctx.stripe.invoices.list({
          ...page,
          ...(args.customer ? { customer: args.customer } : {}),
          ...(args.subscription ? { subscription: args.subscription } : {}),
          ...(args.status ? { status: args.status } : {}),
          ...(args.collection_method ? { collection_method: args.collection_method } : {}),
          ...(due ? { due_date: due } : {}),
        }),
    });
  },
});
