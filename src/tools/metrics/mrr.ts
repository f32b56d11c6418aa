/** get_mrr's computation: MRR now and at past month-ends, per currency, optionally per product, price or plan. */
import type Stripe from 'stripe';
import { ToolInputError } from '../../stripe/errors.js';
import { formatMinorUnits } from '../../stripe/money.js';
import { isoTime } from '../../stripe/time.js';
import type { ToolContext } from '../define-tool.js';
import { checkTimeZone, monthStart } from '../engine/buckets.js';
import type { CouponBook } from './coupons.js';
import { Fraction } from './fraction.js';
import { namesMissingCaveat, productNames } from '../engine/names.js';
import { readCouponBook } from './coupons.js';
import { couponsCaveat, EVERY_STATUS, readSubscriptions, statusLabel, type SubscriptionStatusFilter } from './read.js';
import { MRR_STATUSES, paidAt, paidInterval, subscriptionMrr, type ItemMrr, type SubscriptionMrr } from './subscription-mrr.js';

export const MRR_GROUPS = ['none', 'product', 'price', 'plan'] as const;
export type MrrGroup = (typeof MRR_GROUPS)[number];

export const MRR_DEFINITION =
  'MRR as Stripe Billing defines it: subscriptions that are active or past_due; for each item on a recurring, licensed price, ' +
  'unit amount × quantity normalised to one month (yearly ÷ 12, weekly × 52 ÷ 12, daily × 365 ÷ 12, divided by interval_count). ' +
  'Excluded: trials, metered (usage-based) prices, one-off items, taxes, free plans. Only coupons with duration "forever" reduce it: ' +
  "the subscription's own, or its customer's when it has none; a coupon limited to some products reduces only their items; an amount off only in its currency (or a currency option it has). " +
  "Per currency, never converted; summed exactly and rounded once to the currency's smallest unit.";

export const RECONSTRUCTION_LIMITS = [
  "Plan, price and quantity changes (upgrades, downgrades, seats): a subscription shows only its current items, so every month-end values it with them (get_mrr_bridge rebuilds them from invoice lines).",
  'Discounts removed earlier: only discounts still attached to a subscription are seen (a canceled subscription may show none), so a forever coupon that was removed is not applied to earlier months.',
  'When a subscription turned unpaid: Stripe records no date, so the start of its current billing period stands in for it.',
  'Payment-collection pauses are not dated; past_due spells count as MRR, as in Stripe.',
  "A customer's coupon is taken as it is now: Stripe keeps no record of one removed from a customer.",
];

export interface MrrArgs {
  group_by: MrrGroup;
  history_months: number;
  month_ends?: string[] | undefined;
  timezone: string;
  customer?: string | undefined;
}

interface MonthEnd {
  month: string;
  /** The last second of the month in the time zone. */
  at: number;
}

type Row = Record<string, string | number | null>;

/** The month-ends asked for, oldest first; each must be over. */
export function monthEndsOf(args: Pick<MrrArgs, 'history_months' | 'month_ends' | 'timezone'>, now: number, timeZone: string): MonthEnd[] {
  const months = new Set<string>();
  if (args.month_ends) for (const m of args.month_ends) months.add(m);
  if (args.history_months > 0) {
    const local = new Date(new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(now * 1000)));
    const year = local.getUTCFullYear();
    const month = local.getUTCMonth() + 1;
    for (let k = 1; k <= args.history_months; k++) {
      const d = new Date(Date.UTC(year, month - 1 - k, 1));
      months.add(`${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`);
    }
  }
  return [...months].sort().map((month) => {
    const [y, m] = month.split('-').map(Number) as [number, number];
    const at = monthStart(y, m + 1, timeZone) - 1;
    if (at > now) throw new ToolInputError(`month_ends: ${month} has not ended yet; give months that are over (the current MRR is always included).`);
    return { month, at };
  });
}

interface GroupCell {
  labels: Row;
  currency: string;
  mrr: Fraction;
  subscriptions: number;
  lastSubscription: string;
}

/** MRR of one moment: totals per currency and, optionally, per group. */
class MrrTable {
  private readonly totals = new Map<string, { mrr: Fraction; subscriptions: number; customers: Set<string> }>();
  private readonly groups = new Map<string, GroupCell>();
  free = 0;

  constructor(private readonly groupBy: MrrGroup) {}

