/**
 * Streamable HTTP end to end: the v2 client (2026-07-28, stateless) and the v1 client (2025-era, initialize
 * handshake) against the real HTTP server, every tool reachable; /healthz; and the request gate: Host and Origin
 * (403), body cap (413), rate limit (429 with Retry-After), concurrency cap, header and idle timeouts.
 */
import { connect as netConnect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOOLS } from '../../src/tools/index.js';
import {
  bearer,
  connectClient,
  initializeBody,
  MCP_POST_HEADERS,
  rawRequest,
  startHttpHarness,
  textOf,
  type AnyClient,
  type HttpHarness,
} from './helpers.js';

/** Arguments that make each tool succeed on the emulator (a tool added later gets {}, plus limit when it takes one). */
const argsFor = (h: HttpHarness): Record<string, Record<string, unknown>> => ({
  search: { resource: 'customers', query: "email~'example'" },
  fetch: { id: h.emulator.dataset('test').customers[0]!.id },
  aggregate: { resource: 'customers', group_by: ['country'] },
});

describe.each(['v2', 'v1'] as const)('the %s client over HTTP', (era) => {
  let h: HttpHarness;
  let client: AnyClient;
  let token: string;
  beforeAll(async () => {
    h = await startHttpHarness();
    token = await h.token(`all-${era}`);
    client = await connectClient(era, h.url, bearer(token));
  });
  afterAll(async () => {
    await client?.close();
    await h?.close();
  });

  it(`speaks the ${era === 'v2' ? '2026-07-28 (stateless)' : '2025-era (initialize)'} protocol`, () => {
    expect(client.protocolVersion).toBe(era === 'v2' ? '2026-07-28' : '2025-11-25');
  });

  it('lists every tool with its read-only annotations and both connections', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t: { name: string }) => t.name)).toEqual(TOOLS.map((t) => t.name));
    for (const tool of tools) expect(tool.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
    expect(tools[0].inputSchema.properties.connection.enum).toEqual(['acme', 'globex']);
  });

  it('reaches every tool', async () => {
    for (const tool of TOOLS) {
      const result = await client.callTool({ name: tool.name, arguments: { connection: 'acme', mode: 'test', ...('limit' in tool.input.shape ? { limit: 2 } : {}), ...(argsFor(h)[tool.name] ?? {}) } }).catch((e: Error) => ({
        isError: true,
        content: [{ text: e.message }],
      }));
      expect(result.isError, `${tool.name}: ${textOf(result)}`).toBeFalsy();
      expect(result.structuredContent, tool.name).toMatchObject({ connection: 'acme', mode: 'test' });
    }
  });

  it('answers list_customers with the emulator data', async () => {
    const result = await client.callTool({ name: 'list_customers', arguments: { connection: 'acme', mode: 'test', limit: 3 } });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ connection: 'acme', mode: 'test', count: 3 });
    expect(JSON.parse(textOf(result))).toEqual(result.structuredContent);
  });
});

describe('the HTTP gate', () => {
  let h: HttpHarness;
  let token: string;
  beforeAll(async () => {
    h = await startHttpHarness({
      allowedHosts: ['mcp.example.com'],
      allowedOrigins: ['https://app.example.com'],
      server: { maxBodyBytes: 4096, rateLimitPerMinute: 5 },
    });
    token = await h.token('gate');
  });
  afterAll(async () => {
    await h?.close();
  });
  // Each test spends its own token: the rate limit (5 a minute here) is per token.
  let current = '';
  const fresh = async (name: string) => {
    current = await h.token(name);
  };
  const post = (headers: Record<string, string>, body = initializeBody()) =>
    rawRequest(h.url, { method: 'POST', headers: { ...MCP_POST_HEADERS, ...bearer(current), ...headers }, body });

  it('answers /healthz without a token, whatever the Host', async () => {
    const r = await rawRequest(h.url.replace('/mcp', '/healthz'), { headers: { host: '10.1.2.3:8080' } });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ status: 'ok' });
  });

  it('refuses a Host it does not know with 403 (DNS rebinding), accepts configured ones', async () => {
    await fresh('host');
    const bad = await post({ host: 'evil.example:3333' });
    expect(bad.status).toBe(403);
    expect(JSON.parse(bad.body).error.message).toMatch(/Host "evil\.example:3333" is not accepted/);
    expect((await post({ host: 'mcp.example.com' })).status).toBe(200);
    expect((await post({ host: 'localhost:1234' })).status).toBe(200);
    expect(h.logs.join('\n')).toMatch(/403 for Host "evil\.example:3333".*--allowed-host/);
  });

  it('refuses an Origin it does not know with 403; no Origin, localhost and configured origins pass', async () => {
    await fresh('origin');
    for (const origin of ['https://evil.example', 'null', 'http://app.example.com', 'https://app.example.com.evil.example']) {
      const r = await post({ origin });
      expect(r.status, origin).toBe(403);
      expect(JSON.parse(r.body).error.message).toMatch(/Origin .* is not accepted/);
    }
    const ok = await post({ origin: 'https://app.example.com' });
    expect(ok.status).toBe(200);
    expect(ok.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect((await post({ origin: 'http://localhost:5173' })).status).toBe(200);
    expect((await post({})).status).toBe(200);
  });

  it('answers a CORS preflight from an allowed origin', async () => {
    const r = await rawRequest(h.url, { method: 'OPTIONS', headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' } });
    expect(r.status).toBe(204);
    expect(r.headers['access-control-allow-headers']).toMatch(/authorization/);
    expect(r.headers['access-control-expose-headers']).toMatch(/www-authenticate/);
  });

  it('refuses an oversized body with 413, announced or streamed', async () => {
    await fresh('body');
    const big = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { pad: 'x'.repeat(10_000) } });
    const announced = await post({}, big);
    expect(announced.status).toBe(413);
    expect(JSON.parse(announced.body).error.message).toMatch(/too large.*limit is 4096/);
    const streamed = await rawRequest(h.url, { method: 'POST', headers: { ...MCP_POST_HEADERS, ...bearer(current) }, body: big, chunked: true });
    expect(streamed.status).toBe(413);
  });

  it('limits each token: 429 with Retry-After once its requests per minute are used, other tokens unaffected', async () => {
    const own = await h.token('limited');
    const statuses: number[] = [];
    let retryAfter: string | undefined;
    for (let i = 0; i < 7; i++) {
      const r = await rawRequest(h.url, { method: 'POST', headers: { ...MCP_POST_HEADERS, ...bearer(own) }, body: initializeBody() });
      statuses.push(r.status);
      if (r.status === 429) {
        retryAfter = r.headers['retry-after'] as string;
        expect(JSON.parse(r.body).error.message).toMatch(/5 requests per minute/);
      }
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(retryAfter)).toBeLessThanOrEqual(12);
    const other = await h.token('other');
    expect((await rawRequest(h.url, { method: 'POST', headers: { ...MCP_POST_HEADERS, ...bearer(other) }, body: initializeBody() })).status).toBe(200);
  });

  it('answers 404 elsewhere', async () => {
    const r = await rawRequest(h.url.replace('/mcp', '/admin'), { headers: bearer(token) });
    expect(r.status).toBe(404);
    expect(r.body).toMatch(/\/mcp/);
  });
});

