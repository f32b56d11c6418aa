/**
 * Every `connections` path a user can hit, against the emulator, with the encrypted file store in a temporary
 * STRIPE_MCP_HOME: right input and every kind of wrong input. A canary key never shows in stdout, stderr or
 * connections.json. The command line runs in this process (test/helpers/cli-in-process.ts: the same main() and exit
 * codes, a few milliseconds instead of a Node process each); the first case runs the built CLI as `npx` does, and
 * test/cli/argv-key-guard.test.ts, test/e2e and test/connections/crash-and-concurrency.test.ts hold what only a process
 * shows (argv, the bundle, processes racing and killed).
 */
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { FileStore } from '../../src/connections/file-store.js';
import { ConnectionManager } from '../../src/connections/manager.js';
import { readMetadata } from '../../src/connections/metadata.js';
import { resolveHome } from '../../src/connections/paths.js';
import { canaryKey } from '../helpers/spawn.js';
import { runCliInProcess } from '../helpers/cli-in-process.js';
import { CHECKED_TOOLS } from '../../src/cli/tool-probes.js';
import { READ_PERMISSION_LABELS } from '../../src/stripe/permissions.js';
import { addConnection, cliEnv, expectNoKey, expectNoKeyInResult, makeHome, runCli, storeEnv, type CliResult } from '../connections/helpers.js';

/** What every checked tool needs at Read (the declarations'), and nothing optional. */
const ALL_READ: string[] = [...new Set(CHECKED_TOOLS.flatMap((t) => t.permissions.needs))];

/** What `keys.partial` may read: the tools it can serve and those it cannot follow from each tool's declaration. */
const PARTIAL = ['rak_customer_read', 'rak_charge_read', 'rak_balance_read', 'rak_product_read', 'rak_account_read'];

const keys = {
  revoked: canaryKey(),
  expired: canaryKey(),
  noAccount: canaryKey(),
  noCoupons: canaryKey(),
  noBalance: canaryKey(),
  partial: canaryKey(),
  becomesRevoked: canaryKey(),
};

let emulator: EmulatorHandle;
/** The same keys, but where `becomesRevoked` has been revoked in the Dashboard. */
let afterRevoke: EmulatorHandle;
let liar: Server;
let liarUrl: string;