  add(m: SubscriptionMrr): void {
    if (m.total.isZero()) {
      this.free++; // free plans (or fully discounted) are not subscribers in MRR terms
      return;
    }
    let total = this.totals.get(m.currency);
    if (!total) this.totals.set(m.currency, (total = { mrr: Fraction.ZERO, subscriptions: 0, customers: new Set() }));
    total.mrr = total.mrr.add(m.total);
    total.subscriptions++;
    total.customers.add(m.customer);
    if (this.groupBy === 'none') return;
    for (const item of m.items) {
      const labels = groupLabels(this.groupBy, item);
      const key = `${m.currency}\u001f${Object.values(labels).join('\u001f')}`;
      let cell = this.groups.get(key);
      if (!cell) this.groups.set(key, (cell = { labels, currency: m.currency, mrr: Fraction.ZERO, subscriptions: 0, lastSubscription: '' }));
      cell.mrr = cell.mrr.add(item.mrr);
      if (cell.lastSubscription !== m.id) {
        cell.subscriptions++;
        cell.lastSubscription = m.id;
      }
    }
  }

  productIds(): Array<string | null> {
    return [...this.groups.values()].map((cell) => (typeof cell.labels.product === 'string' ? cell.labels.product : null));
  }

  totalRows(extra: Row = {}): Array<Row & { currency: string; mrr: string; subscriptions: number; customers: number }> {
    return [...this.totals.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([currency, t]) => ({ ...extra, currency, mrr: money(t.mrr, currency), subscriptions: t.subscriptions, customers: t.customers.size }));
  }

  groupRows(names: Map<string, string> | null, extra: Row = {}): Row[] {
    return [...this.groups.values()]
      .sort((a, b) => (a.currency !== b.currency ? (a.currency < b.currency ? -1 : 1) : b.mrr.compare(a.mrr)))
      .map((cell) => ({
        ...extra,
        currency: cell.currency,
        ...cell.labels,
        ...('product' in cell.labels && names ? { product_name: names.get(String(cell.labels.product)) ?? null } : {}),
        mrr: money(cell.mrr, cell.currency),
        subscriptions: cell.subscriptions,
      }));
  }
}

function groupLabels(groupBy: MrrGroup, item: ItemMrr): Row {
  switch (groupBy) {
    case 'product':
      return { product: item.product };
    case 'price':
      return { price: item.price, product: item.product, interval: item.interval, interval_count: item.interval_count };
    case 'plan':
      return { product: item.product, interval: item.interval, interval_count: item.interval_count };
    default:
      return {};
  }
}

/** Stripe's OpenAPI, `test_clock` of GET /v1/subscriptions: without test_clock or customer, test-clock subscriptions are not listed. */
export const TEST_CLOCK_CAVEAT =
  "Test mode: Stripe's subscription list leaves out subscriptions attached to test clocks, so they are not counted (give customer to count one customer's).";

/** get_churn takes no customer: its test-clock caveat cannot point there. */
export const CHURN_TEST_CLOCK_CAVEAT =
  "Test mode: Stripe's subscription list leaves out subscriptions attached to test clocks, so their churn is not counted.";

/** What the key could not read about discounts, and what that does to the figures (`what`: MRR, lost MRR). */
export function discountReadCaveats(unreadable: string[], book: CouponBook, unknownLimits: number, what: string): string[] {
  const out: string[] = [];
  if (unreadable.includes('rak_customer_read')) {
    out.push(`Coupons on customers were not read: the key cannot read Customers (set "Customers" to Read, permission rak_customer_read); ${what} may be overstated by forever coupons on customers.`);
  }
  if (unknownLimits) {
    const why = book === null ? 'the key cannot read Coupons (set "Coupons" to Read, permission rak_coupon_read)' : 'the coupons are no longer listed (deleted)';
    out.push(`${unknownLimits} forever coupons were applied to every item because their product limits could not be read (${why}): ${what} may be understated where a coupon covers only some products.`);
  }
  return out;
}

const money = (value: Fraction, currency: string) => formatMinorUnits(value.round(), currency);

