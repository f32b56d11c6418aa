/** Invoices (subscription and manual), their lines and payments, and what happens to each invoice. */
import type Stripe from 'stripe';
import type { CustomerCtx, Generator } from './generator.js';
import { attempt, makePaymentIntent, randomFailure } from './payments.js';
import type { FailureSpec } from './payments.js';
import { BUILDER_IDS, DAY, HOUR, SEED_EPOCH, addMonths, dayStart, dec, formatMinor, idOf } from './util.js';
import type { IdSource } from './util.js';

// ---------------------------------------------------------------------------------------------------------------
// Shapes

export type InvoiceLineSeed = Omit<Partial<Stripe.InvoiceLineItem>, 'subscription'> & {
  /** The line's price; amount defaults to quantity × unit amount. */
  price?: Stripe.Price;
  subscription?: string | null;
};

export function invoiceLineShape(invoiceId: string, created: number, l: InvoiceLineSeed, ids: IdSource = BUILDER_IDS): Stripe.InvoiceLineItem {
  const { price: p, ...rest } = l;
  const subId = l.subscription ?? null;
  const qty = l.quantity ?? 1;
  const amount = l.amount ?? qty * (p?.unit_amount ?? 0);
  const interval = p?.recurring?.interval;
  const end = interval === 'year' ? addMonths(created, 12) : interval ? addMonths(created, 1) : created;
  return {
    id: l.id ?? ids.longId('il_'),
    object: 'line_item',
    amount,
    currency: p?.currency ?? 'usd',
    description: null,
    discount_amounts: [],
    discountable: true,
    discounts: [],
    invoice: invoiceId,
    livemode: false,
    metadata: {},
    parent: l.parent ?? lineParent(subId, ids),
    period: { start: created, end },
    pretax_credit_amounts: [],
    pricing: p ? { type: 'price_details', price_details: { price: p.id, product: p.product as string }, unit_amount_decimal: p.unit_amount_decimal } : null,
    quantity: qty,
    quantity_decimal: dec(qty),
    subscription: subId,
    subtotal: amount,
    taxes: [],
    ...rest,
  } as Stripe.InvoiceLineItem;
}

function lineParent(subId: string | null, ids: IdSource): Stripe.InvoiceLineItem.Parent {
  if (subId) {
    return {
      type: 'subscription_item_details',
      invoice_item_details: null,
      subscription_item_details: { invoice_item: null, proration: false, proration_details: { credited_items: null }, subscription: subId, subscription_item: ids.shortId('si_') },
    };
  }
  return {
    type: 'invoice_item_details',
    invoice_item_details: { invoice_item: ids.longId('ii_'), proration: false, proration_details: { credited_items: null }, subscription: null },
    subscription_item_details: null,
  };
}

export type InvoiceSeed = Omit<Partial<Stripe.Invoice>, 'customer' | 'lines' | 'discounts'> & {
  customer?: string | Stripe.Customer;
  /** Sets `parent.subscription_details.subscription` (where the current API keeps it). */
  subscription?: string | Stripe.Subscription;
  /** Line items or partial lines (a `price` fills amount, currency and pricing). */
  lines?: Array<InvoiceLineSeed | Stripe.InvoiceLineItem>;
  discounts?: Array<string | Stripe.Discount>;
};

interface InvoiceFacts {
  id: string;
  created: number;
  status: Stripe.Invoice.Status;
  subId: string | null;
  lines: Stripe.InvoiceLineItem[];
  subtotal: number;
  total: number;
  amountDue: number;
}

