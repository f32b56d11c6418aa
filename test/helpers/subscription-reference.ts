/**
 * MRR and churn worked out from the emulator's raw dataset, written apart from src/tools/metrics on purpose: a
 * second reading of Stripe's definitions (see /work/shared/stripe/facts.md, "MRR") that the tools must agree with.
 *
 * Figures are kept exact as integers scaled by 1200 (every monthly share in the dataset — yearly ÷ 12, weekly
 * × 52 ÷ 12, daily × 365 ÷ 12, whole-percent coupons — is a whole number of 1/1200ths of a minor unit), and
 * rounded once, halves up, when compared.
 */
import type Stripe from 'stripe';
import type { Dataset } from '../../src/emulator/index.js';

const SCALE = 1200n;
const PER_MONTH_1200: Record<string, bigint> = { month: 1200n, year: 100n, week: 5200n, day: 36500n };

/** Scaled MRR → the minor units a person reads (halves up; MRR is never negative here). */
export const rounded = (scaled: bigint) => (scaled * 2n + SCALE) / (2n * SCALE);

export interface RefItem {
  price: string;
  product: string;
  interval: string;
  scaled: bigint;
}

export interface RefSubscription {
  id: string;
  customer: string;
  currency: string;
  items: RefItem[];
  scaled: bigint;
  metered: number;
}

const ref = (r: string | { id: string }) => (typeof r === 'string' ? r : r.id);

/** The subscription's MRR at `at`, with the forever coupons attached to it (and started) by then. */
export function referenceMrr(ds: Dataset, s: Stripe.Subscription, at: number): RefSubscription {
  const items: RefItem[] = [];
  let metered = 0;
  let periodPer1200 = 1200n;
  for (const item of s.items.data) {
    const recurring = item.price.recurring!;
    if (recurring.usage_type === 'metered') {
      metered++;
      continue;
    }
    const per = PER_MONTH_1200[recurring.interval]!;
    periodPer1200 = per / BigInt(recurring.interval_count);
    items.push({
      price: item.price.id,
      product: ref(item.price.product as string),
      interval: recurring.interval,
      scaled: (BigInt(item.price.unit_amount!) * BigInt(item.quantity ?? 1) * per) / BigInt(recurring.interval_count),
    });
  }
  // Own discounts, or the customer's when there are none (a subscription inherits its customer's discount).
  const own = (s.discounts as unknown as string[]).map((discountId) => ds.discounts.find((d) => d.id === discountId)!);
  const customer = ds.customers.find((c) => c.id === ref(s.customer as string));
  const discounts = own.length > 0 ? own : customer?.discount ? [customer.discount] : [];
  for (const discount of discounts) {
    const coupon = ds.coupons.find((c) => c.id === ref(discount.source.coupon as string))!;
    if (coupon.duration !== 'forever' || discount.start > at || (discount.end !== null && discount.end <= at)) continue;
    const limited = coupon.applies_to?.products ?? [];
    const eligible = limited.length > 0 ? items.filter((i) => limited.includes(i.product)) : items;
    if (coupon.percent_off !== null) {
      for (const i of eligible) i.scaled = (i.scaled * BigInt(100 - coupon.percent_off)) / 100n;
    } else {
      const amount = coupon.currency === s.currency ? coupon.amount_off : coupon.currency_options?.[s.currency]?.amount_off;
      if (amount === undefined || amount === null) continue; // no amount in the subscription's currency: not applied
      // One eligible item in the dataset's amount-off cases: the amount off comes off that item.
      if (eligible.length !== 1) throw new Error('reference: amount-off coupons are only worked out for one item');
      const off = BigInt(amount) * periodPer1200;
      eligible[0]!.scaled = eligible[0]!.scaled > off ? eligible[0]!.scaled - off : 0n;
    }
  }
  return { id: s.id, customer: ref(s.customer as string), currency: s.currency, items, scaled: items.reduce((sum, i) => sum + i.scaled, 0n), metered };
}

