/**
 * Mode-scoped routing through the real MCP server, the real stripe package and the emulator (different data for
 * test and live keys): every tool returns only the routed mode's data, defaults pick the right key, a pinned
 * router refuses everything else and never reads another key, and data of the other mode is refused.
 */
import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfiguredRouter, type Pin } from '../../src/connections/configured-router.js';
import { ConnectionManager } from '../../src/connections/manager.js';
import { readMetadata, writeMetadata } from '../../src/connections/metadata.js';
import type { KeyRef, SecretStore } from '../../src/connections/secret-store.js';
import { startEmulator, type EmulatorHandle, type Dataset } from '../../src/emulator/index.js';
import { createMcpServer } from '../../src/server/create-server.js';
import { TEST_ANCHOR } from '../helpers/harness.js';
import { TOOLS } from '../../src/tools/index.js';
import { canaryKey } from '../helpers/spawn.js';
import { makeHome, secretPart, storeEnv } from './helpers.js';

/** One call per tool in the catalogue (so a tool added later is covered too), with small arguments. */
const OVERRIDES: Record<string, Record<string, unknown>> = {
  list_subscriptions: { limit: 3, status: 'all' },
  search: { resource: 'customers', query: "email~'example'", limit: 3 },
  aggregate: { resource: 'customers', group_by: ['country'] },
};
/** The calls with the ids they need: fetch opens an object of the mode whose data the call should reach. */
function calls(dataMode: 'test' | 'live'): Array<[string, Record<string, unknown>]> {
  return TOOLS.map((tool) => {
    if (tool.name === 'fetch') return [tool.name, { id: emulator.dataset(dataMode).customers[0]!.id }];
    const args = OVERRIDES[tool.name] ?? (tool.input.safeParse({ limit: 3 }).success ? { limit: 3 } : {});
    return [tool.name, args];
  });
}

let emulator: EmulatorHandle;
let tmp: ReturnType<typeof makeHome>;
let env: NodeJS.ProcessEnv;
let manager: ConnectionManager;
const ids: Record<'test' | 'live', Set<string>> = { test: new Set(), live: new Set() };
let customIds = new Set<string>();

/** Every id of a dataset, whatever its collections (a collection added with a new tool is included). */
function allIds(ds: Dataset): Set<string> {
  const set = new Set<string>();
  for (const value of Object.values(ds)) {
    if (!Array.isArray(value)) continue;
    for (const o of value as unknown[]) if (o && typeof o === 'object' && typeof (o as { id?: unknown }).id === 'string') set.add((o as { id: string }).id);
  }
  return set;
}

/** Records which keys a router reads, and passes the reads on to the real store. */
class SpyStore implements SecretStore {
  readonly kind = 'file' as const;
  reads: string[] = [];
  constructor(private readonly inner: SecretStore) {}
  describe() {
    return 'spy';
  }
  async get(ref: KeyRef) {
    this.reads.push(`${ref.connection}/${ref.mode}`);
    return this.inner.get(ref);
  }
  set(ref: KeyRef, key: string) {
    return this.inner.set(ref, key);
  }
  delete(ref: KeyRef) {
    return this.inner.delete(ref);
  }
}

async function connect(options: { pin?: Pin; env?: NodeJS.ProcessEnv; spy?: SpyStore } = {}) {
  const router = await ConfiguredRouter.create({
    env: options.env ?? env,
    ...(options.pin ? { pin: options.pin } : {}),
    ...(options.spy ? { storeOf: () => options.spy! } : {}),
  });
  const server = createMcpServer(router);
  const [a, b] = InMemoryTransport.createLinkedPair();
  await server.connect(b);
  const client = new Client({ name: 'routing-test', version: '1' });
  await client.connect(a);
  const call = async (name: string, args: Record<string, unknown> = {}) => {
    const r = await client.callTool({ name, arguments: args });
    const text = ((r.content ?? []) as Array<{ text?: string }>).map((c) => c.text ?? '').join('\n');
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return { isError: r.isError === true, text, structured: r.structuredContent as any };
  };
  return {
    router,
    client,
    call,
    close: async () => {
      await client.close();
      await server.close();
    },
  };
}

