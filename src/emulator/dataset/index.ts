/**
 * Deterministic generator of a believable SaaS business (18 months before `anchor`) in Stripe's current
 * object shapes. Dataset = f(seed, anchor, mode, size): no clock, no Math.random.
 *
 * Money model (so figures can be checked independently):
 * - The account settles in USD and EUR. Charges in USD/EUR create balance transactions in their own currency;
 *   charges in JPY and KWD are converted to USD (`exchange_rate` set on the balance transaction).
 * - Fees: USD 2.9 % + 30¢, EUR 1.5 % + 25 c, converted charges 4.9 % + 30¢ (in USD). Refund balance
 *   transactions carry no fee; a dispute withdrawal carries a 15.00 dispute fee; a won dispute reverses the amount.
 * - Daily automatic payouts per settlement currency sweep everything that became available since the previous
 *   payout. One failed payout (funds come back with a `payout_failure` transaction) and one canceled manual
 *   payout (`payout_cancel`).
 * - `balance.available[c]` = Σ net of balance transactions in currency c whose `available_on` ≤ now;
 *   `balance.pending[c]` = Σ net of those whose `available_on` > now.
 *
 * One file per resource: catalog, customers, payments, subscriptions, invoices, disputes (and refunds),
 * payouts-balance, account, and demo.ts (the cases a real account has: custom ids, test clocks, coupon kinds). Each also holds the resource's shape (every field Stripe returns), which the seed
 * builders (../seed.ts) share.
 */
import type Stripe from 'stripe';
import type { Dataset, DatasetSize, Mode } from '../types.js';
import { accountOf } from './account.js';
import { buildDemo } from './demo.js';
import { buildEvents } from './events.js';
import { buildPromotionCodes } from './promotion-codes.js';
import { buildCatalog } from './catalog.js';
import { buildCustomers } from './customers.js';
import { buildRefundsAndDisputes } from './disputes.js';
import { Generator } from './generator.js';
import { buildManualInvoices } from './invoices.js';
import { buildOneOffPayments, pad } from './payments.js';
import { balanceOf, buildBillingFees, payoutsFor } from './payouts-balance.js';
import { buildSubscriptions } from './subscriptions.js';
import { byCreatedDesc } from './util.js';

export { CURRENCY_DECIMALS } from './util.js';

function run(g: Generator): Dataset {
  buildCatalog(g);
  buildCustomers(g);
  buildSubscriptions(g);
  buildManualInvoices(g);
  buildOneOffPayments(g);
  buildRefundsAndDisputes(g);
  buildDemo(g);
  buildBillingFees(g);
  // Payout schedule from the natural business; padding (if any) never changes the number of payouts, so the
  // balance transaction count is exact.
  const plan = payoutsFor(g, undefined, false);
  const reversals = plan.filter((p) => p.kind !== 'auto').length;
  const natural = g.bts.length + plan.length + reversals;
  const target = g.size.balanceTransactions;
  if (target > natural) pad(g, target - natural);
  payoutsFor(g, plan, true);
  return collect(g);
}

/** Objects derived from the finished business, each from its own random stream (the business stays the same). */
function derived(g: Generator): Pick<Dataset, 'promotionCodes' | 'events'> {
  const promotionCodes = buildPromotionCodes(g);
  return { promotionCodes, events: buildEvents(g, promotionCodes) };
}

/** The generator's collections in Stripe's list order: newest first, ties by id descending. */
function collect(g: Generator): Dataset {
  const sortDesc = <T extends { created: number; id: string }>(a: T[]): T[] => a.sort(byCreatedDesc);
  for (const ch of g.charges) if (ch.refunds) ch.refunds.data.sort(byCreatedDesc);
  const { promotionCodes, events } = derived(g);
  return {
    mode: g.mode,
    now: g.now,
    seed: g.seed,
    account: accountOf(g),
    balance: balanceOf(g.bts, g.now, g.livemode),
    customers: sortDesc(g.customers.map((c) => c.obj)),
    products: sortDesc(g.products),
    prices: sortDesc(g.prices),
    coupons: sortDesc(g.coupons),
    promotionCodes: sortDesc(promotionCodes),
    discounts: g.discounts.sort((a, b) => b.start - a.start || (a.id < b.id ? 1 : -1)),
    subscriptions: sortDesc(g.subscriptions),
    invoices: sortDesc(g.invoices),
    invoicePayments: sortDesc(g.invoicePayments),
    paymentIntents: sortDesc(g.paymentIntents),
    charges: sortDesc(g.charges),
    refunds: sortDesc(g.refunds),
    disputes: sortDesc(g.disputes),
    payouts: sortDesc(g.payouts),
    balanceTransactions: sortDesc(g.bts),
    events: sortDesc(events),
    paidOutBy: g.paidOutBy,
    testClocks: sortDesc(g.testClocks),
    special: g.special,
  };
}

/** Start of the current UTC day. */
export function defaultAnchor(): Date {
  const d = new Date();
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
}

export function generateDataset(opts: { seed: number; anchor: Date; mode: Mode; size?: Partial<DatasetSize> }): Dataset {
  return run(new Generator(opts.seed, opts.anchor, opts.mode, opts.size));
}

/** The emulated account (the same in both modes, derived from the seed alone). */
export function defaultAccount(seed: number, anchor: Date): Stripe.Account {
  return accountOf(new Generator(seed, anchor, 'test', undefined));
}
