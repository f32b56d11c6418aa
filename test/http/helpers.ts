/**
 * HTTP test harness: the real HTTP server (in process) over a StaticRouter to the Stripe emulator, spoken to by
 * the real v2 and v1 SDK clients over real loopback HTTP. Static tokens live in a temporary home.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as StreamableHTTPClientTransportV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { resolveHome, type HomePaths } from '../../src/connections/paths.js';
import { StaticRouter, type ConnectionKeys } from '../../src/connections/router.js';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import type { ServerPin } from '../../src/server/http/access.js';
import { Authenticator } from '../../src/server/http/auth.js';
import { defaultAllowedHosts, OriginPolicy } from '../../src/server/http/net.js';
import { OAuthResourceServer } from '../../src/server/http/oauth.js';
import { startHttpServer, type HttpServerHandle, type HttpServerOptions } from '../../src/server/http/server.js';
import { TokenAdmin, TokenVerifierStore } from '../../src/server/http/token-store.js';
import { TEST_ANCHOR } from '../helpers/harness.js';

export interface HttpHarness {
  emulator: EmulatorHandle;
  handle: HttpServerHandle;
  url: string;
  admin: TokenAdmin;
  /** The temporary home (users.json, oauth state …). */
  paths: HomePaths;
  logs: string[];
  /** A static token with these grants. */
  token(name: string, grant?: { connection?: string; mode?: 'test' | 'live' }): Promise<string>;
  close(): Promise<void>;
}

export interface HttpHarnessOptions {
  noAuth?: boolean;
  oauth?: { issuer: string; audience: string; leewaySeconds?: number };
  /** Default 0 (any free port). */
  port?: number;
  pin?: ServerPin;
  publicUrl?: string;
  allowedHosts?: string[];
  allowedOrigins?: string[];
  server?: Partial<Pick<HttpServerOptions, 'maxBodyBytes' | 'maxConcurrent' | 'maxConcurrentPerCaller' | 'bodyTimeoutMs' | 'rateLimitPerMinute' | 'headerTimeoutMs' | 'idleTimeoutMs'>>;
  /** Default: "acme" with both keys, default mode LIVE (so a test-only caller is seen to be held to test), and "globex" (test only). */
  connections?: (emulator: EmulatorHandle) => ConnectionKeys[];
  emulator?: EmulatorHandle;
  /** The built-in authorization server (sign-in pages under /oauth/). */
  builtInAuth?: boolean;
  /** With builtInAuth: the /connections page (webpage's), given the sign-in's parts. */
  connectionsPage?: Parameters<typeof import('../../src/server/http/authserver/index.js').startBuiltInAuth>[1];
  /** Reuse this home (a restart test); default: a fresh temporary one. */
  home?: string;
}

export async function startHttpHarness(options: HttpHarnessOptions = {}): Promise<HttpHarness> {
  const ownEmulator = !options.emulator;
  const emulator = options.emulator ?? (await startEmulator({ anchor: TEST_ANCHOR }));
  const connections = options.connections?.(emulator) ?? [
    { name: 'acme', keys: { test: emulator.keys.test, live: emulator.keys.live }, defaultMode: 'live', apiBase: emulator.url },
    { name: 'globex', keys: { test: emulator.keys.test }, defaultMode: 'test', apiBase: emulator.url },
  ];
  const home = options.home ?? mkdtempSync(join(tmpdir(), 'srm-http-'));
  const paths = resolveHome({ STRIPE_MCP_HOME: join(home, 'home') });
  const admin = new TokenAdmin(paths);
  const logs: string[] = [];
  let auth: Authenticator | null = null;
  if (!options.noAuth) {
    let oauth: OAuthResourceServer | undefined;
    if (options.oauth) {
      oauth = new OAuthResourceServer(options.oauth);
      await oauth.start();
    }
    auth = new Authenticator({ tokens: new TokenVerifierStore(paths), oauth, pin: options.pin ?? {} });
  }
  const router = new StaticRouter(connections);
  const builtInAuth = options.builtInAuth
    ? async (resource: string) => {
        const { startBuiltInAuth } = await import('../../src/server/http/authserver/index.js');
        return startBuiltInAuth({ paths, resource, pin: options.pin ?? {}, connectionNames: () => router.connectionNames(), log: (line) => logs.push(line) }, options.connectionsPage);
      }
    : undefined;
  const handle = await startHttpServer(router, {
    host: '127.0.0.1',
    port: options.port ?? 0,
    allowedHosts: [...defaultAllowedHosts('127.0.0.1'), ...(options.allowedHosts ?? [])],
    origins: OriginPolicy.withLocalhost(options.allowedOrigins ?? []),
    auth,
    pin: options.pin,
    publicUrl: options.publicUrl,
    maxBodyBytes: 1_048_576,
    maxConcurrent: 128,
    rateLimitPerMinute: 0,
    headerTimeoutMs: 10_000,
    idleTimeoutMs: 65_000,
    ...options.server,
    log: (line) => logs.push(line),
    builtInAuth,
  });
  return {
    emulator,
    handle,
    url: handle.url,
    admin,
    paths,
    logs,
    async token(name, grant = {}) {
      return (await admin.create(name, grant)).token;
    },
    async close() {
      await handle.close();
      if (ownEmulator) await emulator.close();
      if (!options.home) rmSync(home, { recursive: true, force: true });
    },
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyClient = { listTools(): Promise<any>; callTool(p: any): Promise<any>; close(): Promise<void>; protocolVersion?: string | undefined };

/** A connected client of either SDK generation, sending `headers` on every request. */
export async function connectClient(era: 'v2' | 'v1', url: string, headers: Record<string, string> = {}): Promise<AnyClient> {
  if (era === 'v2') {
    // The v2 client speaks 2025 unless told otherwise; pinned, it must find 2026-07-28 (server/discover) or fail.
    const client = new Client({ name: 'http-v2', version: '1.0.0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
    const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } });
    await client.connect(transport);
    return Object.assign(client as unknown as AnyClient, { protocolVersion: transport.protocolVersion });
  }
  const client = new ClientV1({ name: 'http-v1', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransportV1(new URL(url), { requestInit: { headers } });
  await client.connect(transport);
  return Object.assign(client as unknown as AnyClient, { protocolVersion: transport.protocolVersion });
}

/** A port free right now (for servers whose URL must be known before they start, e.g. an OAuth audience). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export const textOf = (result: { content?: Array<{ text?: string }> }) => (result.content ?? []).map((c) => c.text ?? '').join('\n');

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One raw HTTP request (node:http, so Host and Origin can be anything). */
export function rawRequest(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string | Buffer; chunked?: boolean } = {},
): Promise<RawResponse> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: u.hostname, port: u.port, path: u.pathname + u.search, method: init.method ?? 'GET', headers: init.headers ?? {}, agent: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (init.body !== undefined) {
      if (init.chunked) {
        // Without content-length: the cap must hold for a body whose size is not announced.
        const buf = Buffer.isBuffer(init.body) ? init.body : Buffer.from(init.body);
        for (let i = 0; i < buf.length; i += 65_536) req.write(buf.subarray(i, i + 65_536));
        req.end();
      } else req.end(init.body);
    } else req.end();
  });
}

/** A JSON-RPC POST as a 2025-era client sends it (initialize needs no session). */
export function initializeBody(): string {
  return JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
  });
}

export const MCP_POST_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
