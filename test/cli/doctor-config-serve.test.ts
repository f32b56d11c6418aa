/**
 * doctor, config and serve with stored connections: what a user sees, what an MCP client is told to launch (never a
 * key), and a served session that reads keys from the store (pinned and not). doctor and config run the CLI's main()
 * in this process (test/helpers/cli-in-process.ts); serve runs the built CLI, as a client starts it.
 */
import { chmodSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveHome } from '../../src/connections/paths.js';
import { TOOLS } from '../../src/tools/index.js';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { runCliInProcess } from '../helpers/cli-in-process.js';
import { BIN, canaryKey, cleanEnv } from '../helpers/spawn.js';
import { addConnection, cliEnv, descendantsOf, expectNoKey, makeHome, secretPart } from '../connections/helpers.js';

const posix = process.platform !== 'win32';
let emulator: EmulatorHandle;
let revokedThere: EmulatorHandle;
let tmp: ReturnType<typeof makeHome>;
const testKey = canaryKey('test');
const liveKey = canaryKey('live');

const cli = (args: string[], options: { env?: Record<string, string>; apiBase?: string; input?: string } = {}) =>
  runCliInProcess(args, { env: cliEnv(tmp.home, options.apiBase ?? emulator.url, options.env), ...(options.input !== undefined ? { input: options.input } : {}) });

beforeAll(async () => {
  emulator = await startEmulator();
  revokedThere = await startEmulator({ keys: { [liveKey]: { mode: 'live', revoked: true } } });
  tmp = makeHome();
  await addConnection(tmp.home, emulator.url, 'acme', testKey);
  await addConnection(tmp.home, emulator.url, 'acme', liveKey);
});
afterAll(async () => {
  await emulator?.close();
  await revokedThere?.close();
  tmp?.cleanup();
});

describe('doctor', () => {
  it('shows Node, the folder and why, permissions, the store and why, and each connection verified', async () => {
    const paths = resolveHome({ STRIPE_MCP_HOME: tmp.home });
    const r = await cli(['doctor']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(`ok    Node.js ${process.version}`);
    expect(r.stdout).toContain(`Folder ${paths.dir} (from STRIPE_MCP_HOME)`);
    if (posix) {
      expect(r.stdout).toContain(`ok    folder: ${paths.dir} (permissions 700)`);
      expect(r.stdout).toContain(`ok    connections (metadata, no keys): ${paths.connectionsFile} (permissions 600)`);
      expect(r.stdout).toContain(`ok    encrypted key file: ${paths.keysFile} (permissions 600)`);
    }
    expect(r.stdout).toMatch(/OS keychain: (usable|not usable: .+)/);
    expect(r.stdout).toMatch(/ok    Key store for new keys: encrypted file .*keys\.enc \(STRIPE_MCP_KEYSTORE=file\)/);
    expect(r.stdout).toMatch(/ok    Encrypted file's master key: STRIPE_MCP_MASTER_KEY/);
    expect(r.stdout).toMatch(/STRIPE_API_KEY: not set/);
    expect(r.stdout).toMatch(/Stored connections: 1, default "acme"/);
    expect(r.stdout).toMatch(new RegExp(`ok    acme \\(test, default mode\\) rk_test_…${testKey.slice(-4)} in the encrypted file: Stripe accepts it; Northwind Cloud \\(acct_\\w+\\), USD`));
    expect(r.stdout).toMatch(/ok    acme \(live\) rk_live_…\w{4} in the encrypted file: Stripe accepts it/);
    expect(r.stdout).toMatch(/Everything looks fine\.$/m);
    // What doctor printed (in process, so no argv of its own to check: test/cli/argv-key-guard.test.ts has that).
    expectNoKey(testKey, r.stdout, r.stderr);
    expectNoKey(liveKey, r.stdout, r.stderr);
  });

  it('fails (exit 1) on a revoked key, loose permissions and a bad setting, saying what to do', async () => {
    const revoked = await cli(['doctor'], { apiBase: revokedThere.url });
    expect(revoked.code).toBe(1);
    expect(revoked.stdout).toMatch(/FAIL  acme \(live\) .*Stripe did not accept the API key/);
    expect(revoked.stdout).toMatch(/1 problem found/);
    const offline = await cli(['doctor', '--offline'], { apiBase: revokedThere.url });
    expect(offline.code).toBe(0);
    expect(offline.stdout).toMatch(/key readable \(not checked with Stripe: --offline\)/);
    const bad = await cli(['doctor', '--offline'], { env: { STRIPE_MCP_KEYSTORE: 'vault' } });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/FAIL  STRIPE_MCP_KEYSTORE must be auto, keychain or file \(got "vault"\)/);
    if (posix) {
      const paths = resolveHome({ STRIPE_MCP_HOME: tmp.home });
      chmodSync(paths.connectionsFile, 0o644);
      try {
        const loose = await cli(['doctor', '--offline']);
        expect(loose.code).toBe(1);
        expect(loose.stdout).toContain(`chmod 600 '${paths.connectionsFile}'`);
        // The server still starts and lists its tools; calls say what is wrong.
        const call = await cli(['call', 'get_balance']);
        expect(call.code).toBe(1);
        expect(call.stderr).toContain(`chmod 600 '${paths.connectionsFile}'`);
      } finally {
        chmodSync(paths.connectionsFile, 0o600);
      }
    }
  });

  it('with nothing configured, says how to start', async () => {
    const empty = makeHome();
    try {
      const r = await runCliInProcess(['doctor', '--offline'], { env: cliEnv(empty.home, emulator.url) });
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/not created yet/);
      expect(r.stdout).toMatch(/No stored connections\. Add one with: stripe-readonly-mcp connections add NAME/);
    } finally {
      empty.cleanup();
    }
  });
});