beforeAll(async () => {
  emulator = await startEmulator({ anchor: TEST_ANCHOR });
  ids.test = allIds(emulator.dataset('test'));
  ids.live = allIds(emulator.dataset('live'));
  const special = emulator.dataset('test').special;
  // The demo's coupon ids are chosen by the account (EURO5OFF, …), so, like gold-plan, they may exist in both modes.
  customIds = new Set([special.customIdProduct, special.customIdPrice, ...emulator.dataset('test').coupons.map((c) => c.id), ...emulator.dataset('live').coupons.map((c) => c.id)]);
  tmp = makeHome();
  env = storeEnv(tmp.home, emulator.url);
  manager = new ConnectionManager(env);
  await manager.add({ name: 'acme', key: emulator.keys.test, allowSecret: false, makeDefault: false });
  await manager.add({ name: 'acme', key: emulator.keys.live, allowSecret: false, makeDefault: false });
  await manager.add({ name: 'beta', key: canaryKey(), allowSecret: false, makeDefault: false });
});
afterAll(async () => {
  await emulator?.close();
  tmp?.cleanup();
});

describe('routing by connection and mode', () => {
  it('lists the stored connection names in every tool input schema', async () => {
    const s = await connect();
    try {
      const { tools } = await s.client.listTools();
      expect(tools).toHaveLength(TOOLS.length);
      for (const tool of tools) {
        const props = tool.inputSchema.properties as Record<string, { enum?: string[] }>;
        expect(props.connection?.enum).toEqual(['acme', 'beta']);
        expect(props.mode?.enum).toEqual(['test', 'live']);
      }
    } finally {
      await s.close();
    }
  });

  it.each(['test', 'live'] as const)('every tool returns only %s-mode data, and says so', async (mode) => {
    const s = await connect();
    const other = mode === 'test' ? 'live' : 'test';
    try {
      for (const [name, args] of calls(mode)) {
        const before = emulator.requests.length;
        const r = await s.call(name, { ...args, connection: 'acme', mode });
        expect(r.isError, `${name}: ${r.text}`).toBe(false);
        expect(r.structured).toMatchObject({ connection: 'acme', mode });
        const sent = emulator.requests.slice(before);
        expect(sent.length, name).toBeGreaterThan(0);
        expect(sent.every((q) => q.mode === mode), name).toBe(true);
        for (const item of r.structured.data ?? []) {
          expect(ids[mode].has(item.id), `${name} ${item.id}`).toBe(true);
          // Ids the account chose (product `gold-plan`, plan `gold-monthly`, coupons) may exist in both modes, as
          // on Stripe ("you can use the same plan ID in both live and test modes"); every other id is one mode's.
          if (!customIds.has(item.id)) expect(ids[other].has(item.id), `${name} ${item.id}`).toBe(false);
        }
        if (name.startsWith('list_') || name === 'search') expect((r.structured.data ?? []).length, name).toBeGreaterThan(0);
      }
    } finally {
      await s.close();
    }
  });

  it('no connection named: the default; no mode: its default mode; a mode it lacks says how to add it', async () => {
    const s = await connect();
    try {
      expect((await s.call('list_customers', { limit: 1 })).structured).toMatchObject({ connection: 'acme', mode: 'test' });
      expect((await s.call('list_customers', { limit: 1, mode: 'live' })).structured).toMatchObject({ connection: 'acme', mode: 'live' });
      expect((await s.call('list_customers', { limit: 1, connection: 'beta' })).structured).toMatchObject({ connection: 'beta', mode: 'test' });
      const missing = await s.call('list_customers', { connection: 'beta', mode: 'live' });
      expect(missing.isError).toBe(true);
      expect(missing.text).toMatch(/Connection "beta" has no live key \(it has: test\).*stripe-readonly-mcp connections add beta --mode live/);
      const unknown = await s.router.resolve({ connection: 'nope' }).catch((e: Error) => e.message);
      expect(unknown).toMatch(/There is no connection named "nope". Configured: acme, beta/);
    } finally {
      await s.close();
    }
  });

  it("a connection's default mode is used when a call names none", async () => {
    await manager.setDefault({ name: 'acme', mode: 'live' });
    const s = await connect();
    try {
      expect((await s.call('get_balance', {})).structured).toMatchObject({ connection: 'acme', mode: 'live' });
    } finally {
      await s.close();
      await manager.setDefault({ name: 'acme', mode: 'test' });
    }
  });

  it('several connections and no default: a call must name one', async () => {
    const metadata = await readMetadata(manager.paths);
    await writeMetadata(manager.paths, { ...metadata, default: null });
    const s = await connect();
    try {
      const r = await s.call('list_customers', {});
      expect(r.isError).toBe(true);
      expect(r.text).toMatch(/Several connections are configured \(acme, beta\).*connections default NAME/);
    } finally {
      await s.close();
      await writeMetadata(manager.paths, metadata);
    }
  });

  it('STRIPE_API_KEY is the connection "env", the default where it is set, beside the stored ones', async () => {
    const s = await connect({ env: { ...env, STRIPE_API_KEY: emulator.keys.live } });
    try {
      expect(s.router.connectionNames()).toEqual(['env', 'acme', 'beta']);
      expect((await s.call('get_balance', {})).structured).toMatchObject({ connection: 'env', mode: 'live' });
      expect((await s.call('get_balance', { connection: 'acme' })).structured).toMatchObject({ connection: 'acme', mode: 'test' });
      const r = await s.call('get_balance', { connection: 'env', mode: 'test' });
      expect(r.text).toMatch(/Connection "env" \(keys from the environment\) has only a live-mode key.*STRIPE_API_KEY_TEST/);
    } finally {
      await s.close();
    }
  });

  it('reads a key only when a call needs its mode, and picks up a rotated key without a restart', async () => {
    const spy = new SpyStore(manager.stores.file);
    const s = await connect({ spy });
    try {
      expect(spy.reads).toEqual([]); // starting reads no key at all
      await s.call('list_customers', { limit: 1 });
      await s.call('list_products', { limit: 1 });
      expect(spy.reads).toEqual(['acme/test']); // once, and never the live key
      await s.call('get_balance', { mode: 'live' });
      expect(spy.reads).toEqual(['acme/test', 'acme/live']);

      const before = (await readMetadata(manager.paths)).connections.beta!.test!.keyId;
      await s.call('get_balance', { connection: 'beta' });
      await manager.rotate({ name: 'beta', mode: 'test', key: canaryKey(), allowSecret: false });
      const after = (await readMetadata(manager.paths)).connections.beta!.test!.keyId;
      expect(after).not.toBe(before);
      const r = await s.call('get_balance', { connection: 'beta' });
      expect(r.isError, r.text).toBe(false);
      expect(spy.reads.filter((x) => x === 'beta/test')).toHaveLength(2);
    } finally {
      await s.close();
    }
  });
});

