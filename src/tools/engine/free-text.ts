import type Stripe from 'stripe';
import type { Mode } from '../../stripe/keys.js';
import { dashboardUrl, kindOfId, kindOfObject } from '../../stripe/objects.js';
import { OBJECT_KINDS } from '../lists/index.js';
import { assertMode } from './mode.js';
import { retrieveIfExists } from './retrieve.js';
import { currencyExponent } from '../../stripe/money.js';

/** One hit as ChatGPT's deep research expects it: id, title, url. */
export interface FreeTextHit {
  id: string;
  title: string;
  url: string | null;
}

/** Stripe Search quotes values in single quotes; a quote or backslash inside is escaped with a backslash. */
function quoted(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

type Searcher = (stripe: Stripe, query: string, limit: number) => Promise<Stripe.ApiSearchResult<{ id: string; livemode?: boolean }>>;

const SEARCHERS = {
  customers: (s, query, limit) => s.customers.search({ query, limit }),
  invoices: (s, query, limit) => s.invoices.search({ query, limit }),
  charges: (s, query, limit) => s.charges.search({ query, limit }),
  payment_intents: (s, query, limit) => s.paymentIntents.search({ query, limit }),
  products: (s, query, limit) => s.products.search({ query, limit }),
} satisfies Record<string, Searcher>;

/** The resources a plain-text query reads, in the order it asks them (search declares their permissions from it). */
export const FREE_TEXT_RESOURCES = Object.keys(SEARCHERS) as Array<keyof typeof SEARCHERS>;

/** Decimals of a currency's major unit that Stripe uses: 0 (JPY), 2 (USD) or 3 (KWD: 1.234 KWD = 1234). */
const EXPONENTS = [0, 2, 3] as const;

/** An amount as people write it ("49", "49.00", "1,250.50", "1.234"), or null when the text is not one. */
const AMOUNT = /^\d{1,3}(?:,?\d{3})*(?:\.\d{1,3})?$/;

/** The text's amount in minor units of a currency with this many decimals; null if it has more decimals than that. */
function minorUnits(text: string, exponent: number): bigint | null {
  const [whole, fraction = ''] = text.replace(/,/g, '').split('.') as [string, string?];
  const significant = fraction.replace(/0+$/, '');
  if (significant.length > exponent) return null;
  return BigInt(whole + significant.padEnd(exponent, '0'));
}

/** Every minor-unit amount the text can mean: "49" is 4900 (USD), 49 (JPY) or 49000 (KWD); "1.234" only 1234 (KWD). */
export function amountCandidates(text: string): bigint[] {
  if (!AMOUNT.test(text)) return [];
  const out = new Set<bigint>();
  for (const exponent of EXPONENTS) {
    const minor = minorUnits(text, exponent);
    if (minor !== null) out.add(minor);
  }
  return [...out];
}

/** Whether a charge or payment intent's amount, read in its own currency, is the amount the text names. */
function amountMatches(object: { amount?: unknown; currency?: unknown }, text: string): boolean {
  if (typeof object.amount !== 'number' || typeof object.currency !== 'string') return false;
  return minorUnits(text, currencyExponent(object.currency)) === BigInt(object.amount);
}

/**
 * The Stripe Search queries that make sense for a bare piece of text: customers by name or email, invoices by
 * number, charges and payment intents by amount, products by name. Substring matches need 3+ characters.
 */
export function freeTextQueries(text: string): Array<[keyof typeof SEARCHERS, string]> {
  const queries: Array<[keyof typeof SEARCHERS, string]> = [];
  const value = quoted(text);
  if (text.length >= 3) {
    queries.push(['customers', `name~${value} OR email~${value}`]);
    queries.push(['products', `name~${value}`]);
  }
  queries.push(['invoices', `number:${value}`]);
  const amounts = amountCandidates(text);
  if (amounts.length > 0) {
    const clause = amounts.map((a) => `amount:${a}`).join(' OR ');
    queries.push(['charges', clause], ['payment_intents', clause]);
  }
  return queries;
}

/**
 * Free-text search across the resources where it makes sense, for clients that send only a `query` (ChatGPT deep
 * research). An id is opened directly. Results keep the order of the resources above, newest first within each.
 */
export async function searchFreeText(stripe: Stripe, mode: Mode, connection: string, text: string, limit: number): Promise<FreeTextHit[]> {
  const trimmed = text.trim();
  const kind = kindOfId(OBJECT_KINDS, trimmed);
  if (kind && /^[a-z]+_[A-Za-z0-9_]+$/.test(trimmed)) {
    // A search that names an id that does not exist has no results; it is not an error.
    const { object } = await retrieveIfExists(() => kind.retrieve(stripe, trimmed));
    if (!object) return [];
    assertMode([object], { mode, connection });
    return [{ id: object.id, title: kind.title(kind.compact(object)), url: dashboardUrl(object.id, mode, kind) }];
  }
  const queries = freeTextQueries(trimmed);
  const pages = await Promise.all(queries.map(([resource, query]) => SEARCHERS[resource](stripe, query, limit)));
  const hits: FreeTextHit[] = [];
  for (const [index, page] of pages.entries()) {
    assertMode(page.data, { mode, connection });
    const byAmount = queries[index]![0] === 'charges' || queries[index]![0] === 'payment_intents';
    for (const object of page.data) {
      // amount:4900 also finds 49.00 JPY; keep the hits whose amount in their own currency is the number asked for.
      if (byAmount && !amountMatches(object as { amount?: unknown; currency?: unknown }, trimmed)) continue;
      const objectKind = kindOfObject(OBJECT_KINDS, object); // by `object`: custom product/price ids carry no prefix
      if (!objectKind) continue;
      hits.push({ id: object.id, title: objectKind.title(objectKind.compact(object)), url: dashboardUrl(object.id, mode, objectKind) });
    }
  }
  return hits.slice(0, limit);
}
