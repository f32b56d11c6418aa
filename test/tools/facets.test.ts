/**
 * What the list tools group and sum is declared next to each compact projection (src/stripe/compact/*.ts). Here:
 * every group key, money field and date reads the same value the projection shows under that name, on every object
 * of the demo data, so `group_by: ["status"]` counts exactly what the listed objects say.
 */
import { describe, expect, it } from 'vitest';
import { generateDataset, type Dataset } from '../../src/emulator/index.js';
import type { Facets } from '../../src/stripe/compact/facets.js';
import { balanceTransactionFacets, compactBalanceTransaction } from '../../src/stripe/compact/balance-transaction.js';
import { chargeFacets, compactCharge } from '../../src/stripe/compact/charge.js';
import { compactCustomer, customerFacets } from '../../src/stripe/compact/customer.js';
import { compactDispute, disputeFacets } from '../../src/stripe/compact/dispute.js';
import { compactInvoice, invoiceFacets } from '../../src/stripe/compact/invoice.js';
import { compactPaymentIntent, paymentIntentFacets } from '../../src/stripe/compact/payment-intent.js';
import { compactPayout, payoutFacets } from '../../src/stripe/compact/payout.js';
import { compactPrice, priceFacets } from '../../src/stripe/compact/price.js';
import { compactProduct, productFacets } from '../../src/stripe/compact/product.js';
import { compactRefund, refundFacets } from '../../src/stripe/compact/refund.js';
import { compactSubscription, subscriptionFacets } from '../../src/stripe/compact/subscription.js';
import { compactCoupon, couponFacets } from '../../src/stripe/compact/coupon.js';
import { compactEvent, eventFacets } from '../../src/stripe/compact/event.js';
import { compactPromotionCode, promotionCodeFacets } from '../../src/stripe/compact/promotion-code.js';
import { TOOLS } from '../../src/tools/index.js';
import { iso, major } from '../helpers/expected.js';

const ds: Dataset = generateDataset({ seed: 42, anchor: new Date('2026-11-01T00:00:00Z'), mode: 'test' });

/** Where a facet that is not a top-level field of the projection shows in it. */
const NESTED: Record<string, string> = {
  'charge.outcome_type': 'outcome.type',
  'charge.risk_level': 'outcome.risk_level',
  'payment_intent.failure_code': 'last_payment_error.code',
  'payment_intent.decline_code': 'last_payment_error.decline_code',
  'subscription.price': 'items.0.price',
  'subscription.product': 'items.0.product',
  'subscription.interval': 'items.0.interval',
  'subscription.current_period_end': 'items.0.current_period_end',
};

interface Case {
  object: string;
  tool: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  facets: Facets<any>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  compact: (o: any) => Record<string, unknown>;
  objects: unknown[];
}

const CASES: Case[] = [
  { object: 'balance_transaction', tool: 'list_balance_transactions', facets: balanceTransactionFacets, compact: compactBalanceTransaction, objects: ds.balanceTransactions },
  { object: 'charge', tool: 'list_charges', facets: chargeFacets, compact: compactCharge, objects: ds.charges },
  { object: 'customer', tool: 'list_customers', facets: customerFacets, compact: compactCustomer, objects: ds.customers },
  { object: 'dispute', tool: 'list_disputes', facets: disputeFacets, compact: compactDispute, objects: ds.disputes },
  { object: 'invoice', tool: 'list_invoices', facets: invoiceFacets, compact: compactInvoice, objects: ds.invoices },
  { object: 'payment_intent', tool: 'list_payment_intents', facets: paymentIntentFacets, compact: compactPaymentIntent, objects: ds.paymentIntents },
  { object: 'payout', tool: 'list_payouts', facets: payoutFacets, compact: compactPayout, objects: ds.payouts },
  { object: 'price', tool: 'list_prices', facets: priceFacets, compact: compactPrice, objects: ds.prices },
  { object: 'product', tool: 'list_products', facets: productFacets, compact: compactProduct, objects: ds.products },
  { object: 'refund', tool: 'list_refunds', facets: refundFacets, compact: compactRefund, objects: ds.refunds },
  { object: 'subscription', tool: 'list_subscriptions', facets: subscriptionFacets, compact: compactSubscription, objects: ds.subscriptions },
  { object: 'coupon', tool: 'list_coupons', facets: couponFacets, compact: compactCoupon, objects: ds.coupons },
  { object: 'promotion_code', tool: 'list_promotion_codes', facets: promotionCodeFacets, compact: compactPromotionCode, objects: ds.promotionCodes },
  { object: 'event', tool: 'list_events', facets: eventFacets, compact: compactEvent, objects: ds.events },
];

function at(value: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, key) => (v === null || v === undefined ? undefined : (v as Record<string, unknown>)[key]), value) ?? null;
}

describe('group keys, money fields and dates of the list tools', () => {
  it('covers every list tool', () => {
    expect(CASES.map((c) => c.tool).sort()).toEqual(TOOLS.filter((t) => t.name.startsWith('list_')).map((t) => t.name).sort());
  });

  for (const c of CASES) {
    it(`${c.tool}: each reads what the projection shows under its name`, () => {
      expect(c.objects.length, c.object).toBeGreaterThan(0);
      for (const raw of c.objects) {
        const shown = c.compact(raw);
        const currency = c.facets.currency(raw);
        for (const [name, get] of Object.entries(c.facets.groups)) {
          const value = at(shown, NESTED[`${c.object}.${name}`] ?? name);
          expect(get(raw) ?? null, `${c.object}.${name}`).toBe(value === null ? null : String(value));
        }
        for (const [name, get] of Object.entries(c.facets.money)) {
          const amount = get(raw);
          if (c.facets.derived?.[name]) continue; // checked below against the fields it is made of
          expect(amount === null || amount === undefined ? null : major(amount, currency!), `${c.object}.${name}`).toBe(shown[name]);
        }
        for (const [name, get] of Object.entries(c.facets.dates)) {
          expect(iso(get(raw)), `${c.object}.${name}`).toBe(at(shown, NESTED[`${c.object}.${name}`] ?? name));
        }
      }
      for (const sum of c.facets.defaultSums) expect(Object.keys(c.facets.money)).toContain(sum);
      expect(Object.keys(c.facets.dates)[0]).toBe('created');
    });
  }

  it('derives net_of_refunds and total_fees from the fields they are made of', () => {
    for (const charge of ds.charges) expect(chargeFacets.money.net_of_refunds!(charge)).toBe(charge.amount_captured - charge.amount_refunded);
    for (const t of ds.balanceTransactions) {
      expect(balanceTransactionFacets.money.total_fees!(t)).toBe(t.fee + (t.reporting_category === 'fee' ? -t.amount : 0));
    }
  });
});
