/**
 * Fair under load (issue 11 item 2): one token holder trickling bodies cannot push another token's requests to
 * 503. A body is read (within a deadline, within the size cap) before a --max-concurrent slot is taken, and each
 * caller has its own cap on requests in flight.
 */
import { connect as netConnect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, MCP_POST_HEADERS, rawRequest, startHttpHarness, type HttpHarness } from './helpers.js';

const CALL = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'get_balance', arguments: { connection: 'globex' } } });

/** Sends headers announcing 100 bytes, then 5 bytes, then nothing: the answer (if any) is collected. */
function stall(port: number, token: string): { socket: Socket; answer: Promise<string> } {
  const socket = netConnect(port, '127.0.0.1');
  const answer = new Promise<string>((resolve) => {
    let data = '';
    socket.on('data', (c) => (data += c));
    socket.on('close', () => resolve(data));
    socket.on('error', () => resolve(data));
  });
  socket.on('connect', () => {
    socket.write(
      `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\n` +
        `Accept: application/json, text/event-stream\r\nMCP-Protocol-Version: 2025-06-18\r\nContent-Length: 100\r\n\r\n{"jso`,
    );
  });
  return { socket, answer };
}

describe('one token stalling many request bodies', () => {
  let h: HttpHarness;
  let staller: string;
  let other: string;
  beforeAll(async () => {
    h = await startHttpHarness({
      server: { maxConcurrent: 4, maxConcurrentPerCaller: 2, bodyTimeoutMs: 1_500, headerTimeoutMs: 10_000 },
    });
    staller = await h.token('staller');
    other = await h.token('other');
  });
  afterAll(async () => h?.close());

  it('does not starve another token: its calls all succeed while the stalls last', async () => {
    const port = Number(new URL(h.url).port);
    const stalls = Array.from({ length: 12 }, () => stall(port, staller));
    await new Promise((r) => setTimeout(r, 300));
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const r = await rawRequest(h.url, { method: 'POST', headers: { ...MCP_POST_HEADERS, ...bearer(other), 'mcp-protocol-version': '2025-06-18' }, body: CALL });
      statuses.push(r.status);
    }
    expect(statuses).toEqual(Array(8).fill(200));
    const answers = await Promise.all(stalls.map((s) => s.answer));
    for (const s of stalls) s.socket.destroy();
    // Beyond its own cap at once: 429 at once; within it: 408 once the body deadline passes. Never a slot held.
    const first = answers.map((a) => /^HTTP\/1\.1 (\d{3})/.exec(a)?.[1]);
    expect(first.filter((s) => s === '429').length).toBe(10);
    expect(first.filter((s) => s === '408').length).toBe(2);
    expect(answers.find((a) => a.startsWith('HTTP/1.1 429'))).toMatch(/2 requests in flight/);
    expect(answers.find((a) => a.startsWith('HTTP/1.1 408'))).toMatch(/body did not arrive within 1\.5 s/);
  }, 30_000);

  it('still serves the stalling token once its stalls are over', async () => {
    const r = await rawRequest(h.url, { method: 'POST', headers: { ...MCP_POST_HEADERS, ...bearer(staller), 'mcp-protocol-version': '2025-06-18' }, body: CALL });
    expect(r.status).toBe(200);
  });

  it('answers a body that is not JSON with a JSON-RPC parse error, and an oversized one with 413', async () => {
    const bad = await rawRequest(h.url, { method: 'POST', headers: { ...MCP_POST_HEADERS, ...bearer(other), 'mcp-protocol-version': '2025-06-18' }, body: '{"jsonrpc":' });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).error.code).toBe(-32700);
    const big = await rawRequest(h.url, {
      method: 'POST',
      headers: { ...MCP_POST_HEADERS, ...bearer(other), 'mcp-protocol-version': '2025-06-18' },
      body: Buffer.alloc(1_100_000, 0x20),
      chunked: true,
    });
    expect(big.status).toBe(413);
  });
});
