/**
 * What the list tools group and sum is declared next to each compact projection (src/stripe/compact/*.ts). Here:
 * every group key, money field and date reads the same value the projection shows under that name, on every object
 * of the demo data, so `group_by: ["status"]` counts exactly what the listed objects say.
 */
import { describe, expect, it } from 'vitest';
import { generateDataset, type Dataset } from '../../src/emulator/index.js';
import type { Facets } from '../../src/stripe/compact/facets.js';
import { chargeFacets } from '../../src/stripe/compact/charge.js';
import { balanceTransactionFacets } from '../../src/stripe/compact/balance-transaction.js';
import { RESOURCES } from '../../src/emulator/resources.js';
import { LIST_TOOLS, OBJECT_KINDS } from '../../src/tools/lists/index.js';
import { TOOLS } from '../../src/tools/index.js';
import { iso, major } from '../helpers/expected.js';

const ds: Dataset = generateDataset({ seed: 42, anchor: new Date('2026-11-01T00:00:00Z'), mode: 'test' });

/** Where a facet that is not a top-level field of the projection shows in it. */
const NESTED: Record<string, string> = {
  'charge.outcome_type': 'outcome.type',
  'charge.risk_level': 'outcome.risk_level',
  'payment_intent.failure_code': 'last_payment_error.code',
  'payment_intent.decline_code': 'last_payment_error.decline_code',
  'subscription.price': 'items.0.price',
  'subscription.product': 'items.0.product',
  'subscription.interval': 'items.0.interval',
  'subscription.current_period_end': 'items.0.current_period_end',
};

interface Case {
  object: string;
  tool: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  facets: Facets<any>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  compact: (o: any) => Record<string, unknown>;
  objects: unknown[];
}

/**
 * One case per declared object kind: its projection (the declaration's compact), its facets (the `…Facets` export
 * of the projection's file, src/stripe/compact/<object>.ts) and the emulator's objects of that kind.
 */
const CASES: Case[] = await Promise.all(
  OBJECT_KINDS.map(async (kind) => {
    const file = new URL(`../../src/stripe/compact/${kind.object.replace(/_/g, '-')}.ts`, import.meta.url).href;
    const module = (await import(/* @vite-ignore */ file)) as Record<string, unknown>;
    const facets = Object.entries(module).find(([name]) => name.endsWith('Facets'))?.[1] as Facets<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const collection = RESOURCES.find((r) => r.objectName === kind.object)!.collection;
    const tool = LIST_TOOLS.find((t) => t.returns?.object === kind.object)!.name;
    return { object: kind.object, tool, facets, compact: kind.compact, objects: ds[collection] as unknown[] };
  }),
);

function at(value: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, key) => (v === null || v === undefined ? undefined : (v as Record<string, unknown>)[key]), value) ?? null;
}

describe('group keys, money fields and dates of the list tools', () => {
  it('covers every list tool, each with facets beside its projection', () => {
    for (const c of CASES) expect(c.facets, c.object).toBeDefined();
    expect(CASES.map((c) => c.tool).sort()).toEqual(TOOLS.filter((t) => t.name.startsWith('list_')).map((t) => t.name).sort());
  });

  for (const c of CASES) {
    it(`${c.tool}: each reads what the projection shows under its name`, () => {
      expect(c.objects.length, c.object).toBeGreaterThan(0);
      // Thousands of objects: the differences are gathered and compared once (an expect per field was most of the time).
      const differences: string[] = [];
      const same = (field: string, read: unknown, shown: unknown, id: string) => {
        if (!Object.is(read, shown)) differences.push(`${id} ${c.object}.${field}: reads ${JSON.stringify(read)}, shows ${JSON.stringify(shown)}`);
      };
      for (const raw of c.objects) {
        const shown = c.compact(raw);
        const currency = c.facets.currency(raw);
        const id = String((raw as { id?: unknown }).id);
        for (const [name, get] of Object.entries(c.facets.groups)) {
          const value = at(shown, NESTED[`${c.object}.${name}`] ?? name);
          same(name, get(raw) ?? null, value === null ? null : String(value), id);
        }
        for (const [name, get] of Object.entries(c.facets.money)) {
          const amount = get(raw);
          if (c.facets.derived?.[name]) continue; // checked below against the fields it is made of
          same(name, amount === null || amount === undefined ? null : major(amount, currency!), shown[name], id);
        }
        for (const [name, get] of Object.entries(c.facets.dates)) same(name, iso(get(raw)), at(shown, NESTED[`${c.object}.${name}`] ?? name), id);
      }
      expect(differences.slice(0, 10), `${differences.length} differences`).toEqual([]);
      for (const sum of c.facets.defaultSums) expect(Object.keys(c.facets.money)).toContain(sum);
      expect(Object.keys(c.facets.dates)[0]).toBe('created');
    });
  }

  it('derives net_of_refunds and total_fees from the fields they are made of', () => {
    const wrongNet = ds.charges.filter((charge) => chargeFacets.money.net_of_refunds!(charge) !== charge.amount_captured - charge.amount_refunded);
    expect(wrongNet.map((charge) => charge.id)).toEqual([]);
    const wrongFees = ds.balanceTransactions.filter((t) => balanceTransactionFacets.money.total_fees!(t) !== t.fee + (t.reporting_category === 'fee' ? -t.amount : 0));
    expect(wrongFees.map((t) => t.id)).toEqual([]);
  });
});
