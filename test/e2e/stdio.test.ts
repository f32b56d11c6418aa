/**
 * End to end over stdio, as Claude Desktop or Cursor run us: the built CLI spawned as a child process, spoken to
 * by the v2 client (2026-07-28 era) and by the v1 client (2025-era hosts), with the emulator as Stripe.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport as StdioClientTransportV1 } from '@modelcontextprotocol/sdk/client/stdio.js';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { TEST_ANCHOR } from '../helpers/harness.js';
import { BIN, cleanEnv } from '../helpers/spawn.js';
import { TOOLS } from '../../src/tools/index.js';

/** What the built CLI must serve: the catalogue, in its order (src/tools/index.ts). */
const EXPECTED_TOOLS = TOOLS.map((t) => t.name);

let emulator: EmulatorHandle;
beforeAll(async () => {
  emulator = await startEmulator({ anchor: TEST_ANCHOR });
});
afterAll(async () => {
  await emulator?.close();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyClient = { listTools(): Promise<any>; callTool(p: any): Promise<any>; listPrompts(): Promise<any>; getPrompt(p: any): Promise<any>; close(): Promise<void>; protocolVersion: string | undefined };

async function connect(era: 'v2' | 'v1', args: string[], env: Record<string, string>): Promise<AnyClient> {
  const params = { command: process.execPath, args: [BIN, ...args], env: cleanEnv(env), stderr: 'pipe' as const };
  if (era === 'v2') {
    // The v2 client speaks 2025 unless told otherwise; pinned, it must find 2026-07-28 (server/discover) or fail.
    const client = new Client({ name: 'e2e-v2', version: '1.0.0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
    await client.connect(new StdioClientTransport(params));
    return Object.assign(client as unknown as AnyClient, { protocolVersion: client.getNegotiatedProtocolVersion() });
  }
  const client = new ClientV1({ name: 'e2e-v1', version: '1.0.0' });
  // The v1 client hands the version it agreed in `initialize` to transports that want it (HTTP does, stdio does not).
  let agreed: string | undefined;
  const transport = Object.assign(new StdioClientTransportV1(params), { setProtocolVersion: (v: string) => (agreed = v) });
  await client.connect(transport);
  return Object.assign(client as unknown as AnyClient, { protocolVersion: agreed });
}

const text = (result: { content: Array<{ text?: string }> }) => result.content.map((c) => c.text ?? '').join('\n');

describe.each(['v2', 'v1'] as const)('over stdio with the %s client', (era) => {
  let client: AnyClient;
  beforeAll(async () => {
    client = await connect(era, [], { STRIPE_API_KEY: emulator.keys.test, STRIPE_API_BASE: emulator.url });
  });
  afterAll(async () => {
    await client?.close();
  });

  it(`speaks the ${era === 'v2' ? '2026-07-28 (stateless)' : '2025-era (initialize)'} protocol`, () => {
    expect(client.protocolVersion).toBe(era === 'v2' ? '2026-07-28' : '2025-11-25');
  });

  it('lists the read-only tools in a fixed order', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t: { name: string }) => t.name)).toEqual(EXPECTED_TOOLS);
    for (const tool of tools) {
      expect(tool.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
      expect(tool.outputSchema).toBeDefined();
    }
  });

  it('answers a list call with structured content and the same JSON as text', async () => {
    const result = await client.callTool({ name: 'list_customers', arguments: { limit: 3 } });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ connection: 'env', mode: 'test', object: 'customer', count: 3, has_more: true });
    expect(JSON.parse(text(result))).toEqual(result.structuredContent);
    const newest = [...emulator.dataset('test').customers].sort((a, b) => b.created - a.created || (a.id < b.id ? 1 : -1))[0]!;
    expect(result.structuredContent.data[0].id).toBe(newest.id);
  });

  it('answers get_balance per currency', async () => {
    const result = await client.callTool({ name: 'get_balance', arguments: {} });
    expect(result.isError).toBeFalsy();
    expect(text(result)).toMatch(/usd/i);
  });

  it('offers the seed questions as prompts, each naming the tool call that answers it', async () => {
    const { prompts } = await client.listPrompts();
    expect(prompts.map((p: { name: string }) => p.name)).toEqual(['mrr_by_plan', 'top_customers', 'churn_in_month', 'fees_by_month', 'failed_payments', 'balance_by_currency']);
    const got = await client.getPrompt({ name: 'failed_payments', arguments: { days: '14', mode: 'test' } });
    const message = got.messages[0].content.text as string;
    expect(message).toContain('list_payment_intents {"status":"failed","created_after":"14d","max_results":100,"mode":"test"}');
    // The call it names works as written.
    const call = await client.callTool({ name: 'list_payment_intents', arguments: { status: 'failed', created_after: '14d', max_results: 100, mode: 'test' } });
    expect(call.isError).toBeFalsy();
    await expect(client.getPrompt({ name: 'failed_payments', arguments: { days: 'a week' } })).rejects.toThrow(/days: must be a whole number, 1–365/);
  });

  it('reports bad arguments clearly and keeps serving', async () => {
    const bad = await client.callTool({ name: 'list_customers', arguments: { created_after: '2026-13-45' } }).catch((e: Error) => ({ isError: true, content: [{ text: e.message }] }));
    expect(bad.isError).toBe(true);
    expect(text(bad)).toMatch(/created_after.*2026-13-45/);
    const unknown = await client.callTool({ name: 'list_customers', arguments: { colour: 'red' } }).catch((e: Error) => ({ isError: true, content: [{ text: e.message }] }));
    expect(unknown.isError).toBe(true);
    expect(text(unknown)).toMatch(/colour/);
    const ok = await client.callTool({ name: 'list_customers', arguments: { limit: 1 } });
    expect(ok.isError).toBeFalsy();
  });
});

