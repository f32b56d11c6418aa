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

  it("accepts Stripe's fields per resource: lower-case and/or, unquoted numbers, card fields, refunded's three states", async () => {
    const all = async <T extends { id: string }>(run: (page?: string) => Promise<Stripe.ApiSearchResult<T>>) => ids((await searchAll(run)).items);
    const card = ds.charges.find((c) => c.payment_method_details?.card?.last4 && c.billing_details?.address?.postal_code) as Stripe.Charge;
    const last4 = card.payment_method_details!.card!.last4 as string;
    expect(await all((page) => stripe.charges.search({ query: `payment_method_details.card.last4:${last4}`, limit: 100, ...(page ? { page } : {}) }))).toEqual(
      ids(newestFirst(ds.charges.filter((c) => c.payment_method_details?.card?.last4 === last4))),
    );
    const postal = card.billing_details.address!.postal_code as string;
    expect(await all((page) => stripe.charges.search({ query: `billing_details.address.postal_code:'${postal}' and currency:'${card.currency}'`, limit: 100, ...(page ? { page } : {}) }))).toEqual(
      ids(newestFirst(ds.charges.filter((c) => c.billing_details?.address?.postal_code?.toLowerCase() === postal.toLowerCase() && c.currency === card.currency))),
    );
    // refunded:'true' = fully refunded, 'false' = partially, null = nothing refunded (docs.stripe.com/search#query-fields-for-charges).
    const full = ds.charges.filter((c) => c.refunded);
    const partial = ds.charges.filter((c) => !c.refunded && c.amount_refunded > 0);
    expect(full.length).toBeGreaterThan(0);
    expect(await all((page) => stripe.charges.search({ query: `refunded:'true'`, limit: 100, ...(page ? { page } : {}) }))).toEqual(ids(newestFirst(full)));
    expect(await all((page) => stripe.charges.search({ query: `refunded:'false'`, limit: 100, ...(page ? { page } : {}) }))).toEqual(ids(newestFirst(partial)));
    expect((await stripe.charges.search({ query: 'refunded:null', limit: 100, expand: ['total_count'] }) as { total_count?: number }).total_count).toBe(
      ds.charges.length - full.length - partial.length,
    );
    expect(await all((page) => stripe.subscriptions.search({ query: `status:'past_due' or status:'unpaid'`, limit: 100, ...(page ? { page } : {}) }))).toEqual(
      ids(newestFirst(ds.subscriptions.filter((s) => s.status === 'past_due' || s.status === 'unpaid'))),
    );
    const invoice = ds.invoices.find((i) => i.number) as Stripe.Invoice;
    expect(ids((await stripe.invoices.search({ query: `number:'${invoice.number as string}' and total>=${invoice.total}` })).data)).toContain(invoice.id);
    const product = ds.products.find((p) => p.description) as Stripe.Product;
    const word = (product.description as string).split(/\s+/).find((w) => w.length >= 4) as string;
    expect(ids((await stripe.products.search({ query: `description~'${word}'`, limit: 100 })).data)).toContain(product.id);
    const price = ds.prices.find((p) => p.type === 'recurring') as Stripe.Price;
    expect(await all((page) => stripe.prices.search({ query: `product:'${price.product as string}' AND type:'recurring'`, limit: 100, ...(page ? { page } : {}) }))).toEqual(
      ids(newestFirst(ds.prices.filter((p) => p.product === price.product && p.type === 'recurring'))),
    );
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

  it("refuses every kind of query Stripe refuses with a 400 and Stripe's message", async () => {
    const unparsable =
      'We were unable to parse your search query. Try using the format `metadata["key"]:"value"` to query for metadata or key:"value" to query for other fields.';
    const clauses = Array.from({ length: 11 }, (_, i) => `metadata['k${i}']:'v'`).join(' AND ');
    const cases: Array<[keyof Pick<Stripe, 'customers' | 'charges' | 'invoices' | 'prices'>, string | undefined, string]> = [
      ['customers', undefined, 'Missing required param: query.'],
      ['customers', `favourite_colour:'blue'`, 'Field `favourite_colour` is an unsupported search field for resource `customers`. See http://stripe.com/docs/search#query-fields-for-customers for a list of supported fields.'],
      ['charges', `currency~'usd'`, 'Field `currency` does not support substring matching (`~`) for resource `charges`.'],
      ['customers', `email>'a'`, 'Field `email` does not support the `>` operator for resource `customers`: only numeric fields support `>`, `<`, `>=` and `<=`.'],
      ['charges', `status:'failed' AND amount>100 OR currency:'usd'`, 'Search queries cannot combine `AND` and `OR`: join all clauses with one of them.'],
      ['customers', clauses, 'Search queries can have at most 10 clauses; this one has 11.'],
      ['customers', `name~'ac'`, "Substring matching (`~`) on `name` needs at least 3 characters, got 'ac'."],
      ['customers', `metadata.crm_id:'x'`, unparsable],
      ['customers', `metadata[crm_id]:'x'`, unparsable],
      ['customers', `name:acme`, unparsable],
      ['invoices', `(status:'open')`, unparsable],
      ['charges', `disputed:'yes'`, `Field \`disputed\` accepts only "true" or "false"; got 'yes'.`],
    ];
    for (const [resource, query, message] of cases) {
      const params = (query === undefined ? {} : { query }) as Stripe.CustomerSearchParams;
      const e = await failure((stripe[resource] as unknown as { search(p: unknown): Promise<unknown> }).search(params));
      expect(e, String(query)).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
      expect(e.statusCode).toBe(400);
      expect((e.raw as { type?: string }).type).toBe('invalid_request_error');
      expect(e.param).toBe('query');
      expect(e.message, String(query)).toBe(message);
    }
    const unknown = await failure(stripe.customers.search({ query: `name:'x'`, created: 5 } as unknown as Stripe.CustomerSearchParams));
    expect(unknown.message).toBe('Received unknown parameter: created');
  });
});
