/**
 * The generator's state: the seeded random stream, the clock, and the collections being built. Each resource's
 * file (catalog, customers, payments, subscriptions, invoices, disputes, payouts-balance) adds to it in turn.
 */
import type Stripe from 'stripe';
import { Rng, hashSeed } from '../random.js';
import { DEFAULT_DATASET_SIZE } from '../types.js';
import type { Dataset, DatasetSize, Mode } from '../types.js';
import { addMonths } from './util.js';
import type { Cur, IdSource } from './util.js';

export interface Region {
  country: string;
  currency: Cur;
  city: string;
  postal: string;
  locale: string;
  phonePrefix: string;
}

export interface CardInfo {
  pm: string;
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
  fingerprint: string;
  funding: string;
  country: string;
}

export interface CustomerCtx {
  obj: Stripe.Customer;
  region: Region;
  card: CardInfo;
  invoiceSeq: number;
}

export class Generator implements IdSource {
  /** The seeded stream; the demo objects swap in their own (see demo.ts) so the main business stays the same. */
  rng: Rng;
  readonly now: number;
  readonly start: number;
  readonly livemode: boolean;
  readonly acctId: string;
  readonly acctTag: string;
  readonly size: DatasetSize;

  customers: CustomerCtx[] = [];
  products: Stripe.Product[] = [];
  prices: Stripe.Price[] = [];
  coupons: Stripe.Coupon[] = [];
  discounts: Stripe.Discount[] = [];
  subscriptions: Stripe.Subscription[] = [];
  invoices: Stripe.Invoice[] = [];
  invoicePayments: Stripe.InvoicePayment[] = [];
  paymentIntents: Stripe.PaymentIntent[] = [];
  charges: Stripe.Charge[] = [];
  refunds: Stripe.Refund[] = [];
  disputes: Stripe.Dispute[] = [];
  payouts: Stripe.Payout[] = [];
  bts: Stripe.BalanceTransaction[] = [];
  paidOutBy: Record<string, string> = {};
  testClocks: Stripe.TestHelpers.TestClock[] = [];

  /** `${product key}:${currency}:${interval}` → price. */
  readonly priceIndex = new Map<string, Stripe.Price>();
  readonly productByKey = new Map<string, Stripe.Product>();
  meteredPrice!: Stripe.Price;
  oneTimePrice!: Stripe.Price;
  readonly couponById = new Map<string, Stripe.Coupon>();
  readonly chargeCtx = new Map<string, { customer: CustomerCtx | null }>();
  readonly bankAccounts: Record<'usd' | 'eur', string>;
  special!: Dataset['special'];

  // Immutable sub-objects shared by many objects (keeps a 100k-transaction dataset small). Never mutated.
  readonly feeCache = new Map<string, Stripe.BalanceTransaction.FeeDetail[]>();
  readonly pmdCache = new Map<string, Stripe.Charge.PaymentMethodDetails>();
  readonly billingDetailsCache = new Map<string, Stripe.Charge.BillingDetails>();

  constructor(readonly seed: number, anchor: Date, readonly mode: Mode, size: Partial<DatasetSize> | undefined) {
    this.size = { ...DEFAULT_DATASET_SIZE, ...(size ?? {}) };
    this.livemode = mode === 'live';
    this.rng = new Rng(mode === 'live' ? hashSeed(seed, 'live-mode') : hashSeed(seed, 'test-mode'));
    this.now = Math.floor(anchor.getTime() / 1000);
    this.start = addMonths(this.now, -18);
    // The account is the same in both modes (as on Stripe): derive it from the seed alone.
    const acctRng = new Rng(hashSeed(seed, 'account'));
    this.acctTag = acctRng.alnum(10);
    this.acctId = `acct_1${acctRng.alnum(5)}${this.acctTag}`;
    this.bankAccounts = { usd: this.longId('ba_'), eur: this.longId('ba_') };
  }

  /** Ids carry ≥ 13 random base-62 characters: collisions are astronomically unlikely, and the generator is
   * deterministic, so the determinism tests would show one. */
  shortId(prefix: string): string {
    return prefix + this.rng.alnum(14);
  }
  longId(prefix: string, version = '1'): string {
    return `${prefix}${version}${this.rng.alnum(5)}${this.acctTag}${this.rng.alnum(8)}`;
  }
}
