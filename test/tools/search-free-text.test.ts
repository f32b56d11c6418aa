/** search with only a query (ChatGPT deep research): free text across the resources where it makes sense. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';
import type { Dataset } from '../../src/emulator/types.js';
import { amountCandidates, freeTextQueries } from '../../src/tools/engine/free-text.js';
import { checkSearchQuery } from '../../src/stripe/search-query.js';
import { formatMinorUnits } from '../../src/stripe/money.js';
import { SEED_EPOCH, seed } from '../../src/emulator/index.js';

let h: Harness;
let data: Dataset;
beforeAll(async () => {
  h = await startHarness();
  data = h.emulator.dataset('test');
});
afterAll(async () => h?.close());

/** ChatGPT reads exactly one text item whose JSON has a `results` array of {id, title, url}. */
async function freeText(query: string, extra: Record<string, unknown> = {}) {
  const r = await h.call('search', { query, ...extra });
  expect(r.isError, r.text).toBe(false);
  const body = JSON.parse(r.text);
  expect(Array.isArray(body.results)).toBe(true);
  for (const hit of body.results) {
    expect(Object.keys(hit).sort()).toEqual(['id', 'title', 'url']);
    expect(hit.url).toMatch(/^https:\/\/dashboard\.stripe\.com\/test\//);
  }
  return body.results as Array<{ id: string; title: string; url: string }>;
}

describe('search with a bare query', () => {
  it('finds customers by part of their name or email', async () => {
    const customer = data.customers.find((c) => c.email && c.name && !/[^\x20-\x7e]/.test(c.name))!;
    const local = customer.email!.split('@')[0]!;
    const byEmail = await freeText(local);
    expect(byEmail.map((x) => x.id)).toContain(customer.id);
    const byName = await freeText(customer.name!.split(' ')[0]!.toLowerCase());
    const expected = data.customers.filter((c) => c.name?.toLowerCase().includes(customer.name!.split(' ')[0]!.toLowerCase()));
    expect(byName.filter((x) => x.id.startsWith('cus_')).length).toBe(Math.min(expected.length, 20));
    expect(byEmail.find((x) => x.id === customer.id)!.title).toContain(customer.email!);
  });

  it('finds invoices by number and payments by amount', async () => {
    const invoice = data.invoices.find((i) => i.number)!;
    expect((await freeText(invoice.number!)).map((x) => x.id)).toContain(invoice.id);
    const charge = data.charges.find((c) => c.currency === 'usd' && c.amount % 100 === 0)!;
    const hits = await freeText((charge.amount / 100).toFixed(2));
    expect(hits.map((x) => x.id)).toContain(charge.id);
    expect(hits.map((x) => x.id)).toContain(charge.payment_intent as string);
  });

  it("reads an amount in each currency's decimals: a KWD amount written with three decimals finds its payments", async () => {
    const kwd = data.charges.find((c) => c.currency === 'kwd')!;
    expect(kwd).toBeDefined();
    const text = formatMinorUnits(kwd.amount, 'kwd');
    expect(text).toMatch(/^\d+\.\d{3}$/);
    const hits = await freeText(text);
    expect(hits.map((x) => x.id)).toContain(kwd.id);
    expect(hits.map((x) => x.id)).toContain(kwd.payment_intent as string);
    const sent = h.emulator.requests.filter((r) => r.path === '/v1/charges/search').at(-1)!;
    expect(String(sent.query.query).split(' OR ')).toContain(`amount:${kwd.amount}`);
    // Every payment hit is that amount in its own currency.
    const byId = new Map<string, { amount: number; currency: string }>([...data.charges, ...data.paymentIntents].map((o) => [o.id, o]));
    for (const hit of hits.filter((x) => /^(ch|py|pi)_/.test(x.id))) {
      const o = byId.get(hit.id)!;
      expect(Number(formatMinorUnits(o.amount, o.currency)), hit.id).toBe(Number(text));
    }
    expect(amountCandidates('1.234')).toEqual([1234n]);
    expect(amountCandidates('49')).toEqual([49n, 4900n, 49000n]);
    expect(amountCandidates('1,250.5')).toEqual([125050n, 1250500n]);
    expect(amountCandidates('1.2345')).toEqual([]);
  });

  it('sends only queries Stripe accepts', () => {
    for (const text of ['acme', "o'brien", '49', '1.234', 'INV-0001', 'ab']) {
      for (const [resource, query] of freeTextQueries(text)) expect(() => checkSearchQuery(resource, query), `${resource}: ${query}`).not.toThrow();
    }
  });

  it('opens an id directly, and finds nothing for an id that does not exist', async () => {
    const sub = data.subscriptions[0]!;
    const hits = await freeText(sub.id);
    expect(hits).toEqual([{ id: sub.id, title: expect.stringContaining(sub.id), url: `https://dashboard.stripe.com/test/subscriptions/${sub.id}` }]);
    expect(await freeText('cus_doesnotexist00')).toEqual([]);
  });

  it('treats quotes in the text as text, not query syntax', async () => {
    expect(await freeText("o'brien OR name:'x'")).toBeInstanceOf(Array);
  });

  it('still speaks Stripe\'s query language when a resource is named', async () => {
    const r = await h.call('search', { resource: 'customers', query: `email:'${data.customers[0]!.email}'` });
    expect(r.isError).toBe(false);
    expect(r.structured.data[0].id).toBe(data.customers[0]!.id);
  });
});

describe('search with a bare amount, on hand-written payments', () => {
  let seeded: Harness;
  // 1.230 KWD, and the same minor-unit figure in USD (12.30) and JPY (¥1,230); 1.23 USD.
  const kwd = seed.charge({ amount: 1230, currency: 'kwd', created: SEED_EPOCH + 4 });
  const usdSameFigure = seed.charge({ amount: 1230, currency: 'usd', created: SEED_EPOCH + 3 });
  const jpySameFigure = seed.charge({ amount: 1230, currency: 'jpy', created: SEED_EPOCH + 2 });
  const usdSameAmount = seed.charge({ amount: 123, currency: 'usd', created: SEED_EPOCH + 1 });
  const kwdIntent = seed.paymentIntent({ amount: 1230, currency: 'kwd', created: SEED_EPOCH + 5 });
  beforeAll(async () => {
    seeded = await startHarness({ emulator: { objects: { test: { charges: [kwd, usdSameFigure, jpySameFigure, usdSameAmount], paymentIntents: [kwdIntent] } } } });
  });
  afterAll(async () => seeded?.close());

  it('finds 1.230 KWD (amount 1230) and 1.23 USD, not 12.30 USD or ¥1,230 that share the figure 1230', async () => {
    const r = await seeded.call('search', { query: '1.230' });
    expect(r.isError, r.text).toBe(false);
    const found = (JSON.parse(r.text).results as Array<{ id: string }>).map((x) => x.id);
    expect(found).toEqual([kwd.id, usdSameAmount.id, kwdIntent.id]);
    const sent = seeded.emulator.requests.filter((x) => x.path === '/v1/charges/search').at(-1)!;
    expect(sent.query.query).toBe('amount:123 OR amount:1230');
    const yen = await seeded.call('search', { query: '1,230' });
    expect((JSON.parse(yen.text).results as Array<{ id: string }>).map((x) => x.id)).toEqual([jpySameFigure.id]);
  });
});