describe('config', () => {
  const jsonOf = (text: string) => JSON.parse(text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1));

  it('prints a snippet for each client that launches the server on a connection, with no key in it', async () => {
    for (const client of ['claude', 'cursor', 'vscode']) {
      const r = await cli(['config', client, '--connection', 'acme']);
      expect(r.code, r.stderr).toBe(0);
      const json = jsonOf(r.stdout);
      const entry = client === 'vscode' ? json.servers['stripe-acme'] : json.mcpServers['stripe-acme'];
      // This checkout is a clone: the entry runs this Node and this entry point (the other ways in: test/cli/install-ways.test.ts
      // and test/packaging/install.test.ts).
      expect(entry).toMatchObject({ command: process.execPath, args: [realpathSync(BIN), '--connection', 'acme'], env: { STRIPE_MCP_HOME: tmp.home } });
      if (client === 'vscode') expect(entry.type).toBe('stdio');
      expect(r.stdout).not.toMatch(/STRIPE_API_KEY|rk_|sk_/);
      expect(r.stdout).toMatch(/holds no key/);
      expectNoKey(testKey, r.stdout, r.stderr);
    }
    const claude = await cli(['config', 'claude', '--connection', 'acme']);
    expect(claude.stdout).toMatch(/claude_desktop_config\.json/);
    const code = await cli(['config', 'claude-code', '--connection', 'acme', '--mode', 'live']);
    expect(code.stdout).toContain(`claude mcp add stripe-acme-live --env STRIPE_MCP_HOME=${tmp.home} -- ${process.execPath} ${realpathSync(BIN)} --connection acme --mode live`);
  });

  it('refuses connections and modes that do not exist, and explains what an unpinned entry serves', async () => {
    const ghost = await cli(['config', 'claude', '--connection', 'ghost']);
    expect(ghost.code).toBe(1);
    expect(ghost.stderr).toMatch(/There is no connection named "ghost"\. Configured: acme\..*connections add ghost/);
    const env = await cli(['config', 'cursor', '--connection', 'env']);
    expect(env.code).toBe(2);
    const bad = await cli(['config', 'emacs']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/config needs one of: claude, cursor, vscode, claude-code/);
    const empty = makeHome();
    try {
      const r = await runCliInProcess(['config', 'vscode'], { env: cliEnv(empty.home, emulator.url) });
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/No connection is stored yet: add one first/);
      expect(jsonOf(r.stdout).servers.stripe.args).toEqual([realpathSync(BIN)]);
    } finally {
      empty.cleanup();
    }
  });

  it('mcp.json.example names a connection and holds no key', () => {
    const text = readFileSync(new URL('../../mcp.json.example', import.meta.url), 'utf8');
    const json = JSON.parse(text);
    expect(text).not.toMatch(/STRIPE_API_KEY|rk_(test|live)_|sk_(test|live)_/);
    const entries = Object.values(json.mcpServers) as Array<{ args: string[] }>;
    expect(entries.some((e) => e.args.includes('--connection'))).toBe(true);
    expect(entries.some((e) => e.args.includes('--demo'))).toBe(true);
  });
});

