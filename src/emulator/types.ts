import type Stripe from 'stripe';
import type { EmulatorRateLimits } from './rate-limit.js';

export type Mode = 'test' | 'live';

/** How big the generated business is. Every field has a default (see DEFAULT_DATASET_SIZE). */
export interface DatasetSize {
  /**
   * Number of customers (default 400). Five special customers are always included on top of the random ones when
   * customers ≥ 5; from 100 customers on, a few demo customers (see `Dataset['special']`) are added to this number.
   */
  customers: number;
  /** One-off payment intents (no invoice) spread over the period (default: customers / 3). */
  oneOffPayments: number;
  /**
   * Exact number of balance transactions wanted. 0 (default) = whatever the simulated business produces.
   * A larger figure pads the dataset with extra one-off card payments (payment intent + charge + balance
   * transaction each) until the count is exactly this number. A figure below the natural count is ignored.
   */
  balanceTransactions: number;
}

export const EMPTY_SPECIAL: Dataset['special'] = Object.freeze({
  controlCharsCustomer: '',
  injectionCustomer: '',
  kwdCustomer: '',
  jpyCustomer: '',
  foreverDiscountCustomer: '',
  customIdProduct: '',
  customIdPrice: '',
  customerDiscountCustomer: '',
  appliesToCustomer: '',
  amountOffEurCustomer: '',
  deletedCustomer: '',
  upgradeCustomer: '',
  downgradeCustomer: '',
  expansionCustomer: '',
  reactivatedCustomer: '',
  testClock: '',
  testClockCustomer: '',
  testClockSubscription: '',
});

export const DEFAULT_DATASET_SIZE: DatasetSize = {
  customers: 400,
  oneOffPayments: 0, // 0 → customers / 3
  balanceTransactions: 0,
};

/**
 * The raw objects the emulator serves for one mode. Every collection is sorted the way Stripe lists it:
 * newest first (`created` descending, ties broken by `id` descending).
 *
 * Expandable references are stored the way Stripe returns them un-expanded (ids), e.g.
 * `subscription.discounts` holds discount ids (`di_…`) whose objects are in `discounts`, and each
 * `discount.source.coupon` holds a coupon id whose object is in `coupons`.
 * `unit_amount_decimal` fields hold plain strings on the wire (as Stripe sends them) even though the
 * stripe package types them as its Decimal class.
 */
export interface Dataset {
  mode: Mode;
  /** Unix seconds: the dataset's "now". */
  now: number;
  seed: number;
  account: Stripe.Account;
  balance: Stripe.Balance;
  customers: Stripe.Customer[];
  products: Stripe.Product[];
  prices: Stripe.Price[];
  coupons: Stripe.Coupon[];
  promotionCodes: Stripe.PromotionCode[];
  discounts: Stripe.Discount[];
  subscriptions: Stripe.Subscription[];
  invoices: Stripe.Invoice[];
  /** Payments of invoices (served only through `expand[]=payments` on invoices). */
  invoicePayments: Stripe.InvoicePayment[];
  paymentIntents: Stripe.PaymentIntent[];
  charges: Stripe.Charge[];
  refunds: Stripe.Refund[];
  disputes: Stripe.Dispute[];
  payouts: Stripe.Payout[];
  balanceTransactions: Stripe.BalanceTransaction[];
  /** What changed in the last 30 days (Stripe keeps no older events), newest first. */
  events: Stripe.Event[];
  /** Balance transaction id → id of the automatic payout that paid it out (what `?payout=po_…` filters on). */
  paidOutBy: Record<string, string>;
  /** Test clocks (test mode only). Customers, subscriptions and invoices on one carry its id in `test_clock`. */
  testClocks: Stripe.TestHelpers.TestClock[];
  /**
   * Ids of the hand-placed objects tests rely on ('' when the dataset has none: the five customers need
   * customers ≥ 5; the demo objects, from `customIdProduct` on, customers ≥ 100 and hand-seeded datasets have none).
   */
  special: {
    /** Name with a zero-width space and a BEL control character: `"Acme\u200B Corp\u0007"`. */
    controlCharsCustomer: string;
    /** Description carries a prompt-injection attempt ("Ignore previous instructions …"). */
    injectionCustomer: string;
    /** Pays in KWD (three-decimal currency): one-off payments only. */
    kwdCustomer: string;
    /** Pays in JPY (zero-decimal currency): yearly Pro subscription plus one-off payments. */
    jpyCustomer: string;
    /** Active Team subscription (quantity > 1) with a `forever` percent-off coupon. */
    foreverDiscountCustomer: string;
    /** Product with an id the account chose: `gold-plan`. */
    customIdProduct: string;
    /** Plan (so also price) with an id the account chose: `gold-monthly`, USD 99.00 a month, of `gold-plan`. */
    customIdPrice: string;
    /** `customer.discount` = PARTNER15 (15 % off, forever) on the customer, not the subscription; one active
     * `gold-monthly` subscription without a discount of its own: MRR USD 84.15. */
    customerDiscountCustomer: string;
    /** Active subscription Team × 5 (USD 15.00) + Pro × 1 (USD 49.00) with TEAMSEATS25 (25 % off, forever,
     * `applies_to.products` = the Team product): MRR USD 56.25 + 49.00 = 105.25. */
    appliesToCustomer: string;
    /** Active Pro EUR 45.00 subscription with EURO5OFF (amount off EUR 5.00, forever): MRR EUR 40.00. */
    amountOffEurCustomer: string;
    /** A customer the account deleted (not in `customers`): its canceled Starter subscription, invoices and
     * charges remain and still name it. */
    deletedCustomer: string;
    /** Starter USD monthly, moved to Pro (USD 49.00) at its fifth renewal without prorations. */
    upgradeCustomer: string;
    /** Team USD × 10 seats, cut to 6 twelve days into its fourth period, prorated on the next invoice. */
    downgradeCustomer: string;
    /** Team USD × 4 seats, raised to 9 nine days into its third period, prorated on the next invoice. */
    expansionCustomer: string;
    /** Pro USD canceled after four months or more, subscribed again two months later (a reactivation). */
    reactivatedCustomer: string;
    /** Test mode: a test clock; '' in live mode (test clocks exist only in test mode). */
    testClock: string;
    /** Test mode: a customer on `testClock`, with `testClockSubscription` (trialing Pro) and its $0 trial invoice. */
    testClockCustomer: string;
    testClockSubscription: string;
  };
}