/** An invoice in Stripe's shape; amounts and status fields follow `status` (default draft, as Stripe creates). */
export function invoiceShape(f: InvoiceSeed = {}, ids: IdSource = BUILDER_IDS): Stripe.Invoice {
  const { customer, subscription, lines: lineSeeds, discounts, ...rest } = f;
  const id = f.id ?? ids.longId('in_');
  const created = f.created ?? SEED_EPOCH;
  const subId = idOf(subscription);
  const lines = (lineSeeds ?? []).map((l) => (l.object === 'line_item' && l.id ? (l as Stripe.InvoiceLineItem) : invoiceLineShape(id, created, { subscription: subId, ...(l as InvoiceLineSeed) }, ids)));
  const subtotal = f.subtotal ?? lines.reduce((s, l) => s + l.amount, 0);
  const total = f.total ?? subtotal;
  const facts: InvoiceFacts = { id, created, status: f.status ?? 'draft', subId, lines, subtotal, total, amountDue: f.amount_due ?? total };
  const inv = invoiceLiteral(facts, typeof customer === 'object' ? customer : null, idOf(customer) ?? ids.shortId('cus_'));
  inv.discounts = (discounts ?? []).map((d) => idOf(d) as string) as unknown as Stripe.Discount[];
  // Assigning keys the literal already has keeps the object in V8's fast mode (spreading two halves did not).
  return Object.assign(inv, rest);
}

/** Every field of an invoice, in one literal (the generator makes thousands; one shape keeps them fast). */
/** What the invoice says of its customer: copied from the customer when the invoice is made, as Stripe does. */
function invoiceCustomerFields(cus: Stripe.Customer | null, customerId: string) {
  return {
    customer: customerId,
    customer_account: null,
    customer_address: cus ? (cus.address ?? null) : null,
    customer_email: cus ? cus.email : null,
    customer_name: cus ? (cus.name ?? null) : null,
    customer_phone: cus ? (cus.phone ?? null) : null,
    customer_shipping: null,
    customer_tax_exempt: 'none',
    customer_tax_ids: [],
  } satisfies Partial<Stripe.Invoice>;
}

/** The amounts and the status, which follow from whether the invoice is paid, open, void or a draft. */
function invoiceAmountsAndStatus(x: InvoiceFacts) {
  const paid = x.status === 'paid';
  const finalized = x.status !== 'draft';
  return {
    amount_due: x.amountDue,
    amount_overpaid: 0,
    amount_paid: paid ? x.amountDue : 0,
    amount_remaining: paid ? 0 : x.amountDue,
    amount_shipping: 0,
    attempt_count: paid ? 1 : 0,
    attempted: paid,
    effective_at: finalized ? x.created : null,
    ending_balance: finalized ? 0 : null,
    starting_balance: 0,
    status: x.status,
    status_transitions: {
      finalized_at: finalized ? x.created : null,
      marked_uncollectible_at: x.status === 'uncollectible' ? x.created : null,
      paid_at: paid ? x.created : null,
      voided_at: x.status === 'void' ? x.created : null,
    },
    subtotal: x.subtotal,
    subtotal_excluding_tax: x.subtotal,
    total: x.total,
    total_discount_amounts: [],
    total_excluding_tax: x.total,
    total_pretax_credit_amounts: [],
    total_taxes: [],
  } satisfies Partial<Stripe.Invoice>;
}

function invoiceLiteral(x: InvoiceFacts, cus: Stripe.Customer | null, customerId: string): Stripe.Invoice {
  return {
    id: x.id,
    object: 'invoice',
    account_country: 'US',
    account_name: 'Northwind Cloud',
    account_tax_ids: null,
    application: null,
    auto_advance: false,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null, provider: null, status: null },
    automatically_finalizes_at: null,
    billing_reason: x.subId ? 'subscription_cycle' : 'manual',
    collection_method: 'charge_automatically',
    created: x.created,
    currency: x.lines[0]?.currency ?? 'usd',
    custom_fields: null,
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: null,
    discounts: [],
    due_date: null,
    footer: null,
    from_invoice: null,
    hosted_invoice_url: null,
    invoice_pdf: null,
    issuer: { type: 'self' },
    last_finalization_error: null,
    latest_revision: null,
    lines: { object: 'list', data: x.lines, has_more: false, url: `/v1/invoices/${x.id}/lines` },
    livemode: false,
    metadata: {},
    next_payment_attempt: null,
    number: null,
    on_behalf_of: null,
    parent: x.subId ? { type: 'subscription_details', quote_details: null, subscription_details: { metadata: {}, subscription: x.subId } } : null,
    payment_settings: { default_mandate: null, payment_method_options: null, payment_method_types: null },
    period_end: x.created,
    period_start: x.created,
    post_payment_credit_notes_amount: 0,
    pre_payment_credit_notes_amount: 0,
    receipt_number: null,
    rendering: { amount_tax_display: null, pdf: { page_size: 'auto' }, template: null, template_version: null },
    shipping_cost: null,
    shipping_details: null,
    statement_descriptor: null,
    test_clock: null,
    webhooks_delivered_at: x.created,
    ...invoiceCustomerFields(cus, customerId),
    ...invoiceAmountsAndStatus(x),
  };
}