describe('the concurrency cap and timeouts', () => {
  let h: HttpHarness;
  let token: string;
  beforeAll(async () => {
    h = await startHttpHarness({ server: { maxConcurrent: 2, maxConcurrentPerCaller: 3, headerTimeoutMs: 1000, idleTimeoutMs: 1000 } });
    token = await h.token('cap');
  });
  afterAll(async () => {
    h.emulator.setLatency(0);
    await h?.close();
  });

  it('answers 503 with Retry-After beyond --max-concurrent requests in flight', async () => {
    h.emulator.setLatency(600);
    const call = () =>
      rawRequest(h.url, {
        method: 'POST',
        headers: { ...MCP_POST_HEADERS, ...bearer(token), 'mcp-protocol-version': '2025-06-18' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'get_balance', arguments: { connection: 'globex' } } }),
      });
    const first = [call(), call()];
    await new Promise((r) => setTimeout(r, 150));
    const third = await call();
    expect(third.status).toBe(503);
    expect(third.headers['retry-after']).toBe('1');
    const done = await Promise.all(first);
    expect(done.map((r) => r.status)).toEqual([200, 200]);
    h.emulator.setLatency(0);
    expect((await call()).status).toBe(200);
  });

  it('closes a connection whose headers do not arrive in time (408)', async () => {
    const port = Number(new URL(h.url).port);
    const started = Date.now();
    const answer = await new Promise<string>((resolve) => {
      const socket = netConnect(port, '127.0.0.1', () => socket.write('POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\n'));
      let data = '';
      socket.on('data', (c) => (data += c));
      socket.on('close', () => resolve(data));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it('closes a keep-alive connection left idle', async () => {
    const port = Number(new URL(h.url).port);
    const started = Date.now();
    const closedAfter = await new Promise<number>((resolve) => {
      const socket = netConnect(port, '127.0.0.1', () => socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'));
      socket.on('data', () => {});
      socket.on('close', () => resolve(Date.now() - started));
    });
    expect(closedAfter).toBeGreaterThanOrEqual(900);
    expect(closedAfter).toBeLessThan(4000);
  });
});

describe.each([
  ['with a token that may read both modes', false],
  ['with --no-auth', true],
] as const)('a server started with --mode test, %s', (_label, noAuth) => {
  let h: HttpHarness;
  let client: AnyClient;
  beforeAll(async () => {
    h = await startHttpHarness({ pin: { mode: 'test' }, noAuth });
    client = await connectClient('v2', h.url, noAuth ? {} : bearer(await h.token('both-modes')));
  });
  afterAll(async () => {
    await client?.close();
    await h?.close();
  });

  it('cannot be talked into live mode, and serves test data where the default is live', async () => {
    const before = h.emulator.requests.length;
    for (const args of [{ connection: 'acme', mode: 'live' }, { mode: 'live' }]) {
      const refused = await client.callTool({ name: 'get_balance', arguments: args });
      expect(refused.isError).toBe(true);
      expect(textOf(refused)).toMatch(/may not read live-mode data/);
    }
    const served = await client.callTool({ name: 'get_balance', arguments: { connection: 'acme' } });
    expect(served.isError, textOf(served)).toBeFalsy();
    expect(served.structuredContent).toMatchObject({ connection: 'acme', mode: 'test' });
    expect(h.emulator.requests.slice(before).every((r) => r.mode === 'test')).toBe(true);
  });
});
