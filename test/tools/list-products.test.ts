/** list_products: what a person sees when asking "what do we sell?". */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Stripe from 'stripe';
import { collectAll, expectDashboardAdvice, startHarness, startRestrictedHarness, type Harness, type RestrictedHarness } from '../helpers/harness.js';
import { id, ids, iso, asSent } from '../helpers/expected.js';

let h: Harness;
let products: Stripe.Product[];
beforeAll(async () => {
  h = await startHarness();
  products = h.emulator.dataset('test').products;
});
afterAll(async () => h?.close());

describe('list_products', () => {
  it('lists every product newest first, with the fields that matter', async () => {
    const all = await collectAll(h, 'list_products');
    expect(ids(all)).toEqual(ids(products));
    expect(products.some((p) => !p.active)).toBe(true); // archived products are listed too when active is omitted
    for (const [i, p] of all.entries()) {
      const raw = products[i]!;
      expect(p).toEqual(asSent({
        id: raw.id,
        name: raw.name,
        description: raw.description,
        active: raw.active,
        default_price: id(raw.default_price),
        type: raw.type ?? null,
        unit_label: raw.unit_label ?? null,
        url: raw.url,
        created: iso(raw.created),
        updated: iso(raw.updated),
        metadata: raw.metadata,
      }));
      expect(p.created).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    }
  });

  it('filters on active both ways, on Stripe\'s side', async () => {
    for (const active of [true, false]) {
      const before = h.emulator.requests.length;
      const got = await collectAll(h, 'list_products', { active });
      const expected = ids(products.filter((p) => p.active === active));
      expect(expected.length).toBeGreaterThan(0);
      expect(ids(got)).toEqual(expected);
      const sent = h.emulator.requests.slice(before).filter((r) => r.path === '/v1/products');
      expect(sent.length).toBeGreaterThan(0);
      expect(sent.every((r) => r.query.active === String(active))).toBe(true);
    }
  });

  it('filters on creation time: after inclusive, before exclusive', async () => {
    const sorted = [...new Set(products.map((p) => p.created))].sort((a, b) => a - b);
    const cut = sorted[Math.floor(sorted.length / 2)]!;
    const after = await collectAll(h, 'list_products', { created_after: cut });
    const before = await collectAll(h, 'list_products', { created_before: cut });
    expect(ids(after)).toEqual(ids(products.filter((p) => p.created >= cut)));
    expect(ids(before)).toEqual(ids(products.filter((p) => p.created < cut)));
    expect(after.length + before.length).toBe(products.length);
    expect(after.length).toBeGreaterThan(0);
    expect(before.length).toBeGreaterThan(0);
    // ISO date-times with an offset mean the same moment.
    const isoAfter = await collectAll(h, 'list_products', { created_after: iso(cut).replace('Z', '+00:00') });
    expect(ids(isoAfter)).toEqual(ids(after));
  });

  it('pages without gaps or duplicates', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 20; i++) {
      const r = await h.call('list_products', { limit: 1, ...(cursor ? { cursor } : {}) });
      expect(r.isError).toBe(false);
      expect(r.structured.count).toBe(r.structured.data.length);
      seen.push(...ids(r.structured.data));
      if (!r.structured.has_more) {
        expect(r.structured.next_cursor).toBeNull();
        break;
      }
      cursor = r.structured.next_cursor;
    }
    expect(seen).toEqual(ids(products));
  });

  it('returns Stripe\'s own objects with detail "full"', async () => {
    const r = await h.call('list_products', { limit: 100, detail: 'full' });
    expect(r.isError).toBe(false);
    expect(r.structured.data).toEqual(JSON.parse(JSON.stringify(products)));
    expect(r.structured.amounts).toMatch(/minor units/);
    expect(r.structured.connection).toBe('demo');
    expect(r.structured.mode).toBe('test');
  });

  it('reads live data only when asked for live mode', async () => {
    const live = h.emulator.dataset('live').products;
    const r = await h.call('list_products', { mode: 'live', limit: 100 });
    expect(r.isError).toBe(false);
    expect(r.structured.mode).toBe('live');
    expect(ids(r.structured.data)).toEqual(ids(live));
    expect(ids(live)).not.toEqual(ids(products));
  });

  it('explains bad input instead of calling Stripe', async () => {
    const before = h.emulator.requests.length;
    const badDate = await h.call('list_products', { created_after: '2026-13-45' });
    expect(badDate.isError).toBe(true);
    expect(badDate.text).toMatch(/created_after.*2026-13-45.*not a real calendar date/);
    const reversed = await h.call('list_products', { created_after: '2026-06-01', created_before: '2026-05-01' });
    expect(reversed.isError).toBe(true);
    expect(reversed.text).toMatch(/created_after .* must be earlier than created_before/);
    const unknown = await h.call('list_products', { name: 'Pro' });
    expect(unknown.isError).toBe(true);
    expect(unknown.text).toMatch(/name/);
    const notBool = await h.call('list_products', { active: 'yes' });
    expect(notBool.isError).toBe(true);
    expect(h.emulator.requests.length).toBe(before);
  });
});

describe('list_products with a restricted key', () => {
  let r: RestrictedHarness;
  beforeAll(async () => {
    r = await startRestrictedHarness(['rak_customer_read', 'rak_price_read']);
  });
  afterAll(async () => r?.close());

  it('tells the user which Dashboard permission to turn on', async () => {
    expectDashboardAdvice(r, await r.call('list_products', {}), 'Products', 'rak_product_read');
  });
});