export type InvoicePaymentSeed = Omit<Partial<Stripe.InvoicePayment>, 'invoice'> & {
  invoice?: string | Stripe.Invoice;
  payment_intent?: string | Stripe.PaymentIntent;
};

export function invoicePaymentShape(f: InvoicePaymentSeed = {}, ids: IdSource = BUILDER_IDS): Stripe.InvoicePayment {
  const { invoice, payment_intent, ...rest } = f;
  const inv = typeof invoice === 'object' ? invoice : null;
  const paid = inv ? inv.status === 'paid' : true;
  return {
    id: f.id ?? ids.longId('inpay_'),
    object: 'invoice_payment',
    amount_paid: paid ? (inv?.amount_due ?? 1000) : null,
    amount_requested: inv?.amount_due ?? 1000,
    created: inv?.created ?? SEED_EPOCH,
    currency: inv?.currency ?? 'usd',
    invoice: idOf(invoice) ?? ids.longId('in_'),
    is_default: true,
    livemode: false,
    payment: { type: 'payment_intent', payment_intent: idOf(payment_intent) ?? ids.longId('pi_', '3') },
    status: paid ? 'paid' : 'open',
    status_transitions: { canceled_at: null, paid_at: paid ? (inv?.created ?? SEED_EPOCH) : null },
    ...rest,
  } as Stripe.InvoicePayment;
}

// ---------------------------------------------------------------------------------------------------------------
// Generated invoices

export type InvoiceOutcome =
  | { kind: 'paid_zero'; time: number }
  | { kind: 'draft'; time: number }
  | { kind: 'paid'; time: number; retryFailure: FailureSpec | null }
  | { kind: 'open_due'; time: number }
  | { kind: 'open_overdue'; time: number }
  | { kind: 'open_failed'; time: number; attempts: number }
  | { kind: 'void_failed'; time: number; voidAt: number }
  | { kind: 'uncollectible'; time: number; markedAt: number };

export interface NewInvoice {
  id: string;
  c: CustomerCtx;
  created: number;
  currency: string;
  collection: Stripe.Invoice.CollectionMethod;
  reason: Stripe.Invoice.BillingReason;
  lines: Stripe.InvoiceLineItem[];
  subtotal: number;
  total: number;
  discountId: string | null;
  discountTotal: number;
  parent: Stripe.Invoice.Parent | null;
  periodStart: number;
  periodEnd: number;
  description: string | null;
}

/** A draft invoice of the generated business (what happens to it next: `finishInvoice`). */
export function baseInvoice(g: Generator, a: NewInvoice): Stripe.Invoice {
  const cust = a.c.obj;
  const inv = invoiceShape({
    id: a.id,
    billing_reason: a.reason,
    collection_method: a.collection,
    created: a.created,
    currency: a.currency,
    customer: cust,
    description: a.description,
    discounts: a.discountId ? [a.discountId] : [],
    lines: a.lines,
    livemode: g.livemode,
    parent: a.parent,
    period_end: a.periodEnd,
    period_start: a.periodStart,
    status: 'draft',
    subtotal: a.subtotal,
    total: a.total,
    total_discount_amounts: a.discountId ? [{ amount: a.discountTotal, discount: a.discountId }] : [],
  });
  g.invoices.push(inv);
  return inv;
}

