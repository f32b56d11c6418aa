/**
 * get_mrr_bridge's computation: how MRR moved month by month, per currency — starting, new, expansion,
 * contraction, churned, reactivation, ending and net new MRR (Stripe Billing's "MRR growth",
 * docs.stripe.com/billing/subscriptions/analytics/glossary; its "Customer MRR changes" report logs them per
 * customer: docs.stripe.com/billing/subscriptions/view-metrics) — with ARR, ARPU and net and gross revenue
 * retention over the range. Each subscription is valued at each month-end with the items its invoices billed
 * then (billed-items.ts), through the same MRR rules as get_mrr (subscription-mrr.ts).
 */
import type Stripe from 'stripe';
import { ToolInputError } from '../../stripe/errors.js';
import { formatMinorUnits } from '../../stripe/money.js';
import { isoTime } from '../../stripe/time.js';
import type { ToolContext } from '../define-tool.js';
import { checkTimeZone, monthStart } from '../engine/buckets.js';
import { readBillingHistory, type BillingHistory, type ItemState, type LinePrice } from './billed-items.js';
import { readCouponBook, type CouponBook } from './coupons.js';
import { Fraction } from './fraction.js';
import { discountReadCaveats } from './mrr.js';
import { couponsCaveat, EVERY_STATUS, readSubscriptions } from './read.js';
import { paidAt, paidInterval, subscriptionMrr } from './subscription-mrr.js';

export const BRIDGE_DEFINITION =
  "Per customer and currency, month by month, as Stripe Billing's MRR growth (new + reactivation + expansion − churned − contraction): " +
  'starting = MRR at the end of the month before; new = a customer paying at the month\'s end who had no MRR at its start and never paid before; ' +
  'reactivation = the same for a customer who had paid before; expansion / contraction = the rise / fall of a customer paying at both ends; ' +
  "churned = the starting MRR of a customer paying nothing at the month's end (cancelling one of several subscriptions is contraction); ending = starting + new + reactivation + expansion − contraction − churned; net new = ending − starting. " +
  "MRR itself as get_mrr defines it. ARR = ending MRR × 12; ARPU = ending MRR ÷ customers paying at the month's end. " +
  "Retention over the range, of the customers paying at its start: NRR = their MRR at its end ÷ their MRR at its start; GRR = the same with each customer capped at its starting MRR.";

export const BRIDGE_LIMITS = [
  'A plan or quantity change inside a period is dated by its proration lines; one made without prorations shows from the next invoice (and, until that is issued, only in the current figures).',
  'Subscriptions without invoices in the span read are valued with their current items.',
  'Discounts removed earlier are not seen (only those still attached to a subscription, and customer coupons as they are now).',
  "A price no subscription carries any more is valued from its invoice line (unit amount, billing period); a tiered one can't be.",
  'When a subscription turned unpaid: the start of its current billing period stands in; payment-collection pauses are not dated.',
  "Deleted customers' subscriptions and invoices remain and count; their customer-level coupons are gone.",
  'Movements are netted per customer within a month: one who starts and cancels in the same month shows in neither.',
];

/** Stripe's OpenAPI, `test_clock` of GET /v1/subscriptions: without test_clock or customer, test-clock subscriptions are not listed. */
const BRIDGE_TEST_CLOCK_CAVEAT = "Test mode: Stripe's subscription list leaves out subscriptions attached to test clocks, so they are not counted.";

export interface BridgeArgs {
  months: number;
  end_month?: string | undefined;
  timezone: string;
}

interface BridgeMonth {
  month: string;
  start: number;
  /** The moment the month's ending MRR is taken: its last second, or now for the current month. */
  endAt: number;
  complete: boolean;
}

const DAY = 86_400;
/** Invoices read from this long before the range: the one that billed a yearly plan's period may be a year older. */
const INVOICE_LOOKBACK = 400 * DAY;

