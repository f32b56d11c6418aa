/**
 * A canary key must never appear on stdout, stderr, in any result or in the argv of the process, whatever
 * happens: success, revoked key, missing permission, Stripe down, network unreachable. And in stdio mode
 * stdout carries nothing but protocol messages.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { TEST_ANCHOR } from '../helpers/harness.js';
import { BIN, canaryKey, cleanEnv } from '../helpers/spawn.js';
import { TOOLS } from '../../src/tools/index.js';
import type { AnyTool } from '../../src/tools/define-tool.js';

/** Arguments for the tools that cannot be called with `{ limit: 2 }` or `{}`. */
const ARGUMENTS: Record<string, Record<string, unknown>> = {
  search: { resource: 'customers', query: "email~'example'" },
  fetch: { id: 'cus_doesnotexist000' },
  aggregate: { resource: 'customers', group_by: ['country'] },
};
/** One call per tool in the catalogue (a tool added later is covered too), then calls that must fail. */
const WORKING: Array<[string, Record<string, unknown>]> = (TOOLS as readonly AnyTool[])
  .filter((tool) => tool.name !== 'fetch')
  .map((tool) => [tool.name, ARGUMENTS[tool.name] ?? (tool.input.safeParse({ limit: 2 }).success ? { limit: 2 } : {})]);
const FAILING: Array<[string, Record<string, unknown>]> = [
  ['fetch', ARGUMENTS.fetch!],
  ['search', { resource: 'customers', query: 'this is not a query (' }],
  ['list_customers', { created_after: 'nonsense' }],
  ['list_customers', { cursor: 'cus_doesnotexist000' }],
];
const CALLS = [...WORKING, ...FAILING];

interface Transcript {
  stdoutLines: string[];
  stderr: string;
  argv: string;
  responses: Array<{ id?: number; result?: unknown; error?: unknown }>;
}

/**
 * Speaks raw JSON-RPC (2025-era handshake) to the spawned server and keeps every byte it wrote. The calls go one
 * after the other, or all at once (`allAtOnce`), as a client with several questions in flight sends them: with
 * Stripe unreachable, each call's retries then wait side by side (20 s one after the other). Not where Stripe
 * answers: four sessions at once would share the account's rate limit.
 */
async function runSession(env: Record<string, string>, allAtOnce = false): Promise<Transcript> {
  const child = spawn(process.execPath, [BIN], { env: cleanEnv(env), stdio: ['pipe', 'pipe', 'pipe'] });
  const argv = readFileSync(`/proc/${child.pid}/cmdline`, 'utf8');
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const stdoutLines: string[] = [];
  const waiting = new Map<number, (msg: Transcript['responses'][number]) => void>();
  createInterface({ input: child.stdout }).on('line', (line) => {
    stdoutLines.push(line);
    try {
      const message = JSON.parse(line);
      if (typeof message.id === 'number') waiting.get(message.id)?.(message);
    } catch {
      // kept in stdoutLines; the test fails on it below
    }
  });
  let nextId = 1;
  const request = (method: string, params: unknown) =>
    new Promise<Transcript['responses'][number]>((resolve) => {
      const id = nextId++;
      waiting.set(id, resolve);
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
    });
  const responses: Transcript['responses'] = [];
  responses.push(await request('initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } }));
  child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
  responses.push(await request('tools/list', {}));
  if (allAtOnce) {
    responses.push(...(await Promise.all(CALLS.map(([name, args]) => request('tools/call', { name, arguments: args })))));
  } else {
    for (const [name, args] of CALLS) responses.push(await request('tools/call', { name, arguments: args }));
  }
  child.stdin.end();
  await new Promise((resolve) => child.on('exit', resolve));
  return { stdoutLines, stderr, argv, responses };
}

function expectClean(t: Transcript, key: string) {
  const secretPart = key.slice(8); // everything after rk_test_
  expect(t.argv).not.toContain(secretPart);
  expect(t.stderr).not.toContain(secretPart);
  for (const line of t.stdoutLines) {
    expect(line).not.toContain(secretPart);
    const message = JSON.parse(line); // stdout is protocol only: every line is one JSON-RPC message
    expect(message.jsonrpc).toBe('2.0');
  }
  expect(t.responses).toHaveLength(CALLS.length + 2);
}

let emulator: EmulatorHandle;
const keys = { ok: canaryKey(), revoked: canaryKey(), restricted: canaryKey(), live: canaryKey('live') };
beforeAll(async () => {
  emulator = await startEmulator({
    anchor: TEST_ANCHOR,
    keys: {
      [keys.revoked]: { mode: 'test', revoked: true },
      [keys.restricted]: { mode: 'test', permissions: ['rak_customer_read'] },
    },
  });
});
afterAll(async () => emulator?.close());

// Each session is its own server process against the shared (read-only) emulator: they run side by side.
const SESSION_TIMEOUT_MS = 60_000;
describe.concurrent('a canary key never leaks', () => {
  it('when everything works', async () => {
    const t = await runSession({ STRIPE_API_KEY: keys.ok, STRIPE_API_BASE: emulator.url });
    expectClean(t, keys.ok);
    const results = t.responses.slice(2) as Array<{ result: { isError?: boolean } }>;
    expect(results.map((r) => r.result.isError === true)).toEqual(CALLS.map((_, i) => i >= WORKING.length));
  }, SESSION_TIMEOUT_MS);

  it('when the key is revoked', async () => {
    const t = await runSession({ STRIPE_API_KEY: keys.revoked, STRIPE_API_BASE: emulator.url });
    expectClean(t, keys.revoked);
    expect(JSON.stringify(t.responses[2])).toMatch(/did not accept the API key/);
  }, SESSION_TIMEOUT_MS);

  it('when the restricted key lacks permissions', async () => {
    const t = await runSession({ STRIPE_API_KEY: keys.restricted, STRIPE_API_BASE: emulator.url });
    expectClean(t, keys.restricted);
    // The key holds Customers only: list_charges is told to set Charges to Read.
    const charges = CALLS.findIndex(([name]) => name === 'list_charges');
    expect(JSON.stringify(t.responses[2 + charges])).toMatch(/set \\"Charges\\" to Read/);
  }, SESSION_TIMEOUT_MS);

  it('when Stripe is unreachable', async () => {
    const t = await runSession({ STRIPE_API_KEY: keys.live, STRIPE_API_BASE: 'http://127.0.0.1:9' }, true);
    expectClean(t, keys.live);
    expect(JSON.stringify(t.responses[2])).toMatch(/Could not reach Stripe/);
  }, SESSION_TIMEOUT_MS);
});