describe('with no key configured', () => {
  it.each(['v2', 'v1'] as const)('starts, lists its tools, and a call says how to add a key or try --demo (%s client)', async (era) => {
    const client = await connect(era, [], {});
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t: { name: string }) => t.name)).toEqual(EXPECTED_TOOLS);
      const result = await client.callTool({ name: 'list_charges', arguments: {} });
      expect(result.isError).toBe(true);
      expect(text(result)).toMatch(/STRIPE_API_KEY/);
      expect(text(result)).toMatch(/--demo/);
    } finally {
      await client.close();
    }
  });

  it('explains a publishable key instead of sending it to Stripe', async () => {
    const client = await connect('v2', [], { STRIPE_API_KEY: 'pk_test_abcdefghijklmnop', STRIPE_API_BASE: emulator.url });
    try {
      const before = emulator.requests.length;
      const result = await client.callTool({ name: 'list_customers', arguments: {} });
      expect(result.isError).toBe(true);
      expect(text(result)).toMatch(/publishable key/);
      expect(emulator.requests.length).toBe(before);
    } finally {
      await client.close();
    }
  });
});

describe('--demo', () => {
  it('serves the built-in demo data on a "demo" test-mode connection', async () => {
    const client = await connect('v2', ['--demo'], {});
    try {
      const result = await client.callTool({ name: 'list_subscriptions', arguments: { status: 'all', limit: 5 } });
      expect(result.isError).toBeFalsy();
      expect(result.structuredContent).toMatchObject({ connection: 'demo', mode: 'test', count: 5 });
      const live = await client.callTool({ name: 'list_customers', arguments: { mode: 'live' } });
      expect(live.isError).toBe(true);
      expect(text(live)).toMatch(/no live-mode key/);
      // Issue 13's budget for the whole tools/list answer, with a connection configured (its name is an enum in
      // every tool's input): every conversation pays for it.
      const { tools } = await client.listTools();
      expect(Buffer.byteLength(JSON.stringify({ tools }))).toBeLessThanOrEqual(40_000);
    } finally {
      await client.close();
    }
  });
});
