/**
 * The built CLI, as a deployment runs it: `serve --http` refusing unsafe setups with the reason (once as a process,
 * the other flags as the CLI reads them, in this process), `tokens` create/list/revoke (run in this process:
 * test/helpers/cli-in-process.ts), a served session over stored connections with a test-only token (both SDK
 * clients), and a graceful SIGTERM: the call in flight finishes, new ones are refused, the process exits 0.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { BIN, canaryKey, cleanEnv } from '../helpers/spawn.js';
import { addConnection, cliEnv, makeHome, runCli } from '../connections/helpers.js';
import { runCliInProcess } from '../helpers/cli-in-process.js';
import { failureOf } from '../../src/cli/run.js';
import { parseServeHttp } from '../../src/cli/serve-http.js';
import { bearer, connectClient, initializeBody, MCP_POST_HEADERS, rawRequest, textOf } from './helpers.js';

const posix = process.platform !== 'win32';

interface Served {
  child: ChildProcessWithoutNullStreams;
  url: string;
  stderr: () => string;
  stdout: () => string;
  exited: Promise<number | null>;
}

/** Starts `serve --http …` and waits for the line that says where it listens. */
function serveHttp(args: string[], env: Record<string, string>): Promise<Served> {
  const child = spawn(process.execPath, [BIN, 'serve', '--http', '--port', '0', ...args], { env: cleanEnv(env) });
  let stderr = '';
  let stdout = '';
  child.stdout.on('data', (c) => (stdout += c));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${stderr}`)), 15_000);
    child.stderr.on('data', (c) => {
      stderr += c;
      const m = /over HTTP at (http:\/\/\S+\/mcp)/.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]!, stderr: () => stderr, stdout: () => stdout, exited });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before listening:\n${stderr}`));
    });
  });
}

let emulator: EmulatorHandle;
let tmp: ReturnType<typeof makeHome>;
const testKey = canaryKey('test');
const liveKey = canaryKey('live');
const env = () => cliEnv(tmp.home, emulator.url);

beforeAll(async () => {
  emulator = await startEmulator();
  tmp = makeHome();
  for (const key of [testKey, liveKey]) await addConnection(tmp.home, emulator.url, 'acme', key);
});
afterAll(async () => {
  await emulator?.close();
  tmp?.cleanup();
});

/** What `serve --http ARGS` prints and exits with when its flags are refused: read in this process (no server starts). */
function refusalOf(args: string[]): { text: string; code: number } {
  try {
    parseServeHttp(['serve', '--http', ...args]);
  } catch (err) {
    return failureOf(err);
  }
  throw new Error(`serve --http ${args.join(' ')} was not refused`);
}

