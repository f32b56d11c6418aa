/**
 * One place for a tool's facts: each tool's declaration (defineTool's `permissions` and `returns`) is what the
 * README's tables show, what the emulator (standing in for Stripe) actually asks of a restricted key and serves
 * under which id prefixes, what fetch opens, and what errors name.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import { Client } from '@modelcontextprotocol/client';
import { EMULATOR_PERMISSIONS, EXPANSION_PERMISSIONS } from '../../src/emulator/permissions.js';
import { RESOURCES } from '../../src/emulator/resources.js';
import type { Dataset } from '../../src/emulator/index.js';
import { StaticRouter } from '../../src/connections/router.js';
import { createMcpServer } from '../../src/server/create-server.js';
import { describeError } from '../../src/stripe/errors.js';
import { declaredPermissions, READ_PERMISSION_LABELS, type ReadPermission } from '../../src/stripe/permissions.js';
import { defineTool, type AnyTool } from '../../src/tools/define-tool.js';
import { OBJECT_KINDS, TOOLS } from '../../src/tools/index.js';
import { minimalArguments } from '../../src/cli/tool-probes.js';
import { SEARCH_RESOURCES } from '../../src/tools/search.js';
import { renderFiltersTable, withGeneratedTables } from '../../scripts/readme-tables.js';
import { startHarness, type Harness } from '../helpers/harness.js';

const label = (p: ReadPermission) => READ_PERMISSION_LABELS[p];

describe('the declarations', () => {
  it("are the README's key and Filters tables, exactly (npm run readme writes them)", () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme, 'README.md is not what the declarations say: run npm run readme').toBe(withGeneratedTables(readme, TOOLS));
  });

  it('make the Filters table one row per tool, in order, and fetch names exactly the declared id prefixes', () => {
    const rows = renderFiltersTable(TOOLS).split('\n').slice(2);
    expect(rows.map((row) => /^\| `([a-z_]+)`/.exec(row)?.[1])).toEqual(TOOLS.map((t) => t.name));
    const fetchRow = rows.find((row) => row.startsWith('| `fetch`'))!;
    const prefixes = [...fetchRow.matchAll(/`([a-z]+_)`/g)].map((m) => m[1]);
    expect(prefixes).toEqual(OBJECT_KINDS.flatMap((k) => k.idPrefixes));
  });

  it("name every argument in a tool's own Filters row, or npm run readme refuses", () => {
    const tool = TOOLS.find((t) => t.name === 'get_churn')!;
    expect(() => renderFiltersTable([{ ...tool, readme: { filters: '`month` and `timezone`' } }])).toThrow("get_churn's readme.filters must name every argument; it leaves out start, end");
  });

  it('are what the emulator serves: each kind under its own id prefixes, behind the permission its tool declares', () => {
    for (const kind of OBJECT_KINDS) {
      const resource = RESOURCES.find((r) => r.objectName === kind.object);
      expect(resource, `the emulator serves no ${kind.object}`).toBeDefined();
      expect(resource!.idPrefixes, kind.object).toEqual(kind.idPrefixes);
      expect(EMULATOR_PERMISSIONS[resource!.path], kind.object).toBe(kind.permission);
    }
  });

  it('name only permissions the emulator enforces, and every endpoint permission is some tool\'s', () => {
    const enforced = new Set([...Object.values(EMULATOR_PERMISSIONS), ...Object.values(EXPANSION_PERMISSIONS)]);
    const declared = new Set(TOOLS.flatMap((t) => declaredPermissions(t.permissions)));
    for (const p of declared) expect(enforced.has(p), `${p} is declared but the emulator never asks for it`).toBe(true);
    // /v1/account is read by key verification only (Account: Read is optional there), not by a tool.
    for (const p of Object.values(EMULATOR_PERMISSIONS)) if (p !== 'rak_account_read') expect(declared.has(p as ReadPermission), `${p} is enforced but no tool declares it`).toBe(true);
  });
});

/** Dataset collection of each kind fetch opens (a kind's id is taken from it), from the emulator's resources. */
const collectionOf = (kind: string) => RESOURCES.find((r) => r.objectName === kind)!.collection as keyof Dataset;

interface Case {
  tool: AnyTool;
  args: Record<string, unknown>;
  /** The permissions this call needs: with exactly these it answers; without any one, Stripe's 403 names it. */
  needs: ReadPermission[];
  what: string;
}

/** Every call the declarations describe: each tool with minimal arguments, search per resource, fetch per kind. */
function cases(ds: Dataset): Case[] {
  const out: Case[] = [];
  for (const tool of TOOLS as readonly AnyTool[]) {
    const p = tool.permissions;
    if (tool.name === 'search') {
      for (const resource of SEARCH_RESOURCES) {
        out.push({ tool, what: `search ${resource}`, args: minimalArguments(tool, resource)!, needs: [...p.needs, p.byChoice!.permissions[resource]!] });
      }
      // "100" is long enough for name and email searches and is an amount: every plain-text query is made.
      out.push({ tool, what: 'plain-text search', args: { query: '100' }, needs: [...p.needs, ...p.byChoice!.otherwise!.permissions] });
    } else if (tool.name === 'aggregate') {
      // Each resource through its list tool: that list's permission, as list_… itself needs.
      for (const [resource, permission] of Object.entries(p.byChoice!.permissions)) {
        out.push({ tool, what: `aggregate ${resource}`, args: { resource }, needs: [...p.needs, permission] });
      }
    } else if (tool.name === 'fetch') {
      for (const [kind, permission] of Object.entries(p.byChoice!.permissions)) {
        const object = (ds[collectionOf(kind)] as Array<{ id: string }>)[0];
        expect(object, `the emulator's dataset has no ${kind}`).toBeDefined();
        out.push({ tool, what: `fetch a ${kind}`, args: { id: object!.id }, needs: [...p.needs, permission] });
      }
    } else {
      out.push({ tool, what: tool.name, args: minimalArguments(tool)!, needs: [...p.needs] });
    }
  }
  return out;
}