describe('a pinned server', () => {
  it('serves only its connection and mode, refuses the rest clearly, and never reads another key', async () => {
    const spy = new SpyStore(manager.stores.file);
    const s = await connect({ pin: { connection: 'acme', mode: 'test' }, spy });
    try {
      const { tools } = await s.client.listTools();
      expect((tools[0]!.inputSchema.properties as Record<string, { enum?: string[] }>).connection?.enum).toEqual(['acme']);
      expect((await s.call('list_customers', { limit: 1 })).structured).toMatchObject({ connection: 'acme', mode: 'test' });
      const live = await s.call('list_customers', { mode: 'live' });
      expect(live.isError).toBe(true);
      expect(live.text).toMatch(/pinned to test mode \(--mode test\), so live-mode data cannot be read/);
      const other = await s.router.resolve({ connection: 'beta' }).catch((e: Error) => e.message);
      expect(other).toMatch(/pinned to connection "acme".*cannot read "beta"/);
      for (const [name, args] of calls('live')) {
        const r = await s.call(name, { ...args, mode: 'live' });
        expect(r.isError, name).toBe(true);
      }
      expect(new Set(spy.reads)).toEqual(new Set(['acme/test']));
    } finally {
      await s.close();
    }
  });

  it('pinned to live, it never reads the test key even when the default mode is test', async () => {
    const spy = new SpyStore(manager.stores.file);
    const s = await connect({ pin: { mode: 'live' }, spy });
    try {
      expect((await s.call('get_balance', {})).structured).toMatchObject({ connection: 'acme', mode: 'live' });
      expect((await s.call('get_balance', { mode: 'test' })).isError).toBe(true);
      expect((await s.call('get_balance', { connection: 'beta' })).text).toMatch(/Connection "beta" has no live key/);
      expect(spy.reads).toEqual(['acme/live']);
    } finally {
      await s.close();
    }
  });

  it('pinned to a connection that does not exist, every call says how to add it', async () => {
    const s = await connect({ pin: { connection: 'ghost' } });
    try {
      expect(s.router.connectionNames()).toEqual(['ghost']);
      const r = await s.call('get_balance', {});
      expect(r.text).toMatch(/There is no connection named "ghost".*connections add ghost/);
    } finally {
      await s.close();
    }
  });
});

