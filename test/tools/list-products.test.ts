/** list_products: what a person sees when asking "what do we sell?". */
import { beforeAll, describe, expect, it } from 'vitest';
import type Stripe from 'stripe';
import { collectAll, sentTo, useHarness } from '../helpers/harness.js';
import { id, ids, iso, asSent } from '../helpers/expected.js';

const h = useHarness();
let products: Stripe.Product[];
beforeAll(() => {
  products = h.emulator.dataset('test').products;
});

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
      const sent = sentTo(h, '/v1/products', before);
      expect(sent.length).toBeGreaterThan(0);
      expect(sent.every((r) => r.query.active === String(active))).toBe(true);
    }
  });

  it('explains bad input instead of calling Stripe', async () => {
    const before = h.emulator.requests.length;
    const unknown = await h.call('list_products', { name: 'Pro' });
    expect(unknown.isError).toBe(true);
    expect(unknown.text).toMatch(/name/);
    const notBool = await h.call('list_products', { active: 'yes' });
    expect(notBool.isError).toBe(true);
    expect(h.emulator.requests.length).toBe(before);
  });
});
