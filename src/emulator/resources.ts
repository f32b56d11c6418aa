/**
 * What each emulated endpoint accepts: list filters (from Stripe's OpenAPI spec plus the parameters the current
 * stripe package's `…ListParams` types add), search fields, and the object name used in "No such …" errors.
 */
import type Stripe from 'stripe';
import type { Dataset } from './types.js';
import { invalidRequest } from './errors.js';
import type { QueryValue } from './query.js';
import { searchGetters, type SearchGetters } from './search-query.js';

/** The collections of a Dataset that are served as lists. */
export type CollectionName =
  | 'customers'
  | 'charges'
  | 'paymentIntents'
  | 'invoices'
  | 'subscriptions'
  | 'products'
  | 'prices'
  | 'refunds'
  | 'disputes'
  | 'payouts'
  | 'balanceTransactions'
  | 'coupons'
  | 'promotionCodes'
  | 'events';

export type AnyObject = { id: string; created: number; object: string } & Record<string, unknown>;

/** How a list query parameter filters. */
export type FilterSpec =
  /** Equality on one string value; `index: true` → served from a per-value index. */
  | { kind: 'eq'; get: (o: AnyObject, ds: Dataset) => string | null | undefined; index?: boolean; caseInsensitive?: boolean }
  | { kind: 'enum'; values: string[]; get: (o: AnyObject) => string | null | undefined; index?: boolean }
  | { kind: 'bool'; get: (o: AnyObject) => boolean | null | undefined }
  /** Timestamp range (`x[gte]=…` or `x=…`). */
  | { kind: 'range'; get: (o: AnyObject) => number | null | undefined }
  /** Array of strings; the object matches when its value is one of them. */
  | { kind: 'in'; get: (o: AnyObject) => string | null | undefined; max?: number }
  /** Nested object of sub-filters (`recurring[interval]`, `automatic_tax[enabled]`). */
  | { kind: 'object'; fields: Record<string, FilterSpec> }
  /** Accepted and ignored (no such data in the emulator): matches nothing when set, like a test clock id. */
  | { kind: 'none' }
  /** Anything else: checks the raw value (throwing Stripe's error) and returns the predicate. */
  | { kind: 'custom'; build: (v: QueryValue, param: string) => (o: AnyObject) => boolean };

export interface ResourceDef {
  path: string;
  collection: CollectionName;
  /** For "No such customer: 'cus_x'". */
  objectName: string;
  /** Stripe resource name in search error messages (`customers`, `payment_intents`). */
  searchName: string;
  filters: Record<string, FilterSpec>;
  /** How each of Stripe's query fields (src/stripe/search-query.ts) is read from an object. */
  search?: SearchGetters<AnyObject>;
  /** Id prefixes of objects in this collection (used to resolve `source` references). */
  idPrefixes: string[];
}

const str = (k: string) => (o: AnyObject) => {
  const v = o[k];
  return typeof v === 'string' ? v : v === null || v === undefined ? null : typeof v === 'object' && 'id' in (v as object) ? (v as { id: string }).id : String(v);
};
const num = (k: string) => (o: AnyObject) => {
  const v = o[k];
  return typeof v === 'number' ? v : null;
};
const bool = (k: string) => (o: AnyObject) => {
  const v = o[k];
  return typeof v === 'boolean' ? v : null;
};
const meta = (o: AnyObject) => o.metadata;

const NONE: FilterSpec = { kind: 'none' };

function invoiceSubscription(o: AnyObject): string | null {
  const inv = o as unknown as Stripe.Invoice;
  const s = inv.parent?.subscription_details?.subscription;
  return typeof s === 'string' ? s : s ? s.id : null;
}

/**
 * Stripe's refunded query field: "true" for fully refunded charges, "false" for partially refunded ones, null
 * (refunded:null) for charges with nothing refunded (docs.stripe.com/search#query-fields-for-charges).
 */
function chargeRefunded(o: AnyObject): string | null {
  const ch = o as unknown as Stripe.Charge;
  return ch.refunded ? 'true' : ch.amount_refunded > 0 ? 'false' : null;
}

/** payment_method_details.{card,card_present,interac_present}.{brand,exp_month,exp_year,fingerprint,last4}. */
function cardDetailGetters(): Record<string, (o: AnyObject) => unknown> {
  const out: Record<string, (o: AnyObject) => unknown> = {};
  for (const source of ['card', 'card_present', 'interac_present'] as const) {
    for (const field of ['brand', 'exp_month', 'exp_year', 'fingerprint', 'last4'] as const) {
      out[`payment_method_details.${source}.${field}`] = (o) => {
        const details = (o as unknown as Stripe.Charge).payment_method_details as Record<string, Record<string, unknown> | undefined> | null;
        return details?.[source]?.[field] ?? null;
      };
    }
  }
  return out;
}

