import { z } from 'zod';
import type Stripe from 'stripe';
import { money } from '../money.js';
import { isoTime } from '../time.js';
import { idOf, isoDate, metadataSchema, moneyString } from './shared.js';
import { defineFacets } from './facets.js';

/** How many line items a compact invoice shows; line_count says how many there are. */
export const INVOICE_LINES_SHOWN = 5;

export const compactInvoiceLineSchema = z.object({
  description: z.string().nullable(),
  amount: moneyString,
  price: z.string().nullable(),
  quantity: z.number().nullable(),
  period_start: isoDate.nullable(),
  period_end: isoDate.nullable(),
});

export const compactInvoiceSchema = z.object({
  id: z.string(),
  number: z.string().nullable(),
  status: z.string().nullable().describe('draft, open, paid, uncollectible or void'),
  amount_due: moneyString,
  amount_paid: moneyString,
  amount_remaining: moneyString,
  subtotal: moneyString,
  discount: moneyString.nullable().describe('Sum of discounts on the invoice; absent when Stripe gives none'),
  tax: moneyString.nullable().describe('Sum of taxes on the invoice; absent when Stripe gives no tax breakdown'),
  total: moneyString,
  currency: z.string(),
  customer: z.string().nullable(),
  customer_email: z.string().nullable(),
  customer_name: z.string().nullable(),
  subscription: z.string().nullable(),
  collection_method: z.string(),
  billing_reason: z.string().nullable(),
  created: isoDate,
  due_date: isoDate.nullable(),
  period_start: isoDate.nullable(),
  period_end: isoDate.nullable(),
  paid_at: isoDate.nullable(),
  hosted_invoice_url: z.string().nullable(),
  attempt_count: z.number().int(),
  line_count: z.number().int().nullable().describe('Line items on the invoice (absent if Stripe did not say)'),
  lines: z.array(compactInvoiceLineSchema).describe(`The first ${INVOICE_LINES_SHOWN} line items`),
  metadata: metadataSchema,
});

export type CompactInvoice = z.infer<typeof compactInvoiceSchema>;

function sumAmounts(items: ReadonlyArray<{ amount: number }> | null | undefined, currency: string): string | null {
  if (!items) return null;
  return money(
    items.reduce((total, item) => total + item.amount, 0),
    currency,
  );
}

function compactLine(line: Stripe.InvoiceLineItem, currency: string) {
  return {
    description: line.description ?? null,
    amount: money(line.amount, line.currency ?? currency)!,
    price: idOf(line.pricing?.price_details?.price),
    quantity: line.quantity ?? null,
    period_start: isoTime(line.period?.start),
    period_end: isoTime(line.period?.end),
  };
}

export function compactInvoice(invoice: Stripe.Invoice): CompactInvoice {
  const currency = invoice.currency;
  const lines = invoice.lines as (Stripe.ApiList<Stripe.InvoiceLineItem> & { total_count?: number }) | undefined;
  const lineData = lines?.data ?? [];
  const lineCount = typeof lines?.total_count === 'number' ? lines.total_count : lines && !lines.has_more ? lineData.length : null;
  return {
    id: invoice.id,
    number: invoice.number ?? null,
    status: invoice.status ?? null,
    amount_due: money(invoice.amount_due, currency)!,
    amount_paid: money(invoice.amount_paid, currency)!,
    amount_remaining: money(invoice.amount_remaining, currency)!,
    subtotal: money(invoice.subtotal, currency)!,
    discount: sumAmounts(invoice.total_discount_amounts, currency),
    tax: sumAmounts(invoice.total_taxes, currency),
    total: money(invoice.total, currency)!,
    currency,
    customer: idOf(invoice.customer),
    customer_email: invoice.customer_email ?? null,
    customer_name: invoice.customer_name ?? null,
    subscription: idOf(invoice.parent?.subscription_details?.subscription),
    collection_method: invoice.collection_method,
    billing_reason: invoice.billing_reason ?? null,
    created: isoTime(invoice.created)!,
    due_date: isoTime(invoice.due_date),
    period_start: isoTime(invoice.period_start),
    period_end: isoTime(invoice.period_end),
    paid_at: isoTime(invoice.status_transitions?.paid_at),
    hosted_invoice_url: invoice.hosted_invoice_url ?? null,
    attempt_count: invoice.attempt_count,
    line_count: lineCount,
    lines: lineData.slice(0, INVOICE_LINES_SHOWN).map((line) => compactLine(line, currency)),
    metadata: invoice.metadata ?? {},
  };
}

function sumOf(items: ReadonlyArray<{ amount: number }> | null | undefined): number | null {
  return items ? items.reduce((total, item) => total + item.amount, 0) : null;
}

/** What list_invoices can group and sum (fields named as above). */
export const invoiceFacets = defineFacets<Stripe.Invoice>({
  currency: (i) => i.currency,
  groups: {
    customer: (i) => idOf(i.customer),
    status: (i) => i.status,
    currency: (i) => i.currency,
    subscription: (i) => idOf(i.parent?.subscription_details?.subscription),
    collection_method: (i) => i.collection_method,
    billing_reason: (i) => i.billing_reason,
  },
  money: {
    total: (i) => i.total,
    subtotal: (i) => i.subtotal,
    amount_due: (i) => i.amount_due,
    amount_paid: (i) => i.amount_paid,
    amount_remaining: (i) => i.amount_remaining,
    discount: (i) => sumOf(i.total_discount_amounts),
    tax: (i) => sumOf(i.total_taxes),
  },
  dates: {
    created: (i) => i.created,
    due_date: (i) => i.due_date,
    paid_at: (i) => i.status_transitions?.paid_at,
    period_start: (i) => i.period_start,
    period_end: (i) => i.period_end,
  },
  defaultSums: ['total', 'amount_paid', 'amount_remaining'],
});
