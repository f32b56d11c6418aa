import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Stripe from 'stripe';
import type { Dataset, EmulatorHandle } from '../../src/emulator/index.js';
import { allPages, clientFor, ids, newestFirst, start } from './helpers.js';

let handle: EmulatorHandle;
let stripe: Stripe;
let ds: Dataset;

beforeAll(async () => {
  handle = await start({ size: { balanceTransactions: 100_000 } });
  stripe = clientFor(handle);
  ds = handle.dataset('test');
}, 60_000);
afterAll(async () => {
  await handle.close();
});

describe('size knob: 100,000 balance transactions', () => {
  it('generates exactly the requested number, still consistent with the balance', () => {
    expect(ds.balanceTransactions).toHaveLength(100_000);
    const available = new Map<string, number>();
    for (const b of ds.balanceTransactions) if (b.available_on <= ds.now) available.set(b.currency, (available.get(b.currency) ?? 0) + b.net);
    for (const a of ds.balance.available) expect(a.amount).toBe(available.get(a.currency));
    const charges = new Map(ds.charges.map((c) => [c.id, c]));
    const unlinked = ds.balanceTransactions.filter((b) => b.type === 'charge' && charges.get(b.source as string)?.balance_transaction !== b.id);
    expect(unlinked.map((b) => b.id)).toEqual([]);
  });

  it('pages through a created window with exact slices', async () => {
    const sorted = newestFirst(ds.balanceTransactions);
    const hi = (sorted[20_000] as Stripe.BalanceTransaction).created;
    const lo = (sorted[20_750] as Stripe.BalanceTransaction).created;
    const want = sorted.filter((b) => b.created >= lo && b.created < hi);
    const { items, pages } = await allPages((cursor) =>
      stripe.balanceTransactions.list({ created: { gte: lo, lt: hi }, limit: 100, ...(cursor ? { starting_after: cursor } : {}) }),
    );
    expect(ids(items)).toEqual(ids(want));
    expect(pages).toBe(Math.ceil(want.length / 100));
  });

  it('combines an indexed filter with a created window deep in the collection', async () => {
    const charges = newestFirst(ds.balanceTransactions.filter((b) => b.type === 'charge' && b.currency === 'eur'));
    const hi = (charges[5_000] as Stripe.BalanceTransaction).created;
    const lo = (charges[5_300] as Stripe.BalanceTransaction).created;
    const got = await stripe.balanceTransactions
      .list({ type: 'charge', currency: 'eur', created: { gte: lo, lte: hi }, limit: 100 })
      .autoPagingToArray({ limit: 1000 });
    expect(ids(got)).toEqual(ids(charges.filter((b) => b.created >= lo && b.created <= hi)));
  });

  it('answers a run of list requests over the large collection', async () => {
    // 50 sequential pages (two seconds at the test-mode limit the emulator enforces); each request is a binary
    // search plus a short scan, so this stays quick.
    let cursor: string | undefined;
    const seen: string[] = [];
    for (let i = 0; i < 50; i++) {
      const page = await stripe.balanceTransactions.list({ limit: 100, ...(cursor ? { starting_after: cursor } : {}) });
      seen.push(...ids(page.data));
      cursor = page.data[page.data.length - 1]?.id;
    }
    expect(seen).toEqual(ids(newestFirst(ds.balanceTransactions).slice(0, 5_000)));
  }, 60_000);
});
