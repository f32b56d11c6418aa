/** Products, prices (and the plan objects Stripe embeds beside them) and coupons. */
import type Stripe from 'stripe';
import type { Generator } from './generator.js';
import { BUILDER_IDS, DAY, SEED_EPOCH, dec, idOf } from './util.js';
import type { Cur, IdSource } from './util.js';

interface CatalogProduct {
  key: string;
  name: string;
  description: string;
  active: boolean;
  unitLabel: string | null;
  /** [monthly, yearly] unit amounts per currency; yearly null when not offered. */
  amounts: Partial<Record<Cur, [number, number | null]>>;
}

const CATALOG: CatalogProduct[] = [
  {
    key: 'starter',
    name: 'Starter',
    description: 'For individuals and side projects: 3 projects, community support.',
    active: true,
    unitLabel: null,
    amounts: { usd: [1900, 19000], eur: [1900, 19000], jpy: [3000, 30000] },
  },
  {
    key: 'pro',
    name: 'Pro',
    description: 'For growing teams: unlimited projects, API access, email support.',
    active: true,
    unitLabel: null,
    amounts: { usd: [4900, 49000], eur: [4500, 45000], jpy: [7000, 70000] },
  },
  {
    key: 'team',
    name: 'Team',
    description: 'Per-seat plan with SSO, audit log and priority support.',
    active: true,
    unitLabel: 'seat',
    amounts: { usd: [1500, 15000], eur: [1400, 14000], jpy: [2200, 22000] },
  },
  {
    key: 'basic',
    name: 'Basic (legacy)',
    description: 'Retired plan, kept for grandfathered subscribers.',
    active: false,
    unitLabel: null,
    amounts: { usd: [900, null] },
  },
];

const CURRENCY_NAMES: Record<Cur, string> = { usd: 'USD', eur: 'EUR', jpy: 'JPY', kwd: 'KWD' };

type CouponSpec = Pick<Stripe.Coupon, 'id' | 'name' | 'percent_off' | 'amount_off' | 'currency' | 'duration' | 'duration_in_months'>;

const COUPONS: CouponSpec[] = [
  { id: 'LOYAL20', name: 'Loyalty 20% off', percent_off: 20, amount_off: null, currency: null, duration: 'forever', duration_in_months: null },
  { id: 'NONPROFIT10', name: 'Non-profit $10 off', percent_off: null, amount_off: 1000, currency: 'usd', duration: 'forever', duration_in_months: null },
  { id: 'LAUNCH50', name: 'Launch week 50% off first invoice', percent_off: 50, amount_off: null, currency: null, duration: 'once', duration_in_months: null },
  { id: 'WELCOME3M', name: '25% off for 3 months', percent_off: 25, amount_off: null, currency: null, duration: 'repeating', duration_in_months: 3 },
];

// ---------------------------------------------------------------------------------------------------------------
// Shapes (every field Stripe returns; the caller's fields win)

export function productShape(f: Partial<Stripe.Product> = {}, ids: IdSource = BUILDER_IDS): Stripe.Product {
  const created = f.created ?? SEED_EPOCH;
  return {
    id: f.id ?? ids.shortId('prod_'),
    object: 'product',
    active: true,
    created,
    default_price: null,
    description: null,
    images: [],
    livemode: false,
    marketing_features: [],
    metadata: {},
    name: 'Product',
    package_dimensions: null,
    shippable: null,
    statement_descriptor: null,
    tax_code: null,
    tax_details: null,
    type: 'service',
    unit_label: null,
    updated: created,
    url: null,
    ...f,
  };
}

export type PriceSeed = Omit<Partial<Stripe.Price>, 'recurring' | 'product'> & {
  /** Product id or object (default: a fresh product id). */
  product?: string | Stripe.Product;
  /** Partial recurring block; `interval` defaults to month. null/absent = one-time price. */
  recurring?: Partial<Stripe.Price.Recurring> | null;
};

function recurringOf(r: Partial<Stripe.Price.Recurring> | null | undefined): Stripe.Price.Recurring | null {
  if (!r) return null;
  return { interval: 'month', interval_count: 1, meter: null, trial_period_days: null, usage_type: 'licensed', ...r };
}

export function priceShape(f: PriceSeed = {}, ids: IdSource = BUILDER_IDS): Stripe.Price {
  const { product, recurring, ...rest } = f;
  const r = recurringOf(recurring);
  const unitAmount = f.unit_amount === undefined ? 1000 : f.unit_amount;
  return {
    id: f.id ?? ids.longId('price_'),
    object: 'price',
    active: true,
    billing_scheme: 'per_unit',
    created: SEED_EPOCH,
    currency: 'usd',
    custom_unit_amount: null,
    livemode: false,
    lookup_key: null,
    metadata: {},
    nickname: null,
    product: idOf(product) ?? ids.shortId('prod_'),
    recurring: r,
    tax_behavior: 'exclusive',
    tiers_mode: null,
    transform_quantity: null,
    type: r ? 'recurring' : 'one_time',
    unit_amount: unitAmount,
    unit_amount_decimal: dec(unitAmount ?? 0),
    ...rest,
  };
}