beforeAll(async () => {
  emulator = await startEmulator({
    keys: {
      [keys.revoked]: { mode: 'test', revoked: true },
      [keys.expired]: { mode: 'test', expired: true },
      [keys.noAccount]: { mode: 'test', permissions: ALL_READ },
      [keys.noCoupons]: { mode: 'test', permissions: ALL_READ.filter((p) => p !== 'rak_coupon_read') },
      [keys.noBalance]: { mode: 'test', permissions: ALL_READ.filter((p) => p !== 'rak_balance_read').concat('rak_account_read') },
      [keys.partial]: { mode: 'test', permissions: PARTIAL },
    },
  });
  afterRevoke = await startEmulator({ keys: { [keys.becomesRevoked]: { mode: 'test', revoked: true } } });
  // A "Stripe" that answers a test key with live-mode data.
  liar = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Request-Id': 'req_liar' });
    res.end(JSON.stringify({ object: 'balance', livemode: true, available: [], pending: [] }));
  });
  await new Promise<void>((r) => liar.listen(0, '127.0.0.1', r));
  liarUrl = `http://127.0.0.1:${(liar.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await emulator?.close();
  await afterRevoke?.close();
  await new Promise((r) => liar?.close(r));
});

function home() {
  const tmp = makeHome();
  type RunOptions = { input?: string; env?: Record<string, string>; apiBase?: string; builtCli?: boolean };
  const cli = (args: string[], options: RunOptions = {}) =>
    (options.builtCli ? runCli : runCliInProcess)(args, {
      env: cliEnv(tmp.home, options.apiBase ?? emulator.url, options.env),
      ...(options.input !== undefined ? { input: options.input } : {}),
    });
  const add = (name: string, key: string, flags: string[] = [], options: Omit<RunOptions, 'input'> = {}) =>
    cli(['connections', 'add', name, '--key-stdin', ...flags], { input: `${key}\n`, ...options });
  // Set-up for tests of other commands, in this process (addConnection); the CLI's own add is tested run by run below.
  const seed = (name: string, key: string) => addConnection(tmp.home, emulator.url, name, key);
  const manager = () => new ConnectionManager(storeEnv(tmp.home, emulator.url));
  const paths = resolveHome({ STRIPE_MCP_HOME: tmp.home });
  const metadataText = () => (existsSync(paths.connectionsFile) ? readFileSync(paths.connectionsFile, 'utf8') : '');
  const storedKey = async (name: string, mode: 'test' | 'live') => {
    const metadata = await readMetadata(paths);
    const record = metadata.connections[name]?.[mode];
    if (!record) return undefined;
    return new FileStore(paths, { env: storeEnv(tmp.home) }).get({ connection: name, mode, keyId: record.keyId });
  };
  return { ...tmp, cli, add, seed, manager, paths, metadataText, storedKey };
}

function expectFailure(r: CliResult, message: RegExp, code = 1) {
  expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(code);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
}

describe('connections add', () => {
  it('verifies and saves a test key, then the live key fills the other slot of the same name', async () => {
    const h = home();
    try {
      const test = canaryKey('test');
      const live = canaryKey('live');
      const first = await h.add('acme', test, [], { builtCli: true });
      expect(first.code, first.stderr).toBe(0);
      expect(first.stdout).toMatch(/Verified: test-mode restricted key rk_test_…\w{4}; Stripe accepted it/);
      expect(first.stdout).toMatch(/Account: Northwind Cloud \(acct_\w+\), default currency USD/);
      expect(first.stdout).toMatch(/Saved connection "acme" with its test key in the encrypted file .*keys\.enc \(STRIPE_MCP_KEYSTORE=file\)/);
      expect(first.stdout).toMatch(/"acme" has test \(default mode\) and is the default connection/);
      const second = await h.add('acme', live, [], { builtCli: true });
      expect(second.code, second.stderr).toBe(0);
      expect(second.stdout).toMatch(/Added the live key to connection "acme"/);
      expect(second.stdout).toMatch(/"acme" has test \(default mode\) and live/);

      const metadata = await readMetadata(h.paths);
      expect(metadata.default).toBe('acme');
      expect(metadata.connections.acme).toMatchObject({
        defaultMode: 'test',
        test: { store: 'file', keyKind: 'restricted', keyHint: `rk_test_…${test.slice(-4)}`, businessName: 'Northwind Cloud', currency: 'usd' },
        live: { store: 'file', keyHint: `rk_live_…${live.slice(-4)}` },
      });
      expect(metadata.connections.acme!.test!.accountId).toMatch(/^acct_/);
      expect(metadata.connections.acme!.test!.verifiedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(await h.storedKey('acme', 'test')).toBe(test);
      expect(await h.storedKey('acme', 'live')).toBe(live);
      for (const r of [first, second]) {
        expectNoKeyInResult(test, r);
        expectNoKeyInResult(live, r);
      }
      expectNoKey(test, h.metadataText());
      expectNoKey(live, h.metadataText());
      if (process.platform !== 'win32') {
        expect(statSync(h.paths.connectionsFile).mode & 0o777).toBe(0o600);
        expect(statSync(h.home).mode & 0o777).toBe(0o700);
      }
    } finally {
      h.cleanup();
    }
  });

  it('a name whose mode is already taken is refused, and nothing changes', async () => {
    const h = home();
    try {
      await h.seed('acme', canaryKey());
      // Both slots taken: refused before the key is even asked for.
      await h.seed('acme', canaryKey('live'));
      const full = await h.cli(['connections', 'add', 'acme']);
      expectFailure(full, /Connection "acme" already has a test key \(rk_test_…\w{4}\) and a live key \(rk_live_…\w{4}\).*connections rotate acme --mode test\|live/);
      await h.manager().remove({ name: 'acme', mode: 'live' });
      const before = h.metadataText();
      const keysBefore = readFileSync(h.paths.keysFile, 'utf8');
      const key = canaryKey();
      const r = await h.add('acme', key);
      expectFailure(r, /Connection "acme" already has a test key \(rk_test_…\w{4}\)\. Nothing was changed\. To replace it: stripe-readonly-mcp connections rotate acme --mode test/);
      expectNoKeyInResult(key, r);
      // With --mode, it is refused before the key is even asked for.
      const early = await h.cli(['connections', 'add', 'acme', '--mode', 'test']);
      expectFailure(early, /already has a test key/);
      expect(h.metadataText()).toBe(before);
      expect(readFileSync(h.paths.keysFile, 'utf8')).toBe(keysBefore);
    } finally {
      h.cleanup();
    }
  });

  it('refuses every kind of wrong key with the reason, and saves nothing', async () => {
    const h = home();
    try {
      const secret = `sk_test_${canaryKey().slice(8)}`;
      const cases: Array<[string, string[], RegExp]> = [
        ['', [], /No key was given \(the input was empty\)/],
        ['   \n', [], /No key was given/],
        [`pk_test_${canaryKey().slice(8)}`, [], /publishable key \(pk_…\), which cannot read account data.*Create restricted key/],
        [secret, [], /secret key \(sk_…\): it can change anything.*Create restricted key.*set these to Read: Customers, Charges.*--allow-secret-key/],
        [`whsec_${canaryKey().slice(8)}`, [], /does not look like a Stripe API key \(\d+ characters, starting "whsec_"\)/],
        [`rk_test_short`, [], /does not look like a Stripe API key/],
        [`${canaryKey()}\n${canaryKey()}`, [], /more than one line/],
        [`${canaryKey().slice(0, 12)} ${canaryKey().slice(12)}`, [], /spaces or line breaks/],
        [canaryKey('test'), ['--mode', 'live'], /--mode live was given, but this is a test-mode key \(rk_test_…\w{4}\).*turn Test mode off/],
        [canaryKey('live'), ['--mode', 'test'], /--mode test was given, but this is a live-mode key/],
        [keys.revoked, [], /Stripe did not accept the API key: Invalid API Key provided.*\(Stripe request id: req_\w+\)/],
        [keys.expired, [], /Stripe rejected the test key as expired/],
      ];
      for (const [key, flags, message] of cases) {
        const r = await h.add('acme', key, flags);
        expectFailure(r, message);
        if (key.trim()) for (const part of key.split(/\s+/)) if (part) expectNoKeyInResult(part, r);
        expect(h.metadataText(), key).toBe('');
      }
      // A key of the wrong mode for its data: Stripe (here a stand-in) answers a test key with live data.
      const liarKey = canaryKey('test');
      const lied = await h.add('acme', liarKey, [], { apiBase: liarUrl });
      expectFailure(lied, /prefix says test mode \(rk_test_…\w{4}\), but Stripe answered with live-mode data/);
      expectNoKeyInResult(liarKey, lied);
      // Stripe unreachable: nothing saved.
      const down = await h.add('acme', canaryKey(), [], { apiBase: 'http://127.0.0.1:9' });
      expectFailure(down, /Could not reach Stripe/);
      expect(h.metadataText()).toBe('');
      expect(existsSync(h.paths.keysFile)).toBe(false);
    } finally {
      h.cleanup();
    }
  }, 60_000);

  it('refuses bad names, keys on the command line and a missing terminal, never echoing the key', async () => {
    const h = home();
    try {
      const key = canaryKey();
      const cases: Array<[string[], RegExp, number]> = [
        [['connections', 'add', 'acme', '--key', key], /Keys are never taken on the command line: shell history and `ps`/, 2],
        [['connections', 'add', 'acme', `--key=${key}`], /never taken on the command line/, 2],
        [['connections', 'add', 'acme', key], /never taken on the command line/, 2],
        [['connections', 'add', key], /never taken on the command line/, 2],
        [['connections', 'add'], /connections add needs a connection NAME/, 2],
        [['connections', 'add', 'a', 'b'], /takes one NAME/, 2],
        [['connections', 'add', 'bad name!'], /"bad name!" cannot be a connection name/, 1],
        [['connections', 'add', 'env'], /"env" is reserved \(STRIPE_API_KEY is served as the connection "env"\)/, 1],
        [['connections', 'add', 'acme', '--mode', 'staging'], /--mode must be test or live/, 2],
        [['connections', 'add', 'acme', '--json'], /connections add does not take --json/, 2],
        [['connections', 'add', 'acme'], /There is no terminal to ask for the key on\. Pipe the key in with --key-stdin/, 1],
        [['connections', 'frobnicate'], /Unknown connections command "frobnicate"/, 2],
      ];
      for (const [args, message, code] of cases) {
        const r = await h.cli(args, { input: `${key}\n` });
        expectFailure(r, message, code);
        // The refusal never repeats the key; only the argv we gave it on purpose holds it.
        expect(r.stdout + r.stderr).not.toContain(key.slice(8));
      }
      expect(h.metadataText()).toBe('');
    } finally {
      h.cleanup();
    }
  });

  it('takes a secret key only with --allow-secret-key, and says again that a restricted key is better', async () => {
    const h = home();
    try {
      const secret = `sk_live_${canaryKey().slice(8)}`;
      const r = await h.add('acme', secret, ['--allow-secret-key']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/this is a secret key \(sk_…\), which can write.*connections rotate acme --mode live/);
      expectNoKeyInResult(secret, r);
      expect((await readMetadata(h.paths)).connections.acme!.live).toMatchObject({ keyKind: 'secret', keyHint: `sk_live_…${secret.slice(-4)}` });
    } finally {
      h.cleanup();
    }
  });

  it('a key without Account read: "Connected, but account info not available"', async () => {
    const h = home();
    try {
      const r = await h.add('acme', keys.noAccount);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/Connected, but account info not available: the key does not have Account: Read/);
      expect((await readMetadata(h.paths)).connections.acme!.test).toMatchObject({ accountId: null, businessName: null, currency: null });
      const list = await h.cli(['connections', 'list']);
      expect(list.stdout).toMatch(/Connected, but account info not available/);
      // Without Balance read, Customers proves the key instead.
      const r2 = await h.add('nobal', keys.noBalance);
      expect(r2.code, r2.stderr).toBe(0);
      expect(r2.stdout).toMatch(/Account: Northwind Cloud/);
    } finally {
      h.cleanup();
    }
  });

  it('--default makes the connection and its mode the default', async () => {
    const h = home();
    try {
      await h.seed('acme', canaryKey());
      await h.seed('beta', canaryKey());
      expect((await readMetadata(h.paths)).default).toBe('acme');
      const r = await h.add('beta', canaryKey('live'), ['--default']);
      expect(r.stdout).toMatch(/"beta" has test and live \(default mode\) and is the default connection/);
      const metadata = await readMetadata(h.paths);
      expect(metadata.default).toBe('beta');
      expect(metadata.connections.beta!.defaultMode).toBe('live');
      const call = await h.cli(['call', 'get_balance', '--json']);
      expect(JSON.parse(call.stdout)).toMatchObject({ connection: 'beta', mode: 'live' });
    } finally {
      h.cleanup();
    }
  });
});

describe('connections list', () => {
  it('says how to add a connection when there is none', async () => {
    const h = home();
    try {
      const r = await h.cli(['connections', 'list']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/No connections yet.*\nAdd one with: stripe-readonly-mcp connections add NAME/);
      expect(r.stdout).toMatch(/Key store for new keys: encrypted file .*keys\.enc \(STRIPE_MCP_KEYSTORE=file\)/);
      expect(existsSync(h.home)).toBe(false); // looking creates nothing
      const bare = await h.cli(['connections']);
      expect(bare.stdout).toBe(r.stdout);
    } finally {
      h.cleanup();
    }
  });

  it('shows names, modes, key hints, account, currency, default and store; --json for scripts; the env connection too', async () => {
    const h = home();
    try {
      const test = canaryKey();
      const live = canaryKey('live');
      const env = canaryKey();
      await h.seed('acme', test);
      await h.seed('acme', live);
      await h.seed('beta', keys.noAccount);
      const r = await h.cli(['connections', 'list']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`acme  \\(default connection\\)\\n  test\\*  rk_test_…${test.slice(-4)} +restricted  encrypted file  Northwind Cloud \\(acct_\\w+\\), default currency USD; verified 20`));
      expect(r.stdout).toMatch(new RegExp(`  live   rk_live_…${live.slice(-4)} +restricted  encrypted file`));
      expect(r.stdout).toMatch(/beta\n  test\*/);
      const json = await h.cli(['connections', 'list', '--json']);
      const parsed = JSON.parse(json.stdout);
      expect(parsed).toMatchObject({ default: 'acme', storeForNewKeys: { kind: 'file', reason: 'STRIPE_MCP_KEYSTORE=file' } });
      expect(parsed.connections.map((c: { name: string }) => c.name)).toEqual(['acme', 'beta']);
      expect(parsed.connections[0]).toMatchObject({ default: true, defaultMode: 'test', modes: { test: { store: 'file', currency: 'usd' }, live: { keyKind: 'restricted' } } });
      const withEnv = await h.cli(['connections', 'list'], { env: { STRIPE_API_KEY: env } });
      expect(withEnv.stdout).toMatch(new RegExp(`env  \\(default connection\\)  from STRIPE_API_KEY\\n  test\\*  rk_test_…${env.slice(-4)}.*environment variable`));
      expect(withEnv.stdout).toMatch(/STRIPE_API_KEY is set, so calls that name no connection use "env"; name "acme" to read it/);
      for (const x of [r, json, withEnv]) {
        expectNoKeyInResult(test, x);
        expectNoKeyInResult(live, x);
      }
      expect(withEnv.stdout + withEnv.stderr).not.toContain(env.slice(8));
    } finally {
      h.cleanup();
    }
  });
});

describe('connections test', () => {
  it('a key with every permission can serve every tool', async () => {
    const h = home();
    try {
      const key = canaryKey();
      await h.seed('acme', key);
      await h.seed('acme', canaryKey('live'));
      const r = await h.cli(['connections', 'test', 'acme']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/Connection "acme", test mode: rk_test_…\w{4} \(restricted key\) in the encrypted file\n  Verified: Stripe accepts the key\. Account: Northwind Cloud/);
      expect(r.stdout).toMatch(/Connection "acme", live mode/);
      const checked = CHECKED_TOOLS.length;
      expect(r.stdout.match(new RegExp(`Can serve ${checked} of ${checked} tools`, 'g'))).toHaveLength(2);
      // Optional permissions too.
      expect(r.stdout).toMatch(/    get_mrr +→ Coupons: Read   \(Stripe: rak_coupon_read\)  set/);
      expect(r.stdout).not.toMatch(/not set/);
      expectNoKeyInResult(key, r);
      const one = await h.cli(['connections', 'test', 'acme', '--mode', 'live']);
      expect(one.stdout).not.toMatch(/test mode/);
      expect(one.stdout).toMatch(/live mode/);
    } finally {
      h.cleanup();
    }
  });

  it('names the exact Dashboard permission for every tool the key cannot serve', async () => {
    const h = home();
    try {
      await h.seed('acme', keys.partial);
      const r = await h.cli(['connections', 'test', 'acme']);
      expect(r.code, r.stderr).toBe(0);
      // Tools of one resource each (not search, whose choice of resource decides): served when the key has every
      // permission the tool declares it needs; otherwise the first it lacks is named.
      const plain = CHECKED_TOOLS.filter((t) => !t.permissions.byChoice);
      const servable = plain.filter((t) => t.permissions.needs.every((p) => PARTIAL.includes(p))).map((t) => t.name);
      expect(servable.length).toBeGreaterThan(0);
      expect(r.stdout).toContain(`Can serve ${servable.length} of ${CHECKED_TOOLS.length} tools: ${servable.join(', ')} (fetch`);
      expect(r.stdout).toMatch(/Developers → API keys → this restricted key → Edit, and set to Read:/);
      const blocked = plain.filter((t) => t.name.startsWith('list_') && !servable.includes(t.name));
      expect(blocked.length).toBeGreaterThan(0);
      for (const tool of blocked) {
        const rak = tool.permissions.needs.find((p) => !PARTIAL.includes(p))!;
        expect(r.stdout).toMatch(new RegExp(`    ${tool.name} +→ ${READ_PERMISSION_LABELS[rak]}: Read   \\(Stripe: ${rak}\\)`));
      }
      expect(r.stdout).toMatch(/    search \(it can search customers, charges, products\):/);
      expect(r.stdout).toMatch(/      subscriptions +→ Subscriptions: Read/);
      expect(r.stdout).toMatch(/      payment_intents +→ PaymentIntents: Read/);
      const json = JSON.parse((await h.cli(['connections', 'test', 'acme', '--json'])).stdout);
      const tools = json.results[0].tools as Array<{ tool: string; ok: boolean }>;
      expect(tools.filter((t) => t.ok).map((t) => t.tool)).toEqual(servable);
    } finally {
      h.cleanup();
    }
  });

  it('lists the optional permissions: Coupons missing with what it changes, while get_mrr and get_churn are still served', async () => {
    const h = home();
    try {
      await h.seed('acme', keys.noCoupons); // every tool's Read but Coupons: list_coupons alone is not served
      const r = await h.cli(['connections', 'test', 'acme']);
      expect(r.code, r.stderr).toBe(0);
      const checked = CHECKED_TOOLS.length;
      expect(r.stdout).toContain(`Can serve ${checked - 1} of ${checked} tools`);
      expect(r.stdout).toMatch(/  Optional \(the tool answers without it, with less\):/);
      expect(r.stdout).toMatch(/    get_mrr +→ Coupons: Read   \(Stripe: rak_coupon_read\)  not set: without it, no coupon is applied: discounted subscriptions count at list price/);
      expect(r.stdout).toMatch(/    get_churn +→ Coupons: Read   \(Stripe: rak_coupon_read\)  not set: without it, .*lost MRR/);
      expect(r.stdout).toMatch(/    get_mrr +→ Products: Read   \(Stripe: rak_product_read\)  set/);
      const json = JSON.parse((await h.cli(['connections', 'test', 'acme', '--json'])).stdout);
      const mrr = (json.results[0].tools as Array<{ tool: string; ok: boolean; optional: Array<{ stripePermission: string; status: string }> }>).find((t) => t.tool === 'get_mrr')!;
      expect(mrr.ok).toBe(true);
      expect(mrr.optional.map((o) => [o.stripePermission, o.status])).toEqual([['rak_coupon_read', 'missing'], ['rak_product_read', 'ok'], ['rak_customer_read', 'ok']]);
    } finally {
      h.cleanup();
    }
  }, 60_000); // two CLI runs that probe every tool, slow when the machine is loaded

  it('a key revoked since it was added fails with what to do; unknown names and modes are clear', async () => {
    const h = home();
    try {
      await h.seed('acme', keys.becomesRevoked);
      const r = await h.cli(['connections', 'test', 'acme'], { apiBase: afterRevoke.url });
      expectFailure(r, /Failed: Stripe did not accept the API key.*has not been deleted or rolled/);
      expectNoKeyInResult(keys.becomesRevoked, r);
      expectFailure(await h.cli(['connections', 'test', 'nope']), /There is no connection named "nope"\. Configured: acme\./);
      expectFailure(await h.cli(['connections', 'test', 'acme', '--mode', 'live']), /Connection "acme" has no live key \(it has: test\).*connections add acme --mode live/);
      expectFailure(await h.cli(['connections', 'test']), /connections test needs a connection NAME/, 2);
    } finally {
      h.cleanup();
    }
  });
});

describe('connections test env', () => {
  it('checks the STRIPE_API_KEY connection too, without storing anything', async () => {
    const h = home();
    try {
      const key = canaryKey('live');
      const r = await h.cli(['connections', 'test', 'env'], { env: { STRIPE_API_KEY: key } });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`Connection "env", live mode: rk_live_…${key.slice(-4)} from STRIPE_API_KEY`));
      expect(r.stdout).toContain(`Can serve ${CHECKED_TOOLS.length} of ${CHECKED_TOOLS.length} tools`);
      expect(r.stdout + r.stderr).not.toContain(key.slice(8));
      expect(existsSync(h.home)).toBe(false);
      expectFailure(await h.cli(['connections', 'test', 'env']), /STRIPE_API_KEY is not set/);
    } finally {
      h.cleanup();
    }
  });
});

describe('connections rotate', () => {
  it('verifies the new key, swaps it in, removes the old copy, and the next call uses it', async () => {
    const h = home();
    try {
      const old = canaryKey();
      const fresh = canaryKey();
      await h.seed('acme', old);
      const oldId = (await readMetadata(h.paths)).connections.acme!.test!.keyId;
      const r = await h.cli(['connections', 'rotate', 'acme', '--mode', 'test', '--key-stdin'], { input: fresh });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/Rotated the test key of connection "acme"/);
      expect(r.stdout).toMatch(new RegExp(`The old key rk_test_…${old.slice(-4)} was removed from the encrypted file`));
      expect(r.stdout).toMatch(/delete or roll the old key in the Stripe Dashboard/);
      expectNoKeyInResult(old, r);
      expectNoKeyInResult(fresh, r);
      expect(await h.storedKey('acme', 'test')).toBe(fresh);
      const entries = Object.keys(JSON.parse(readFileSync(h.paths.keysFile, 'utf8')).entries);
      expect(entries).toHaveLength(1);
      expect(entries[0]).not.toContain(oldId);
      expect(h.metadataText()).toContain(`rk_test_…${fresh.slice(-4)}`);
      // With a single key, --mode may be left out.
      const again = await h.cli(['connections', 'rotate', 'acme', '--key-stdin'], { input: canaryKey() });
      expect(again.code, again.stderr).toBe(0);
    } finally {
      h.cleanup();
    }
  });

  it('any failure leaves the old key stored and working', async () => {
    const h = home();
    try {
      const old = canaryKey();
      await h.seed('acme', old);
      const before = h.metadataText();
      const cases: Array<[string, string[], RegExp, number]> = [
        [keys.revoked, ['--mode', 'test'], /Stripe did not accept the API key/, 1],
        [canaryKey('live'), ['--mode', 'test'], /--mode test was given, but this is a live-mode key/, 1],
        ['', ['--mode', 'test'], /No key was given/, 1],
        [canaryKey(), ['--mode', 'live'], /Connection "acme" has no live key \(it has: test\), so there is nothing to rotate.*connections add acme --mode live/, 1],
      ];
      for (const [key, flags, message, code] of cases) {
        const r = await h.cli(['connections', 'rotate', 'acme', '--key-stdin', ...flags], { input: key });
        expectFailure(r, message, code);
        expect(h.metadataText()).toBe(before);
        expect(await h.storedKey('acme', 'test')).toBe(old);
      }
      expectFailure(await h.cli(['connections', 'rotate', 'ghost', '--mode', 'test', '--key-stdin'], { input: canaryKey() }), /There is no connection named "ghost"/);
      const call = await h.cli(['call', 'get_balance', '--json']);
      expect(call.code, call.stderr).toBe(0);
      expect(JSON.parse(call.stdout)).toMatchObject({ connection: 'acme', mode: 'test' });
    } finally {
      h.cleanup();
    }
  });
});

describe('connections remove and default', () => {
  it('removes one mode, then the connection; the default moves to the one left', async () => {
    const h = home();
    try {
      const live = canaryKey('live');
      await h.seed('acme', canaryKey());
      await h.seed('acme', live);
      await h.seed('beta', canaryKey());
      const one = await h.cli(['connections', 'remove', 'acme', '--mode', 'live']);
      expect(one.code, one.stderr).toBe(0);
      expect(one.stdout).toMatch(new RegExp(`Removed the live key rk_live_…${live.slice(-4)} \\(encrypted file\\) of "acme"`));
      expect(one.stdout).toMatch(/still works until you delete it in the Stripe Dashboard/);
      expect(await h.storedKey('acme', 'live')).toBeUndefined();
      expect(Object.keys(JSON.parse(readFileSync(h.paths.keysFile, 'utf8')).entries).filter((e) => e.startsWith('acme/live'))).toEqual([]);
      const all = await h.cli(['connections', 'remove', 'acme']);
      expect(all.stdout).toMatch(/Connection "acme" is gone\. The default connection is now "beta"/);
      const metadata = await readMetadata(h.paths);
      expect(Object.keys(metadata.connections)).toEqual(['beta']);
      expect(metadata.default).toBe('beta');
      expect(Object.keys(JSON.parse(readFileSync(h.paths.keysFile, 'utf8')).entries)).toEqual([expect.stringMatching(/^beta\/test\//)]);
    } finally {
      h.cleanup();
    }
  });

  it('names that or modes that do not exist are clear errors', async () => {
    const h = home();
    try {
      await h.seed('acme', canaryKey());
      expectFailure(await h.cli(['connections', 'remove', 'ghost']), /There is no connection named "ghost"\. Configured: acme\.$/m);
      expectFailure(await h.cli(['connections', 'remove', 'acme', '--mode', 'live']), /Connection "acme" has no live key \(it has: test\), so there is nothing to remove/);
      expectFailure(await h.cli(['connections', 'default', 'ghost']), /There is no connection named "ghost"/);
      expectFailure(await h.cli(['connections', 'default', 'acme', '--mode', 'live']), /has no live key.*connections add acme --mode live/);
      expectFailure(await h.cli(['connections', 'remove']), /connections remove needs a connection NAME/, 2);
    } finally {
      h.cleanup();
    }
  });

  it('default sets the connection (and mode) a call uses when it names none', async () => {
    const h = home();
    try {
      await h.seed('acme', canaryKey());
      await h.seed('beta', canaryKey());
      await h.seed('beta', canaryKey('live'));
      const r = await h.cli(['connections', 'default', 'beta', '--mode', 'live']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/"beta" is now the default connection; calls that name no mode read live data/);
      expect(JSON.parse((await h.cli(['call', 'get_balance', '--json'])).stdout)).toMatchObject({ connection: 'beta', mode: 'live' });
      expect(JSON.parse((await h.cli(['call', 'get_balance', '{"connection":"acme"}', '--json'])).stdout)).toMatchObject({ connection: 'acme', mode: 'test' });
    } finally {
      h.cleanup();
    }
  });
});

describe('call with stored connections', () => {
  it('routes by --connection/--mode and refuses the other mode when pinned', async () => {
    const h = home();
    try {
      await h.seed('acme', canaryKey());
      await h.seed('acme', canaryKey('live'));
      const live = await h.cli(['call', 'list_customers', '{"limit":1}', '--mode', 'live', '--json']);
      expect(JSON.parse(live.stdout)).toMatchObject({ connection: 'acme', mode: 'live', count: 1 });
      const refused = await h.cli(['call', 'list_customers', '{"mode":"live"}', '--connection', 'acme', '--mode', 'test']);
      expectFailure(refused, /pinned to test mode/);
      expectFailure(await h.cli(['call', 'get_balance', '--connection', 'ghost']), /There is no connection named "ghost"/);
      expectFailure(await h.cli(['call', 'get_balance', '--demo', '--mode', 'live']), /--demo serves the connection "demo" in test mode only/, 2);
    } finally {
      h.cleanup();
    }
  });
});