describe('defence in depth', () => {
  it('a test slot that holds a live key is refused before anything is sent', async () => {
    const other = makeHome();
    try {
      const otherEnv = storeEnv(other.home, emulator.url);
      const m = new ConnectionManager(otherEnv);
      await m.add({ name: 'mixed', key: emulator.keys.test, allowSecret: false, makeDefault: false });
      // Swap a live key in behind the metadata's back (what a mistaken manual edit or a bug would do).
      const record = (await m.read()).connections.mixed!.test!;
      await m.stores.file.set({ connection: 'mixed', mode: 'test', keyId: record.keyId }, emulator.keys.live);
      const s = await connect({ env: otherEnv });
      try {
        const before = emulator.requests.length;
        for (const [name, args] of calls('test')) {
          const r = await s.call(name, args);
          expect(r.isError, name).toBe(true);
          expect(r.text, name).toMatch(/Refused: the key stored as the test key of connection "mixed" is a live-mode restricted key \(rk_live_…demo\).*connections rotate mixed --mode test/);
        }
        expect(emulator.requests.length).toBe(before);
      } finally {
        await s.close();
      }
    } finally {
      other.cleanup();
    }
  });

  it('objects whose livemode contradicts the routed mode are refused, not returned', async () => {
    // A test-prefixed key that the emulator answers with live data: what a misbehaving proxy would do.
    const liar = canaryKey('test');
    const lying = await startEmulator({ anchor: TEST_ANCHOR, keys: { [liar]: { mode: 'live' } } });
    const other = makeHome();
    try {
      const otherEnv = storeEnv(other.home, lying.url);
      const m = new ConnectionManager(otherEnv);
      await m.add({ name: 'honest', key: canaryKey('test'), allowSecret: false, makeDefault: false });
      const record = (await m.read()).connections.honest!.test!;
      await m.stores.file.set({ connection: 'honest', mode: 'test', keyId: record.keyId }, liar);
      const s = await connect({ env: otherEnv });
      try {
        // The lying key is answered with live data: fetch asks for an object that exists there.
        for (const [name, args] of calls('live')) {
          // Stripe's refund and balance transaction objects carry no livemode, so nothing in them can be checked.
          if (name === 'list_refunds' || name === 'list_balance_transactions') continue;
          const r = await s.call(name, args);
          expect(r.isError, name).toBe(true);
          expect(r.text, name).toMatch(/Refused: connection "honest" was asked for test-mode data but Stripe returned .* from the other mode/);
          expect(r.structured, name).toBeUndefined();
        }
      } finally {
        await s.close();
      }
    } finally {
      other.cleanup();
      await lying.close();
    }
  });

  it('no result or error text ever holds a stored key', async () => {
    const key = canaryKey();
    await manager.add({ name: 'canary', key, allowSecret: false, makeDefault: false });
    const s = await connect();
    try {
      const texts: string[] = [];
      for (const [name, args] of calls('test')) texts.push(JSON.stringify(await s.call(name, { ...args, connection: 'canary' })));
      texts.push(JSON.stringify(await s.call('get_balance', { connection: 'canary', mode: 'live' })));
      texts.push(JSON.stringify(await s.client.listTools()));
      for (const t of texts) expect(t).not.toContain(secretPart(key));
    } finally {
      await s.close();
      await manager.remove({ name: 'canary' });
    }
  });
});