describe('the emulator asks exactly what each tool declares it needs', () => {
  let h: Harness;
  let all: Case[];
  /** Connection name for a key holding exactly these permissions. */
  const keyFor = new Map<string, string>();
  const connectionFor = (permissions: string[]) => keyFor.get([...permissions].sort().join(','))!;

  beforeAll(async () => {
    const probe = await startHarness({ emulator: { size: { customers: 8 } } });
    all = cases(probe.emulator.dataset('test'));
    await probe.close();
    const sets = new Map<string, string[]>();
    for (const c of all) {
      sets.set([...c.needs].sort().join(','), c.needs);
      for (const p of c.needs) {
        const without = c.needs.filter((x) => x !== p);
        sets.set([...without].sort().join(','), without);
      }
    }
    const keys: Record<string, { mode: 'test'; permissions: string[] }> = {};
    const connections: Array<{ name: string; key: string }> = [];
    [...sets].forEach(([id, permissions], i) => {
      const key = `rk_test_permissioncase${String(i).padStart(4, '0')}`;
      keys[key] = { mode: 'test', permissions };
      connections.push({ name: `k${i}`, key });
      keyFor.set(id, `k${i}`);
    });
    h = await startHarness({
      emulator: { size: { customers: 8 }, keys },
      connections: (e) => connections.map((c) => ({ name: c.name, keys: { test: c.key }, apiBase: e.url })),
    });
  }, 60_000);
  afterAll(async () => h?.close());

  it('with exactly the declared permissions every call answers', async () => {
    for (const c of all) {
      const r = await h.call(c.tool.name, { ...c.args, connection: connectionFor(c.needs) });
      expect(r.isError, `${c.what} with ${c.needs.join(', ')}: ${r.text}`).toBe(false);
    }
  }, 120_000);

  it('without any one of them, the error names that resource and the permission Stripe asked for', async () => {
    for (const c of all) {
      for (const p of c.needs) {
        const r = await h.call(c.tool.name, { ...c.args, connection: connectionFor(c.needs.filter((x) => x !== p)) });
        expect(r.isError, `${c.what} without ${p}`).toBe(true);
        expect(r.text, c.what).toContain(`set "${label(p)}" to Read`);
        expect(r.text, c.what).toContain(`'${p}'`);
      }
    }
  }, 120_000);
});

describe('an expansion the key may not read', () => {
  // A tool that expands another resource than its own: the error must name the expanded one.
  const chargesWithCustomers = defineTool({
    name: 'charges_with_customers',
    toolset: 'payments',
    permissions: { needs: ['rak_charge_read'], mayUse: [] },
    title: 'Charges and their customers',
    description: 'Test tool',
    input: z.strictObject({}),
    output: z.object({ count: z.number() }),
    handler: async (_args, ctx) => ({ count: (await ctx.stripe.charges.list({ limit: 3, expand: ['data.customer'] })).data.length }),
  });
  const CHARGES_ONLY = 'rk_test_chargesonlyexpand1';

  it("is answered with Stripe's 403, and the error names the expanded resource, not the tool's own", async () => {
    const h = await startHarness({
      emulator: { size: { customers: 8 }, keys: { [CHARGES_ONLY]: { mode: 'test', permissions: ['rak_charge_read'] } } },
      connections: (e) => [{ name: 'demo', keys: { test: CHARGES_ONLY }, apiBase: e.url }],
    });
    try {
      const server = createMcpServer(new StaticRouter([{ name: 'demo', keys: { test: CHARGES_ONLY }, apiBase: h.emulator.url }]), [chargesWithCustomers]);
      const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
      await server.connect(serverSide);
      const client = new Client({ name: 'test', version: '1.0.0' });
      await client.connect(clientSide);
      const result = await client.callTool({ name: 'charges_with_customers', arguments: {} });
      const text = (result.content as Array<{ text: string }>)[0]!.text;
      expect(result.isError).toBe(true);
      expect(text).toMatch(/^The restricted key is not allowed to read Customers \(Stripe asked for 'rak_customer_read'\)\. .*set "Customers" to Read/);
      expect(text).not.toMatch(/Charges/);
      expect(text).not.toContain(CHARGES_ONLY);
      await client.close();
      await server.close();
    } finally {
      await h.close();
    }
  });

  it('when Stripe names no permission, the error says what the tool declares instead of guessing its main resource', () => {
    const err = Object.assign(new Error('The provided key does not have the required permissions for this endpoint.'), { type: 'StripePermissionError', statusCode: 403 });
    const text = describeError(err, { tool: 'get_mrr', permissions: TOOLS.find((t) => t.name === 'get_mrr')!.permissions });
    expect(text).toMatch(/Stripe did not say which permission is missing/);
    expect(text).toMatch(/get_mrr needs Subscriptions at Read; may use Coupons, Products, Customers \(optional\)/);
    expect(text).not.toMatch(/set "Subscriptions" to Read/);
  });
});
