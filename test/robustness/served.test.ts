/**
 * Whatever Stripe answers, as deployments run us: the built CLI over stdio, `serve --http`, and `connections add`,
 * pointed at the fake Stripe. A representative set of answers (the full matrix runs in process, in
 * stripe-answers.test.ts) must each give a clear isError result, and the same process must then serve a normal
 * call. Before the fix, the first bare JSON value killed the stdio server, the HTTP server and the CLI.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { TEST_ANCHOR } from '../helpers/harness.js';
import { BIN, cleanEnv } from '../helpers/spawn.js';
import { cliEnv, makeHome, runCli } from '../connections/helpers.js';
import { bearer, connectClient, textOf, type AnyClient } from '../http/helpers.js';
import { ANSWER_CASES, TEST_TIMEOUT_MS, type AnswerCase } from './answers.js';
import { startFakeStripe, type FakeStripe } from './fake-stripe.js';
import { minimalArgs } from './tool-args.js';

const SERVED_CASES = [
  'bare 42 with 200',
  'bare "ok" with 500',
  'bare null with 404',
  'HTML page with 200',
  'empty body with 200',
  'redirect',
  'truncated JSON',
  'list whose data is not an array',
  'huge body, length announced',
  'connection reset',
  'silent socket',
].map((name) => ANSWER_CASES.find((c) => c.name === name)!);
const SERVED_TOOLS = ['list_customers', 'get_balance', 'search', 'fetch'];

let emulator: EmulatorHandle;
let fake: FakeStripe;
let tmp: ReturnType<typeof makeHome>;
let customerId: string;
const timeoutEnv = { STRIPE_MCP_STRIPE_TIMEOUT: String(TEST_TIMEOUT_MS / 1000) };

beforeAll(async () => {
  emulator = await startEmulator({ anchor: TEST_ANCHOR });
  fake = await startFakeStripe(emulator.url);
  customerId = emulator.dataset('test').customers[0]!.id;
  tmp = makeHome();
});
afterAll(async () => {
  await fake?.close();
  await emulator?.close();
  tmp?.cleanup();
});

/** Each case through a few tools, then a normal call; the process must be the same one throughout. */
async function driveCases(client: AnyClient, alive: () => boolean): Promise<void> {
  for (const c of SERVED_CASES) {
    fake.answer = c.answer;
    const results = await Promise.all(SERVED_TOOLS.map((tool) => client.callTool({ name: tool, arguments: minimalArgs(tool, customerId) })));
    results.forEach((result, i) => expectClear(c, SERVED_TOOLS[i]!, result));
    fake.answer = { kind: 'normal' };
    const after = await client.callTool({ name: 'list_customers', arguments: { limit: 1 } });
    expect(after.isError, `after ${c.name}: ${textOf(after)}`).toBeFalsy();
    expect(alive(), `process alive after ${c.name}`).toBe(true);
  }
}

function expectClear(c: AnswerCase, tool: string, result: { isError?: boolean; content?: Array<{ text?: string }> }): void {
  const text = textOf(result);
  const where = `${c.name} / ${tool}: ${text}`;
  expect(result.isError, where).toBe(true);
  for (const pattern of c.says) expect(text, where).toMatch(pattern);
  expect(text, where).not.toMatch(/This is a bug|Unexpected error|\n\s+at /);
}

describe('over stdio (the built server)', () => {
  it('answers each kind of Stripe answer with a clear error and keeps serving', async () => {
    let stderr = '';
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [BIN],
      env: cleanEnv({ STRIPE_API_KEY: emulator.keys.test, STRIPE_API_BASE: fake.url, ...timeoutEnv }),
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (chunk) => (stderr += chunk));
    let exited = false;
    const client = new Client({ name: 'robustness-stdio', version: '1.0.0' });
    await client.connect(transport);
    transport.onclose = () => (exited = true);
    try {
      await driveCases(client as unknown as AnyClient, () => !exited);
    } finally {
      await client.close();
    }
    expect(stderr).not.toMatch(/TypeError|Unhandled|\n\s+at /);
  }, 90_000);
});

interface Served {
  child: ChildProcessWithoutNullStreams;
  url: string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function serveHttp(env: Record<string, string>): Promise<Served> {
  const child = spawn(process.execPath, [BIN, 'serve', '--http', '--port', '0'], { env: cleanEnv(env) });
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${stderr}`)), 15_000);
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      const m = /over HTTP at (http:\/\/\S+\/mcp)/.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]!, stderr: () => stderr, exited });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before listening:\n${stderr}`));
    });
  });
}

describe('over HTTP (serve --http) and in the CLI', () => {
  const env = () => cliEnv(tmp.home, fake.url, timeoutEnv);

  beforeAll(async () => {
    fake.answer = { kind: 'normal' };
    const added = await runCli(['connections', 'add', 'acme', '--key-stdin'], { env: env(), input: emulator.keys.test });
    expect(added.code, added.stderr).toBe(0);
  });

  it('serve --http answers each kind of Stripe answer with a clear error and keeps serving', async () => {
    const token = (await runCli(['tokens', 'create', 'robust'], { env: env() })).stdout.trim();
    const served = await serveHttp(env());
    try {
      const client = await connectClient('v2', served.url, bearer(token));
      await driveCases(client, () => served.child.exitCode === null);
      await client.close();
    } finally {
      served.child.kill('SIGTERM');
      await served.exited;
    }
    expect(served.stderr()).not.toMatch(/TypeError|Unhandled|\n\s+at /);
  }, 90_000);

  it('connections add says what came back instead of printing a stack', async () => {
    fake.answer = { kind: 'respond', status: 200, body: '42' };
    try {
      const r = await runCli(['connections', 'add', 'other', '--key-stdin'], { env: env(), input: emulator.keys.test, killAfterMs: 20_000 });
      expect(r.code, r.stderr).not.toBe(0);
      expect(r.signal).toBeNull();
      expect(r.stderr).toMatch(/a bare JSON value \(42\).*not an answer from Stripe's API/s);
      expect(r.stderr).not.toMatch(/TypeError|\n\s+at /);
    } finally {
      fake.answer = { kind: 'normal' };
    }
    expect((await runCli(['connections', 'list'], { env: env() })).stdout).not.toMatch(/\bother\b/);
  });
});
