/**
 * get_churn's computation. A subscription churns when it stops bringing in MRR: it ends (canceled) or turns
 * unpaid, after having paid (a subscription canceled in its trial never brought in MRR, so it does not churn).
 * A customer churns when the last of their paying subscriptions does. Stripe's subscriber churn rate:
 * churned in the window ÷ (active at the window's start + new in the window).
 */
import type Stripe from 'stripe';
import { ToolInputError } from '../../stripe/errors.js';
import { formatMinorUnits } from '../../stripe/money.js';
import { isoTime, parseDateInput } from '../../stripe/time.js';
import type { ToolContext } from '../define-tool.js';
import { checkTimeZone, monthStart } from '../engine/buckets.js';
import { expandedCustomerName, namesMissingCaveat, productNames } from '../engine/names.js';
import { Fraction } from './fraction.js';
import { readCouponBook } from './coupons.js';
import { CHURN_TEST_CLOCK_CAVEAT, discountReadCaveats } from './mrr.js';
import { couponsCaveat, EVERY_STATUS, readSubscriptions } from './read.js';
import { paidInterval, subscriptionMrr } from './subscription-mrr.js';

const DAY = 86_400;
/** Churned subscriptions listed one by one in the answer (the counts cover all). */
export const CHURNED_LISTED = 100;

export const CHURN_DEFINITION =
  "Churned: a subscription that stopped bringing in MRR in the window, because it was canceled (its end date) or turned unpaid, after having paid; " +
  'a customer churns when the last of their paying subscriptions does. Lost MRR is what the churned subscriptions brought in just before. ' +
  "Churn rate (Stripe's definition): churned in the window ÷ (active at the window's start + new in the window); Stripe's dashboard uses 30-day windows.";

export const CHURN_LIMITS = [
  'When a subscription turned unpaid: Stripe records no date, so the start of its current billing period stands in for it.',
  "Lost MRR uses each subscription's last items: plan or quantity changes before it churned are not visible.",
  'Discounts removed from a subscription (a canceled one may show none) are not seen: lost MRR may be overstated by forever coupons it had.',
  "Subscriptions of deleted customers are counted (Stripe lists them as canceled); their customer's coupons are gone, so their lost MRR is before any customer-level coupon.",
];

export interface ChurnArgs {
  month?: string | undefined;
  start?: string | number | undefined;
  end?: string | number | undefined;
  timezone: string;
}

interface Interval {
  start: number;
  end: number | null;
}

/** The window [start, end): a month in a time zone, the given dates, or the 30 days up to now. */
export function churnWindow(args: ChurnArgs, now: number): { start: number; end: number; label: string } {
  if (args.month !== undefined) {
    if (args.start !== undefined || args.end !== undefined) throw new ToolInputError('Give either month or start/end, not both.');
    const timeZone = checkTimeZone(args.timezone);
    const [y, m] = args.month.split('-').map(Number) as [number, number];
    return { start: monthStart(y, m, timeZone), end: monthStart(y, m + 1, timeZone), label: `${args.month} (${timeZone})` };
  }
  const end = args.end !== undefined ? parseDateInput(args.end, 'end') : now;
  const start = args.start !== undefined ? parseDateInput(args.start, 'start') : end - 30 * DAY;
  if (start >= end) throw new ToolInputError(`start (${isoTime(start)}) must be earlier than end (${isoTime(end)}).`);
  return { start, end, label: args.start === undefined && args.end === undefined ? 'the last 30 days' : `${isoTime(start)} – ${isoTime(end)}` };
}

/** Merges one customer's paid intervals into the spans they were a subscriber. */
function union(intervals: Interval[]): Interval[] {
  const sorted = [...intervals].sort((a, b) => a.start - b.start);
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && (last.end === null || i.start <= last.end)) {
      if (last.end !== null && (i.end === null || i.end > last.end)) last.end = i.end;
    } else out.push({ ...i });
  }
  return out;
}

/** Counts of one kind (subscriptions or customers) for a window. */
class WindowCounts {
  activeAtStart = 0;
  newInWindow = 0;
  churned = 0;

  constructor(
    private readonly start: number,
    private readonly end: number,
  ) {}

  /** Adds one subscriber's spans; each of the three counts takes it at most once. */
  add(spans: Interval[]): void {
    const { start, end } = this;
    if (spans.some((s) => s.start < start && (s.end === null || s.end >= start))) this.activeAtStart++;
    if (spans.some((s) => s.start >= start && s.start < end)) this.newInWindow++;
    if (spans.some((s) => s.end !== null && s.end >= start && s.end < end)) this.churned++;
  }

  result() {
    const base = this.activeAtStart + this.newInWindow;
    return {
      active_at_start: this.activeAtStart,
      new_in_window: this.newInWindow,
      churned: this.churned,
      churn_rate: base === 0 ? null : Math.round((this.churned / base) * 1e6) / 1e6,
      churn_rate_percent: base === 0 ? null : `${((this.churned * 100) / base).toFixed(2)}%`,
    };
  }
}

