import { describe, expect, it } from 'vitest';
import type Stripe from 'stripe';
import { generateDataset } from '../../src/emulator/index.js';
import type { Dataset } from '../../src/emulator/index.js';
import { describeWithShared, sharedFile } from '../helpers/shared.js';

// Its own "now", the one these figures were written against: at 2026-11-01 no live subscription carries a "once"
// discount (which durations are live depends on the day, so a test of them needs a day that has all three).
const ANCHOR = new Date(Date.UTC(2026, 9, 15));

const test = generateDataset({ seed: 42, anchor: ANCHOR, mode: 'test' });
const live = generateDataset({ seed: 42, anchor: ANCHOR, mode: 'live' });
const now = Math.floor(ANCHOR.getTime() / 1000);

const FIXTURES = sharedFile('stripe/fixtures3.json');
function fixtures(): Record<string, Record<string, unknown>> {
  return FIXTURES.json<{ resources: Record<string, Record<string, unknown>> }>().resources;
}

/** The demo customers still listed (customers with metadata demo = true). */
function demoCustomers(d: Dataset): Stripe.Customer[] {
  return d.customers.filter((c) => c.metadata.demo === 'true');
}

function kind(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

describe('determinism', () => {
  it('same seed and anchor give identical JSON; another seed or anchor does not', () => {
    const again = generateDataset({ seed: 42, anchor: ANCHOR, mode: 'test' });
    expect(JSON.stringify(again)).toBe(JSON.stringify(test));
    const other = generateDataset({ seed: 43, anchor: ANCHOR, mode: 'test' });
    expect(other.customers[0]?.id).not.toBe(test.customers[0]?.id);
    const later = generateDataset({ seed: 42, anchor: new Date(ANCHOR.getTime() + 86_400_000), mode: 'test' });
    expect(later.now).toBe(test.now + 86_400);
    expect(JSON.stringify(later)).not.toBe(JSON.stringify(test));
  });

  it('live mode is a different business on the same account, with livemode true everywhere', () => {
    const testIds = new Set(test.customers.map((c) => c.id));
    expect(live.customers.some((c) => testIds.has(c.id))).toBe(false);
    expect(live.account.id).toBe(test.account.id);
    const walk = (v: unknown, want: boolean, path: string): void => {
      if (Array.isArray(v)) v.forEach((x, i) => walk(x, want, `${path}[${i}]`));
      else if (v && typeof v === 'object') {
        for (const [k, x] of Object.entries(v)) {
          if (k === 'livemode') expect(x, path).toBe(want);
          else walk(x, want, `${path}.${k}`);
        }
      }
    };
    const sample = (d: Dataset) => ({
      c: d.customers.slice(0, 20),
      s: d.subscriptions.slice(0, 20),
      i: d.invoices.slice(0, 20),
      ch: d.charges.slice(0, 20),
      pi: d.paymentIntents.slice(0, 20),
      p: d.prices,
      pr: d.products,
      po: d.payouts.slice(0, 5),
      dp: d.disputes,
      b: d.balance,
      co: d.coupons,
    });
    walk(sample(live), true, 'live');
    walk(sample(test), false, 'test');
  });
});

describeWithShared('shapes match Stripe', FIXTURES, () => {
  const fx = fixtures();
  // Keys in the official fixture that the current API version no longer returns.
  const removedFromApi: Record<string, string[]> = {
    invoice: ['subscription'], // since 2025-03-31.basil: parent.subscription_details.subscription
  };
  const collections: Array<[string, Array<Record<string, unknown>>]> = [
    ['customer', test.customers as unknown as Array<Record<string, unknown>>],
    ['charge', test.charges as unknown as Array<Record<string, unknown>>],
    ['invoice', test.invoices as unknown as Array<Record<string, unknown>>],
    ['subscription', test.subscriptions as unknown as Array<Record<string, unknown>>],
    ['payment_intent', test.paymentIntents as unknown as Array<Record<string, unknown>>],
    ['refund', test.refunds as unknown as Array<Record<string, unknown>>],
    ['dispute', test.disputes as unknown as Array<Record<string, unknown>>],
    ['payout', test.payouts as unknown as Array<Record<string, unknown>>],
    ['balance_transaction', test.balanceTransactions as unknown as Array<Record<string, unknown>>],
    ['price', test.prices as unknown as Array<Record<string, unknown>>],
    ['product', test.products as unknown as Array<Record<string, unknown>>],
    ['coupon', test.coupons as unknown as Array<Record<string, unknown>>],
    ['promotion_code', test.promotionCodes as unknown as Array<Record<string, unknown>>],
    ['event', test.events as unknown as Array<Record<string, unknown>>],
    ['discount', test.discounts as unknown as Array<Record<string, unknown>>],
    ['balance', [test.balance as unknown as Record<string, unknown>]],
    ['account', [test.account as unknown as Record<string, unknown>]],
  ];

  it.each(collections)('every %s carries every top-level key of the fixture, with compatible value kinds', (name, objs) => {
    const fixture = fx[name];
    expect(fixture, name).toBeDefined();
    expect(objs.length, name).toBeGreaterThan(0);
    const skip = new Set(removedFromApi[name] ?? []);
    const problems = new Set<string>();
    for (const o of objs) {
      for (const [k, fv] of Object.entries(fixture as Record<string, unknown>)) {
        if (skip.has(k)) continue;
        if (!Object.prototype.hasOwnProperty.call(o, k)) problems.add(`missing ${k}`);
        const ours = o[k];
        if (fv !== null && ours !== null && ours !== undefined && kind(ours) !== kind(fv)) problems.add(`${k}: ${kind(ours)} vs fixture ${kind(fv)}`);
      }
      if (typeof fixture?.object === 'string' && o.object !== fixture.object) problems.add(`object ${String(o.object)}`);
    }
    expect([...problems]).toEqual([]);
  });

  it('nested shapes: subscription items, invoice lines and card details carry the fixture keys', () => {
    const fxSub = fx.subscription as unknown as Stripe.Subscription;
    const fxItemKeys = Object.keys(fxSub.items.data[0] as object);
    const fxInv = fx.invoice as unknown as Stripe.Invoice;
    const fxLineKeys = Object.keys(fxInv.lines.data[0] as object);
    const fxCh = fx.charge as unknown as Stripe.Charge;
    const fxCardKeys = Object.keys(fxCh.payment_method_details?.card as object);
    // Tens of thousands of checks: what is missing is gathered and compared once.
    const missing = new Set<string>();
    const carries = (what: string, o: object | null | undefined, keys: string[]) => {
      for (const k of keys) if (!o || !Object.prototype.hasOwnProperty.call(o, k)) missing.add(`${what}.${k}`);
    };
    for (const s of test.subscriptions) {
      for (const it of s.items.data) {
        // Stripe leaves `quantity` out of items on metered prices.
        carries('item', it, it.price.recurring?.usage_type === 'metered' ? fxItemKeys.filter((k) => k !== 'quantity') : fxItemKeys);
      }
    }
    for (const inv of test.invoices) for (const l of inv.lines.data) carries('line', l, fxLineKeys);
    for (const ch of test.charges.slice(0, 200)) carries('card', ch.payment_method_details?.card, fxCardKeys);
    expect([...missing]).toEqual([]);
  });

  it('ids look like Stripe ids', () => {
    const patterns: Array<[RegExp, string[]]> = [
      [/^cus_[A-Za-z0-9]{14}$/, test.customers.map((c) => c.id)],
      [/^ch_3[A-Za-z0-9]{23}$/, test.charges.map((c) => c.id)],
      [/^pi_3[A-Za-z0-9]{23}$/, test.paymentIntents.map((c) => c.id)],
      [/^in_1[A-Za-z0-9]{23}$/, test.invoices.map((c) => c.id)],
      [/^sub_1[A-Za-z0-9]{23}$/, test.subscriptions.map((c) => c.id)],
      [/^txn_3[A-Za-z0-9]{23}$/, test.balanceTransactions.map((c) => c.id)],
      [/^po_1[A-Za-z0-9]{23}$/, test.payouts.map((c) => c.id)],
      [/^re_3[A-Za-z0-9]{23}$/, test.refunds.map((c) => c.id)],
      [/^dp_1[A-Za-z0-9]{23}$/, test.disputes.map((c) => c.id)],
      // Products and plans may carry ids the account chose: the demo ones are checked in the demo test.
      [/^prod_[A-Za-z0-9]{14}$/, test.products.map((c) => c.id).filter((id) => id !== test.special.customIdProduct)],
      [/^price_1[A-Za-z0-9]{23}$/, test.prices.map((c) => c.id).filter((id) => id !== test.special.customIdPrice)],
      [/^clock_1[A-Za-z0-9]{23}$/, test.testClocks.map((c) => c.id)],
      [/^promo_1[A-Za-z0-9]{23}$/, test.promotionCodes.map((c) => c.id)],
      [/^evt_1[A-Za-z0-9]{23}$/, test.events.map((c) => c.id)],
      [/^acct_1[A-Za-z0-9]{15}$/, [test.account.id]],
    ];
    for (const [re, list] of patterns) for (const id of list) expect(id).toMatch(re);
    const all = [test.customers, test.charges, test.paymentIntents, test.invoices, test.subscriptions, test.balanceTransactions, test.payouts, test.refunds, test.disputes, test.promotionCodes, test.events].flatMap((c) => c.map((o) => o.id));
    expect(new Set(all).size).toBe(all.length);
  });

  it('collections are sorted newest first with deterministic ties', () => {
    for (const coll of [test.customers, test.charges, test.balanceTransactions, test.invoices, test.payouts]) {
      for (let i = 1; i < coll.length; i++) {
        const a = coll[i - 1] as { created: number; id: string };
        const b = coll[i] as { created: number; id: string };
        expect(a.created > b.created || (a.created === b.created && a.id > b.id)).toBe(true);
      }
    }
  });
});

describe('the business', () => {
  it('covers the 18 months before the anchor and nothing after it', () => {
    const start = now - 550 * 86_400;
    for (const coll of [test.customers, test.charges, test.invoices, test.subscriptions, test.paymentIntents, test.refunds, test.disputes, test.payouts, test.balanceTransactions]) {
      for (const o of coll) {
        expect(o.created, o.id).toBeLessThanOrEqual(now);
        expect(o.created).toBeGreaterThan(start - 90 * 86_400);
      }
    }
    expect(Math.min(...test.customers.map((c) => c.created))).toBeLessThan(now - 365 * 86_400);
    // 400 customers of the random business plus the demo customers (the deleted one is not listed).
    expect(test.customers.length).toBe(400 + demoCustomers(test).length);
  });

  it('has a small catalog: 3–4 products (one archived) and USD/EUR/JPY monthly+yearly, metered and one-time prices', () => {
    // Besides the demo product with a custom id (`gold-plan`, see the demo test below).
    const generated = test.products.filter((p) => p.id !== test.special.customIdProduct);
    expect(generated.length).toBe(test.products.length - 1);
    expect(generated.length).toBeGreaterThanOrEqual(3);
    expect(generated.length).toBeLessThanOrEqual(4);
    expect(test.products.filter((p) => !p.active)).toHaveLength(1);
    for (const cur of ['usd', 'eur', 'jpy']) {
      for (const interval of ['month', 'year']) {
        expect(test.prices.some((p) => p.currency === cur && p.recurring?.interval === interval && p.active), `${cur} ${interval}`).toBe(true);
      }
    }
    expect(test.prices.some((p) => p.recurring?.usage_type === 'metered')).toBe(true);
    expect(test.prices.some((p) => p.type === 'one_time')).toBe(true);
    expect(test.prices.filter((p) => p.lookup_key).length).toBeGreaterThan(10);
    for (const p of test.prices.filter((x) => x.currency === 'jpy')) {
      expect(p.unit_amount).toBeGreaterThanOrEqual(1000); // whole yen, not "cents"
      expect(p.unit_amount).toBeLessThan(200_000);
    }
  });

  it('has subscriptions in every status, with quantities, yearly plans and discounts of every duration', () => {
    const statuses = new Set(test.subscriptions.map((s) => s.status));
    for (const s of ['trialing', 'active', 'past_due', 'unpaid', 'canceled', 'incomplete', 'incomplete_expired']) expect(statuses.has(s as Stripe.Subscription.Status), s).toBe(true);
    for (const s of test.subscriptions.filter((x) => x.status === 'canceled')) {
      expect(s.canceled_at).not.toBeNull();
      expect(s.ended_at).not.toBeNull();
      expect(s.cancellation_details?.reason).not.toBeNull();
    }
    expect(test.subscriptions.some((s) => (s.items.data[0]?.quantity ?? 1) > 1)).toBe(true);
    expect(test.subscriptions.some((s) => s.items.data[0]?.price.recurring?.interval === 'year')).toBe(true);
    for (const s of test.subscriptions) {
      for (const it of s.items.data) {
        expect(typeof it.price).toBe('object');
        expect(it.current_period_end).toBeGreaterThan(it.current_period_start);
      }
    }
    const discounts = new Map(test.discounts.map((d) => [d.id, d]));
    const coupons = new Map(test.coupons.map((c) => [c.id, c]));
    const durations = new Set<string>();
    for (const s of test.subscriptions) {
      for (const d of s.discounts) {
        expect(typeof d).toBe('string');
        const disc = discounts.get(d as string);
        expect(disc, `discount ${String(d)}`).toBeDefined();
        const coupon = coupons.get(disc?.source.coupon as string);
        expect(coupon).toBeDefined();
        durations.add(coupon?.duration as string);
      }
    }
    expect([...durations].sort()).toEqual(['forever', 'once', 'repeating']);
  });

  it('bills subscriptions with invoices in every status; the subscription lives at parent.subscription_details', () => {
    const subs = new Map(test.subscriptions.map((s) => [s.id, s]));
    const statuses = new Set(test.invoices.map((i) => i.status));
    for (const s of ['paid', 'open', 'uncollectible', 'void', 'draft']) expect(statuses.has(s as Stripe.Invoice.Status), s).toBe(true);
    expect(new Set(test.invoices.map((i) => i.collection_method))).toEqual(new Set(['charge_automatically', 'send_invoice']));
    for (const inv of test.invoices) {
      expect(inv).not.toHaveProperty('subscription');
      const sub = inv.parent?.subscription_details?.subscription;
      if (inv.billing_reason !== 'manual') expect(subs.has(sub as string), inv.id).toBe(true);
      const discount = (inv.total_discount_amounts ?? []).reduce((s, d) => s + d.amount, 0);
      expect(inv.total).toBe(inv.subtotal - discount);
      expect(inv.subtotal).toBe(inv.lines.data.reduce((s, l) => s + l.amount, 0));
      if (inv.status === 'paid') expect(inv.amount_paid).toBe(inv.amount_due);
      if (inv.collection_method === 'send_invoice' && inv.status !== 'draft') expect(inv.due_date).not.toBeNull();
      if (inv.status !== 'draft') expect(inv.number).toMatch(/^[0-9A-F]{8}-\d{4}$/);
    }
    // The forever coupon keeps discounting every invoice of its subscription.
    const foreverCustomer = test.special.foreverDiscountCustomer;
    const invs = test.invoices.filter((i) => i.customer === foreverCustomer && i.amount_due > 0);
    expect(invs.length).toBeGreaterThan(3);
    for (const i of invs) expect((i.total_discount_amounts ?? []).length).toBe(1);
  });

  it('records failed payment attempts as Stripe does', () => {
    const pis = new Map(test.paymentIntents.map((p) => [p.id, p]));
    const failed = test.charges.filter((c) => c.status === 'failed');
    expect(failed.length).toBeGreaterThan(20);
    const reasons = new Set<string>();
    for (const ch of failed) {
      expect(ch.failure_code).not.toBeNull();
      expect(ch.failure_message).not.toBeNull();
      expect(ch.outcome?.network_status).toBe('declined_by_network');
      expect(ch.balance_transaction).toBeNull();
      expect(ch.paid).toBe(false);
      reasons.add(ch.failure_code === 'card_declined' ? `card_declined/${ch.outcome?.reason}` : (ch.failure_code as string));
      const pi = pis.get(ch.payment_intent as string);
      if (pi?.latest_charge === ch.id) {
        // A voided invoice cancels its payment intent; otherwise the intent waits for a new payment method.
        expect(['requires_payment_method', 'canceled']).toContain(pi.status);
        expect(pi.last_payment_error?.charge).toBe(ch.id);
        expect(pi.last_payment_error?.code).toBe(ch.failure_code);
      }
    }
    for (const r of ['card_declined/insufficient_funds', 'card_declined/do_not_honor', 'card_declined/lost_card', 'expired_card', 'incorrect_cvc', 'processing_error']) {
      expect(reasons.has(r), r).toBe(true);
    }
    expect(test.paymentIntents.some((p) => p.status === 'requires_payment_method' && p.last_payment_error !== null)).toBe(true);
    // One-off payments: payment intents with no invoice payment behind them.
    const invoiced = new Set(test.invoicePayments.map((p) => p.payment.payment_intent as string));
    expect(test.paymentIntents.filter((p) => !invoiced.has(p.id)).length).toBeGreaterThan(50);
  });

  it('keeps charges, refunds, disputes and balance transactions consistent', () => {
    const bts = new Map(test.balanceTransactions.map((b) => [b.id, b]));
    const refundsByCharge = new Map<string, number>();
    for (const r of test.refunds) {
      refundsByCharge.set(r.charge as string, (refundsByCharge.get(r.charge as string) ?? 0) + r.amount);
      const bt = bts.get(r.balance_transaction as string);
      expect(bt?.type).toBe('refund');
      expect(bt?.amount).toBeLessThan(0);
      expect(bt?.source).toBe(r.id);
    }
    let full = 0;
    let partial = 0;
    for (const ch of test.charges) {
      expect(ch.amount_refunded).toBe(refundsByCharge.get(ch.id) ?? 0);
      expect(ch.refunded).toBe(ch.amount_refunded === ch.amount && ch.amount > 0);
      if (ch.refunded) full++;
      else if (ch.amount_refunded > 0) partial++;
      if (ch.status === 'succeeded') {
        const bt = bts.get(ch.balance_transaction as string);
        expect(bt?.source).toBe(ch.id);
        expect(bt?.type).toBe('charge');
        expect(bt?.net).toBe((bt?.amount ?? 0) - (bt?.fee ?? 0));
        expect(bt?.fee_details.reduce((s, f) => s + f.amount, 0)).toBe(bt?.fee);
        expect(bt?.reporting_category).toBe('charge');
      }
    }
    expect(full).toBeGreaterThan(0);
    expect(partial).toBeGreaterThan(0);
    const disputedCharges = new Set(test.disputes.map((d) => d.charge as string));
    for (const ch of test.charges) expect(ch.disputed).toBe(disputedCharges.has(ch.id));
    expect(new Set(test.disputes.map((d) => d.status))).toEqual(new Set(['warning_needs_response', 'needs_response', 'under_review', 'won', 'lost']));
    for (const d of test.disputes) for (const bt of d.balance_transactions) expect(bts.get(bt.id)?.source).toBe(d.id);
    expect(new Set(test.payouts.map((p) => p.status))).toEqual(new Set(['paid', 'pending', 'in_transit', 'failed', 'canceled']));
    for (const p of test.payouts) {
      const bt = bts.get(p.balance_transaction as string);
      expect(bt?.type).toBe('payout');
      expect(bt?.amount).toBe(-p.amount);
      expect(p.arrival_date).toBeGreaterThan(p.created);
    }
    const types = new Set(test.balanceTransactions.map((b) => b.type));
    for (const t of ['charge', 'refund', 'adjustment', 'payout', 'stripe_fee']) expect(types.has(t as Stripe.BalanceTransaction.Type), t).toBe(true);
  });

  it('balance = Σ net of balance transactions, available or pending by available_on', () => {
    const sums: Record<string, { available: number; pending: number }> = {};
    for (const b of test.balanceTransactions) {
      const s = (sums[b.currency] ??= { available: 0, pending: 0 });
      if (b.available_on <= now) s.available += b.net;
      else s.pending += b.net;
      expect(b.status).toBe(b.available_on <= now ? 'available' : 'pending');
    }
    expect(Object.keys(sums).sort()).toEqual(['eur', 'usd']);
    for (const a of test.balance.available) expect(a.amount, a.currency).toBe(sums[a.currency]?.available);
    for (const p of test.balance.pending) expect(p.amount, p.currency).toBe(sums[p.currency]?.pending);
    expect(test.balance.connect_reserved?.length).toBeGreaterThan(0);
    expect(test.balance.instant_available?.length).toBeGreaterThan(0);
  });

  it('has money in zero- and three-decimal currencies, settled in USD with an exchange rate', () => {
    const jpy = test.charges.filter((c) => c.currency === 'jpy' && c.status === 'succeeded');
    expect(jpy.length).toBeGreaterThanOrEqual(3);
    const kwdCustomer = test.customers.find((c) => c.id === test.special.kwdCustomer);
    expect(kwdCustomer?.currency).toBe('kwd');
    const kwd = test.charges.filter((c) => c.currency === 'kwd');
    expect(kwd.length).toBeGreaterThanOrEqual(1);
    expect(kwd.every((c) => c.customer === kwdCustomer?.id)).toBe(true);
    // Amounts that need the third decimal to read right (45.250, not a whole number of hundredths).
    expect(kwd.some((c) => c.amount % 100 !== 0)).toBe(true);
    const bts = new Map(test.balanceTransactions.map((b) => [b.id, b]));
    for (const c of [...jpy, ...kwd.filter((x) => x.status === 'succeeded')]) {
      const bt = bts.get(c.balance_transaction as string);
      expect(bt?.currency).toBe('usd');
      expect(bt?.exchange_rate).toBeGreaterThan(0);
    }
    const jpyCustomer = test.customers.find((c) => c.id === test.special.jpyCustomer);
    expect(jpyCustomer?.currency).toBe('jpy');
    expect(test.subscriptions.some((s) => s.customer === jpyCustomer?.id && s.currency === 'jpy')).toBe(true);
  });

  it('has only amounts Stripe accepts: three-decimal currencies end in 0', () => {
    // https://docs.stripe.com/currencies#three-decimal: "these API calls require the least-significant (last)
    // digit to be 0". Walks every object of both modes; any integer money field of an object in BHD, JOD, KWD,
    // OMR or TND counts.
    const threeDecimal = new Set(['bhd', 'jod', 'kwd', 'omr', 'tnd']);
    const moneyKey = /^(amount|amount_[a-z_]+|unit_amount|total|subtotal|subtotal_excluding_tax|total_excluding_tax|maximum_amount_capturable)$/;
    let checked = 0;
    const bad: string[] = [];
    const walk = (v: unknown, path: string): void => {
      if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`));
      else if (v && typeof v === 'object') {
        const o = v as Record<string, unknown>;
        const inThreeDecimal = typeof o.currency === 'string' && threeDecimal.has(o.currency);
        for (const [k, x] of Object.entries(o)) {
          if (inThreeDecimal && typeof x === 'number' && moneyKey.test(k)) {
            checked++;
            if (x % 10 !== 0) bad.push(`${path}.${k} = ${x}`);
          }
          // A charge's card block carries amounts in the charge's currency.
          if (k === 'payment_method_details' && inThreeDecimal && x && typeof x === 'object') walk({ ...(x as object), currency: o.currency }, `${path}.${k}`);
          else walk(x, `${path}.${k}`);
        }
      }
    };
    for (const d of [test, live]) walk(d, d.mode);
    expect(checked).toBeGreaterThan(20);
    expect(bad).toEqual([]);
  });

  it('has demo objects for what real accounts have: custom ids, customer coupons, applies_to, EUR amount off, test clocks, a deleted customer', () => {
    for (const d of [test, live]) {
      const sp = d.special;
      // Custom ids on a product and a plan (= price), as Stripe allows (POST /v1/products and /v1/plans take `id`).
      const gold = d.products.find((p) => p.id === 'gold-plan');
      expect(sp.customIdProduct).toBe('gold-plan');
      expect(gold?.default_price).toBe('gold-monthly');
      const goldPrice = d.prices.find((p) => p.id === 'gold-monthly');
      expect(goldPrice).toMatchObject({ product: 'gold-plan', unit_amount: 9900, currency: 'usd', type: 'recurring' });
      const coupons = new Map(d.coupons.map((c) => [c.id, c]));
      const discounts = new Map(d.discounts.map((x) => [x.id, x]));
      const subsOf = (customer: string) => d.subscriptions.filter((s) => s.customer === customer);
      const latestInvoice = (s: Stripe.Subscription) => d.invoices.find((i) => i.id === s.latest_invoice) as Stripe.Invoice;

      // A forever coupon on the customer, none on the subscription; the invoices carry it.
      const partner = d.customers.find((c) => c.id === sp.customerDiscountCustomer) as Stripe.Customer;
      expect(partner.discount?.source.coupon).toBe('PARTNER15');
      expect(partner.discount?.subscription).toBeNull();
      expect(coupons.get('PARTNER15')).toMatchObject({ duration: 'forever', percent_off: 15 });
      const [goldSub] = subsOf(partner.id);
      expect(goldSub).toMatchObject({ status: 'active', discounts: [] });
      expect(goldSub?.items.data.map((i) => [i.price.id, i.plan.id, i.quantity])).toEqual([['gold-monthly', 'gold-monthly', 1]]);
      expect([latestInvoice(goldSub as Stripe.Subscription).subtotal, latestInvoice(goldSub as Stripe.Subscription).total]).toEqual([9900, 8415]);

      // A coupon limited to the Team product: only the Team line is discounted.
      const [lattice] = subsOf(sp.appliesToCustomer);
      const seats = coupons.get(discounts.get(lattice?.discounts[0] as unknown as string)?.source.coupon as string);
      expect(seats).toMatchObject({ id: 'TEAMSEATS25', duration: 'forever', percent_off: 25 });
      const teamProduct = d.products.find((p) => p.name === 'Team')?.id;
      expect(seats?.applies_to?.products).toEqual([teamProduct]);
      expect(lattice?.items.data.map((i) => [i.price.product, i.price.unit_amount, i.quantity])).toEqual([
        [teamProduct, 1500, 5],
        [d.products.find((p) => p.name === 'Pro')?.id, 4900, 1],
      ]);
      const inv = latestInvoice(lattice as Stripe.Subscription);
      expect(inv.lines.data.map((l) => [l.amount, l.discount_amounts?.[0]?.amount ?? 0])).toEqual([
        [7500, 1875],
        [4900, 0],
      ]);
      expect(inv.total).toBe(10525);

      // An amount-off coupon in EUR on a EUR subscription.
      const [kaffee] = subsOf(sp.amountOffEurCustomer);
      const euro = coupons.get(discounts.get(kaffee?.discounts[0] as unknown as string)?.source.coupon as string);
      expect(euro).toMatchObject({ id: 'EURO5OFF', amount_off: 500, currency: 'eur', duration: 'forever' });
      expect([kaffee?.currency, latestInvoice(kaffee as Stripe.Subscription).total]).toEqual(['eur', 4000]);

      // A deleted customer: gone from customers, its canceled subscription (and charges) remain.
      expect(d.customers.some((c) => c.id === sp.deletedCustomer)).toBe(false);
      expect(subsOf(sp.deletedCustomer).map((s) => s.status)).toEqual(['canceled']);
      expect(d.charges.some((c) => c.customer === sp.deletedCustomer)).toBe(true);
    }
    // Test clocks exist only in test mode.
    expect(live.testClocks).toEqual([]);
    expect([live.special.testClock, live.special.testClockCustomer]).toEqual(['', '']);
    const clock = test.testClocks[0] as Stripe.TestHelpers.TestClock;
    expect(test.special.testClock).toBe(clock.id);
    const onClock = (o: { test_clock?: unknown }) => o.test_clock === clock.id;
    expect(test.customers.filter(onClock).map((c) => c.id)).toEqual([test.special.testClockCustomer]);
    expect(test.subscriptions.filter(onClock).map((s) => [s.id, s.status])).toEqual([[test.special.testClockSubscription, 'trialing']]);
    expect(test.invoices.filter(onClock).map((i) => i.customer)).toEqual([test.special.testClockCustomer]);
    for (const c of [...test.customers, ...test.subscriptions, ...test.invoices]) if (c.test_clock !== null) expect(c.test_clock).toBe(clock.id);
  });

  it('adds the demo objects only to a business of 100 customers or more: ten subscriptions in test mode', () => {
    const small = generateDataset({ seed: 42, anchor: ANCHOR, mode: 'test', size: { customers: 99 } });
    expect(small.products.some((p) => p.id === 'gold-plan')).toBe(false);
    expect(small.testClocks).toEqual([]);
    expect(small.special.customIdProduct).toBe('');
    expect(demoCustomers(small)).toEqual([]);
    const demoIds = new Set([...demoCustomers(test).map((c) => c.id), test.special.deletedCustomer]);
    const randomSubs = test.subscriptions.filter((s) => !demoIds.has(s.customer as string));
    expect(randomSubs.length).toBe(test.subscriptions.length - 10);
  });

  it('bills upgrades, prorated seat changes and a reactivation as Stripe does', () => {
    const subsOf = (customer: string) => test.subscriptions.filter((s) => s.customer === customer);
    const linesOf = (s: Stripe.Subscription) =>
      test.invoices
        .filter((i) => i.parent?.subscription_details?.subscription === s.id)
        .sort((a, b) => a.created - b.created)
        .map((i) => i.lines.data.map((l) => ({ price: l.pricing?.price_details?.price, quantity: l.quantity, amount: l.amount, proration: (l.parent?.subscription_item_details ?? l.parent?.invoice_item_details)?.proration })));
    // Upgrade at a renewal: Starter on the first four invoices, Pro from the fifth; the subscription shows only Pro.
    const [up] = subsOf(test.special.upgradeCustomer) as [Stripe.Subscription];
    const pro = up.items.data[0]!.price;
    expect(pro.unit_amount).toBe(4900); // Pro, USD 49.00 a month
    const billed = linesOf(up).map((lines) => lines[0]!.price);
    expect(billed.slice(0, 4).every((p) => p !== pro.id)).toBe(true);
    expect(billed.slice(4).every((p) => p === pro.id)).toBe(true);
    // Seats 10 → 6 inside the fourth period: the fifth invoice credits 10 seats and charges 6 for the rest of it.
    const [down] = subsOf(test.special.downgradeCustomer) as [Stripe.Subscription];
    const fifth = linesOf(down)[4]!;
    expect(fifth.filter((l) => l.proration).map((l) => [l.quantity, Math.sign(l.amount)])).toEqual([[10, -1], [6, 1]]);
    expect(fifth.filter((l) => !l.proration).map((l) => l.quantity)).toEqual([6]);
    expect(down.items.data[0]!.quantity).toBe(6);
    // A reactivation: a canceled subscription, then a new one started after it ended.
    const [first, second] = subsOf(test.special.reactivatedCustomer).sort((a, b) => a.start_date - b.start_date) as [Stripe.Subscription, Stripe.Subscription];
    expect(first.status).toBe('canceled');
    expect(second.start_date).toBeGreaterThan(first.ended_at!);
  });

  it('includes hostile text as data', () => {
    const acme = test.customers.find((c) => c.id === test.special.controlCharsCustomer);
    expect(acme?.name).toBe('Acme\u200B Corp\u0007');
    const globex = test.customers.find((c) => c.id === test.special.injectionCustomer);
    expect(globex?.description).toMatch(/^Ignore previous instructions/);
  });

  it('can be small', () => {
    const small = generateDataset({ seed: 7, anchor: ANCHOR, mode: 'test', size: { customers: 20 } });
    expect(small.customers).toHaveLength(20);
    expect(small.charges.length).toBeGreaterThan(10);
  });
});
