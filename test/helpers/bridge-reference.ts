/**
 * The MRR bridge worked out from the emulator's raw dataset, apart from src/tools/metrics on purpose: a second
 * reading of the definitions (Stripe Billing's MRR growth, docs.stripe.com/billing/subscriptions/analytics/glossary)
 * that get_mrr_bridge must agree with. Written another way than the tool: what a subscription billed at moment t
 * is the set of its invoice lines whose period contains t (regular lines, then proration lines), with its current
 * items when none does. MRR per item and coupons as in subscription-reference.ts (integers scaled by 1200).
 */
import type Stripe from 'stripe';
import type { Dataset } from '../../src/emulator/index.js';
import { listedSubscriptions, referenceMrr, referencePaid } from './subscription-reference.js';

const SCALE = 1200n;

/** Scaled (×1200) minor units → minor units, halves away from zero. */
export const roundScaled = (scaled: bigint): bigint => (scaled < 0n ? -roundScaled(-scaled) : (scaled * 2n + SCALE) / (2n * SCALE));

const lineSubscription = (line: Stripe.InvoiceLineItem) => {
  const d = line.parent?.subscription_item_details ?? line.parent?.invoice_item_details;
  return d ? { subscription: d.subscription as string | null, proration: d.proration } : null;
};

/** Each dataset's prices by id and its invoices by subscription (in dataset order), made once: a lookup, not a reading. */
const lookups = new WeakMap<Dataset, { prices: Map<string, Stripe.Price>; invoicesOf: Map<string, Stripe.Invoice[]> }>();

function lookupsOf(ds: Dataset) {
  let found = lookups.get(ds);
  if (!found) {
    const invoicesOf = new Map<string, Stripe.Invoice[]>();
    for (const invoice of ds.invoices) {
      const subscription = invoice.parent?.subscription_details?.subscription;
      if (typeof subscription !== 'string') continue;
      const list = invoicesOf.get(subscription) ?? [];
      list.push(invoice);
      invoicesOf.set(subscription, list);
    }
    found = { prices: new Map(ds.prices.map((p) => [p.id, p])), invoicesOf };
    lookups.set(ds, found);
  }
  return found;
}

/** The items the invoices say subscription `s` billed at `t`; null when no line's period contains t. */
function billedAt(ds: Dataset, s: Stripe.Subscription, t: number): Stripe.SubscriptionItem[] | null {
  const { prices, invoicesOf } = lookupsOf(ds);
  const quantities = new Map<string, number>();
  let covered = false;
  for (const proration of [false, true]) {
    for (const invoice of invoicesOf.get(s.id) ?? []) {
      if (invoice.status === 'void') continue;
      for (const line of invoice.lines.data) {
        const of = lineSubscription(line);
        const priceId = line.pricing?.price_details?.price as string | undefined;
        if (!of || of.proration !== proration || !priceId || !(line.period.start <= t && t < line.period.end)) continue;
        if (prices.get(priceId)?.recurring?.usage_type === 'metered') continue;
        if (!proration) covered = true;
        const q = (line.quantity ?? 1) * (proration && line.amount < 0 ? -1 : 1);
        quantities.set(priceId, (quantities.get(priceId) ?? 0) + q);
      }
    }
  }
  if (!covered) return null;
  return [...quantities].filter(([, q]) => q > 0).map(([id, quantity]) => ({ price: prices.get(id)!, quantity }) as unknown as Stripe.SubscriptionItem);
}

/** Scaled MRR of `s` at `t`, with what its invoices billed then. */
export function referenceBilledMrr(ds: Dataset, s: Stripe.Subscription, t: number): bigint {
  const paid = referencePaid(s);
  if (!paid || t < paid.from || (paid.until !== null && t >= paid.until)) return 0n;
  const billed = t < ds.now ? billedAt(ds, s, t) : null;
  const valued = billed ? ({ ...s, items: { ...s.items, data: billed } } as Stripe.Subscription) : s;
  return referenceMrr(ds, valued, t).scaled;
}

export interface RefBridgeMonth {
  starting: bigint;
  new: bigint;
  expansion: bigint;
  contraction: bigint;
  churned: bigint;
  reactivation: bigint;
  ending: bigint;
  customers: number;
}

/**
 * Per currency, for months [m0, m1, …] given by their month-end moments (moments[0] = the end of the month before):
 * each customer's MRR at both ends of each month, classified.
 */
export function referenceBridge(ds: Dataset, moments: number[], monthStarts: number[]) {
  const byCustomer = new Map<string, { currency: string; values: bigint[]; firstPaid: number }>();
  for (const s of listedSubscriptions(ds)) {
    const paid = referencePaid(s);
    if (!paid) continue;
    const key = `${s.customer as string}/${s.currency}`;
    const c = byCustomer.get(key) ?? { currency: s.currency, values: moments.map(() => 0n), firstPaid: Number.MAX_SAFE_INTEGER };
    moments.forEach((t, i) => (c.values[i]! += referenceBilledMrr(ds, s, t)));
    if (referenceBilledMrr(ds, s, paid.from) > 0n) c.firstPaid = Math.min(c.firstPaid, paid.from);
    byCustomer.set(key, c);
  }
  const months = monthStarts.map(() => new Map<string, RefBridgeMonth>());
  const retention = new Map<string, { start: bigint; end: bigint; capped: bigint }>();
  for (const c of byCustomer.values()) {
    monthStarts.forEach((start, i) => {
      const m = months[i]!.get(c.currency) ?? { starting: 0n, new: 0n, expansion: 0n, contraction: 0n, churned: 0n, reactivation: 0n, ending: 0n, customers: 0 };
      const a = c.values[i]!;
      const b = c.values[i + 1]!;
      m.starting += a;
      m.ending += b;
      if (b > 0n) m.customers++;
      if (a === 0n && b > 0n) (c.firstPaid < start ? (m.reactivation += b) : (m.new += b));
      else if (a > 0n && b === 0n) m.churned += a;
      else if (b > a) m.expansion += b - a;
      else m.contraction += a - b;
      months[i]!.set(c.currency, m);
    });
    const first = c.values[0]!;
    const last = c.values[c.values.length - 1]!;
    if (first === 0n) continue;
    const r = retention.get(c.currency) ?? { start: 0n, end: 0n, capped: 0n };
    r.start += first;
    r.end += last;
    r.capped += last > first ? first : last;
    retention.set(c.currency, r);
  }
  return { months, retention };
}

/** part ÷ whole as a percentage with two decimals, halves up: "108.20%". */
export function referencePercent(part: bigint, whole: bigint): string {
  const hundredths = (part * 10000n * 2n + whole) / (2n * whole);
  return `${hundredths / 100n}.${String(hundredths % 100n).padStart(2, '0')}%`;
}