/** A proration of a subscription update: the item (old or new) and its prorated amount for [start, end). */
export interface ProrationLine {
  item: Stripe.SubscriptionItem;
  amount: number;
  start: number;
  end: number;
}

export interface SubscriptionInvoice {
  c: CustomerCtx;
  sub: Stripe.Subscription;
  items: Stripe.SubscriptionItem[];
  /** Proration lines of changes made in the period before this invoice (pending invoice items it sweeps up). */
  prorations?: ProrationLine[];
  periodStart: number;
  periodEnd: number;
  created: number;
  reason: Stripe.Invoice.BillingReason;
  trialLine: boolean;
  discount: Stripe.Discount | null;
  coupon: Stripe.Coupon | null;
  usage: number;
  previousStart: number;
}

/**
 * Proration lines, in the shape of Stripe's fixtures: invoice items (`parent.type` invoice_item_details) with
 * `proration: true` and the subscription they prorate; "Unused time on …" credits, "Remaining time on …" charges.
 */
function prorationLines(g: Generator, invId: string, a: SubscriptionInvoice): Stripe.InvoiceLineItem[] {
  return (a.prorations ?? []).map((p) => {
    const price = p.item.price;
    const name = g.products.find((pr) => pr.id === price.product)?.name ?? 'Plan';
    const qty = p.item.quantity ?? 1;
    return invoiceLineShape(invId, a.periodStart, {
      id: g.longId('il_'),
      price,
      amount: p.amount,
      description: `${p.amount < 0 ? 'Unused' : 'Remaining'} time on ${qty} × ${name} after ${new Date(p.start * 1000).toISOString().slice(0, 10)}`,
      livemode: g.livemode,
      parent: {
        type: 'invoice_item_details',
        invoice_item_details: { invoice_item: g.longId('ii_'), proration: true, proration_details: { credited_items: null }, subscription: a.sub.id },
        subscription_item_details: null,
      },
      period: { start: p.start, end: p.end },
      quantity: qty,
      subscription: a.sub.id,
    });
  });
}

function subscriptionLines(g: Generator, invId: string, a: SubscriptionInvoice): Stripe.InvoiceLineItem[] {
  // Stripe sorts pending invoice items (prorations included) first (the invoice object's `lines`).
  const lines: Stripe.InvoiceLineItem[] = prorationLines(g, invId, a);
  for (const it of a.items) {
    const p = it.price;
    const isMetered = p.recurring?.usage_type === 'metered';
    const qty = isMetered ? a.usage : (it.quantity ?? 1);
    if (isMetered && (a.trialLine || a.reason === 'subscription_create')) continue;
    const amount = a.trialLine ? 0 : qty * (p.unit_amount ?? 0);
    const productName = g.products.find((pr) => pr.id === p.product)?.name ?? 'Plan';
    const description = a.trialLine
      ? `Trial period for ${productName}`
      : isMetered
        ? `${qty} × ${productName} API calls (at ${(p.unit_amount ?? 0) / 100} USD / call)`
        : `${qty} × ${productName} (at ${formatMinor(p.unit_amount ?? 0, p.currency)} / ${p.recurring?.interval ?? 'month'})`;
    const line = invoiceLineShape(invId, a.periodStart, {
      id: g.longId('il_'),
      price: p,
      amount,
      description,
      livemode: g.livemode,
      parent: {
        type: 'subscription_item_details',
        invoice_item_details: null,
        subscription_item_details: { invoice_item: null, proration: false, proration_details: { credited_items: null }, subscription: a.sub.id, subscription_item: it.id },
      },
      period: isMetered ? { start: a.previousStart, end: a.periodStart } : { start: a.periodStart, end: a.periodEnd },
      quantity: qty,
      subscription: a.sub.id,
    });
    lines.push(line);
  }
  return lines;
}

