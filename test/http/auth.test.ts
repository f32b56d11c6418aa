/**
 * Authentication and mode-scoped access over HTTP, against a real authorization server (oidc-provider on
 * loopback issuing JWT access tokens) and static tokens: the 401 challenge and RFC 9728 metadata, every way a
 * token can be wrong, 403 insufficient_scope, revocation, a test-only caller held to test data whatever it asks
 * for, a real OAuth client discovering everything from the 401, and no token ever reaching Stripe or the log.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, ClientCredentialsProvider, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { ClientCredentialsProvider as ClientCredentialsProviderV1 } from '@modelcontextprotocol/sdk/client/auth-extensions.js';
import { StreamableHTTPClientTransport as StreamableHTTPClientTransportV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { TOOLS } from '../../src/tools/index.js';
import { TEST_ANCHOR } from '../helpers/harness.js';
import {
  bearer,
  connectClient,
  freePort,
  initializeBody,
  MCP_POST_HEADERS,
  rawRequest,
  startHttpHarness,
  textOf,
  type HttpHarness,
} from './helpers.js';
import { CLIENT_SECRET, startAuthServer, type AuthServer } from './oidc.js';

/** A loopback proxy in front of the emulator that keeps every request head it forwards: what "Stripe" saw. */
async function startRecordingProxy(target: string): Promise<{ url: string; heads: string[]; close: () => Promise<void> }> {
  const heads: string[] = [];
  const t = new URL(target);
  const server: Server = createServer((req, res) => {
    heads.push(`${req.method} ${req.url}\n${JSON.stringify(req.headers)}`);
    const upstream = httpRequest({ host: t.hostname, port: t.port, path: req.url, method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    heads,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Arguments that make each tool succeed on the emulator (a tool added later gets {}, plus limit when it takes one). */
const ARGS = (): Record<string, Record<string, unknown>> => ({
  search: { resource: 'customers', query: "email~'example'" },
  fetch: { id: emulator.dataset('test').customers[0]!.id },
  aggregate: { resource: 'customers', group_by: ['country'] },
});
const argsFor = (tool: (typeof TOOLS)[number], extra: Record<string, unknown>) => ({ ...('limit' in tool.input.shape ? { limit: 1 } : {}), ...(ARGS()[tool.name] ?? {}), ...extra });

let emulator: EmulatorHandle;
let proxy: Awaited<ReturnType<typeof startRecordingProxy>>;
let as: AuthServer;
let h: HttpHarness;
let audience: string;
const issued: string[] = [];

beforeAll(async () => {
  emulator = await startEmulator({ anchor: TEST_ANCHOR });
  proxy = await startRecordingProxy(emulator.url);
  as = await startAuthServer();
  const port = await freePort();
  audience = `http://127.0.0.1:${port}/mcp`;
  h = await startHttpHarness({
    emulator,
    port,
    oauth: { issuer: as.issuer, audience, leewaySeconds: 0 },
    connections: (e) => [
      { name: 'acme', keys: { test: e.keys.test, live: e.keys.live }, defaultMode: 'live', apiBase: proxy.url },
      { name: 'globex', keys: { test: e.keys.test, live: e.keys.live }, defaultMode: 'test', apiBase: proxy.url },
    ],
  });
});
afterAll(async () => {
  await h?.close();
  await as?.close();
  await proxy?.close();
  await emulator?.close();
});

const oauthToken = async (scope: string, resource = audience, clientId?: string) => {
  const token = await as.token({ scope, resource, ...(clientId ? { clientId } : {}) });
  issued.push(token);
  return token;
};
const staticToken = async (name: string, grant: { connection?: string; mode?: 'test' | 'live' } = {}) => {
  const token = await h.token(name, grant);
  issued.push(token);
  return token;
};
const post = (headers: Record<string, string>) => rawRequest(h.url, { method: 'POST', headers: { ...MCP_POST_HEADERS, ...headers }, body: initializeBody() });
const challenge = (r: { headers: Record<string, string | string[] | undefined> }) => String(r.headers['www-authenticate'] ?? '');

describe('OAuth resource server', () => {
  it('answers a request without a token with 401 and a challenge naming the metadata and the scopes', async () => {
    const r = await post({});
    expect(r.status).toBe(401);
    const www = challenge(r);
    expect(www).toMatch(/^Bearer /);
    expect(www).toContain(`resource_metadata="http://127.0.0.1:${new URL(audience).port}/.well-known/oauth-protected-resource/mcp"`);
    expect(www).toContain('scope="stripe.test.read stripe.live.read"');
    expect(JSON.parse(r.body)).toMatchObject({ error: 'invalid_token' });
  });

  it('publishes RFC 9728 protected-resource metadata naming the authorization server', async () => {
    for (const path of ['/.well-known/oauth-protected-resource/mcp', '/.well-known/oauth-protected-resource']) {
      const r = await rawRequest(new URL(path, h.url).href);
      expect(r.status, path).toBe(200);
      expect(JSON.parse(r.body)).toEqual({
        resource: audience,
        authorization_servers: [as.issuer],
        scopes_supported: ['stripe.test.read', 'stripe.live.read'],
        resource_name: 'Stripe (read-only)',
        bearer_methods_supported: ['header'],
      });
    }
    const asMeta = await rawRequest(new URL('/.well-known/oauth-authorization-server', h.url).href);
    expect(JSON.parse(asMeta.body)).toMatchObject({ issuer: as.issuer, token_endpoint: `${as.issuer}/token` });
  });

  it('serves a valid token from the authorization server', async () => {
    const token = await oauthToken('stripe.test.read stripe.live.read');
    const client = await connectClient('v2', h.url, bearer(token));
    const result = await client.callTool({ name: 'list_customers', arguments: { connection: 'acme', mode: 'live', limit: 2 } });
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ connection: 'acme', mode: 'live' });
    await client.close();
  });

  it('refuses a token issued for another audience (401)', async () => {
    const r = await post(bearer(await oauthToken('stripe.test.read', 'https://other.example/mcp')));
    expect(r.status).toBe(401);
    expect(challenge(r)).toMatch(/error="invalid_token", error_description="The token is not valid: the token was issued for another audience"/);
  });

  it('refuses a token from another issuer, even one signed with the same key (401)', async () => {
    const impostor = await startAuthServer({ jwks: as.jwks });
    try {
      const token = await impostor.token({ scope: 'stripe.test.read', resource: audience });
      issued.push(token);
      const r = await post(bearer(token));
      expect(r.status).toBe(401);
      expect(challenge(r)).toMatch(/issued by another issuer/);
    } finally {
      await impostor.close();
    }
  });

  it('refuses an expired token (401)', async () => {
    const token = await oauthToken('stripe.test.read', audience, 'short-lived');
    expect((await post(bearer(token))).status).toBe(200);
    // exp is in whole seconds (the token lives 2 to 3 s): wait until it has passed, whatever the load.
    const { exp } = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { exp: number };
    await new Promise((r) => setTimeout(r, Math.max(0, exp * 1000 - Date.now()) + 100));
    const r = await post(bearer(token));
    expect(r.status).toBe(401);
    expect(challenge(r)).toMatch(/the token has expired/);
  });

  it('refuses a token whose signature does not hold (401)', async () => {
    const token = await oauthToken('stripe.test.read');
    const [head, payload, sig] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const widened = Buffer.from(JSON.stringify({ ...claims, scope: 'stripe.test.read stripe.live.read' })).toString('base64url');
    for (const forged of [`${head}.${widened}.${sig}`, `${head}.${payload}.${sig.slice(0, -4)}AAAA`]) {
      const r = await post(bearer(forged));
      expect(r.status).toBe(401);
      expect(challenge(r)).toMatch(/signature is not valid/);
    }
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt' })).toString('base64url')}.${widened}.`;
    expect((await post(bearer(none))).status).toBe(401);
  });

  it('refuses garbage and other schemes (401)', async () => {
    for (const authorization of ['Bearer not-a-jwt', 'Basic dXNlcjpwYXNz', 'Bearer', 'Bearer srmcp_nope']) {
      expect((await post({ authorization })).status, authorization).toBe(401);
    }
  });

  it('answers 403 insufficient_scope to a valid token with none of our scopes', async () => {
    const r = await post(bearer(await oauthToken('other.scope')));
    expect(r.status).toBe(403);
    expect(challenge(r)).toMatch(/error="insufficient_scope"/);
    expect(challenge(r)).toContain('scope="stripe.test.read stripe.live.read"');
    expect(challenge(r)).toContain('resource_metadata="');
  });

  it('lets a real OAuth client (v2 SDK) find everything from the 401 and connect', async () => {
    const client = new Client({ name: 'cc-v2', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
    const provider = new ClientCredentialsProvider({ clientId: 'chatgpt-connector', clientSecret: CLIENT_SECRET, scope: 'stripe.test.read', expectedIssuer: as.issuer });
    await client.connect(new StreamableHTTPClientTransport(new URL(h.url), { authProvider: provider }));
    const result = await client.callTool({ name: 'get_balance', arguments: { connection: 'globex' } });
    expect(result.isError, textOf(result as never)).toBeFalsy();
    issued.push(provider.tokens()!.access_token);
    await client.close();
  });

  it('lets a 2025-era OAuth client (v1 SDK) do the same', async () => {
    const client = new ClientV1({ name: 'cc-v1', version: '1' });
    const provider = new ClientCredentialsProviderV1({ clientId: 'claude-connector', clientSecret: CLIENT_SECRET, scope: 'stripe.test.read', expectedIssuer: as.issuer });
    await client.connect(new StreamableHTTPClientTransportV1(new URL(h.url), { authProvider: provider }));
    const result = await client.callTool({ name: 'get_balance', arguments: { connection: 'globex' } });
    expect(result.isError, textOf(result as never)).toBeFalsy();
    issued.push(provider.tokens()!.access_token);
    await client.close();
  });
});

describe('static tokens', () => {
  it('serves a valid token and refuses it once revoked (401)', async () => {
    const token = await staticToken('revoke-me');
    expect((await post(bearer(token))).status).toBe(200);
    expect(await h.admin.revoke('revoke-me')).toBe(true);
    const r = await post(bearer(token));
    expect(r.status).toBe(401);
    expect(challenge(r)).toMatch(/unknown or revoked/);
  });

  it('refuses a token that was never issued, even a well-formed one (401)', async () => {
    const r = await post(bearer(`srmcp_${'A'.repeat(43)}`));
    expect(r.status).toBe(401);
  });
});

describe.each([
  ['an OAuth token with only stripe.test.read', () => oauthToken('stripe.test.read')],
  ['a static token created with --mode test', () => staticToken('test-only', { mode: 'test' })],
])('%s', (_label, makeToken) => {
  let token: string;
  beforeAll(async () => {
    token = await makeToken();
  });

  it('never reaches live data, whatever the tool arguments say', async () => {
    const client = await connectClient('v2', h.url, bearer(token));
    const before = emulator.requests.length;
    for (const tool of TOOLS) {
      for (const connection of ['acme', 'globex', undefined]) {
        const result = await client.callTool({ name: tool.name, arguments: argsFor(tool, { mode: 'live', ...(connection ? { connection } : {}) }) });
        expect(result.isError, `${tool.name} ${connection}`).toBe(true);
        expect(textOf(result)).toMatch(/may not read live-mode data.*Nothing was read/);
      }
      // Without "mode", acme's default (live) does not apply: the caller's only mode does.
      const result = await client.callTool({ name: tool.name, arguments: argsFor(tool, { connection: 'acme' }) });
      expect(result.isError, `${tool.name}: ${textOf(result)}`).toBeFalsy();
      expect(result.structuredContent).toMatchObject({ connection: 'acme', mode: 'test' });
    }
    const made = emulator.requests.slice(before);
    expect(made.length).toBeGreaterThan(0);
    expect(made.filter((r) => r.mode !== 'test')).toEqual([]);
    await client.close();
  });

  it('is held to test mode by the v1 client too', async () => {
    const client = await connectClient('v1', h.url, bearer(token));
    const refused = await client.callTool({ name: 'get_balance', arguments: { connection: 'acme', mode: 'live' } });
    expect(refused.isError).toBe(true);
    const served = await client.callTool({ name: 'get_balance', arguments: {} }).catch((e: Error) => ({ isError: true, content: [{ text: e.message }] }));
    // Two connections are reachable: the call must name one.
    expect(textOf(served)).toMatch(/name one with "connection"|acme|globex/);
    await client.close();
  });
});

describe('a caller limited to one connection', () => {
  it.each([
    ['OAuth scope stripe.test.read:globex', () => oauthToken('stripe.test.read:globex')],
    ['static token --connection globex --mode test', () => staticToken('globex-only', { connection: 'globex', mode: 'test' })],
  ])('%s sees and reads only that connection', async (_label, makeToken) => {
    const client = await connectClient('v2', h.url, bearer(await makeToken()));
    const { tools } = await client.listTools();
    expect(tools[0].inputSchema.properties.connection.enum).toEqual(['globex']);
    const other = await client.callTool({ name: 'get_balance', arguments: { connection: 'acme' } });
    expect(other.isError).toBe(true);
    // The schema built for this caller already lists only globex; the router would refuse acme as well (access.test.ts).
    expect(textOf(other)).toMatch(/connection: Invalid input: expected "globex"/);
    const own = await client.callTool({ name: 'get_balance', arguments: {} });
    expect(own.isError, textOf(own)).toBeFalsy();
    expect(own.structuredContent).toMatchObject({ connection: 'globex', mode: 'test' });
    await client.close();
  });
});

describe('a server pinned with --mode live', () => {
  let pinned: HttpHarness;
  beforeAll(async () => {
    pinned = await startHttpHarness({ emulator, oauth: { issuer: as.issuer, audience }, pin: { mode: 'live' } });
  });
  afterAll(async () => {
    await pinned?.close();
  });

  it('challenges for the live scope only, and refuses a test-only token with 403', async () => {
    const none = await rawRequest(pinned.url, { method: 'POST', headers: MCP_POST_HEADERS, body: initializeBody() });
    expect(challenge(none)).toContain('scope="stripe.live.read"');
    const r = await rawRequest(pinned.url, { method: 'POST', headers: { ...MCP_POST_HEADERS, ...bearer(await oauthToken('stripe.test.read')) }, body: initializeBody() });
    expect(r.status).toBe(403);
    expect(challenge(r)).toMatch(/insufficient_scope/);
    expect(JSON.parse(r.body).error_description).toMatch(/serves only live mode/);
  });
});

describe('tokens stay with us', () => {
  it('never sends a client token to Stripe and never logs one', () => {
    expect(issued.length).toBeGreaterThan(8);
    expect(proxy.heads.length).toBeGreaterThan(0);
    const stripeSaw = proxy.heads.join('\n');
    const logged = h.logs.join('\n');
    for (const token of issued) {
      const secret = token.startsWith('srmcp_') ? token.slice(6) : token.split('.')[2]!;
      expect(stripeSaw.includes(secret)).toBe(false);
      expect(logged.includes(secret)).toBe(false);
    }
    // Stripe saw only the emulator's keys.
    expect(stripeSaw).toMatch(/authorization":"Bearer (rk|sk)_(test|live)_/);
    expect(logged).toMatch(/401 for 127\.0\.0\.1: The token is not valid/);
  });
});