/** Collections of the Dataset a test may fill by hand (see `seed` builders in src/emulator/seed.ts). */
export type SeedCollectionName =
  | 'customers'
  | 'products'
  | 'prices'
  | 'coupons'
  | 'promotionCodes'
  | 'discounts'
  | 'subscriptions'
  | 'invoices'
  | 'invoicePayments'
  | 'paymentIntents'
  | 'charges'
  | 'refunds'
  | 'disputes'
  | 'payouts'
  | 'balanceTransactions'
  | 'events'
  | 'testClocks';

/**
 * Hand-written objects for one mode: any of the Dataset's collections (missing ones are empty), and optionally the
 * account (default: the generated one), the balance (default: summed from `balanceTransactions`) and `paidOutBy`.
 */
export type SeedData = Partial<Pick<Dataset, SeedCollectionName | 'account' | 'balance' | 'paidOutBy'>>;

export interface EmulatorKeySpec {
  mode: Mode;
  /** 'all' (default) or the list of `rak_…` permissions the restricted key holds (write implies read). */
  permissions?: 'all' | string[];
  revoked?: boolean;
  expired?: boolean;
}

export interface EmulatorOptions {
  /** Default 0 (ephemeral). The host is always 127.0.0.1. */
  port?: number;
  /** Default 42. */
  seed?: number;
  /** The dataset's "now". Default: start of the current UTC day. */
  anchor?: Date;
  size?: Partial<DatasetSize>;
  /**
   * Hand-written objects per mode. A mode given here serves exactly these objects (plus the default account and a
   * balance) instead of the generated business; `seed` and `size` then only matter for the other mode.
   */
  objects?: { test?: SeedData; live?: SeedData };
  /** Added to every response. */
  latencyMs?: number;
  /** Extra specific keys (restricted permissions, revoked, expired). */
  keys?: Record<string, EmulatorKeySpec>;
  /**
   * Stripe's rate limits are enforced by default (src/emulator/rate-limit.ts); figures given here replace Stripe's
   * (an account whose limits Stripe raised). `false` turns them off: only for a benchmark or test that measures
   * our own overhead.
   */
  rateLimits?: false | Partial<EmulatorRateLimits>;
}

export interface RecordedRequest {
  method: string;
  path: string;
  /** Parsed query (bracket syntax decoded: `created[gte]=1` → `{ created: { gte: '1' } }`, `expand[0]=x` → `{ expand: ['x'] }`). */
  query: Record<string, unknown>;
  /** Mode of the key used; null when the request did not authenticate. */
  mode: Mode | null;
  /** Unix milliseconds. */
  at: number;
  /** HTTP status the emulator answered with. */
  status?: number;
  /** Raw request body (non-GET requests). */
  body?: string;
  /** The Stripe-Version header the client sent (the API version it pinned), if any. */
  stripeVersion?: string;
}

export interface FaultSpec {
  status: 429 | 500 | 502 | 503;
  /** Default 1. */
  times?: number;
  /** Only requests whose path starts with this (e.g. '/v1/charges'). */
  pathPrefix?: string;
  /** Response headers to add, e.g. `{ 'Stripe-Should-Retry': 'true' }`. */
  headers?: Record<string, string>;
}

export interface EmulatorHandle {
  url: string;
  port: number;
  keys: { test: string; live: string };
  requests: RecordedRequest[];
  injectFault(f: FaultSpec): void;
  setLatency(ms: number): void;
  /** The objects served, for reading: a generated dataset is shared by every emulator in the process (server.ts), so never change it. */
  dataset(mode: Mode): Dataset;
  close(): Promise<void>;
}
