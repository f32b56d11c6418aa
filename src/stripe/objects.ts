import type Stripe from 'stripe';
import type { Mode } from './keys.js';
import type { ReadPermission } from './permissions.js';
import { compactBalanceTransaction } from './compact/balance-transaction.js';
import { compactCharge } from './compact/charge.js';
import { compactCustomer } from './compact/customer.js';
import { compactDispute } from './compact/dispute.js';
import { compactInvoice } from './compact/invoice.js';
import { compactPaymentIntent } from './compact/payment-intent.js';
import { compactPayout } from './compact/payout.js';
import { compactPrice } from './compact/price.js';
import { compactProduct } from './compact/product.js';
import { compactRefund } from './compact/refund.js';
import { compactSubscription } from './compact/subscription.js';

/** One kind of Stripe object we can fetch by id: how to read it, shrink it, name it and link to it. */
interface ObjectKind {
  /** Singular, for people: "customer", "payment intent". */
  label: string;
  /** The permission a restricted key needs to retrieve it (its Dashboard label: src/stripe/permissions.ts). */
  permission: ReadPermission;
  /** Path under dashboard.stripe.com/(test/) (Stripe shows charges and payment intents under payments/). */
  dashboardPath: string;
  retrieve: (stripe: Stripe, id: string) => Promise<{ id: string; livemode?: boolean }>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  compact: (object: any) => Record<string, unknown>;
  /** A short human title from the compact object. */
  title: (compact: Record<string, unknown>) => string;
}

const amountTitle = (label: string) => (c: Record<string, unknown>) =>
  [label, c.amount && c.currency ? `${c.amount} ${String(c.currency).toUpperCase()}` : null, c.status].filter(Boolean).join(' · ');

const KINDS: Record<string, ObjectKind> = {
  customer: {
    label: 'customer', permission: 'rak_customer_read', dashboardPath: 'customers',
    retrieve: (s, id) => s.customers.retrieve(id) as Promise<Stripe.Customer>,
    compact: compactCustomer,
    title: (c) => `Customer ${[c.name, c.email ? `<${c.email}>` : null].filter(Boolean).join(' ') || c.id}`,
  },
  charge: {
    label: 'charge', permission: 'rak_charge_read', dashboardPath: 'payments',
    retrieve: (s, id) => s.charges.retrieve(id), compact: compactCharge, title: amountTitle('Charge'),
  },
  payment_intent: {
    label: 'payment intent', permission: 'rak_payment_intent_read', dashboardPath: 'payments',
    retrieve: (s, id) => s.paymentIntents.retrieve(id), compact: compactPaymentIntent, title: amountTitle('Payment'),
  },
  invoice: {
    label: 'invoice', permission: 'rak_invoice_read', dashboardPath: 'invoices',
    retrieve: (s, id) => s.invoices.retrieve(id), compact: compactInvoice,
    title: (c) => [`Invoice ${c.number ?? c.id}`, c.total && c.currency ? `${c.total} ${String(c.currency).toUpperCase()}` : null, c.status].filter(Boolean).join(' · '),
  },
  subscription: {
    label: 'subscription', permission: 'rak_subscription_read', dashboardPath: 'subscriptions',
    retrieve: (s, id) => s.subscriptions.retrieve(id, { expand: ['discounts'] }), compact: compactSubscription,
    title: (c) => `Subscription ${c.id} · ${c.status} · customer ${c.customer}`,
  },
  product: {
    label: 'product', permission: 'rak_product_read', dashboardPath: 'products',
    retrieve: (s, id) => s.products.retrieve(id), compact: compactProduct,
    title: (c) => `Product ${c.name ?? c.id}${c.active === false ? ' (archived)' : ''}`,
  },
  price: {
    label: 'price', permission: 'rak_plan_read', dashboardPath: 'prices',
    retrieve: (s, id) => s.prices.retrieve(id), compact: compactPrice,
    title: (c) => ['Price', c.nickname, c.unit_amount && c.currency ? `${c.unit_amount} ${String(c.currency).toUpperCase()}${c.interval ? `/${c.interval}` : ''}` : null].filter(Boolean).join(' · '),
  },
  refund: {
    label: 'refund', permission: 'rak_refund_read', dashboardPath: 'refunds',
    retrieve: (s, id) => s.refunds.retrieve(id), compact: compactRefund, title: amountTitle('Refund'),
  },
  dispute: {
    label: 'dispute', permission: 'rak_dispute_read', dashboardPath: 'disputes',
    retrieve: (s, id) => s.disputes.retrieve(id), compact: compactDispute, title: amountTitle('Dispute'),
  },
  payout: {
    label: 'payout', permission: 'rak_payout_read', dashboardPath: 'payouts',
    retrieve: (s, id) => s.payouts.retrieve(id), compact: compactPayout, title: amountTitle('Payout'),
  },
  balance_transaction: {
    label: 'balance transaction', permission: 'rak_balance_transaction_source_read', dashboardPath: 'balance/history',
    retrieve: (s, id) => s.balanceTransactions.retrieve(id), compact: compactBalanceTransaction,
    title: (c) => `Balance transaction · ${c.type} · ${c.amount} ${String(c.currency).toUpperCase()} (fee ${c.fee}, net ${c.net})`,
  },
};

