/**
 * The MCP Bundle (issue 15): `npm run bundle` packs it; here it is built into a temporary folder, unpacked with
 * @anthropic-ai/mcpb's own unpacker, and started exactly as its manifest's mcp_config says, with user_config filled
 * in by mcpb's own substitution (the code Claude Desktop uses), far from any node_modules. Tools are called over
 * stdio against the emulator in both modes, pinned and not. The same build writes a copy of server.json (the MCP
 * registry entry: `npm run bundle -- --server-json`), whose SHA-256 must be the built bundle's.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getMcpConfigForManifest, unpackExtension, type McpbManifestAny } from '@anthropic-ai/mcpb';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { TOOLS } from '../../src/tools/index.js';
import { canaryKey, cleanEnv } from '../helpers/spawn.js';
import { expectNoKey } from '../connections/helpers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
let work: string;
let dir: string;
let manifest: McpbManifestAny & { user_config: Record<string, { sensitive?: boolean; required?: boolean; default?: unknown }> };
let emulator: EmulatorHandle;
const testKey = canaryKey('test');
const liveKey = canaryKey('live');

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'srm-mcpb-'));
  copyFileSync(join(ROOT, 'server.json'), join(work, 'server.json'));
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'bundle.mjs'), '--out', join(work, 'stripe-readonly-mcp.mcpb'), '--server-json', join(work, 'server.json')], { cwd: ROOT, stdio: 'pipe' });
  dir = join(work, 'unpacked');
  expect(await unpackExtension({ mcpbPath: join(work, 'stripe-readonly-mcp.mcpb'), outputDir: dir, silent: true })).toBe(true);
  manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  emulator = await startEmulator();
}, 120_000);
afterAll(async () => {
  await emulator?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

function files(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((f) => statSync(join(root, f)).isFile())
    .map((f) => f.split(sep).join('/'))
    .sort();
}

/** Starts the server as the host would: mcp_config with user_config substituted by mcpb itself. */
async function start(userConfig: Record<string, string>) {
  const config = await getMcpConfigForManifest({ manifest, extensionPath: dir, systemDirs: {}, userConfig, pathSeparator: sep });
  if (!config) throw new Error('mcpb gave no mcp_config (required user_config missing?)');
  // Only the emulator's address is ours: the host passes exactly the manifest's env (plus its own PATH etc.).
  const env = cleanEnv({ ...(config.env ?? {}), STRIPE_API_BASE: emulator.url });
  const transport = new StdioClientTransport({ command: config.command, args: config.args ?? [], env, cwd: work, stderr: 'pipe' });
  let stderr = '';
  transport.stderr?.on('data', (c) => (stderr += c));
  const client = new Client({ name: 'mcpb-test', version: '1' });
  await client.connect(transport);
  const call = async (name: string, args: Record<string, unknown> = {}) => {
    const r = await client.callTool({ name, arguments: args });
    return { isError: r.isError === true, text: ((r.content ?? []) as Array<{ text?: string }>).map((c) => c.text ?? '').join('\n'), structured: r.structuredContent as Record<string, unknown> | undefined };
  };
  return { client, call, config, stderr: () => stderr, close: () => client.close() };
}

