/**
 * Hand-written emulator data: builders that fill in every field Stripe returns (the keys of Stripe's fixtures,
 * current API shapes) so a test writes only the fields it cares about, and the conversion of such objects into
 * the Dataset a mode serves (`startEmulator({ objects: { test: {...}, live: {...} } })`).
 *
 * Ids follow Stripe's formats (`cus_` + 14 characters, `sub_1` + 23, `ch_3` + 23, …) and come from a fixed-seed
 * generator, so a test file sees the same ids on every run. `livemode` is set from the mode the objects are
 * served in, whatever the builder was given.
 */
import type Stripe from 'stripe';
import { Rng, hashSeed } from './random.js';
import type { Dataset, Mode, SeedData } from './types.js';
import { listOrder } from './store.js';

/** Default `created` of built objects (2026-01-01T00:00:00Z) when the test does not say. */
export const SEED_EPOCH = 1_767_225_600;
const DAY = 86_400;

const idRng = new Rng(hashSeed(7, 'seed-builders'));
/** The same tag inside every long id, as Stripe puts the account's tag in each. */
const ACCOUNT_TAG = idRng.alnum(10);

/** `prefix` + 14 characters: customers, products, subscription items. */
function shortId(prefix: string): string {
  return prefix + idRng.alnum(14);
}

/** Stripe's long form: `prefix` + version digit + 5 characters + account tag + 8 characters. */
function longId(prefix: string, version = '1'): string {
  return `${prefix}${version}${idRng.alnum(5)}${ACCOUNT_TAG}${idRng.alnum(8)}`;
}

function dec(s: string | number): Stripe.Decimal {
  return String(s) as unknown as Stripe.Decimal;
}

function idOf(v: string | { id: string } | null | undefined): string | null {
  if (v === null || v === undefined) return null;
  return typeof v === 'string' ? v : v.id;
}

function addMonths(ts: number, months: number): number {
  const d = new Date(ts * 1000);
  const day = d.getUTCDate();
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return Math.floor(target.getTime() / 1000);
}

/** End of one billing period that starts at `start`. */
function periodEnd(start: number, r: Stripe.Price.Recurring | null): number {
  if (!r) return addMonths(start, 1);
  const n = r.interval_count || 1;
  if (r.interval === 'year') return addMonths(start, 12 * n);
  if (r.interval === 'month') return addMonths(start, n);
  if (r.interval === 'week') return start + 7 * DAY * n;
  return start + DAY * n;
}

const NULL_ADDRESS: Stripe.Address = { city: null, country: null, line1: null, line2: null, postal_code: null, state: null };

// ---------------------------------------------------------------------------------------------------------------
// Catalog

function customer(f: Partial<Stripe.Customer> = {}): Stripe.Customer {
  return {
    id: shortId('cus_'),
    object: 'customer',
    address: { ...NULL_ADDRESS },
    balance: 0,
    created: SEED_EPOCH,
    currency: 'usd',
    default_source: null,
    delinquent: false,
    description: null,
    discount: null,
    email: null,
    invoice_prefix: idRng.alnum(8).toUpperCase(),
    invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
    livemode: false,
    metadata: {},
    name: null,
    next_invoice_sequence: 1,
    phone: null,
    preferred_locales: [],
    shipping: null,
    tax_exempt: 'none',
    test_clock: null,
    ...f,
  };
}

function product(f: Partial<Stripe.Product> = {}): Stripe.Product {
  const created = f.created ?? SEED_EPOCH;
  return {
    id: shortId('prod_'),
    object: 'product',
    active: true,
    created,
    default_price: null,
    description: null,
    images: [],
    livemode: false,
    marketing_features: [],
    metadata: {},
    name: 'Product',
    package_dimensions: null,
    shippable: null,
    statement_descriptor: null,
    tax_code: null,
    tax_details: null,
    type: 'service',
    unit_label: null,
    updated: created,
    url: null,
    ...f,
  };
}

export type PriceSeed = Omit<Partial<Stripe.Price>, 'recurring' | 'product'> & {
  /** Product id or object (default: a fresh product id). */
  product?: string | Stripe.Product;
  /** Partial recurring block; `interval` defaults to month. null/absent = one-time price. */
  recurring?: Partial<Stripe.Price.Recurring> | null;
};