describe('serve with stored connections', () => {
  async function session(args: string[], env: Record<string, string> = {}) {
    const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, ...args], env: cleanEnv(cliEnv(tmp.home, emulator.url, env)), stderr: 'pipe' });
    let stderr = '';
    transport.stderr?.on('data', (c) => (stderr += c));
    const client = new Client({ name: 'serve-test', version: '1' });
    await client.connect(transport);
    const pid = transport.pid!;
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    const call = async (name: string, a: Record<string, unknown> = {}) => {
      const r = await client.callTool({ name, arguments: a });
      return { isError: r.isError === true, text: ((r.content ?? []) as Array<{ text?: string }>).map((c) => c.text ?? '').join('\n'), structured: r.structuredContent };
    };
    return { client, call, pid, argv, stderr: () => stderr, close: () => client.close() };
  }

  it('reads keys from the store for the routed mode; pinned, it serves one connection and mode only', async () => {
    const open = await session([]);
    try {
      expect((await open.call('get_balance', {})).structured).toMatchObject({ connection: 'acme', mode: 'test' });
      expect((await open.call('get_balance', { mode: 'live' })).structured).toMatchObject({ connection: 'acme', mode: 'live' });
      expect(open.stderr()).toMatch(/connection "acme" \(default\): test rk_test_…\w{4} \(encrypted file\), live rk_live_…\w{4} \(encrypted file\)/);
    } finally {
      await open.close();
    }
    const pinned = await session(['serve', '--connection', 'acme', '--mode', 'test']);
    try {
      const { tools } = await pinned.client.listTools();
      expect((tools[0]!.inputSchema.properties as Record<string, { enum?: string[] }>).connection?.enum).toEqual(['acme']);
      expect((await pinned.call('list_customers', { limit: 1 })).structured).toMatchObject({ connection: 'acme', mode: 'test' });
      const live = await pinned.call('list_customers', { mode: 'live' });
      expect(live.isError).toBe(true);
      expect(live.text).toMatch(/pinned to test mode/);
      expect(pinned.stderr()).toMatch(/pinned to connection "acme", test mode only/);
      // The key is nowhere: not in argv, not in any process this one started, not in the log.
      expectNoKey(testKey, pinned.argv, pinned.stderr(), ...descendantsOf(pinned.pid));
      expectNoKey(liveKey, pinned.argv, pinned.stderr());
    } finally {
      await pinned.close();
    }
  });

  it('starts and lists its tools even when connections.json is damaged; calls say which file and what to do', async () => {
    const damaged = makeHome();
    try {
      const paths = resolveHome({ STRIPE_MCP_HOME: damaged.home });
      const { mkdirSync } = await import('node:fs');
      mkdirSync(paths.dir, { mode: 0o700 });
      writeFileSync(paths.connectionsFile, '{"version": 1, "connections": {', { mode: 0o600 });
      const transport = new StdioClientTransport({ command: process.execPath, args: [BIN], env: cleanEnv(cliEnv(damaged.home, emulator.url)), stderr: 'pipe' });
      const client = new Client({ name: 'serve-test', version: '1' });
      await client.connect(transport);
      try {
        expect((await client.listTools()).tools).toHaveLength(TOOLS.length);
        const r = await client.callTool({ name: 'get_balance', arguments: {} });
        expect(r.isError).toBe(true);
        expect(JSON.stringify(r.content)).toContain(`${paths.connectionsFile} is damaged`);
      } finally {
        await client.close();
      }
      expect(readFileSync(paths.connectionsFile, 'utf8')).toBe('{"version": 1, "connections": {');
    } finally {
      damaged.cleanup();
    }
  });

  it('no result of a served session ever holds a stored key', async () => {
    const s = await session([]);
    try {
      const texts: string[] = [JSON.stringify(await s.client.listTools())];
      for (const mode of ['test', 'live']) {
        for (const name of ['list_customers', 'list_charges', 'get_balance', 'list_payouts']) texts.push(JSON.stringify(await s.call(name, { mode })));
      }
      texts.push(JSON.stringify(await s.call('get_balance', { connection: 'nope' })));
      for (const t of texts) {
        expect(t).not.toContain(secretPart(testKey));
        expect(t).not.toContain(secretPart(liveKey));
      }
      expectNoKey(testKey, s.stderr(), ...descendantsOf(s.pid));
    } finally {
      await s.close();
    }
  });
});
