/**
 * Test harness: the real MCP server (in process, through a real v2 client over an in-memory link), the real
 * `stripe` package, and the project's Stripe emulator on loopback underneath. Nothing of ours is mocked.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import { startEmulator, type EmulatorHandle, type EmulatorOptions } from '../../src/emulator/index.js';
import { StaticRouter, type ConnectionKeys } from '../../src/connections/router.js';
import { createMcpServer } from '../../src/server/create-server.js';
import type { ToolSelection } from '../../src/tools/toolsets.js';

import { TEST_ANCHOR } from './anchor.js';

export { TEST_ANCHOR };

export interface Harness {
  emulator: EmulatorHandle;
  client: Client;
  /** Calls a tool and returns its result (structuredContent, text, isError). */
  call(name: string, args?: Record<string, unknown>): Promise<ToolResult>;
  close(): Promise<void>;
}

export interface ToolResult {
  isError: boolean;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  structured: any;
}

export interface HarnessOptions {
  emulator?: EmulatorOptions;
  /** Connections to configure; default: one "demo" connection with the emulator's test and live keys. */
  connections?: (emulator: EmulatorHandle) => ConnectionKeys[];
  /** The server's clock (milliseconds), for date words and prompt defaults; default Date.now. */
  now?: () => number;
  /** Which tools the server serves (--tools); default all. */
  tools?: ToolSelection;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const emulator = await startEmulator({ anchor: TEST_ANCHOR, ...options.emulator });
  const connections = options.connections?.(emulator) ?? [
    { name: 'demo', keys: { test: emulator.keys.test, live: emulator.keys.live }, defaultMode: 'test', apiBase: emulator.url },
  ];
  const server = createMcpServer(new StaticRouter(connections), undefined, { ...(options.now ? { now: options.now } : {}), ...(options.tools ? { tools: options.tools } : {}) });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'harness', version: '1.0.0' });
  await client.connect(clientSide);
  return {
    emulator,
    client,
    async call(name, args = {}) {
      const result = await client.callTool({ name, arguments: args });
      const content = (result.content ?? []) as Array<{ type: string; text?: string }>;
      return {
        isError: result.isError === true,
        text: content.map((c) => c.text ?? '').join('\n'),
        structured: result.structuredContent,
      };
    },
    async close() {
      await client.close();
      await server.close();
      await emulator.close();
    },
  };
}

/**
 * A harness started before the enclosing file's (or describe's) tests and closed after them: the set-up every
 * per-tool test file shares. The object it returns reads the started harness, so tests use it as `h` directly.
 */
export function useHarness(options: HarnessOptions = {}): Harness {
  let started: Harness | undefined;
  beforeAll(async () => {
    started = await startHarness(options);
  });
  afterAll(async () => started?.close());
  const get = (): Harness => {
    if (!started) throw new Error('useHarness: the harness is only there inside tests and hooks');
    return started;
  };
  return {
    get emulator() {
      return get().emulator;
    },
    get client() {
      return get().client;
    },
    call: (name, args) => get().call(name, args),
    close: () => get().close(),
  };
}

/** The requests sent to Stripe's `path` since `before` (an `emulator.requests.length` read earlier). */
export const sentTo = (h: Harness, path: string, before: number) => h.emulator.requests.slice(before).filter((r) => r.path === path);

/** Pages a list tool to the end through next_cursor, collecting every object. */
export async function collectAll(h: Harness, tool: string, args: Record<string, unknown> = {}) {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const all: any[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 200; page++) {
    const result = await h.call(tool, { ...args, limit: 100, ...(cursor ? { cursor } : {}) });
    if (result.isError) throw new Error(result.text);
    all.push(...result.structured.data);
    if (!result.structured.has_more) return all;
    cursor = result.structured.next_cursor;
  }
  throw new Error('collectAll: too many pages');
}

export interface RestrictedHarness extends Harness {
  /** The restricted key the "demo" connection uses, to check that messages never show it. */
  key: string;
}

/**
 * A harness whose only connection ("demo", test mode) holds a restricted key with just these `rak_…` permissions,
 * for checking what a user is told when a tool needs a permission the key lacks.
 */
export async function startRestrictedHarness(
  permissions: string[],
  key = 'rk_test_RestrictedTestKey01',
  emulator: Omit<EmulatorOptions, 'keys'> = {},
): Promise<RestrictedHarness> {
  const harness = await startHarness({
    emulator: { ...emulator, keys: { [key]: { mode: 'test', permissions } } },
    connections: (e) => [{ name: 'demo', keys: { test: key }, apiBase: e.url }],
  });
  return { ...harness, key };
}

/**
 * What a user must be told when the restricted key lacks a permission: an error that says which Dashboard resource
 * to set to Read (and, when given, the `rak_…` permission Stripe asked for), and that never shows the key.
 */
export function expectDashboardAdvice(h: RestrictedHarness, result: ToolResult, resource: string, permission?: string): void {
  expect(result.isError).toBe(true);
  expect(result.text).toContain(`set "${resource}" to Read`);
  if (permission !== undefined) expect(result.text).toContain(permission);
  expect(result.text).not.toContain(h.key);
}
