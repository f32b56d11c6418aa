import { z } from 'zod';
import type Stripe from 'stripe';
import { currencyExponent, money } from '../money.js';
import { isoTime } from '../time.js';
import { idOf, isoDate, metadataSchema, moneyString } from './shared.js';
import { defineFacets, flag } from './facets.js';

export const compactPriceSchema = z.object({
  id: z.string(),
  product: z.string().describe('Product id'),
  active: z.boolean().describe('false = archived: not usable for new purchases'),
  currency: z.string(),
  unit_amount: moneyString
    .nullable()
    .describe('Price per unit in major units; may have more decimals than the currency for sub-cent prices; absent for tiered or customer-chosen prices'),
  type: z.string().describe('one_time or recurring'),
  interval: z.string().nullable().describe('Billing interval (day, week, month, year); absent for one-time prices'),
  interval_count: z.number().int().nullable().describe('Intervals between bills, e.g. 3 with month = quarterly'),
  usage_type: z.string().nullable().describe('licensed (per seat) or metered (usage-based); absent for one-time prices'),
  billing_scheme: z.string().describe('per_unit or tiered'),
  nickname: z.string().nullable(),
  lookup_key: z.string().nullable(),
  tax_behavior: z.string().nullable().describe('inclusive, exclusive or unspecified'),
  created: isoDate,
  metadata: metadataSchema,
});

export type CompactPrice = z.infer<typeof compactPriceSchema>;

/**
 * Stripe's `*_decimal` amounts are decimal strings in minor units with up to 12 decimals (e.g. "0.5" cents).
 * Moves the decimal point by the currency's exponent without going through floats: "0.5" USD → "0.005",
 * "2000" USD → "20.00", "1250" KWD → "1.250", "1234.5" JPY → "1234.5".
 */
export function minorDecimalToMajor(value: string, currency: string): string {
  const match = /^(-)?(\d*)(?:\.(\d*))?$/.exec(value.trim());
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) throw new RangeError(`"${value}" is not a decimal amount`);
  const exponent = currencyExponent(currency);
  const intPart = match[2] ?? '';
  const fracPart = match[3] ?? '';
  const digits = (intPart + fracPart).padStart(exponent + fracPart.length + 1, '0');
  const point = digits.length - fracPart.length - exponent;
  const whole = digits.slice(0, point).replace(/^0+(?=\d)/, '');
  let fraction = digits.slice(point);
  // Keep the currency's own number of decimals; drop only the zeros beyond it.
  while (fraction.length > exponent && fraction.endsWith('0')) fraction = fraction.slice(0, -1);
  const isZero = /^0*$/.test(whole + fraction);
  return `${match[1] && !isZero ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/** unit_amount when Stripe gives one, else unit_amount_decimal (sub-cent prices), else null (tiered, custom). */
export function priceUnitAmount(price: Pick<Stripe.Price, 'unit_amount' | 'unit_amount_decimal' | 'currency'>): string | null {
  if (price.unit_amount !== null && price.unit_amount !== undefined) return money(price.unit_amount, price.currency);
  // The stripe package turns unit_amount_decimal into a Decimal object: String() gives Stripe's decimal string back.
  const decimal = price.unit_amount_decimal as unknown;
  if (decimal === null || decimal === undefined || !price.currency) return null;
  return minorDecimalToMajor(String(decimal), price.currency);
}

export function compactPrice(price: Stripe.Price): CompactPrice {
  return {
    id: price.id,
    product: idOf(price.product)!,
    active: price.active,
    currency: price.currency,
    unit_amount: priceUnitAmount(price),
    type: price.type,
    interval: price.recurring?.interval ?? null,
    interval_count: price.recurring?.interval_count ?? null,
    usage_type: price.recurring?.usage_type ?? null,
    billing_scheme: price.billing_scheme,
    nickname: price.nickname ?? null,
    lookup_key: price.lookup_key ?? null,
    tax_behavior: price.tax_behavior ?? null,
    created: isoTime(price.created)!,
    metadata: price.metadata ?? {},
  };
}

/** What list_prices can group and sum (fields named as above). */
export const priceFacets = defineFacets<Stripe.Price>({
  currency: (p) => p.currency,
  groups: {
    product: (p) => idOf(p.product),
    currency: (p) => p.currency,
    type: (p) => p.type,
    active: (p) => flag(p.active),
    interval: (p) => p.recurring?.interval,
    usage_type: (p) => p.recurring?.usage_type,
    billing_scheme: (p) => p.billing_scheme,
    tax_behavior: (p) => p.tax_behavior,
  },
  money: { unit_amount: (p) => p.unit_amount },
  dates: { created: (p) => p.created },
  defaultSums: [],
});
