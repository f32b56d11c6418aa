import type Stripe from 'stripe';
import type { Mode } from '../../stripe/keys.js';
import { dashboardUrl, objectKindOf } from '../../stripe/objects.js';
import { assertMode } from './mode.js';

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
  // An amount as people write it ("49", "49.00", "1,250.50"): minor units for two-decimal currencies, and the whole
  // number as it stands for zero-decimal ones (JPY).
  const amount = /^\d{1,3}(?:,?\d{3})*(?:\.\d{1,2})?$/.test(text) ? text.replace(/,/g, '') : null;
  if (amount) {
    const [whole, fraction = ''] = amount.split('.');
    const cents = BigInt(whole! + fraction.padEnd(2, '0'));
    const amounts = fraction ? [cents] : [cents, BigInt(whole!)];
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
  const kind = objectKindOf(trimmed);
  if (kind && /^[a-z]+_[A-Za-z0-9_]+$/.test(trimmed)) {
    // A search that names an id that does not exist has no results; it is not an error.
    // A 404 our HTTP layer made of an answer that is not Stripe's (answer.ts codes) is not "no such object".
    const object = await kind.retrieve(stripe, trimmed).catch((err: { statusCode?: number; code?: string }) => {
      if (err?.statusCode === 404 && !err.code?.startsWith('stripe_readonly_mcp_')) return null;
      throw err;
    });
    if (!object) return [];
    assertMode([object], { mode, connection });
    return [{ id: object.id, title: kind.title(kind.compact(object)), url: dashboardUrl(object.id, mode) }];
  }
  const pages = await Promise.all(freeTextQueries(trimmed).map(([resource, query]) => SEARCHERS[resource](stripe, query, limit)));
  const hits: FreeTextHit[] = [];
  for (const page of pages) {
    assertMode(page.data, { mode, connection });
    for (const object of page.data) {
      const objectKind = objectKindOf(object.id);
      if (!objectKind) continue;
      hits.push({ id: object.id, title: objectKind.title(objectKind.compact(object)), url: dashboardUrl(object.id, mode) });
    }
  }
  return hits.slice(0, limit);
}