export async function computeChurn(ctx: ToolContext, args: ChurnArgs) {
  const now = Math.floor(Date.now() / 1000);
  const window = churnWindow(args, now);
  const subscriptionCounts = new WindowCounts(window.start, window.end);
  const byCustomer = new Map<string, Interval[]>();
  const lost = new Map<string, Fraction>();
  const churned: Array<Record<string, string | number | null | string[]>> = [];
  let churnedTotal = 0;
  let unknownLimits = 0;
  /** Prices listed in `products` because Stripe gave no product for them: not product ids to name. */
  const unproducted = new Set<string>();

  const book = await readCouponBook(ctx);
  const read = await readSubscriptions(ctx, { statuses: EVERY_STATUS }, (subscription: Stripe.Subscription) => {
    const interval = paidInterval(subscription);
    if (!interval) return;
    const mrr = subscriptionMrr(subscription, interval.end !== null ? interval.end - 1 : now, book);
    if (mrr.total.isZero()) return; // free plans never brought in MRR
    subscriptionCounts.add([interval]);
    let spans = byCustomer.get(mrr.customer);
    if (!spans) byCustomer.set(mrr.customer, (spans = []));
    spans.push(interval);
    if (interval.end === null || interval.end < window.start || interval.end >= window.end) return;
    churnedTotal++;
    unknownLimits += mrr.unknownLimits;
    lost.set(mrr.currency, (lost.get(mrr.currency) ?? Fraction.ZERO).add(mrr.total));
    // The customer comes expanded with the subscription when the key may read Customers: named at no cost.
    const named = expandedCustomerName(subscription.customer);
    churned.push({
      subscription: subscription.id,
      customer: mrr.customer,
      ...(named?.name ? { customer_name: named.name } : {}),
      churned_at: isoTime(interval.end),
      currency: mrr.currency,
      mrr: formatMinorUnits(mrr.total.round(), mrr.currency),
      products: [...new Set(mrr.items.map((i) => i.product ?? i.price))],
      how: subscription.status === 'unpaid' ? 'turned unpaid' : 'canceled',
      reason: subscription.cancellation_details?.reason ?? null,
      feedback: subscription.cancellation_details?.feedback ?? null,
    });
    for (const i of mrr.items) if (i.product === null) unproducted.add(i.price);
  });

  const customerCounts = new WindowCounts(window.start, window.end);
  for (const spans of byCustomer.values()) customerCounts.add(union(spans));
  churned.sort((a, b) => String(a.churned_at).localeCompare(String(b.churned_at)));
  // Who, when, how much and what first (a table a person reads keeps them), then how and why.
  const first = churned.slice(0, CHURNED_LISTED);
  const names = await productNames(ctx, first.flatMap((c) => (c.products as string[]).filter((id) => !unproducted.has(id))));
  const listed = first.map(({ how, reason, feedback, ...head }) => ({
    ...head,
    ...(names ? { product_names: (head.products as string[]).map((id) => names.get(id) ?? id) } : {}),
    how,
    reason,
    feedback,
  }));
  const caveats = [
    ...(read.discountedWithoutCoupons !== null ? [couponsCaveat(read.discountedWithoutCoupons, 'lost MRR and the churn counts and rates')] : []),
    ...(read.unreadable.includes('rak_customer_read') ? [namesMissingCaveat('rak_customer_read')] : []),
    ...(names ? [] : [namesMissingCaveat('rak_product_read')]),
  ];
  const days = (window.end - window.start) / DAY;

  return {
    object: 'churn' as const,
    window: { start: isoTime(window.start)!, end: isoTime(window.end)!, days: Math.round(days * 100) / 100, label: window.label },
    definition: CHURN_DEFINITION,
    customers: customerCounts.result(),
    subscriptions: subscriptionCounts.result(),
    lost_mrr: [...lost.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([currency, value]) => ({ currency, mrr: formatMinorUnits(value.round(), currency) })),
    churned_subscriptions: listed,
    churned_listed: Math.min(churnedTotal, CHURNED_LISTED),
    ...(Math.abs(days - 30) > 0.01 ? { note: `Stripe's dashboard computes churn over 30-day windows; this window is ${Math.round(days * 100) / 100} days.` } : {}),
    ...(caveats.length ? { caveats } : {}),
    cannot_know: [...CHURN_LIMITS, ...discountReadCaveats(read.unreadable, book, unknownLimits, 'lost MRR'), ...(ctx.mode === 'test' ? [CHURN_TEST_CLOCK_CAVEAT] : [])],
    scanned: read.scanned,
    amounts: 'Lost MRR per currency, exact decimal strings in major units; currencies are never added together.',
  };
}
