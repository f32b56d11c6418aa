/**
 * Whatever Stripe answers (issue 11): every tool, through the real MCP server in process and the real `stripe`
 * package, against a fake Stripe giving each kind of answer in turn. Each call must come back `isError` with a
 * clear, true message, and the server must then still serve a normal call (the fake passes it to the emulator).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { StaticRouter } from '../../src/connections/router.js';
import { createMcpServer } from '../../src/server/create-server.js';
import { TEST_ANCHOR } from '../helpers/harness.js';
import { ANSWER_CASES, TEST_TIMEOUT_MS } from './answers.js';
import { startFakeStripe, type FakeStripe } from './fake-stripe.js';
import { minimalArgs, TOOL_NAMES } from './tool-args.js';
import { canaryKey } from '../helpers/spawn.js';

let emulator: EmulatorHandle;
let fake: FakeStripe;
let client: Client;
let close: () => Promise<void>;
let customerId: string;

/**
 * An account whose limits Stripe raised (the emulator keeps to them, and so does our client): each case asks every
 * tool at once, and at Stripe's usual 25/s the cases would mostly wait for each other's requests to age out.
 */
const RAISED_LIMITS = { test: 1000, endpoint: 1000, search: 1000 };

beforeAll(async () => {
  process.env.STRIPE_MCP_STRIPE_TIMEOUT = String(TEST_TIMEOUT_MS / 1000);
  process.env.STRIPE_MCP_STRIPE_RATE_LIMITS = Object.entries(RAISED_LIMITS).map(([k, v]) => `${k}=${v}`).join(',');
  emulator = await startEmulator({ anchor: TEST_ANCHOR, rateLimits: RAISED_LIMITS });
  fake = await startFakeStripe(emulator.url);
  customerId = emulator.dataset('test').customers[0]!.id;
  const server = createMcpServer(new StaticRouter([{ name: 'fake', keys: { test: emulator.keys.test }, apiBase: fake.url }]));
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  client = new Client({ name: 'robustness', version: '1.0.0' });
  await client.connect(clientSide);
  close = async () => {
    await client.close();
    await server.close();
  };
});
afterAll(async () => {
  await close?.();
  await fake?.close();
  await emulator?.close();
  delete process.env.STRIPE_MCP_STRIPE_TIMEOUT;
  delete process.env.STRIPE_MCP_STRIPE_RATE_LIMITS;
});

const textOf = (result: { content?: unknown }) => ((result.content ?? []) as Array<{ text?: string }>).map((c) => c.text ?? '').join('\n');

async function callEveryTool(tools = TOOL_NAMES): Promise<Array<{ tool: string; isError: boolean; text: string }>> {
  return Promise.all(
    tools.map(async (tool) => {
      const result = await client.callTool({ name: tool, arguments: minimalArgs(tool, customerId) });
      return { tool, isError: result.isError === true, text: textOf(result) };
    }),
  );
}

describe('whatever Stripe answers, every tool', () => {
  it('answers normally through the fake Stripe first (so the failures below are the answers, not the setup)', async () => {
    fake.answer = { kind: 'normal' };
    for (const result of await callEveryTool()) expect(result.isError, `${result.tool}: ${result.text}`).toBe(false);
  });

  it.each(ANSWER_CASES.map((c) => [c.name, c] as const))('%s: a clear isError result, then a normal call works', async (_name, c) => {
    fake.answer = c.answer;
    const results = await callEveryTool(c.tools);
    for (const result of results) {
      const where = `${result.tool}: ${result.text}`;
      expect(result.isError, where).toBe(true);
      for (const pattern of c.says) expect(result.text, where).toMatch(pattern);
      expect(result.text, where).not.toMatch(/This is a bug|Unexpected error|\n\s+at /);
    }
    fake.answer = { kind: 'normal' };
    const after = await client.callTool({ name: 'list_customers', arguments: { limit: 1 } });
    expect(after.isError, textOf(after)).toBeFalsy();
  }, 20_000);
});

describe('a key in what Stripe answers never reaches the result (issue 11 item 6)', () => {
  it('is masked in an upstream error message even glued to a word', async () => {
    const key = canaryKey('live');
    fake.answer = { kind: 'respond', status: 400, body: JSON.stringify({ error: { type: 'invalid_request_error', message: `Invalid key xx${key}, try again.` } }) };
    for (const result of await callEveryTool()) {
      expect(result.isError, result.tool).toBe(true);
      expect(result.text, result.tool).not.toContain(key.slice(8));
      expect(result.text, result.tool).toContain(`xxrk_live_…${key.slice(-4)}`);
    }
  });

  it('is masked in data (a key pasted into a description or metadata)', async () => {
    const key = canaryKey('test');
    const customer = { ...emulator.dataset('test').customers[0]!, description: `use xx${key} for the API`, metadata: { [`k${key}`]: `v=${key}` } };
    fake.answer = { kind: 'respond', status: 200, body: JSON.stringify({ object: 'list', url: '/v1/customers', has_more: false, data: [customer] }) };
    for (const detail of ['compact', 'full']) {
      const result = await client.callTool({ name: 'list_customers', arguments: { limit: 1, detail } });
      expect(result.isError, textOf(result)).toBeFalsy();
      expect(JSON.stringify(result), detail).not.toContain(key.slice(8));
      expect(textOf(result), detail).toContain(`xxrk_test_…${key.slice(-4)}`);
    }
    fake.answer = { kind: 'normal' };
  });
});

describe('what the messages say about retries is what happened', () => {
  const requestsFor = async (answer: FakeStripe['answer']) => {
    fake.answer = answer;
    fake.requests.length = 0;
    const result = await client.callTool({ name: 'get_balance', arguments: {} });
    fake.answer = { kind: 'normal' };
    return { count: fake.requests.filter((path) => path.startsWith('/v1/balance')).length, text: textOf(result) };
  };

  it.each([
    ['a silent socket: asked once', { kind: 'silent' } as const, 1, /not retried/],
    ['an HTML page with 200: asked once', { kind: 'respond', status: 200, body: '<html></html>' } as const, 1, /not retried/],
    ['a bare value with 500: asked three times', { kind: 'respond', status: 500, body: '42' } as const, 3, /retried 2 times/],
    ['Stripe 500 asking not to retry: asked once', { kind: 'respond', status: 500, body: '{"error":{"type":"api_error","message":"x"}}', headers: { 'stripe-should-retry': 'false' } } as const, 1, /asked not to retry/],
  ])('%s', async (_name, answer, count, says) => {
    const seen = await requestsFor(answer);
    expect(seen.text).toMatch(says);
    expect(seen.count, seen.text).toBe(count);
  }, 20_000);
});

describe('a 404 that is not Stripe’s is not "no such object"', () => {
  it('free-text search by id reports an HTML 404 instead of finding nothing', async () => {
    fake.answer = { kind: 'respond', status: 404, body: '<html><title>Not Found</title></html>', headers: { 'content-type': 'text/html' } };
    const result = await client.callTool({ name: 'search', arguments: { query: customerId } });
    fake.answer = { kind: 'normal' };
    expect(result.isError, textOf(result)).toBe(true);
    expect(textOf(result)).toMatch(/an HTML page titled "Not Found".*not an answer from Stripe's API/);
  });
});