/** Stripe's id prefixes → kind. */
const PREFIXES: Array<[string, keyof typeof KINDS]> = [
  ['cus_', 'customer'], ['ch_', 'charge'], ['py_', 'charge'], ['pi_', 'payment_intent'], ['in_', 'invoice'],
  ['sub_', 'subscription'], ['prod_', 'product'], ['price_', 'price'], ['plan_', 'price'], ['re_', 'refund'],
  ['pyr_', 'refund'], ['dp_', 'dispute'], ['du_', 'dispute'], ['po_', 'payout'], ['txn_', 'balance_transaction'],
];

/** Kind → the permission retrieving one needs: what fetch declares it may need, by the kind its id names. */
export const RETRIEVE_PERMISSIONS: Readonly<Record<string, ReadPermission>> = Object.fromEntries(
  Object.entries(KINDS).map(([kind, k]) => [kind, k.permission]),
);

export const FETCHABLE_PREFIXES = PREFIXES.map(([prefix]) => prefix);

/**
 * Any id Stripe can issue. Most carry a prefix (`cus_…`), but products, prices, coupons and plans can be created with
 * an id the account chose (`gold-plan`; docs.stripe.com/api/products/create `id`, /api/coupons/create `id`,
 * /api/plans/create `id`), so the only rules are: 1–255 characters, no whitespace, control characters or `/`, and
 * not a bare `.`/`..` (it would change the request path).
 */
export const STRIPE_ID = /^(?!\.\.?$)[^\s/\u0000-\u001f\u007f]{1,255}$/u;

/** An id with no prefix fetch knows is looked up as these kinds, in order (a plan is also a price). */
export const CUSTOM_ID_KINDS = ['product', 'price'] as const;

type Kind = ObjectKind & { kind: string };

export function objectKindOf(id: string): Kind | null {
  const found = PREFIXES.find(([prefix]) => id.startsWith(prefix));
  return found ? { kind: found[1], ...KINDS[found[1]]! } : null;
}

/** The kind of an object Stripe returned, by its `object` field (custom ids carry no prefix to go by). */
export function kindOfObject(object: { id: string; object?: string }): Kind | null {
  const name = object.object === 'plan' ? 'price' : object.object;
  return name && KINDS[name] ? { kind: name, ...KINDS[name]! } : objectKindOf(object.id);
}

export function kindNamed(name: string): Kind {
  return { kind: name, ...KINDS[name]! };
}

/** A link a person can open: dashboard.stripe.com, with test/ in test mode. */
export function dashboardUrl(id: string, mode: Mode, kind: Kind | null = objectKindOf(id)): string | null {
  if (!kind) return null;
  return `https://dashboard.stripe.com/${mode === 'test' ? 'test/' : ''}${kind.dashboardPath}/${encodeURIComponent(id)}`;
}