/** `type=customer.*`: `*` stands for any run of characters (Stripe: "group of events using * as a wildcard"). */
function eventTypeFilter(v: QueryValue, param: string): (o: AnyObject) => boolean {
  if (typeof v !== 'string') throw invalidRequest(`Invalid string: ${JSON.stringify(v)}`, param);
  const pattern = new RegExp(`^${v.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return (o) => typeof o.type === 'string' && pattern.test(o.type);
}

function firstItem(o: AnyObject): Stripe.SubscriptionItem | undefined {
  return (o as unknown as Stripe.Subscription).items.data[0];
}

export const RESOURCES: ResourceDef[] = [
  {
    path: '/v1/customers',
    collection: 'customers',
    objectName: 'customer',
    searchName: 'customers',
    idPrefixes: ['cus_'],
    filters: {
      email: { kind: 'eq', get: str('email'), index: true },
      test_clock: NONE,
    },
    search: searchGetters('customers', { created: num('created'), email: str('email'), metadata: meta, name: str('name'), phone: str('phone') }),
  },
  {
    path: '/v1/charges',
    collection: 'charges',
    objectName: 'charge',
    searchName: 'charges',
    idPrefixes: ['ch_', 'py_'],
    filters: {
      customer: { kind: 'eq', get: str('customer'), index: true },
      payment_intent: { kind: 'eq', get: str('payment_intent'), index: true },
      transfer_group: { kind: 'eq', get: str('transfer_group') },
    },
    search: searchGetters('charges', {
      amount: num('amount'),
      'billing_details.address.postal_code': (o) => (o as unknown as Stripe.Charge).billing_details?.address?.postal_code ?? null,
      created: num('created'),
      currency: str('currency'),
      customer: str('customer'),
      disputed: bool('disputed'),
      metadata: meta,
      ...cardDetailGetters(),
      refunded: chargeRefunded,
      status: str('status'),
    }),
  },
  {
    path: '/v1/payment_intents',
    collection: 'paymentIntents',
    objectName: 'payment_intent',
    searchName: 'payment_intents',
    idPrefixes: ['pi_'],
    filters: {
      customer: { kind: 'eq', get: str('customer'), index: true },
      customer_account: { kind: 'eq', get: str('customer_account') },
    },
    search: searchGetters('payment_intents', {
      amount: num('amount'),
      created: num('created'),
      currency: str('currency'),
      customer: str('customer'),
      metadata: meta,
      status: str('status'),
    }),
  },
  {
    path: '/v1/invoices',
    collection: 'invoices',
    objectName: 'invoice',
    searchName: 'invoices',
    idPrefixes: ['in_'],
    filters: {
      collection_method: { kind: 'enum', values: ['charge_automatically', 'send_invoice'], get: str('collection_method') },
      customer: { kind: 'eq', get: str('customer'), index: true },
      customer_account: { kind: 'eq', get: str('customer_account') },
      due_date: { kind: 'range', get: num('due_date') },
      status: { kind: 'enum', values: ['draft', 'open', 'paid', 'uncollectible', 'void'], get: str('status'), index: true },
      subscription: { kind: 'eq', get: invoiceSubscription, index: true },
    },
    search: searchGetters('invoices', {
      created: num('created'),
      currency: str('currency'),
      customer: str('customer'),
      metadata: meta,
      number: str('number'),
      receipt_number: str('receipt_number'),
      status: str('status'),
      subscription: invoiceSubscription,
      total: num('total'),
    }),
  },
  {
    path: '/v1/subscriptions',
    collection: 'subscriptions',
    objectName: 'subscription',
    searchName: 'subscriptions',
    idPrefixes: ['sub_'],
    filters: {
      automatic_tax: { kind: 'object', fields: { enabled: { kind: 'bool', get: (o) => (o as unknown as Stripe.Subscription).automatic_tax.enabled } } },
      collection_method: { kind: 'enum', values: ['charge_automatically', 'send_invoice'], get: str('collection_method') },
      current_period_end: { kind: 'range', get: (o) => firstItem(o)?.current_period_end ?? null },
      current_period_start: { kind: 'range', get: (o) => firstItem(o)?.current_period_start ?? null },
      customer: { kind: 'eq', get: str('customer'), index: true },
      customer_account: { kind: 'eq', get: str('customer_account') },
      // `price` and `plan` are handled specially (any item), `status` too (all / ended / default).
      price: { kind: 'eq', get: () => null },
      plan: { kind: 'eq', get: () => null },
      status: {
        kind: 'enum',
        values: ['active', 'all', 'canceled', 'ended', 'incomplete', 'incomplete_expired', 'past_due', 'paused', 'trialing', 'unpaid'],
        get: str('status'),
        index: true,
      },
      test_clock: NONE,
    },
    search: searchGetters('subscriptions', { created: num('created'), metadata: meta, status: str('status') }),
  },
  {
    path: '/v1/products',
    collection: 'products',
    objectName: 'product',
    searchName: 'products',
    idPrefixes: ['prod_'],
    filters: {
      active: { kind: 'bool', get: bool('active') },
      ids: { kind: 'in', get: str('id') },
      shippable: { kind: 'bool', get: bool('shippable') },
      type: { kind: 'enum', values: ['good', 'service'], get: str('type') },
      url: { kind: 'eq', get: str('url') },
    },
    search: searchGetters('products', {
      active: bool('active'),
      description: str('description'),
      metadata: meta,
      name: str('name'),
      shippable: bool('shippable'),
      url: str('url'),
    }),
  },
  {
    path: '/v1/prices',
    collection: 'prices',
    objectName: 'price',
    searchName: 'prices',
    idPrefixes: ['price_', 'plan_'],
    filters: {
      active: { kind: 'bool', get: bool('active') },
      currency: { kind: 'eq', get: str('currency'), caseInsensitive: true },
      lookup_keys: { kind: 'in', get: str('lookup_key'), max: 10 },
      product: { kind: 'eq', get: str('product'), index: true },
      recurring: {
        kind: 'object',
        fields: {
          interval: { kind: 'enum', values: ['day', 'month', 'week', 'year'], get: (o) => (o as unknown as Stripe.Price).recurring?.interval ?? null },
          meter: { kind: 'eq', get: (o) => (o as unknown as Stripe.Price).recurring?.meter ?? null },
          usage_type: { kind: 'enum', values: ['licensed', 'metered'], get: (o) => (o as unknown as Stripe.Price).recurring?.usage_type ?? null },
        },
      },
      type: { kind: 'enum', values: ['one_time', 'recurring'], get: str('type') },
    },
    search: searchGetters('prices', {
      active: bool('active'),
      currency: str('currency'),
      lookup_key: str('lookup_key'),
      metadata: meta,
      product: str('product'),
      type: str('type'),
    }),
  },
  {
    path: '/v1/refunds',
    collection: 'refunds',
    objectName: 'refund',
    searchName: 'refunds',
    idPrefixes: ['re_', 'pyr_'],
    filters: {
      charge: { kind: 'eq', get: str('charge'), index: true },
      payment_intent: { kind: 'eq', get: str('payment_intent'), index: true },
    },
  },
  {
    path: '/v1/disputes',
    collection: 'disputes',
    objectName: 'dispute',
    searchName: 'disputes',
    idPrefixes: ['dp_', 'du_'],
    filters: {
      charge: { kind: 'eq', get: str('charge'), index: true },
      payment_intent: { kind: 'eq', get: str('payment_intent'), index: true },
    },
  },
  {
    path: '/v1/payouts',
    collection: 'payouts',
    objectName: 'payout',
    searchName: 'payouts',
    idPrefixes: ['po_'],
    filters: {
      arrival_date: { kind: 'range', get: num('arrival_date') },
      destination: { kind: 'eq', get: str('destination'), index: true },
      status: { kind: 'eq', get: str('status'), index: true },
    },
  },
  {
    path: '/v1/balance_transactions',
    collection: 'balanceTransactions',
    objectName: 'balance_transaction',
    searchName: 'balance_transactions',
    idPrefixes: ['txn_'],
    filters: {
      currency: { kind: 'eq', get: str('currency'), index: true, caseInsensitive: true },
      payout: { kind: 'eq', get: (o, ds) => ds.paidOutBy[o.id] ?? null, index: true },
      source: { kind: 'eq', get: str('source'), index: true },
      type: { kind: 'eq', get: str('type'), index: true },
    },
  },
  {
    // Coupon ids are chosen by the account (`gold-plan`) or random without a prefix: no id prefix to resolve by.
    path: '/v1/coupons',
    collection: 'coupons',
    objectName: 'coupon',
    searchName: 'coupons',
    idPrefixes: [],
    filters: {},
  },
  {
    // docs.stripe.com/api/promotion_codes/list: active, code ("case-insensitive"), coupon, customer, customer_account.
    path: '/v1/promotion_codes',
    collection: 'promotionCodes',
    objectName: 'promotion_code',
    searchName: 'promotion_codes',
    idPrefixes: ['promo_'],
    filters: {
      active: { kind: 'bool', get: bool('active') },
      code: { kind: 'eq', get: str('code'), index: true, caseInsensitive: true },
      coupon: { kind: 'eq', get: (o) => str('coupon')((o as { promotion?: AnyObject }).promotion ?? ({} as AnyObject)), index: true },
      customer: { kind: 'eq', get: str('customer'), index: true },
      customer_account: { kind: 'eq', get: str('customer_account') },
    },
  },
  {
    // docs.stripe.com/api/events/list: type (a name, or a group with * as a wildcard), types (up to 20 names; not
    // with type: list-rules.ts), delivery_success. Only the last 30 days are kept (dataset/events.ts).
    path: '/v1/events',
    collection: 'events',
    objectName: 'event',
    searchName: 'events',
    idPrefixes: ['evt_'],
    filters: {
      delivery_success: { kind: 'bool', get: (o) => o.pending_webhooks === 0 },
      type: { kind: 'custom', build: eventTypeFilter },
      types: { kind: 'in', get: str('type'), max: 20 },
    },
  },
];

export const RESOURCE_BY_PATH = new Map(RESOURCES.map((r) => [r.path, r]));

/** Parameters every list endpoint accepts. */
export const COMMON_LIST_PARAMS = ['created', 'ending_before', 'expand', 'limit', 'starting_after'];