describe('serve --http refuses what it must not do', () => {
  it('--no-auth off loopback: the built CLI refuses to start (exit 2), says why, and prints no stack trace', async () => {
    const r = await runCli(['serve', '--http', '--no-auth', '--host', '0.0.0.0', '--port', '0'], { env: env(), killAfterMs: 10_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Refusing to start: --no-auth is only allowed on a loopback address/);
    expect(r.stderr).toMatch(/could read your Stripe data.*tokens create NAME/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(r.stdout).toBe('');
  });

  it.each(['0.0.0.0', '::', '192.0.2.10'])('--no-auth on %s: refused, saying why', (host) => {
    const r = refusalOf(['--no-auth', '--host', host, '--port', '0']);
    expect(r.code).toBe(2);
    expect(r.text).toMatch(/Refusing to start: --no-auth is only allowed on a loopback address/);
    expect(r.text).toMatch(/could read your Stripe data.*tokens create NAME/);
  });

  it.each([
    [['--oauth-issuer', 'http://auth.example.com', '--oauth-audience', 'x'], /must be an https:\/\/ URL \(http:\/\/ is accepted only on loopback\)/],
    [['--oauth-issuer', 'https://auth.example.com'], /--oauth-issuer and --oauth-audience go together/],
    [['--no-auth', '--oauth-issuer', 'https://a.example', '--oauth-audience', 'x'], /cannot go with --oauth-issuer/],
    [['--port', '99999'], /--port must be a whole number from 0 to 65535/],
    [['--rate-limit', 'lots'], /--rate-limit must be a whole number/],
    [['--allowed-origin', 'https://exa mple.com'], /is not an origin/],
    [['--demo', '--mode', 'live'], /--demo serves the connection "demo" in test mode only/],
  ])('%j: refused with a clear message (exit 2)', (args, message) => {
    const r = refusalOf(args);
    expect(r.code).toBe(2);
    expect(r.text).toMatch(message);
  });

  it('says why it cannot reach the authorization server', async () => {
    const r = await runCli(['serve', '--http', '--port', '0', '--oauth-issuer', 'http://127.0.0.1:9', '--oauth-audience', 'http://127.0.0.1/mcp'], { env: env(), killAfterMs: 15_000 });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Cannot start: Could not read the authorization server's metadata for http:\/\/127\.0\.0\.1:9/);
  });

  it('accepts --no-auth on loopback (demo data)', async () => {
    const served = await serveHttp(['--no-auth', '--demo'], {});
    try {
      expect(served.stderr()).toMatch(/auth OFF \(--no-auth, loopback only\)/);
      const client = await connectClient('v2', served.url);
      const result = await client.callTool({ name: 'get_balance', arguments: {} });
      expect(result.isError, textOf(result)).toBeFalsy();
      await client.close();
    } finally {
      served.child.kill('SIGTERM');
      await served.exited;
    }
  });
});

describe('tokens', () => {
  it('creates a token, prints it once on stdout, keeps only its hash (0600), lists and revokes it', async () => {
    const created = await runCliInProcess(['tokens', 'create', 'cursor-laptop', '--connection', 'acme', '--mode', 'test'], { env: env() });
    expect(created.code, created.stderr).toBe(0);
    const token = created.stdout.trim();
    expect(token).toMatch(/^srmcp_[A-Za-z0-9_-]{43}$/);
    expect(created.stderr).toMatch(/shown only this once/);
    expect(created.stderr).toMatch(/may read test mode on connection "acme"/);
    expect(created.stderr).not.toContain(token.slice(6));

    const file = join(tmp.home, 'tokens.json');
    const stored = readFileSync(file, 'utf8');
    expect(stored).not.toContain(token.slice(6));
    expect(JSON.parse(stored).tokens[0]).toMatchObject({ name: 'cursor-laptop', connection: 'acme', mode: 'test', hint: `srmcp_…${token.slice(-4)}` });
    if (posix) expect(statSync(file).mode & 0o777).toBe(0o600);

    const again = await runCliInProcess(['tokens', 'create', 'cursor-laptop'], { env: env() });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already a token named "cursor-laptop"/);
    expect(again.stdout).toBe('');

    const list = await runCliInProcess(['tokens', 'list'], { env: env() });
    expect(list.stdout).toMatch(/cursor-laptop\s+srmcp_…\S{4}\s+test mode on connection "acme"/);
    expect(list.stdout).not.toContain(token.slice(6));
    const json = JSON.parse((await runCliInProcess(['tokens', 'list', '--json'], { env: env() })).stdout);
    expect(json[0]).not.toHaveProperty('sha256');

    const revoked = await runCliInProcess(['tokens', 'revoke', 'cursor-laptop'], { env: env() });
    expect(revoked.code).toBe(0);
    expect(revoked.stderr).toMatch(/revoked/);
    expect((await runCliInProcess(['tokens', 'revoke', 'cursor-laptop'], { env: env() })).code).toBe(1);
    expect((await runCliInProcess(['tokens', 'list'], { env: env() })).stdout).toMatch(/No tokens yet/);
  });

  it('explains bad use', async () => {
    expect((await runCliInProcess(['tokens', 'create'], { env: env() })).stderr).toMatch(/tokens create needs a token NAME, e\.g\. stripe-readonly-mcp tokens create alice/);
    expect((await runCliInProcess(['tokens', 'create', 'a', 'b'], { env: env() })).stderr).toMatch(/tokens create takes one NAME \(got 2 arguments\)/);
    expect((await runCliInProcess(['tokens', 'list', 'a'], { env: env() })).stderr).toMatch(/tokens list takes no NAME/);
    expect((await runCliInProcess(['tokens', 'create', 'x', '--mode', 'prod'], { env: env() })).stderr).toMatch(/--mode must be test or live/);
    expect((await runCliInProcess(['tokens', 'create', '-bad-'], { env: env() })).code).not.toBe(0);
    expect((await runCliInProcess(['tokens', 'revoke', 'x', '--mode', 'test'], { env: env() })).stderr).toMatch(/tokens revoke does not take --mode \(it takes no flags\)/);
    expect((await runCliInProcess(['tokens', 'list', '--mode', 'test'], { env: env() })).stderr).toMatch(/tokens list does not take --mode \(it takes --json\)/);
  });
});

describe('serve --http --mode test', () => {
  it('never reads the live key, whatever a token that may read both modes asks for', async () => {
    const token = (await runCliInProcess(['tokens', 'create', 'both-modes'], { env: env() })).stdout.trim();
    const served = await serveHttp(['--mode', 'test'], env());
    try {
      expect(served.stderr()).toMatch(/every caller is limited to test mode on every connection/);
      const client = await connectClient('v1', served.url, bearer(token));
      const live = await client.callTool({ name: 'get_balance', arguments: { mode: 'live' } });
      expect(live.isError).toBe(true);
      expect(textOf(live)).toMatch(/may not read live-mode data/);
      const test = await client.callTool({ name: 'get_balance', arguments: {} });
      expect(test.isError, textOf(test)).toBeFalsy();
      expect(test.structuredContent).toMatchObject({ connection: 'acme', mode: 'test' });
      await client.close();
    } finally {
      served.child.kill('SIGTERM');
      await served.exited;
    }
    expect(served.stderr()).not.toContain(liveKey.slice(8));
  });
});

describe('a served session over stored connections', () => {
  let served: Served;
  let token: string;
  beforeAll(async () => {
    token = (await runCliInProcess(['tokens', 'create', 'test-only', '--mode', 'test'], { env: env() })).stdout.trim();
    served = await serveHttp([], env());
  });
  afterAll(async () => {
    if (served.child.exitCode === null) {
      served.child.kill('SIGKILL');
      await served.exited;
    }
  });

  it.each(['v2', 'v1'] as const)('serves the %s client test data and refuses live data to a test-only token', async (era) => {
    const client = await connectClient(era, served.url, bearer(token));
    const ok = await client.callTool({ name: 'list_customers', arguments: { limit: 2 } });
    expect(ok.isError, textOf(ok)).toBeFalsy();
    expect(ok.structuredContent).toMatchObject({ connection: 'acme', mode: 'test' });
    const live = await client.callTool({ name: 'list_customers', arguments: { limit: 2, mode: 'live' } });
    expect(live.isError).toBe(true);
    expect(textOf(live)).toMatch(/may not read live-mode data/);
    await client.close();
  });

  it('refuses a request without a token, and logs neither keys nor tokens', async () => {
    const r = await rawRequest(served.url, { method: 'POST', headers: MCP_POST_HEADERS, body: initializeBody() });
    expect(r.status).toBe(401);
    const log = served.stderr();
    for (const secret of [token.slice(6), testKey.slice(8), liveKey.slice(8)]) expect(log.includes(secret)).toBe(false);
    expect(served.stdout()).toBe('');
  });

  it('drains on SIGTERM: the call in flight finishes, new requests are refused, exit 0', async () => {
    emulator.setLatency(1200);
    try {
      const client = await connectClient('v2', served.url, bearer(token));
      const inFlight = client.callTool({ name: 'get_balance', arguments: {} });
      await new Promise((r) => setTimeout(r, 300));
      served.child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 200));
      const late = await rawRequest(served.url, { method: 'POST', headers: { ...MCP_POST_HEADERS, ...bearer(token) }, body: initializeBody() }).then(
        (res) => res.status,
        (err: NodeJS.ErrnoException) => err.code,
      );
      expect(['ECONNREFUSED', 'ECONNRESET', 503]).toContain(late);
      const result = await inFlight;
      expect(result.isError, textOf(result)).toBeFalsy();
      expect(await served.exited).toBe(0);
      expect(served.stderr()).toMatch(/SIGTERM: refusing new requests, letting 1 in flight finish/);
      expect(served.stderr()).toMatch(/stopped\./);
    } finally {
      emulator.setLatency(0);
    }
  });
});
