/**
 * Hand-written emulator data: builders that fill in every field Stripe returns (the keys of Stripe's fixtures, in
 * the current API's shapes; the same shapes the generator uses) so a test writes only the fields it cares about,
 * and the conversion of such objects into the Dataset a mode serves
 * (`startEmulator({ objects: { test: {...}, live: {...} } })`).
 *
 * Ids follow Stripe's formats (`cus_` + 14 characters, `sub_1` + 23, `ch_3` + 23, …) and come from a fixed-seed
 * stream, so a test file sees the same ids on every run. `livemode` is set from the mode the objects are served
 * in, whatever the builder was given.
 */
import type Stripe from 'stripe';
import { couponShape, planOf, priceShape, productShape } from './dataset/catalog.js';
import type { PriceSeed } from './dataset/catalog.js';
import { customerShape } from './dataset/customers.js';
import { disputeShape, refundShape } from './dataset/disputes.js';
import type { DisputeSeed, RefundSeed } from './dataset/disputes.js';
import { invoicePaymentShape, invoiceShape } from './dataset/invoices.js';
import type { InvoicePaymentSeed, InvoiceSeed } from './dataset/invoices.js';
import { chargeShape, paymentIntentShape } from './dataset/payments.js';
import type { ChargeSeed, PaymentIntentSeed } from './dataset/payments.js';
import { balanceOf, balanceTransactionShape, payoutShape } from './dataset/payouts-balance.js';
import { discountShape, subscriptionShape } from './dataset/subscriptions.js';
import type { DiscountSeed, SubscriptionSeed } from './dataset/subscriptions.js';
import { eventShape, EVENT_RETENTION_SECONDS } from './dataset/events.js';
import type { EventSeed } from './dataset/events.js';
import { promotionCodeShape } from './dataset/promotion-codes.js';
import type { PromotionCodeSeed } from './dataset/promotion-codes.js';
import { BUILDER_IDS, DAY, SEED_EPOCH } from './dataset/util.js';
import { listOrder } from './store.js';
import { EMPTY_SPECIAL } from './types.js';
import type { Dataset, Mode, SeedData } from './types.js';

export { SEED_EPOCH, planOf };
export { cardDetails } from './dataset/payments.js';
export type { CardSeed, ChargeSeed, PaymentIntentSeed } from './dataset/payments.js';
export type { PriceSeed } from './dataset/catalog.js';
export type { DisputeSeed, RefundSeed } from './dataset/disputes.js';
export type { InvoiceLineSeed, InvoicePaymentSeed, InvoiceSeed } from './dataset/invoices.js';
export type { DiscountSeed, SubscriptionItemSeed, SubscriptionSeed } from './dataset/subscriptions.js';
export type { EventSeed } from './dataset/events.js';
export type { PromotionCodeSeed } from './dataset/promotion-codes.js';

function testClock(f: Partial<Stripe.TestHelpers.TestClock> = {}): Stripe.TestHelpers.TestClock {
  const created = f.created ?? SEED_EPOCH;
  return {
    id: f.id ?? BUILDER_IDS.longId('clock_'),
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
  customer: (f?: Partial<Stripe.Customer>): Stripe.Customer => customerShape(f),
  product: (f?: Partial<Stripe.Product>): Stripe.Product => productShape(f),
  price: (f?: PriceSeed): Stripe.Price => priceShape(f),
  /** The plan object Stripe shows beside a recurring price (subscription items carry both). */
  plan: (price: Stripe.Price): Stripe.Plan => planOf(price),
  coupon: (f?: Partial<Stripe.Coupon>): Stripe.Coupon => couponShape(f),
  promotionCode: (f?: PromotionCodeSeed): Stripe.PromotionCode => promotionCodeShape(f),
  event: (f: EventSeed): Stripe.Event => eventShape(f),
  discount: (f?: DiscountSeed): Stripe.Discount => discountShape(f),
  subscription: (f?: SubscriptionSeed): Stripe.Subscription => subscriptionShape(f),
  invoice: (f?: InvoiceSeed): Stripe.Invoice => invoiceShape(f),
  invoicePayment: (f?: InvoicePaymentSeed): Stripe.InvoicePayment => invoicePaymentShape(f),
  paymentIntent: (f?: PaymentIntentSeed): Stripe.PaymentIntent => paymentIntentShape(f),
  charge: (f?: ChargeSeed): Stripe.Charge => chargeShape(f),
  refund: (f?: RefundSeed): Stripe.Refund => refundShape(f),
  dispute: (f?: DisputeSeed): Stripe.Dispute => disputeShape(f),
  payout: (f?: Partial<Stripe.Payout>): Stripe.Payout => payoutShape(f),
  balanceTransaction: (f?: Partial<Stripe.BalanceTransaction>): Stripe.BalanceTransaction => balanceTransactionShape(f),
  testClock,
};

const SEED_COLLECTIONS = [
  'customers', 'products', 'prices', 'coupons', 'promotionCodes', 'subscriptions', 'invoices', 'invoicePayments', 'paymentIntents',
  'charges', 'refunds', 'disputes', 'payouts', 'balanceTransactions', 'events', 'testClocks',
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

/** Each collection deep-copied, checked for repeated ids, in Stripe's list order. */
function sortedCollections(copy: SeedData): Pick<Dataset, (typeof SEED_COLLECTIONS)[number]> {
  const out = {} as Record<string, unknown>;
  for (const name of SEED_COLLECTIONS) {
    const items = (copy[name] ?? []) as Array<{ id: string; created: number }>;
    const seen = new Set<string>();
    for (const o of items) {
      if (seen.has(o.id)) throw new Error(`Emulator seed: ${name} has the id ${o.id} twice`);
      seen.add(o.id);
    }
    out[name] = [...items].sort(listOrder);
  }
  return out as Pick<Dataset, (typeof SEED_COLLECTIONS)[number]>;
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
  const out = sortedCollections(copy);
  // Stripe keeps events for 30 days: older ones can be neither listed nor retrieved.
  out.events = out.events.filter((e) => e.created >= base.now - EVENT_RETENTION_SECONDS);
  const currencies = [...new Set(['usd', ...out.balanceTransactions.map((b) => b.currency)])];
  return {
    mode: base.mode,
    now: base.now,
    seed: base.seed,
    account: copy.account ?? base.account,
    balance: copy.balance ?? balanceOf(out.balanceTransactions, base.now, livemode, currencies),
    ...out,
    discounts: [...(copy.discounts ?? [])].sort((a, b) => b.start - a.start || (a.id < b.id ? 1 : -1)),
    paidOutBy: copy.paidOutBy ?? {},
    special: { ...EMPTY_SPECIAL },
  };
}