function recurringOf(r: Partial<Stripe.Price.Recurring> | null | undefined): Stripe.Price.Recurring | null {
  if (!r) return null;
  return { interval: 'month', interval_count: 1, meter: null, trial_period_days: null, usage_type: 'licensed', ...r };
}

function price(f: PriceSeed = {}): Stripe.Price {
  const { product: prod, recurring, ...rest } = f;
  const r = recurringOf(recurring);
  const unitAmount = f.unit_amount === undefined ? 1000 : f.unit_amount;
  return {
    id: longId('price_'),
    object: 'price',
    active: true,
    billing_scheme: 'per_unit',
    created: SEED_EPOCH,
    currency: 'usd',
    custom_unit_amount: null,
    livemode: false,
    lookup_key: null,
    metadata: {},
    nickname: null,
    recurring: r,
    tax_behavior: 'exclusive',
    tiers_mode: null,
    transform_quantity: null,
    type: r ? 'recurring' : 'one_time',
    unit_amount_decimal: dec(unitAmount ?? 0),
    ...rest,
    unit_amount: unitAmount,
    product: idOf(prod) ?? shortId('prod_'),
  };
}

/** The legacy plan object Stripe embeds beside each recurring price on subscription items. */
export function planOf(p: Stripe.Price): Stripe.Plan {
  const r = p.recurring ?? { interval: 'month', interval_count: 1, meter: null, trial_period_days: null, usage_type: 'licensed' };
  return {
    id: p.id,
    object: 'plan',
    active: p.active,
    amount: p.unit_amount,
    amount_decimal: p.unit_amount_decimal,
    billing_scheme: p.billing_scheme,
    created: p.created,
    currency: p.currency,
    interval: r.interval,
    interval_count: r.interval_count,
    livemode: p.livemode,
    metadata: {},
    meter: r.meter,
    nickname: p.nickname,
    product: p.product as string,
    tiers_mode: p.tiers_mode,
    transform_usage: null,
    trial_period_days: r.trial_period_days,
    usage_type: r.usage_type,
  };
}

function coupon(f: Partial<Stripe.Coupon> = {}): Stripe.Coupon {
  const amountOff = f.amount_off ?? null;
  return {
    // Stripe's generated coupon ids are 8 characters (fixture `Z4OV52SU`); accounts may choose their own.
    id: idRng.alnum(8).toUpperCase(),
    object: 'coupon',
    amount_off: amountOff,
    created: SEED_EPOCH,
    currency: amountOff !== null ? 'usd' : null,
    duration: 'forever',
    duration_in_months: null,
    livemode: false,
    max_redemptions: null,
    metadata: {},
    name: null,
    percent_off: amountOff === null ? 10 : null,
    redeem_by: null,
    times_redeemed: 0,
    valid: true,
    ...f,
  };
}

export type DiscountSeed = Omit<Partial<Stripe.Discount>, 'source' | 'customer' | 'subscription'> & {
  /** Coupon id or object (required in practice: a discount without one means nothing). */
  coupon?: string | Stripe.Coupon;
  customer?: string | Stripe.Customer | null;
  subscription?: string | Stripe.Subscription | null;
};