/** The legacy plan object Stripe embeds beside each recurring price on subscription items. */
export function planOf(price: Stripe.Price): Stripe.Plan {
  const r = price.recurring ?? { interval: 'month', interval_count: 1, meter: null, trial_period_days: null, usage_type: 'licensed' };
  return {
    id: price.id,
    object: 'plan',
    active: price.active,
    amount: price.unit_amount,
    amount_decimal: price.unit_amount_decimal,
    billing_scheme: 'per_unit',
    created: price.created,
    currency: price.currency,
    interval: r.interval,
    interval_count: r.interval_count,
    livemode: price.livemode,
    metadata: {},
    meter: r.meter,
    nickname: price.nickname,
    product: price.product as string,
    tiers_mode: null,
    transform_usage: null,
    trial_period_days: null,
    usage_type: r.usage_type,
  };
}

export function couponShape(f: Partial<Stripe.Coupon> = {}, ids: IdSource = BUILDER_IDS): Stripe.Coupon {
  const amountOff = f.amount_off ?? null;
  return {
    // Stripe's generated coupon ids are 8 characters (fixture `Z4OV52SU`); accounts may choose their own.
    id: f.id ?? ids.rng.alnum(8).toUpperCase(),
    object: 'coupon',
    amount_off: amountOff,
    created: SEED_EPOCH,
    currency: amountOff !== null ? 'usd' : null,
    duration: 'forever',
    duration_in_months: null,
    livemode: false,
    max_redemptions: null,
    metadata: {},
    name: null,
    percent_off: amountOff === null ? 10 : null,
    redeem_by: null,
    times_redeemed: 0,
    valid: true,
    ...f,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The generated catalog

export function buildCatalog(g: Generator): void {
  const catalogCreated = g.start - 45 * DAY;
  for (const p of CATALOG) {
    const created = catalogCreated + g.rng.int(0, 5 * DAY);
    const id = g.shortId('prod_');
    const product = productShape({
      id,
      active: p.active,
      created,
      description: p.description,
      livemode: g.livemode,
      metadata: { tier: p.key },
      name: p.name,
      tax_code: 'txcd_10103001',
      unit_label: p.unitLabel,
      updated: p.active ? created + g.rng.int(1, 30) * DAY : g.now - 300 * DAY,
    });
    g.products.push(product);
    g.productByKey.set(p.key, product);
    for (const [cur, pair] of Object.entries(p.amounts) as Array<[Cur, [number, number | null]]>) {
      const [monthly, yearly] = pair;
      const m = makePrice(g, product, p, cur, 'month', monthly, created);
      if (cur === 'usd') product.default_price = m.id;
      if (yearly !== null) makePrice(g, product, p, cur, 'year', yearly, created);
    }
  }
  buildSpecialPrices(g);
  buildCoupons(g, catalogCreated);
}

/** A metered Pro price and a one-time Team price. */
function buildSpecialPrices(g: Generator): void {
  const pro = g.productByKey.get('pro') as Stripe.Product;
  const team = g.productByKey.get('team') as Stripe.Product;
  g.meteredPrice = pushPrice(g, {
    product: pro.id,
    created: pro.created + 20 * DAY,
    currency: 'usd',
    unit_amount: 2,
    nickname: 'Pro API calls (metered, USD)',
    lookup_key: 'pro_api_calls_usd',
    recurring: { interval: 'month', interval_count: 1, meter: `mtr_${g.rng.alnum(24)}`, trial_period_days: null, usage_type: 'metered' },
    active: true,
  });
  g.oneTimePrice = pushPrice(g, {
    product: team.id,
    created: team.created + 3 * DAY,
    currency: 'usd',
    unit_amount: 50000,
    nickname: 'Team onboarding package (one-time)',
    lookup_key: 'team_onboarding_usd',
    recurring: null,
    active: true,
  });
}

function buildCoupons(g: Generator, catalogCreated: number): void {
  for (const c of COUPONS) {
    const coupon = couponShape({ ...c, created: catalogCreated + g.rng.int(1, 20) * DAY, livemode: g.livemode });
    g.coupons.push(coupon);
    g.couponById.set(coupon.id, coupon);
  }
}

function makePrice(g: Generator, product: Stripe.Product, p: CatalogProduct, cur: Cur, interval: 'month' | 'year', amount: number, created: number): Stripe.Price {
  const price = pushPrice(g, {
    product: product.id,
    created: created + g.rng.int(60, 3600),
    currency: cur,
    unit_amount: amount,
    nickname: `${p.name} ${interval === 'month' ? 'monthly' : 'yearly'} (${CURRENCY_NAMES[cur]})`,
    lookup_key: p.active ? `${p.key}_${interval === 'month' ? 'monthly' : 'yearly'}_${cur}` : null,
    recurring: { interval, interval_count: 1, meter: null, trial_period_days: null, usage_type: 'licensed' },
    active: p.active,
  });
  g.priceIndex.set(`${p.key}:${cur}:${interval}`, price);
  return price;
}

function pushPrice(
  g: Generator,
  a: Pick<Stripe.Price, 'created' | 'currency' | 'nickname' | 'lookup_key' | 'recurring' | 'active'> & { product: string; unit_amount: number },
): Stripe.Price {
  const price = priceShape({ id: g.longId('price_'), ...a, livemode: g.livemode });
  g.prices.push(price);
  return price;
}