const monthLabel = (y: number, m: number) => {
  const d = new Date(Date.UTC(y, m - 1, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
};

/** The `months` months up to end_month (default the last complete one); the current month ends now. */
export function bridgeMonths(args: BridgeArgs, now: number, timeZone: string): BridgeMonth[] {
  const local = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' }).format(new Date(now * 1000));
  const [cy, cm] = local.split('-').map(Number) as [number, number];
  const [ey, em] = args.end_month ? (args.end_month.split('-').map(Number) as [number, number]) : [cy, cm - 1];
  if (ey * 12 + em > cy * 12 + cm) throw new ToolInputError(`end_month: ${args.end_month} has not started yet; give the current month (figures to now) or an earlier one.`);
  const out: BridgeMonth[] = [];
  for (let k = args.months - 1; k >= 0; k--) {
    const start = monthStart(ey, em - k, timeZone);
    const next = monthStart(ey, em - k + 1, timeZone);
    const complete = next <= now;
    out.push({ month: monthLabel(ey, em - k), start, endAt: complete ? next - 1 : now, complete });
  }
  return out;
}

/** A price as a subscription item carries it, rebuilt from an invoice line when no subscription carries it any more. */
function priceFromLine(line: LinePrice): Stripe.Price {
  const a = new Date(line.periodStart * 1000);
  const b = new Date(line.periodEnd * 1000);
  const months = (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + b.getUTCMonth() - a.getUTCMonth();
  const days = Math.round((line.periodEnd - line.periodStart) / DAY);
  const recurring =
    months > 0 && Math.abs(days - months * 30.44) <= 3
      ? months % 12 === 0
        ? { interval: 'year' as const, interval_count: months / 12 }
        : { interval: 'month' as const, interval_count: months }
      : days % 7 === 0
        ? { interval: 'week' as const, interval_count: Math.max(1, days / 7) }
        : { interval: 'day' as const, interval_count: Math.max(1, days) };
  return {
    id: line.price,
    object: 'price',
    billing_scheme: 'per_unit',
    currency: line.currency,
    product: line.product,
    unit_amount: null,
    unit_amount_decimal: line.unitAmountDecimal,
    recurring: { ...recurring, usage_type: 'licensed' },
  } as unknown as Stripe.Price;
}

/** Values subscriptions at moments, with the items their invoices billed then. */
class Valuer {
  readonly prices = new Map<string, Stripe.Price>();
  readonly fromLines = new Set<string>();
  readonly fromCurrentItems = new Set<string>();

  constructor(
    private readonly history: BillingHistory,
    private readonly book: CouponBook,
    private readonly now: number,
  ) {}

  private price(id: string): Stripe.Price | null {
    const known = this.prices.get(id);
    if (known) return known;
    const line = this.history.linePrices.get(id);
    if (!line) return null;
    const rebuilt = priceFromLine(line);
    this.prices.set(id, rebuilt);
    this.fromLines.add(id);
    return rebuilt;
  }

  private withItems(subscription: Stripe.Subscription, state: ItemState): Stripe.Subscription {
    const data = [...state].flatMap(([id, quantity]) => {
      const price = this.price(id);
      return price ? [{ id: `${subscription.id}:${id}`, object: 'subscription_item', price, quantity, discounts: [] } as unknown as Stripe.SubscriptionItem] : [];
    });
    return { ...subscription, items: { ...subscription.items, data, has_more: false } };
  }

  /** MRR of the subscription at `at` (zero when it was not paying then); `counted`: say when current items stood in. */
  valueAt(subscription: Stripe.Subscription, at: number, counted = true): Fraction {
    if (!paidAt(paidInterval(subscription), at)) return Fraction.ZERO;
    const state = at >= this.now ? null : this.history.stateAt(subscription.id, at);
    if (!state && at < this.now && counted) this.fromCurrentItems.add(subscription.id);
    return subscriptionMrr(state ? this.withItems(subscription, state) : subscription, at, this.book).total;
  }
}

interface CustomerLine {
  currency: string;
  values: Fraction[];
  /** When the customer first paid in this currency (seconds), from their subscriptions' dates. */
  firstPaid: number;
}

interface MonthTotals {
  starting: Fraction;
  new: Fraction;
  expansion: Fraction;
  contraction: Fraction;
  churned: Fraction;
  reactivation: Fraction;
  ending: Fraction;
  customers: number;
}

const zeroTotals = (): MonthTotals => ({
  starting: Fraction.ZERO,
  new: Fraction.ZERO,
  expansion: Fraction.ZERO,
  contraction: Fraction.ZERO,
  churned: Fraction.ZERO,
  reactivation: Fraction.ZERO,
  ending: Fraction.ZERO,
  customers: 0,
});

/** Adds one customer's move between two month-ends to the month's totals. */
function classify(t: MonthTotals, start: Fraction, end: Fraction, paidBefore: boolean): void {
  t.starting = t.starting.add(start);
  t.ending = t.ending.add(end);
  if (!end.isZero()) t.customers++;
  if (start.isZero() && !end.isZero()) {
    if (paidBefore) t.reactivation = t.reactivation.add(end);
    else t.new = t.new.add(end);
  } else if (!start.isZero() && end.isZero()) t.churned = t.churned.add(start);
  else if (end.compare(start) > 0) t.expansion = t.expansion.add(end.sub(start));
  else if (end.compare(start) < 0) t.contraction = t.contraction.add(start.sub(end));
}

const money = (value: Fraction, currency: string) => formatMinorUnits(value.round(), currency);
const percent = (part: Fraction, whole: Fraction) => `${(Number(part.mul(Fraction.of(10_000)).div(whole).round()) / 100).toFixed(2)}%`;

/** The bridge rows (one per month and currency) and retention (one per currency) from each customer's values. */
function tabulate(customers: Iterable<CustomerLine>, months: BridgeMonth[]) {
  const perMonth = months.map(() => new Map<string, MonthTotals>());
  const retention = new Map<string, { start: Fraction; end: Fraction; capped: Fraction }>();
  const last = months.length;
  for (const c of customers) {
    months.forEach((m, i) => {
      let t = perMonth[i]!.get(c.currency);
      if (!t) perMonth[i]!.set(c.currency, (t = zeroTotals()));
      classify(t, c.values[i]!, c.values[i + 1]!, c.firstPaid < m.start);
    });
    const start = c.values[0]!;
    if (start.isZero()) continue;
    let r = retention.get(c.currency);
    if (!r) retention.set(c.currency, (r = { start: Fraction.ZERO, end: Fraction.ZERO, capped: Fraction.ZERO }));
    const end = c.values[last]!;
    r.start = r.start.add(start);
    r.end = r.end.add(end);
    r.capped = r.capped.add(end.compare(start) > 0 ? start : end);
  }
  const rows = months.flatMap((m, i) =>
    [...perMonth[i]!.entries()]
      .filter(([, t]) => !(t.starting.isZero() && t.ending.isZero()))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([currency, t]) => ({
        month: m.month,
        currency,
        starting_mrr: money(t.starting, currency),
        new: money(t.new, currency),
        expansion: money(t.expansion, currency),
        contraction: money(t.contraction, currency),
        churned: money(t.churned, currency),
        reactivation: money(t.reactivation, currency),
        ending_mrr: money(t.ending, currency),
        net_new_mrr: money(t.ending.sub(t.starting), currency),
        customers: t.customers,
        arr: money(t.ending.mul(Fraction.of(12)), currency),
        arpu: t.customers ? money(t.ending.div(Fraction.of(t.customers)), currency) : money(Fraction.ZERO, currency),
        ...(m.complete ? {} : { to_date: isoTime(m.endAt)! }),
      })),
  );
  const retained = [...retention.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([currency, r]) => ({ currency, starting_mrr: money(r.start, currency), retained_mrr: money(r.end, currency), nrr: percent(r.end, r.start), grr: percent(r.capped, r.start) }));
  return { rows, retained };
}

export async function computeMrrBridge(ctx: ToolContext, args: BridgeArgs) {
  const now = Math.floor(Date.now() / 1000);
  const timeZone = checkTimeZone(args.timezone);
  const months = bridgeMonths(args, now, timeZone);
  const moments = [months[0]!.start - 1, ...months.map((m) => m.endAt)];

  const book = await readCouponBook(ctx);
  const subscriptions: Stripe.Subscription[] = [];
  const prices = new Map<string, Stripe.Price>();
  const read = await readSubscriptions(ctx, { statuses: EVERY_STATUS }, (s) => {
    if (!paidInterval(s)) return; // never paid: no part in any month's MRR
    subscriptions.push(s);
    for (const item of s.items?.data ?? []) if (item.price) prices.set(item.price.id, item.price);
  });
  const metered = (id: string) => prices.get(id)?.recurring?.usage_type === 'metered';
  const history = await readBillingHistory(ctx, moments[0]! - INVOICE_LOOKBACK, metered);
  const valuer = new Valuer(history, book, now);
  for (const [id, price] of prices) valuer.prices.set(id, price);

  const customers = new Map<string, CustomerLine>();
  let unknownLimits = 0;
  for (const s of subscriptions) {
    const values = moments.map((at) => valuer.valueAt(s, at));
    const interval = paidInterval(s)!;
    const customer = typeof s.customer === 'string' ? s.customer : s.customer.id;
    const key = `${customer}\u001f${s.currency}`;
    let line = customers.get(key);
    if (!line) customers.set(key, (line = { currency: s.currency, values: moments.map(() => Fraction.ZERO), firstPaid: Infinity }));
    values.forEach((v, i) => (line.values[i] = line.values[i]!.add(v)));
    // Whether it ever paid (for new vs reactivation), at its first paid moment: often before the invoices read.
    if (!valuer.valueAt(s, interval.start, false).isZero()) line.firstPaid = Math.min(line.firstPaid, interval.start);
    unknownLimits += subscriptionMrr(s, now, book).unknownLimits;
  }
  const { rows, retained } = tabulate(customers.values(), months);
  const last = months[months.length - 1]!;

  const caveats: string[] = [];
  if (read.discountedWithoutCoupons !== null) caveats.push(couponsCaveat(read.discountedWithoutCoupons, 'every MRR figure'));
  caveats.push(...discountReadCaveats(read.unreadable, book, unknownLimits, 'MRR'));
  if (valuer.fromCurrentItems.size) caveats.push(`${valuer.fromCurrentItems.size} subscriptions had no invoice saying what they billed at some month-end; they are valued there with their current items.`);
  if (valuer.fromLines.size) caveats.push(`${valuer.fromLines.size} prices no subscription carries any more are valued from their invoice lines.`);
  if (ctx.mode === 'test') caveats.push(BRIDGE_TEST_CLOCK_CAVEAT);

  return {
    object: 'mrr_bridge' as const,
    range: { start: isoTime(months[0]!.start)!, end: isoTime(last.complete ? last.endAt + 1 : last.endAt)!, timezone: timeZone },
    definition: BRIDGE_DEFINITION,
    months: rows,
    retention: retained,
    cannot_know: BRIDGE_LIMITS,
    caveats,
    scanned: { subscriptions: read.scanned, invoices: history.invoices },
    amounts: "Exact decimal strings in major units, per currency (never converted or added across currencies); each figure is rounded once, so a month's movements may differ from its ending MRR by one minor unit.",
  };
}