function discount(f: DiscountSeed = {}): Stripe.Discount {
  const { coupon: cp, customer: cus, subscription: sub, ...rest } = f;
  const start = f.start ?? SEED_EPOCH;
  const end = typeof cp === 'object' && cp.duration === 'repeating' ? addMonths(start, cp.duration_in_months ?? 1) : null;
  return {
    id: longId('di_'),
    object: 'discount',
    checkout_session: null,
    customer: idOf(cus),
    customer_account: null,
    end,
    invoice: null,
    invoice_item: null,
    promotion_code: null,
    source: { coupon: idOf(cp), type: 'coupon' },
    start,
    subscription: idOf(sub),
    subscription_item: null,
    ...rest,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Subscriptions and invoices

export type SubscriptionItemSeed =
  | Stripe.Price
  | (Omit<Partial<Stripe.SubscriptionItem>, 'price' | 'plan'> & { price: Stripe.Price });

export type SubscriptionSeed = Omit<Partial<Stripe.Subscription>, 'items' | 'customer' | 'discounts'> & {
  customer?: string | Stripe.Customer;
  /** Prices (quantity 1) or partial items with their price. */
  items?: SubscriptionItemSeed[];
  /** Discount ids or objects (their objects belong in `discounts` of the seed). */
  discounts?: Array<string | Stripe.Discount>;
};

function subscriptionItem(subId: string, created: number, s: SubscriptionItemSeed): Stripe.SubscriptionItem {
  const spec = 'object' in s && s.object === 'price' ? { price: s } : (s as Exclude<SubscriptionItemSeed, Stripe.Price>);
  const p = spec.price;
  const metered = p.recurring?.usage_type === 'metered';
  const start = spec.current_period_start ?? created;
  const item: Stripe.SubscriptionItem = {
    id: shortId('si_'),
    object: 'subscription_item',
    billing_thresholds: null,
    created,
    current_period_end: periodEnd(start, p.recurring),
    current_period_start: start,
    current_trial: null,
    discounts: [],
    metadata: {},
    plan: planOf(p),
    // Stripe leaves `quantity` out of items on metered prices.
    ...(metered ? {} : { quantity: 1 }),
    subscription: subId,
    tax_rates: [],
    ...spec,
  };
  return item;
}

function subscription(f: SubscriptionSeed = {}): Stripe.Subscription {
  const { items: itemSeeds, customer: cus, discounts, ...rest } = f;
  const id = f.id ?? longId('sub_');
  const created = f.created ?? SEED_EPOCH;
  const start = f.start_date ?? created;
  const items = (itemSeeds ?? []).map((s) => subscriptionItem(id, start, s));
  const status = f.status ?? 'active';
  const ended = status === 'canceled' || status === 'incomplete_expired';
  const endedAt = f.ended_at !== undefined ? f.ended_at : ended ? start + DAY : null;
  return {
    id,
    object: 'subscription',
    application: null,
    application_fee_percent: null,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null },
    billing_cycle_anchor: start,
    billing_cycle_anchor_config: null,
    billing_mode: { flexible: null, type: 'classic' },
    billing_schedules: [],
    billing_thresholds: null,
    cancel_at: null,
    cancel_at_period_end: false,
    canceled_at: status === 'canceled' ? endedAt : null,
    cancellation_details: { comment: null, feedback: null, feedback_option: null, reason: status === 'canceled' ? 'cancellation_requested' : null },
    collection_method: 'charge_automatically',
    created,
    currency: items[0]?.price.currency ?? 'usd',
    customer: idOf(cus) ?? shortId('cus_'),
    customer_account: null,
    days_until_due: f.collection_method === 'send_invoice' ? 30 : null,
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: null,
    discounts: (discounts ?? []).map((d) => idOf(d) as string) as unknown as Stripe.Discount[],
    ended_at: endedAt,
    invoice_settings: { account_tax_ids: null, custom_fields: null, description: null, footer: null, issuer: { type: 'self' } },
    items: { object: 'list', data: items, has_more: false, url: `/v1/subscription_items?subscription=${id}` },
    latest_invoice: null,
    livemode: false,
    managed_payments: null,
    metadata: {},
    next_pending_invoice_item_invoice: null,
    on_behalf_of: null,
    pause_collection: null,
    payment_settings: { payment_method_options: null, payment_method_types: null, save_default_payment_method: 'off' },
    pending_invoice_item_interval: null,
    pending_setup_intent: null,
    pending_update: null,
    schedule: null,
    start_date: start,
    status,
    test_clock: null,
    transfer_data: null,
    trial_end: null,
    trial_settings: { end_behavior: { billing_cycle_anchor: null, missing_payment_method: 'create_invoice' } },
    trial_start: null,
    ...rest,
  } as Stripe.Subscription;
}

export type InvoiceLineSeed = Omit<Partial<Stripe.InvoiceLineItem>, 'pricing'> & {
  /** The line's price; amount defaults to quantity × unit amount. */
  price?: Stripe.Price;
};

export type InvoiceSeed = Omit<Partial<Stripe.Invoice>, 'customer' | 'lines' | 'discounts'> & {
  customer?: string | Stripe.Customer;
  /** Sets `parent.subscription_details.subscription` (where the current API keeps it). */
  subscription?: string | Stripe.Subscription;
  lines?: InvoiceLineSeed[];
  discounts?: Array<string | Stripe.Discount>;
};

function invoiceLine(invoiceId: string, subId: string | null, created: number, l: InvoiceLineSeed): Stripe.InvoiceLineItem {
  const { price: p, ...rest } = l;
  const qty = l.quantity ?? 1;
  const amount = l.amount ?? qty * (p?.unit_amount ?? 0);
  return {
    id: longId('il_'),
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
    parent: subId
      ? {
          type: 'subscription_item_details',
          invoice_item_details: null,
          subscription_item_details: { invoice_item: null, proration: false, proration_details: { credited_items: null }, subscription: subId, subscription_item: null },
        }
      : {
          type: 'invoice_item_details',
          invoice_item_details: { invoice_item: longId('ii_'), proration: false, proration_details: { credited_items: null }, subscription: null },
          subscription_item_details: null,
        },
    period: { start: created, end: p?.recurring ? periodEnd(created, p.recurring) : created },
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

function invoice(f: InvoiceSeed = {}): Stripe.Invoice {
  const { customer: cus, subscription: sub, lines: lineSeeds, discounts, ...rest } = f;
  const id = f.id ?? longId('in_');
  const created = f.created ?? SEED_EPOCH;
  const subId = idOf(sub);
  const lines = (lineSeeds ?? []).map((l) => invoiceLine(id, subId, created, l));
  const subtotal = f.subtotal ?? lines.reduce((s, l) => s + l.amount, 0);
  const total = f.total ?? subtotal;
  const status = f.status ?? 'draft';
  const paid = status === 'paid';
  const finalized = status !== 'draft';
  const amountDue = f.amount_due ?? total;
  return {
    id,
    object: 'invoice',
    account_country: 'US',
    account_name: 'Northwind Cloud',
    account_tax_ids: null,
    amount_due: amountDue,
    amount_overpaid: 0,
    amount_paid: paid ? amountDue : 0,
    amount_remaining: paid ? 0 : amountDue,
    amount_shipping: 0,
    application: null,
    attempt_count: paid ? 1 : 0,
    attempted: paid,
    auto_advance: false,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null, provider: null, status: null },
    automatically_finalizes_at: null,
    billing_reason: subId ? 'subscription_cycle' : 'manual',
    collection_method: 'charge_automatically',
    created,
    currency: lines[0]?.currency ?? 'usd',
    custom_fields: null,
    customer: idOf(cus) ?? shortId('cus_'),
    customer_account: null,
    customer_address: typeof cus === 'object' ? cus.address : null,
    customer_email: typeof cus === 'object' ? cus.email : null,
    customer_name: typeof cus === 'object' ? (cus.name ?? null) : null,
    customer_phone: typeof cus === 'object' ? (cus.phone ?? null) : null,
    customer_shipping: null,
    customer_tax_exempt: 'none',
    customer_tax_ids: [],
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: null,
    discounts: (discounts ?? []).map((d) => idOf(d) as string) as unknown as Stripe.Discount[],
    due_date: null,
    effective_at: finalized ? created : null,
    ending_balance: finalized ? 0 : null,
    footer: null,
    from_invoice: null,
    hosted_invoice_url: null,
    invoice_pdf: null,
    issuer: { type: 'self' },
    last_finalization_error: null,
    latest_revision: null,
    lines: { object: 'list', data: lines, has_more: false, url: `/v1/invoices/${id}/lines` },
    livemode: false,
    metadata: {},
    next_payment_attempt: null,
    number: null,
    on_behalf_of: null,
    parent: subId ? { type: 'subscription_details', quote_details: null, subscription_details: { metadata: {}, subscription: subId } } : null,
    payment_settings: { default_mandate: null, payment_method_options: null, payment_method_types: null },
    period_end: created,
    period_start: created,
    post_payment_credit_notes_amount: 0,
    pre_payment_credit_notes_amount: 0,
    receipt_number: null,
    rendering: { amount_tax_display: null, pdf: { page_size: 'auto' }, template: null, template_version: null },
    shipping_cost: null,
    shipping_details: null,
    starting_balance: 0,
    statement_descriptor: null,
    status,
    status_transitions: {
      finalized_at: finalized ? created : null,
      marked_uncollectible_at: status === 'uncollectible' ? created : null,
      paid_at: paid ? created : null,
      voided_at: status === 'void' ? created : null,
    },
    subtotal,
    subtotal_excluding_tax: subtotal,
    test_clock: null,
    total,
    total_discount_amounts: [],
    total_excluding_tax: total,
    total_pretax_credit_amounts: [],
    total_taxes: [],
    webhooks_delivered_at: created,
    ...rest,
  } as Stripe.Invoice;
}

// ---------------------------------------------------------------------------------------------------------------
// Payments

export type CardSeed = Partial<Stripe.Charge.PaymentMethodDetails.Card>;

/** A charge's `payment_method_details` for a card payment. */
export function cardDetails(amount: number, card: CardSeed = {}): Stripe.Charge.PaymentMethodDetails {
  const brand = card.brand ?? 'visa';
  return {
    type: 'card',
    card: {
      amount_authorized: amount,
      authorization_code: null,
      brand,
      checks: { address_line1_check: null, address_postal_code_check: 'pass', cvc_check: 'pass' },
      country: 'US',
      electronic_commerce_indicator: null,
      exp_month: 12,
      exp_year: 2030,
      extended_authorization: { status: 'disabled' },
      fingerprint: idRng.alnum(16),
      funding: 'credit',
      incremental_authorization: { status: 'unavailable' },
      installments: null,
      last4: '4242',
      mandate: null,
      multicapture: { status: 'unavailable' },
      network: brand,
      network_token: { used: false },
      network_transaction_id: null,
      overcapture: { maximum_amount_capturable: amount, status: 'unavailable' },
      regulated_status: 'unregulated',
      three_d_secure: null,
      transaction_link_id: null,
      wallet: null,
      ...card,
    },
  };
}

export type PaymentIntentSeed = Omit<Partial<Stripe.PaymentIntent>, 'customer' | 'latest_charge'> & {
  customer?: string | Stripe.Customer | null;
  latest_charge?: string | Stripe.Charge | null;
};

function paymentIntent(f: PaymentIntentSeed = {}): Stripe.PaymentIntent {
  const { customer: cus, latest_charge: ch, ...rest } = f;
  const id = f.id ?? longId('pi_', '3');
  const amount = f.amount ?? 1000;
  const status = f.status ?? 'succeeded';
  return {
    id,
    object: 'payment_intent',
    allowed_payment_method_types: null,
    amount,
    amount_capturable: 0,
    amount_details: { tip: {} } as Stripe.PaymentIntent.AmountDetails,
    amount_received: status === 'succeeded' ? amount : 0,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: null,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: 'automatic',
    client_secret: `${id}_secret_${idRng.alnum(25)}`,
    confirmation_method: 'automatic',
    created: SEED_EPOCH,
    currency: 'usd',
    customer: idOf(cus),
    customer_account: null,
    description: null,
    excluded_payment_method_types: null,
    last_payment_error: null,
    latest_charge: idOf(ch),
    livemode: false,
    managed_payments: null,
    metadata: {},
    next_action: null,
    on_behalf_of: null,
    payment_method: null,
    payment_method_configuration_details: null,
    payment_method_options: { card: { installments: null, mandate_options: null, network: null, request_three_d_secure: 'automatic' } } as Stripe.PaymentIntent.PaymentMethodOptions,
    payment_method_types: ['card'],
    payment_record: null,
    processing: null,
    receipt_email: null,
    review: null,
    setup_future_usage: null,
    shipping: null,
    source: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status,
    transfer_data: null,
    transfer_group: null,
    ...rest,
  } as Stripe.PaymentIntent;
}

export type ChargeSeed = Omit<Partial<Stripe.Charge>, 'customer' | 'payment_intent' | 'balance_transaction'> & {
  customer?: string | Stripe.Customer | null;
  payment_intent?: string | Stripe.PaymentIntent | null;
  balance_transaction?: string | Stripe.BalanceTransaction | null;
  /** Fields of `payment_method_details.card` to set. */
  card?: CardSeed;
};

function charge(f: ChargeSeed = {}): Stripe.Charge {
  const { customer: cus, payment_intent: pi, balance_transaction: bt, card, ...rest } = f;
  const id = f.id ?? longId('ch_', '3');
  const amount = f.amount ?? 1000;
  const status = f.status ?? 'succeeded';
  const ok = status === 'succeeded';
  return {
    id,
    object: 'charge',
    amount,
    amount_captured: ok ? amount : 0,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: idOf(bt),
    billing_details: { address: { ...NULL_ADDRESS }, email: null, name: null, phone: null, tax_id: null },
    calculated_statement_descriptor: 'NORTHWIND CLOUD',
    captured: ok,
    created: SEED_EPOCH,
    currency: 'usd',
    customer: idOf(cus),
    description: null,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: ok ? null : 'card_declined',
    failure_message: ok ? null : 'Your card was declined.',
    fraud_details: {},
    livemode: false,
    metadata: {},
    on_behalf_of: null,
    outcome: {
      advice_code: null,
      network_advice_code: null,
      network_decline_code: null,
      network_status: ok ? 'approved_by_network' : 'declined_by_network',
      reason: ok ? null : 'generic_decline',
      risk_level: 'normal',
      risk_score: 32,
      seller_message: ok ? 'Payment complete.' : 'The bank did not return any further details with this decline.',
      type: ok ? 'authorized' : 'issuer_declined',
    },
    paid: ok,
    payment_intent: idOf(pi),
    payment_method: longId('pm_'),
    payment_method_details: cardDetails(amount, card),
    receipt_email: null,
    receipt_number: null,
    receipt_url: null,
    refunded: false,
    refunds: { object: 'list', data: [], has_more: false, url: `/v1/charges/${id}/refunds` },
    review: null,
    shipping: null,
    source: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status,
    transfer_data: null,
    transfer_group: null,
    ...rest,
  } as Stripe.Charge;
}

const REPORTING_CATEGORY: Record<string, string> = {
  charge: 'charge',
  payment: 'charge',
  refund: 'refund',
  payment_refund: 'refund',
  adjustment: 'dispute',
  payout: 'payout',
  payout_failure: 'payout_reversal',
  payout_cancel: 'payout_reversal',
  stripe_fee: 'fee',
};

function balanceTransaction(f: Partial<Stripe.BalanceTransaction> = {}): Stripe.BalanceTransaction {
  const amount = f.amount ?? 1000;
  const fee = f.fee ?? 0;
  const currency = f.currency ?? 'usd';
  const created = f.created ?? SEED_EPOCH;
  const type = f.type ?? 'charge';
  return {
    id: longId('txn_', '3'),
    object: 'balance_transaction',
    amount,
    available_on: created,
    balance_type: 'payments',
    created,
    currency,
    description: null,
    exchange_rate: null,
    fee,
    fee_details: fee ? [{ amount: fee, application: null, currency, description: 'Stripe processing fees', type: 'stripe_fee' }] : [],
    net: amount - fee,
    reporting_category: REPORTING_CATEGORY[type] ?? 'other_adjustment',
    source: null,
    status: 'available',
    type,
    ...f,
  } as Stripe.BalanceTransaction;
}

export type RefundSeed = Omit<Partial<Stripe.Refund>, 'charge' | 'payment_intent' | 'balance_transaction'> & {
  charge?: string | Stripe.Charge;
  payment_intent?: string | Stripe.PaymentIntent | null;
  balance_transaction?: string | Stripe.BalanceTransaction | null;
};

function refund(f: RefundSeed = {}): Stripe.Refund {
  const { charge: ch, payment_intent: pi, balance_transaction: bt, ...rest } = f;
  const chObj = typeof ch === 'object' ? ch : null;
  return {
    id: longId('re_', '3'),
    object: 'refund',
    amount: chObj?.amount ?? 1000,
    balance_transaction: idOf(bt),
    charge: idOf(ch) ?? longId('ch_', '3'),
    created: SEED_EPOCH,
    currency: chObj?.currency ?? 'usd',
    customer: chObj ? idOf(chObj.customer as string | null) : null,
    customer_account: null,
    destination_details: { type: 'card', card: { reference: idRng.digits(12), reference_status: 'available', reference_type: 'acquirer_reference_number', type: 'refund' } },
    metadata: {},
    payment_intent: idOf(pi) ?? (chObj ? idOf(chObj.payment_intent as string | null) : null),
    payment_method: chObj?.payment_method ?? null,
    reason: 'requested_by_customer',
    receipt_number: null,
    source_transfer_reversal: null,
    status: 'succeeded',
    transfer_reversal: null,
    ...rest,
  } as Stripe.Refund;
}

export type DisputeSeed = Omit<Partial<Stripe.Dispute>, 'charge'> & { charge?: string | Stripe.Charge };

const EMPTY_EVIDENCE_KEYS = [
  'access_activity_log', 'billing_address', 'cancellation_policy', 'cancellation_policy_disclosure', 'cancellation_rebuttal',
  'customer_communication', 'customer_email_address', 'customer_name', 'customer_purchase_ip', 'customer_signature',
  'duplicate_charge_documentation', 'duplicate_charge_explanation', 'duplicate_charge_id', 'product_description', 'receipt',
  'refund_policy', 'refund_policy_disclosure', 'refund_refusal_explanation', 'service_date', 'service_documentation',
  'shipping_address', 'shipping_carrier', 'shipping_date', 'shipping_documentation', 'shipping_tracking_number',
  'uncategorized_file', 'uncategorized_text',
] as const;

function dispute(f: DisputeSeed = {}): Stripe.Dispute {
  const { charge: ch, ...rest } = f;
  const chObj = typeof ch === 'object' ? ch : null;
  const created = f.created ?? SEED_EPOCH;
  const evidence = Object.fromEntries(EMPTY_EVIDENCE_KEYS.map((k) => [k, null])) as Record<string, unknown>;
  evidence.enhanced_evidence = {};
  return {
    id: longId('dp_'),
    object: 'dispute',
    amount: chObj?.amount ?? 1000,
    balance_transactions: [],
    charge: idOf(ch) ?? longId('ch_', '3'),
    created,
    currency: chObj?.currency ?? 'usd',
    enhanced_eligibility_types: [],
    evidence: evidence as unknown as Stripe.Dispute.Evidence,
    evidence_details: { due_by: created + 21 * DAY, enhanced_eligibility: {}, has_evidence: false, past_due: false, submission_count: 0, submission_method: null } as unknown as Stripe.Dispute.EvidenceDetails,
    intended_submission_method: null,
    is_charge_refundable: false,
    livemode: false,
    metadata: {},
    network_reason_code: '13.1',
    payment_intent: chObj ? idOf(chObj.payment_intent as string | null) : null,
    payment_method_details: { type: 'card', card: { brand: 'visa', case_type: 'chargeback', network: 'visa', network_reason_code: '13.1' } },
    reason: 'general',
    status: 'needs_response',
    ...rest,
  } as Stripe.Dispute;
}

function payout(f: Partial<Stripe.Payout> = {}): Stripe.Payout {
  const created = f.created ?? SEED_EPOCH;
  return {
    id: longId('po_'),
    object: 'payout',
    amount: 1000,
    application_fee: null,
    application_fee_amount: null,
    arrival_date: created + 2 * DAY,
    automatic: true,
    balance_transaction: null,
    created,
    currency: 'usd',
    description: 'STRIPE PAYOUT',
    destination: longId('ba_'),
    failure_balance_transaction: null,
    failure_code: null,
    failure_message: null,
    livemode: false,
    metadata: {},
    method: 'standard',
    original_payout: null,
    payout_method: null,
    reconciliation_status: 'completed',
    reversed_by: null,
    source_type: 'card',
    statement_descriptor: null,
    status: 'paid',
    trace_id: { status: 'supported', value: idRng.digits(15) },
    type: 'bank_account',
    ...f,
  } as Stripe.Payout;
}

function invoicePayment(f: Omit<Partial<Stripe.InvoicePayment>, 'invoice'> & { invoice?: string | Stripe.Invoice; payment_intent?: string | Stripe.PaymentIntent } = {}): Stripe.InvoicePayment {
  const { invoice: inv, payment_intent: pi, ...rest } = f;
  const invObj = typeof inv === 'object' ? inv : null;
  const paid = invObj ? invObj.status === 'paid' : true;
  return {
    id: longId('inpay_'),
    object: 'invoice_payment',
    amount_paid: paid ? (invObj?.amount_due ?? 1000) : null,
    amount_requested: invObj?.amount_due ?? 1000,
    created: invObj?.created ?? SEED_EPOCH,
    currency: invObj?.currency ?? 'usd',
    invoice: idOf(inv) ?? longId('in_'),
    is_default: true,
    livemode: false,
    payment: { type: 'payment_intent', payment_intent: idOf(pi) ?? longId('pi_', '3') },
    status: paid ? 'paid' : 'open',
    status_transitions: { canceled_at: null, paid_at: paid ? (invObj?.created ?? SEED_EPOCH) : null },
    ...rest,
  } as Stripe.InvoicePayment;
}

function testClock(f: Partial<Stripe.TestHelpers.TestClock> = {}): Stripe.TestHelpers.TestClock {
  const created = f.created ?? SEED_EPOCH;
  return {
    id: longId('clock_'),
    object: 'test_helpers.test_clock',
    created,
    deletes_after: created + 30 * DAY,
    frozen_time: created,
    livemode: false,
    name: null,
    status: 'ready',
    status_details: {},
    ...f,
  } as Stripe.TestHelpers.TestClock;
}

/** Builders for hand-written emulator objects. Every field a caller leaves out gets Stripe's usual value. */
export const seed = {
  customer,
  product,
  price,
  plan: planOf,
  coupon,
  discount,
  subscription,
  invoice,
  invoicePayment,
  paymentIntent,
  charge,
  refund,
  dispute,
  payout,
  balanceTransaction,
  testClock,
};

// ---------------------------------------------------------------------------------------------------------------
// SeedData → Dataset

const SEED_COLLECTIONS = [
  'customers', 'products', 'prices', 'coupons', 'subscriptions', 'invoices', 'invoicePayments', 'paymentIntents',
  'charges', 'refunds', 'disputes', 'payouts', 'balanceTransactions',
] as const;

function setLivemode(v: unknown, livemode: boolean): void {
  if (Array.isArray(v)) {
    for (const x of v) setLivemode(x, livemode);
  } else if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ('livemode' in o) o.livemode = livemode;
    for (const x of Object.values(o)) if (x && typeof x === 'object') setLivemode(x, livemode);
  }
}

function balanceOf(bts: Stripe.BalanceTransaction[], now: number, livemode: boolean): Stripe.Balance {
  const avail: Record<string, number> = {};
  const pend: Record<string, number> = {};
  for (const b of bts) {
    const into = b.available_on <= now ? avail : pend;
    into[b.currency] = (into[b.currency] ?? 0) + b.net;
  }
  const curs = [...new Set(['usd', ...bts.map((b) => b.currency)])];
  return {
    object: 'balance',
    available: curs.map((c) => ({ amount: avail[c] ?? 0, currency: c, source_types: { card: avail[c] ?? 0 } })),
    connect_reserved: curs.map((c) => ({ amount: 0, currency: c })),
    instant_available: [{ amount: Math.max(0, avail.usd ?? 0), currency: 'usd', source_types: { card: Math.max(0, avail.usd ?? 0) } }],
    livemode,
    pending: curs.map((c) => ({ amount: pend[c] ?? 0, currency: c, source_types: { card: pend[c] ?? 0 } })),
  };
}

/**
 * The Dataset one mode serves when a test gives its own objects: exactly those (deep-copied, `livemode` set to
 * the mode, each collection in Stripe's list order), the default account, and a balance summed from the given
 * balance transactions unless one is given.
 */
export function seededDataset(data: SeedData, base: { mode: Mode; now: number; seed: number; account: Stripe.Account }): Dataset {
  const copy = structuredClone(data);
  const livemode = base.mode === 'live';
  setLivemode(copy, livemode);
  const out = {} as Pick<Dataset, (typeof SEED_COLLECTIONS)[number]>;
  for (const name of SEED_COLLECTIONS) {
    const items = (copy[name] ?? []) as Array<{ id: string; created: number }>;
    const seen = new Set<string>();
    for (const o of items) {
      if (seen.has(o.id)) throw new Error(`Emulator seed: ${name} has the id ${o.id} twice`);
      seen.add(o.id);
    }
    (out as Record<string, unknown>)[name] = [...items].sort(listOrder);
  }
  const discounts = [...(copy.discounts ?? [])].sort((a, b) => b.start - a.start || (a.id < b.id ? 1 : -1));
  return {
    mode: base.mode,
    now: base.now,
    seed: base.seed,
    account: copy.account ?? base.account,
    balance: copy.balance ?? balanceOf(out.balanceTransactions, base.now, livemode),
    ...out,
    discounts,
    paidOutBy: copy.paidOutBy ?? {},
    special: { controlCharsCustomer: '', injectionCustomer: '', kwdCustomer: '', jpyCustomer: '', foreverDiscountCustomer: '' },
  };
}
