import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Stripe from 'stripe';
import type { Dataset, EmulatorHandle } from '../../src/emulator/index.js';
import { clientFor, ids, newestFirst, start } from './helpers.js';

let handle: EmulatorHandle;
let stripe: Stripe;
let ds: Dataset;

beforeAll(async () => {
  handle = await start();
  stripe = clientFor(handle);
  ds = handle.dataset('test');
});
afterAll(async () => {
  await handle.close();
});

async function failure(p: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  try {
    await p;
  } catch (e) {
    return e as Stripe.errors.StripeError;
  }
  throw new Error('expected the request to fail');
}

/** Follows next_page by hand. */
async function searchAll<T extends { id: string }>(fetch: (page?: string) => Promise<Stripe.ApiSearchResult<T>>): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let page: string | undefined;
  let pages = 0;
  for (;;) {
    const r = await fetch(page);
    pages++;
    expect(r.object).toBe('search_result');
    items.push(...r.data);
    if (!r.has_more) {
      expect(r.next_page).toBeNull();
      return { items, pages };
    }
    expect(typeof r.next_page).toBe('string');
    page = r.next_page as string;
  }
}

describe('search', () => {
  it('exact match is case-insensitive; ~ matches substrings', async () => {
    const c = ds.customers.find((x) => x.email) as Stripe.Customer;
    const r = await stripe.customers.search({ query: `email:'${(c.email as string).toUpperCase()}'` });
    expect(ids(r.data)).toEqual(ids(ds.customers.filter((x) => x.email?.toLowerCase() === c.email?.toLowerCase())));
    const acme = await stripe.customers.search({ query: `name~'acme'` });
    expect(acme.data.map((x) => x.id)).toContain(ds.special.controlCharsCustomer);
    expect(acme.data.find((x) => x.id === ds.special.controlCharsCustomer)?.name).toBe('Acme\u200B Corp\u0007');
  });

  it('comparisons on amounts and timestamps, joined with AND, match an independent filter', async () => {
    const since = ds.now - 120 * 86_400;
    const want = newestFirst(ds.charges.filter((c) => c.amount >= 5000 && c.created > since && c.currency === 'usd'));
    const { items } = await searchAll((page) => stripe.charges.search({ query: `amount>=5000 AND created>${since} AND currency:'usd'`, limit: 25, ...(page ? { page } : {}) }));
    expect(ids(items)).toEqual(ids(want));
    expect(items.length).toBeGreaterThan(25);
  });

  it('negation, OR, metadata and null', async () => {
    const failed = await searchAll((page) => stripe.charges.search({ query: `-status:'succeeded'`, limit: 100, ...(page ? { page } : {}) }));
    expect(ids(failed.items)).toEqual(ids(newestFirst(ds.charges.filter((c) => c.status !== 'succeeded'))));
    const troubled = await searchAll((page) => stripe.subscriptions.search({ query: `status:'past_due' OR status:'unpaid'`, limit: 100, ...(page ? { page } : {}) }));
    expect(ids(troubled.items)).toEqual(ids(newestFirst(ds.subscriptions.filter((s) => s.status === 'past_due' || s.status === 'unpaid'))));
    const meta = await stripe.customers.search({ query: `metadata['crm_id']:'crm_000042'` });
    expect(ids(meta.data)).toEqual([ds.special.controlCharsCustomer]);
    const guests = await searchAll((page) => stripe.charges.search({ query: 'customer:null', limit: 100, ...(page ? { page } : {}) }));
    expect(ids(guests.items)).toEqual(ids(newestFirst(ds.charges.filter((c) => c.customer === null))));
    expect(guests.items.length).toBeGreaterThan(0);
  });

  it('searches invoices by subscription, prices by lookup_key, products by active, payment intents by status', async () => {
    const sub = ds.subscriptions.find((s) => s.status === 'active') as Stripe.Subscription;
    const inv = await stripe.invoices.search({ query: `subscription:'${sub.id}'`, limit: 100 });
    expect(ids(inv.data)).toEqual(ids(newestFirst(ds.invoices.filter((i) => i.parent?.subscription_details?.subscription === sub.id))));
    const price = ds.prices.find((p) => p.lookup_key) as Stripe.Price;
    expect(ids((await stripe.prices.search({ query: `lookup_key:'${price.lookup_key as string}'` })).data)).toEqual([price.id]);
    expect(ids((await stripe.products.search({ query: `active:'false'` })).data)).toEqual(ids(ds.products.filter((p) => !p.active)));
    const rpm = await stripe.paymentIntents.search({ query: `status:'requires_payment_method'`, limit: 100 });
    expect(rpm.data.length).toBeGreaterThan(0);
    expect(rpm.data.every((p) => p.status === 'requires_payment_method' && p.last_payment_error !== null)).toBe(true);
  });

  it('pages with next_page and reports total_count when expanded', async () => {
    const want = newestFirst(ds.invoices.filter((i) => i.status === 'paid' && i.currency === 'eur'));
    const first = await stripe.invoices.search({ query: `status:'paid' AND currency:'eur'`, limit: 40, expand: ['total_count'] });
    expect((first as Stripe.ApiSearchResult<Stripe.Invoice> & { total_count?: number }).total_count).toBe(want.length);
    expect(first.url).toBe('/v1/invoices/search');
    const { items, pages } = await searchAll((page) => stripe.invoices.search({ query: `status:'paid' AND currency:'eur'`, limit: 40, ...(page ? { page } : {}) }));
    expect(ids(items)).toEqual(ids(want));
    expect(new Set(ids(items)).size).toBe(items.length);
    expect(pages).toBe(Math.ceil(want.length / 40));
    const plain = await stripe.invoices.search({ query: `status:'paid'` });
    expect(plain).not.toHaveProperty('total_count');
    // A page token only works with the query that produced it.
    const e = await failure(stripe.invoices.search({ query: `status:'open'`, page: first.next_page as string }));
    expect(e.statusCode).toBe(400);
    expect(e.param).toBe('page');
  });

  it('expands inside search results', async () => {
    const r = await stripe.charges.search({ query: `status:'succeeded' AND -customer:null`, limit: 3, expand: ['data.customer'] });
    for (const c of r.data) expect((c.customer as Stripe.Customer).object).toBe('customer');
  });

  it('answers bad queries with 400 invalid_request_error', async () => {
    const cases: Array<[string | undefined, RegExp]> = [
      [undefined, /^Missing required param: query\.$/],
      [`status:'a' AND status:'b' OR status:'c'`, /AND and OR cannot be combined/],
      [`favourite_colour:'blue'`, /^Field `favourite_colour` is an unsupported search field for resource `customers`/],
      [`name~'ac'`, /at least 3 characters/],
      [`email>5`, /only supported on numeric fields/],
      [`name:acme`, /must be quoted/],
    ];
    for (const [query, re] of cases) {
      const e = await failure(stripe.customers.search((query === undefined ? {} : { query }) as Stripe.CustomerSearchParams));
      expect(e, String(query)).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
      expect(e.statusCode).toBe(400);
      expect(e.message, String(query)).toMatch(re);
    }
    const unknown = await failure(stripe.customers.search({ query: `name:'x'`, created: 5 } as unknown as Stripe.CustomerSearchParams));
    expect(unknown.message).toBe('Received unknown parameter: created');
  });
});