/**
 * Spreads a coupon's discount over the lines it applies to, proportionally (the last such line takes the
 * remainder); returns the total. A coupon with `applies_to.products` discounts only those products' lines
 * (https://docs.stripe.com/api/coupons/object#coupon_object-applies_to).
 */
function applyDiscount(lines: Stripe.InvoiceLineItem[], discount: Stripe.Discount | null, coupon: Stripe.Coupon | null): number {
  if (!discount || !coupon) return 0;
  const only = coupon.applies_to?.products;
  const eligible = only ? lines.filter((l) => only.includes(l.pricing?.price_details?.product as string)) : lines;
  const subtotal = eligible.reduce((s, l) => s + l.amount, 0);
  if (subtotal <= 0) return 0;
  let total = 0;
  if (coupon.percent_off !== null) total = Math.round((subtotal * coupon.percent_off) / 100);
  else if (coupon.amount_off !== null) total = Math.min(subtotal, coupon.amount_off);
  let left = total;
  eligible.forEach((l, i) => {
    const share = i === eligible.length - 1 ? left : Math.round((total * l.amount) / subtotal);
    left -= share;
    l.discount_amounts = [{ amount: share, discount: discount.id }];
  });
  return total;
}

export function makeSubscriptionInvoice(g: Generator, a: SubscriptionInvoice): Stripe.Invoice {
  const invId = g.longId('in_');
  const lines = subscriptionLines(g, invId, a);
  const subtotal = lines.reduce((s, l) => s + l.amount, 0);
  const discountTotal = applyDiscount(lines, a.discount, a.coupon);
  return baseInvoice(g, {
    id: invId,
    c: a.c,
    created: a.created,
    currency: a.sub.currency,
    collection: a.sub.collection_method,
    reason: a.reason,
    lines,
    subtotal,
    total: subtotal - discountTotal,
    discountId: discountTotal > 0 && a.discount ? a.discount.id : null,
    discountTotal,
    parent: { type: 'subscription_details', quote_details: null, subscription_details: { metadata: a.sub.metadata, subscription: a.sub.id } },
    periodStart: a.reason === 'subscription_cycle' ? a.previousStart : a.periodStart,
    periodEnd: a.periodStart,
    description: null,
  });
}

export function finalize(g: Generator, inv: Stripe.Invoice, c: CustomerCtx, at: number): void {
  inv.status = 'open';
  inv.number = `${c.obj.invoice_prefix}-${String(c.invoiceSeq++).padStart(4, '0')}`;
  c.obj.next_invoice_sequence = c.invoiceSeq;
  inv.status_transitions.finalized_at = at;
  inv.effective_at = at;
  inv.ending_balance = 0;
  const token = g.rng.alnum(40);
  const mode = g.livemode ? 'live' : 'test';
  inv.hosted_invoice_url = `https://invoice.stripe.com/i/${g.acctId}/${mode}_${token}`;
  inv.invoice_pdf = `https://pay.stripe.com/invoice/${g.acctId}/${mode}_${token}/pdf`;
  if (inv.collection_method === 'send_invoice') inv.due_date = dayStart(at) + 30 * DAY;
}

function recordInvoicePayment(g: Generator, inv: Stripe.Invoice, pi: Stripe.PaymentIntent, paidAt: number | null): void {
  g.invoicePayments.push(
    invoicePaymentShape({
      id: g.longId('inpay_'),
      amount_paid: paidAt !== null ? inv.amount_due : null,
      amount_requested: inv.amount_due,
      created: pi.created,
      currency: inv.currency,
      invoice: inv.id,
      livemode: g.livemode,
      payment: { type: 'payment_intent', payment_intent: pi.id },
      status: paidAt !== null ? 'paid' : 'open',
      status_transitions: { canceled_at: null, paid_at: paidAt },
    }),
  );
}