describe('the bundle', () => {
  it("npm run bundle -- --server-json writes the built bundle's SHA-256 and the version into server.json, and nothing else", () => {
    type ServerJson = { version: string; packages: Array<{ registryType: string; fileSha256?: string }> };
    const server = JSON.parse(readFileSync(join(ROOT, 'server.json'), 'utf8')) as ServerJson;
    const written = JSON.parse(readFileSync(join(work, 'server.json'), 'utf8')) as ServerJson;
    const mcpb = written.packages.find((p) => p.registryType === 'mcpb')!;
    expect(mcpb.fileSha256).toBe(createHash('sha256').update(readFileSync(join(work, 'stripe-readonly-mcp.mcpb'))).digest('hex'));
    expect(written.version).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
    // Everything else as it was: the bundle's SHA-256 set aside, the version compared above.
    const rest = (file: ServerJson) => ({ ...file, version: '', packages: file.packages.map(({ fileSha256: _sha, ...p }) => p) });
    expect(rest(written)).toEqual(rest(server));
  });

  it('has a manifest listing every tool, promising read-only, asking for keys as sensitive fields', () => {
    expect(manifest.name).toBe('stripe-readonly-mcp');
    expect(manifest.version).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
    expect((manifest.tools ?? []).map((t) => t.name)).toEqual(TOOLS.map((t) => t.name));
    expect(manifest.description).toMatch(/without any way to change it: the server can only send GET requests to Stripe/);
    expect(manifest.user_config.test_key).toMatchObject({ type: 'string', sensitive: true, required: true });
    expect(manifest.user_config.live_key).toMatchObject({ type: 'string', sensitive: true, required: false });
    expect(manifest.user_config.mode).toMatchObject({ type: 'string', required: false });
    expect(manifest.user_config.mode?.sensitive).toBeFalsy();
    expect(manifest.server.mcp_config.args?.[0]).toBe('${__dirname}/server/index.js');
  });

  it('holds the server as one JavaScript file: no node_modules, no native module, nothing to install', () => {
    const all = files(dir);
    expect(all).toEqual(['LICENSE', 'manifest.json', 'package.json', 'server/index.js', 'server/tool-schemas.json']);
    expect(readFileSync(join(dir, 'server', 'index.js'), 'utf8')).not.toMatch(/\.node['"]\)/);
    expect(relative(ROOT, dir).startsWith('..')).toBe(true); // far from the checkout's node_modules
  });

  it('serves both modes from the keys the host passes; test by default; no key in its log', async () => {
    const s = await start({ test_key: testKey, live_key: liveKey });
    try {
      expect((await s.client.listTools()).tools.map((t) => t.name)).toEqual(TOOLS.map((t) => t.name));
      expect((await s.call('get_balance')).structured).toMatchObject({ connection: 'env', mode: 'test' });
      const live = await s.call('list_customers', { mode: 'live', limit: 2 });
      expect(live.isError, live.text).toBe(false);
      expect(live.structured).toMatchObject({ connection: 'env', mode: 'live', count: 2 });
      const test = await s.call('list_customers', { limit: 2 });
      expect(test.structured).toMatchObject({ mode: 'test' });
      expect(JSON.stringify(test.structured)).not.toBe(JSON.stringify(live.structured));
      expect(s.stderr()).toMatch(/connection "env": test mode, key rk_test_…\w{4} from STRIPE_API_KEY_TEST; live mode, key rk_live_…\w{4} from STRIPE_API_KEY_LIVE/);
      expectNoKey(testKey, s.stderr());
      expectNoKey(liveKey, s.stderr());
    } finally {
      await s.close();
    }
  });

  it('without the optional live key, a live call says what to do; with the mode pin, the other mode is refused', async () => {
    const testOnly = await start({ test_key: testKey });
    try {
      expect((await testOnly.call('get_balance')).structured).toMatchObject({ mode: 'test' });
      const live = await testOnly.call('get_balance', { mode: 'live' });
      expect(live.isError).toBe(true);
      expect(live.text).toMatch(/has only a test-mode key.*STRIPE_API_KEY_LIVE/);
    } finally {
      await testOnly.close();
    }
    const pinned = await start({ test_key: testKey, live_key: liveKey, mode: 'live' });
    try {
      expect((await pinned.call('get_balance')).structured).toMatchObject({ mode: 'live' });
      const test = await pinned.call('get_balance', { mode: 'test' });
      expect(test.isError).toBe(true);
      expect(test.text).toMatch(/pinned to live mode/);
      expect(pinned.stderr()).not.toMatch(/rk_test_/); // the test key is not even described
    } finally {
      await pinned.close();
    }
  });
});