/** When the subscription paid, by its dates: after its trial, until it ended or (unpaid) its current period began. */
export function referencePaid(s: Stripe.Subscription): { from: number; until: number | null } | null {
  if (['incomplete', 'incomplete_expired', 'trialing', 'paused'].includes(s.status)) return null;
  const from = s.trial_end !== null && s.trial_end > s.start_date ? s.trial_end : s.start_date;
  let until = s.ended_at;
  if (s.status === 'unpaid') until = s.items.data[0]!.current_period_start;
  if (until !== null && until <= from) return null;
  return { from, until };
}

export interface RefTotals {
  scaled: bigint;
  subscriptions: number;
  customers: Set<string>;
}

/** MRR per currency of the given subscriptions (free ones left out). */
export function totalsByCurrency(subs: RefSubscription[]): Map<string, RefTotals> {
  const out = new Map<string, RefTotals>();
  for (const s of subs) {
    if (s.scaled === 0n) continue;
    const t = out.get(s.currency) ?? { scaled: 0n, subscriptions: 0, customers: new Set<string>() };
    t.scaled += s.scaled;
    t.subscriptions++;
    t.customers.add(s.customer);
    out.set(s.currency, t);
  }
  return out;
}

/** The subscriptions Stripe lists without a customer filter: none attached to a test clock (canceled ones of deleted customers are). */
export const listedSubscriptions = (ds: Dataset) => ds.subscriptions.filter((s) => !s.test_clock);

/** MRR now (by status, as Stripe counts it). */
export function referenceCurrent(ds: Dataset, now: number): RefSubscription[] {
  return listedSubscriptions(ds).filter((s) => s.status === 'active' || s.status === 'past_due').map((s) => referenceMrr(ds, s, now));
}

/** MRR at a past moment, by the subscriptions' dates. */
export function referenceAt(ds: Dataset, at: number): RefSubscription[] {
  return listedSubscriptions(ds)
    .filter((s) => {
      const paid = referencePaid(s);
      return paid !== null && paid.from <= at && (paid.until === null || at < paid.until);
    })
    .map((s) => referenceMrr(ds, s, at));
}

export interface RefChurn {
  subscriptions: { active: number; fresh: number; churned: number };
  customers: { active: number; fresh: number; churned: number };
  lost: Map<string, bigint>;
  churned: string[];
}

/** Churn in [start, end): subscription spans by their dates, customer spans merged where they touch. */
export function referenceChurn(ds: Dataset, start: number, end: number): RefChurn {
  const spans = new Map<string, Array<{ from: number; until: number | null }>>();
  const result: RefChurn = { subscriptions: { active: 0, fresh: 0, churned: 0 }, customers: { active: 0, fresh: 0, churned: 0 }, lost: new Map(), churned: [] };
  const tally = (counts: { active: number; fresh: number; churned: number }, list: Array<{ from: number; until: number | null }>) => {
    if (list.some((p) => p.from < start && (p.until === null || p.until >= start))) counts.active++;
    if (list.some((p) => p.from >= start && p.from < end)) counts.fresh++;
    if (list.some((p) => p.until !== null && p.until >= start && p.until < end)) counts.churned++;
  };
  for (const s of listedSubscriptions(ds)) {
    const paid = referencePaid(s);
    if (!paid) continue;
    const mrr = referenceMrr(ds, s, (paid.until ?? Number.MAX_SAFE_INTEGER) - 1);
    if (mrr.scaled === 0n) continue;
    tally(result.subscriptions, [paid]);
    spans.set(mrr.customer, [...(spans.get(mrr.customer) ?? []), paid]);
    if (paid.until !== null && paid.until >= start && paid.until < end) {
      result.churned.push(s.id);
      result.lost.set(s.currency, (result.lost.get(s.currency) ?? 0n) + mrr.scaled);
    }
  }
  for (const list of spans.values()) {
    const merged: Array<{ from: number; until: number | null }> = [];
    for (const p of [...list].sort((a, b) => a.from - b.from)) {
      const last = merged[merged.length - 1];
      if (last && (last.until === null || p.from <= last.until)) {
        if (last.until !== null && (p.until === null || p.until > last.until)) last.until = p.until;
      } else merged.push({ ...p });
    }
    tally(result.customers, merged);
  }
  return result;
}