function markPaid(inv: Stripe.Invoice, at: number): void {
  inv.status = 'paid';
  inv.amount_paid = inv.amount_due;
  inv.amount_remaining = 0;
  inv.status_transitions.paid_at = at;
  inv.next_payment_attempt = null;
  inv.attempted = true;
}

function invoiceIntent(g: Generator, inv: Stripe.Invoice, c: CustomerCtx, time: number): Stripe.PaymentIntent {
  const description = inv.billing_reason === 'subscription_create' ? 'Subscription creation' : 'Subscription update';
  return makePaymentIntent(g, {
    customer: c,
    created: time,
    amount: inv.amount_due,
    currency: inv.currency,
    description: inv.billing_reason === 'manual' ? `Invoice ${inv.number ?? ''}`.trim() : description,
    offSession: inv.collection_method === 'charge_automatically',
  });
}

export function finishInvoice(g: Generator, inv: Stripe.Invoice, c: CustomerCtx, o: InvoiceOutcome): void {
  const finalizedAt = inv.created + (inv.billing_reason === 'manual' ? g.rng.int(5, 120) * 60 : HOUR);
  if (o.kind !== 'paid_zero' && o.kind !== 'draft' && finalizedAt > g.now) {
    // Subscription invoices stay draft for about an hour before Stripe finalizes them.
    inv.auto_advance = true;
    inv.automatically_finalizes_at = finalizedAt;
    return;
  }
  switch (o.kind) {
    case 'paid_zero':
      finalize(g, inv, c, inv.created);
      markPaid(inv, inv.created);
      return;
    case 'draft':
      inv.auto_advance = false;
      inv.webhooks_delivered_at = inv.created;
      return;
    case 'paid':
      return payInvoice(g, inv, c, o, finalizedAt);
    case 'open_due':
    case 'open_overdue':
      finalize(g, inv, c, finalizedAt);
      inv.auto_advance = true;
      if (o.kind === 'open_overdue') inv.due_date = Math.min(inv.due_date ?? g.now, g.now - g.rng.int(2, 10) * DAY);
      return;
    default:
      return failInvoice(g, inv, c, o, finalizedAt);
  }
}

function payInvoice(g: Generator, inv: Stripe.Invoice, c: CustomerCtx, o: { time: number; retryFailure: FailureSpec | null }, finalizedAt: number): void {
  finalize(g, inv, c, finalizedAt);
  if (inv.amount_due === 0) {
    markPaid(inv, finalizedAt);
    return;
  }
  const pi = invoiceIntent(g, inv, c, inv.collection_method === 'send_invoice' ? o.time : finalizedAt);
  let t = pi.created;
  if (o.retryFailure) {
    attempt(g, pi, c, t, o.retryFailure);
    inv.attempt_count += 1;
    t += 3 * DAY;
  }
  attempt(g, pi, c, t, null);
  inv.attempt_count += 1;
  markPaid(inv, t);
  recordInvoicePayment(g, inv, pi, t);
}

type FailedOutcome = Extract<InvoiceOutcome, { kind: 'open_failed' | 'void_failed' | 'uncollectible' }>;

