/**
 * "Loopback means the address" (issue 11 items 4 and 8): --no-auth only when every address the host resolves to is
 * loopback; bracketed and IPv4-mapped hosts work; the URL the server prints is one its own Host check accepts; a
 * Host with user info is a clear 400, not a 500; keys.enc being a folder is a clear message, not "a bug".
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkListenHost } from '../../src/cli/serve-http.js';
import { isLoopbackAddress } from '../../src/server/http/net.js';
import { resolveHome } from '../../src/connections/paths.js';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { BIN, canaryKey, cleanEnv } from '../helpers/spawn.js';
import { cliEnv, makeHome, runCli } from '../connections/helpers.js';
import { bearer, connectClient, MCP_POST_HEADERS, rawRequest, startHttpHarness, textOf, type HttpHarness } from './helpers.js';

const lookupTo = (addresses: string[]) => async () => addresses;

describe('--no-auth and what the host resolves to', () => {
  it('knows loopback addresses in every form, and nothing else', () => {
    for (const a of ['127.0.0.1', '127.0.0.2', '127.255.255.254', '::1', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', '::ffff:7f00:1', '[::1]']) {
      expect(isLoopbackAddress(a), a).toBe(true);
    }
    for (const a of ['0.0.0.0', '::', '10.0.0.1', '128.0.0.1', '::ffff:10.0.0.1', '::2', 'fd00::2', 'localhost', 'evil.localhost', '1.127.0.0']) {
      expect(isLoopbackAddress(a), a).toBe(false);
    }
  });

  it('refuses a name that resolves to a non-loopback address (evil.localhost -> 0.0.0.0), naming the address', async () => {
    await expect(checkListenHost('evil.localhost', true, lookupTo(['0.0.0.0']))).rejects.toThrow(
      /Refusing to start: --no-auth is only allowed on a loopback address.*evil\.localhost resolves to 0\.0\.0\.0/,
    );
    await expect(checkListenHost('localhost', true, lookupTo(['127.0.0.1', '192.0.2.7']))).rejects.toThrow(/resolves to 127\.0\.0\.1, 192\.0\.2\.7/);
  });

  it('accepts a name whose every address is loopback, and binds the address it checked (no second lookup)', async () => {
    let lookups = 0;
    const lookup = async () => {
      lookups++;
      return ['127.0.0.1', '::1'];
    };
    expect(await checkListenHost('localhost', true, lookup)).toBe('127.0.0.1');
    expect(lookups).toBe(1);
    expect(await checkListenHost('[::1]', true, lookupTo([]))).toBe('::1');
    expect(await checkListenHost('::ffff:127.0.0.1', true, lookupTo([]))).toBe('::ffff:127.0.0.1');
  });

  it('says clearly when a host does not resolve', async () => {
    const fail = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND nowhere.invalid'), { code: 'ENOTFOUND' });
    };
    await expect(checkListenHost('nowhere.invalid', false, fail)).rejects.toThrow(/--host nowhere\.invalid does not resolve to an address/);
  });
});

/**
 * Starts `serve --http --no-auth --host HOST` on the emulator's data (STRIPE_API_KEY; one emulator for every host,
 * where --demo would generate the dataset again in each server) and waits for the URL it prints.
 */
function serve(host: string, emulator: EmulatorHandle): Promise<{ child: ChildProcessWithoutNullStreams; url: string; stderr: () => string }> {
  const env = cleanEnv({ STRIPE_API_KEY: emulator.keys.test, STRIPE_API_BASE: emulator.url });
  const child = spawn(process.execPath, [BIN, 'serve', '--http', '--no-auth', '--port', '0', '--host', host], { env });
  let stderr = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed:\n${stderr}`)), 20_000);
    child.stderr.on('data', (c) => {
      stderr += c;
      const m = /over HTTP at (http:\/\/\S+\/mcp)/.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]!, stderr: () => stderr });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code}:\n${stderr}`));
    });
  });
}

describe('the URL serve --http prints', () => {
  let emulator: EmulatorHandle;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(async () => emulator?.close());

  it.each(['[::1]', '::1', '127.0.0.2', '::ffff:127.0.0.1', 'localhost'])('--host %s: the printed URL is served (its Host is accepted)', async (host) => {
    const served = await serve(host, emulator);
    try {
      const client = await connectClient('v2', served.url);
      const result = await client.callTool({ name: 'get_balance', arguments: {} });
      expect(result.isError, textOf(result)).toBeFalsy();
      await client.close();
    } finally {
      served.child.kill('SIGKILL');
    }
  }, 30_000);
});

describe('a Host header with user info', () => {
  let h: HttpHarness;
  let token: string;
  beforeAll(async () => {
    h = await startHttpHarness();
    token = await h.token('host-userinfo');
  });
  afterAll(async () => h?.close());

  it.each(['evil.com@localhost', 'evil.com@127.0.0.1:1', 'localhost/x', 'local host', 'localhost:99999', 'localhost:'])('Host %j: a clear 400, not a 500', async (host) => {
    const r = await rawRequest(h.url, {
      method: 'POST',
      headers: { ...MCP_POST_HEADERS, ...bearer(token), host, 'mcp-protocol-version': '2025-06-18' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(r.status, r.body.slice(0, 300)).toBe(400);
    expect(JSON.parse(r.body).error.message).toMatch(/Bad Request: the Host header .* is not a host name with an optional port/);
  });
});

describe('keys.enc that is a folder', () => {
  let emulator: EmulatorHandle;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(async () => emulator?.close());

  it('is a clear message naming it, not "Unexpected error… This is a bug"', async () => {
    const tmp = makeHome();
    try {
      mkdirSync(resolveHome({ STRIPE_MCP_HOME: tmp.home }).keysFile, { recursive: true, mode: 0o700 });
      const r = await runCli(['connections', 'add', 'acme', '--key-stdin'], { env: cliEnv(tmp.home, emulator.url), input: `${canaryKey()}\n` });
      expect(r.code).toBe(1);
      expect(r.stderr).not.toMatch(/This is a bug|Unexpected error/);
      expect(r.stderr).toMatch(/keys\.enc is a folder, not a file.*Nothing was changed/);
    } finally {
      tmp.cleanup();
    }
  }, 30_000);
});