export async function computeMrr(ctx: ToolContext, args: MrrArgs) {
  const now = Math.floor(Date.now() / 1000);
  const timeZone = checkTimeZone(args.timezone);
  const monthEnds = monthEndsOf(args, now, timeZone);
  const current = new MrrTable(args.group_by);
  const history = monthEnds.map(() => new MrrTable(args.group_by));
  const excluded: Record<string, number> = {};
  const count = (what: string, n = 1) => {
    if (n > 0) excluded[what] = (excluded[what] ?? 0) + n;
  };
  let itemsHasMore = 0;
  let unreadDiscounts = 0;
  let unknownLimits = 0;
  const statuses: SubscriptionStatusFilter[] = monthEnds.length > 0 ? EVERY_STATUS : [...MRR_STATUSES];

  const book = await readCouponBook(ctx);
  const read = await readSubscriptions(ctx, { statuses, customer: args.customer }, (subscription: Stripe.Subscription) => {
    if ((MRR_STATUSES as readonly string[]).includes(subscription.status)) {
      const m = subscriptionMrr(subscription, now, book);
      current.add(m);
      count('metered_items', m.metered);
      count('unpriced_items', m.unpriced);
      if (m.itemsHasMore) itemsHasMore++;
      unreadDiscounts += m.unreadDiscounts;
      unknownLimits += m.unknownLimits;
    } else {
      count(`${subscription.status}_subscriptions`);
    }
    if (monthEnds.length === 0) return;
    const interval = paidInterval(subscription);
    monthEnds.forEach((end, i) => {
      if (paidAt(interval, end.at)) history[i]!.add(subscriptionMrr(subscription, end.at, book));
    });
  });
  count('free_subscriptions', current.free);

  let names: Map<string, string> | null = null;
  const caveats: string[] = [];
  if (read.discountedWithoutCoupons !== null) {
    caveats.push(couponsCaveat(read.discountedWithoutCoupons, `current MRR${args.group_by !== 'none' ? ', its groups' : ''}${monthEnds.length ? ', the history' : ''} and the subscription and customer counts`));
  }
  if (args.group_by === 'product' || args.group_by === 'plan' || args.group_by === 'price') {
    // Names only label the rows: a key without Products read still gets the figures, by product id.
    names = await productNames(ctx, [current, ...history].flatMap((table) => table.productIds()));
    if (!names) caveats.push(namesMissingCaveat('rak_product_read'));
  }
  if (itemsHasMore) caveats.push(`${itemsHasMore} subscriptions have more items than Stripe listed; only the listed items are counted.`);
  // Without Coupons every discount is unread: the Coupons caveat above already says so, once.
  if (unreadDiscounts && read.discountedWithoutCoupons === null) caveats.push(`${unreadDiscounts} discounts could not be applied (item-level discounts, coupons not readable, or an amount off with no amount in the subscription's currency): MRR may be overstated by them.`);
  caveats.push(...discountReadCaveats(read.unreadable, book, unknownLimits, 'MRR'));
  if (ctx.mode === 'test' && !args.customer) caveats.push(TEST_CLOCK_CAVEAT);
  if (excluded.unpriced_items) caveats.push(`${excluded.unpriced_items} items on tiered or customer-chosen prices have no unit amount in the listing and are left out.`);

  const grouped = args.group_by !== 'none';
  return {
    object: 'mrr' as const,
    as_of: isoTime(now)!,
    group_by: args.group_by,
    definition: MRR_DEFINITION,
    current: current.totalRows(),
    ...(grouped ? { current_groups: current.groupRows(names) } : {}),
    ...(monthEnds.length > 0
      ? {
          history: monthEnds.flatMap((end, i) => history[i]!.totalRows({ month: end.month, month_end: isoTime(end.at) })),
          ...(grouped ? { history_groups: monthEnds.flatMap((end, i) => history[i]!.groupRows(names, { month: end.month })) } : {}),
          reconstruction: {
            method:
              `Each month-end (the last second of the month in ${timeZone}) counts the subscriptions that had started, were past any trial and had not yet ended or turned unpaid, ` +
              'valued with their current items and the forever discounts in force by then.',
            cannot_know: RECONSTRUCTION_LIMITS,
          },
        }
      : {}),
    excluded,
    caveats,
    scanned: read.scanned,
    filters: { ...(args.customer ? { customer: args.customer } : {}), statuses: statuses.map(statusLabel) },
    amounts: 'MRR figures are exact decimal strings in major units of their currency, per currency; currencies are never added together.',
  };
}