function failInvoice(g: Generator, inv: Stripe.Invoice, c: CustomerCtx, o: FailedOutcome, finalizedAt: number): void {
  finalize(g, inv, c, finalizedAt);
  if (inv.amount_due === 0) {
    markPaid(inv, finalizedAt);
    return;
  }
  const pi = invoiceIntent(g, inv, c, finalizedAt);
  const attempts = o.kind === 'open_failed' ? o.attempts : o.kind === 'uncollectible' ? 4 : 1;
  let t = finalizedAt;
  for (let i = 0; i < attempts; i++) {
    if (t > g.now - 60) break;
    attempt(g, pi, c, t, randomFailure(g));
    inv.attempt_count += 1;
    t += (i === 0 ? 3 : 5) * DAY;
  }
  inv.attempted = true;
  recordInvoicePayment(g, inv, pi, null);
  if (o.kind === 'open_failed') {
    inv.auto_advance = true;
    inv.next_payment_attempt = attempts >= 4 ? null : Math.max(t, g.now + HOUR);
  } else if (o.kind === 'void_failed') {
    inv.status = 'void';
    inv.status_transitions.voided_at = o.voidAt;
    inv.amount_remaining = inv.amount_due;
    pi.status = 'canceled';
    pi.canceled_at = o.voidAt;
    pi.cancellation_reason = 'void_invoice';
  } else {
    inv.status = 'uncollectible';
    inv.status_transitions.marked_uncollectible_at = o.markedAt;
    inv.auto_advance = false;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Manual invoices: the one-time onboarding package, in every status

type ManualKind = 'draft' | 'void' | 'paid' | 'open' | 'uncollectible';
const MANUAL_KINDS: ManualKind[] = ['draft', 'void', 'paid', 'open', 'uncollectible'];

export function buildManualInvoices(g: Generator): void {
  const eligible = g.customers.filter((c) => c.obj.currency === 'usd');
  const count = Math.max(eligible.length ? 5 : 0, Math.round(g.customers.length * 0.03));
  for (let i = 0; i < count && eligible.length; i++) {
    const c = g.rng.pick(eligible);
    const kind = MANUAL_KINDS[i % MANUAL_KINDS.length] as ManualKind;
    let created: number;
    if (kind === 'draft') created = g.now - g.rng.int(1, 5 * 24) * HOUR;
    else if (kind === 'open') created = g.now - g.rng.int(1, 20) * DAY;
    else created = Math.max(c.obj.created + DAY, g.now - g.rng.int(40, 400) * DAY);
    if (created >= g.now) created = g.now - HOUR;
    settleManualInvoice(g, manualInvoice(g, c, created), c, kind, created);
  }
}

function manualInvoice(g: Generator, c: CustomerCtx, created: number): Stripe.Invoice {
  const id = g.longId('in_');
  const p = g.oneTimePrice;
  const lineId = g.longId('il_');
  const line = invoiceLineShape(id, created, {
    id: lineId,
    price: p,
    description: 'Team onboarding package',
    livemode: g.livemode,
    parent: {
      type: 'invoice_item_details',
      invoice_item_details: { invoice_item: g.longId('ii_'), proration: false, proration_details: { credited_items: null }, subscription: null },
      subscription_item_details: null,
    },
    period: { start: created, end: created },
    quantity: 1,
    subscription: null,
  });
  return baseInvoice(g, {
    id,
    c,
    created,
    currency: 'usd',
    collection: 'send_invoice',
    reason: 'manual',
    lines: [line],
    subtotal: line.amount,
    total: line.amount,
    discountId: null,
    discountTotal: 0,
    parent: null,
    periodStart: created,
    periodEnd: created,
    description: 'Onboarding and data migration',
  });
}

function settleManualInvoice(g: Generator, inv: Stripe.Invoice, c: CustomerCtx, kind: ManualKind, created: number): void {
  if (kind === 'draft') {
    finishInvoice(g, inv, c, { kind: 'draft', time: created });
    inv.automatically_finalizes_at = null;
  } else if (kind === 'paid') {
    finishInvoice(g, inv, c, { kind: 'paid', time: created + g.rng.int(2, 20) * DAY, retryFailure: null });
  } else if (kind === 'open') {
    finishInvoice(g, inv, c, { kind: 'open_due', time: created });
  } else if (kind === 'void') {
    finalize(g, inv, c, created + HOUR);
    inv.status = 'void';
    inv.status_transitions.voided_at = created + g.rng.int(1, 10) * DAY;
  } else {
    finalize(g, inv, c, created + HOUR);
    inv.status = 'uncollectible';
    inv.status_transitions.marked_uncollectible_at = created + 45 * DAY;
  }
}
