import { parseArgs } from 'node:util';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { connectionFromEnv } from '../connections/env.js';
import { StaticRouter, type ConnectionRouter } from '../connections/router.js';
import { createMcpServer } from '../server/create-server.js';
import { logLine } from '../server/log.js';
import { parseToolArguments, runTool } from '../server/tool-runner.js';
import { describeError, ToolInputError } from '../stripe/errors.js';
import { keyHint } from '../stripe/keys.js';
import { TOOLS } from '../tools/index.js';
import { PACKAGE_VERSION } from '../version.js';
import { HELP } from './help.js';
import { renderResult } from './table.js';

class UsageError extends Error {}

interface Setup {
  router: ConnectionRouter;
  close: () => Promise<void>;
}

/** The demo: the emulator in this process and one test-mode connection named "demo" pointing at it. */
async function demoSetup(): Promise<Setup> {
  const { startEmulator } = await import('../emulator/index.js');
  const emulator = await startEmulator();
  const router = new StaticRouter([{ name: 'demo', keys: { test: emulator.keys.test }, defaultMode: 'test', apiBase: emulator.url }]);
  return { router, close: () => emulator.close() };
}

/** STRIPE_API_KEY when set; otherwise no connection, and every call explains how to add one. */
function envSetup(): Setup {
  const env = connectionFromEnv();
  if (env.ok) {
    if (env.warning) logLine(env.warning);
    const mode = env.connection.defaultMode;
    logLine(`connection "env": ${mode} mode, key ${keyHint(env.connection.keys[mode ?? 'test'] ?? '')}${env.connection.apiBase ? `, API at ${env.connection.apiBase}` : ''}`);
    return { router: new StaticRouter([env.connection]), close: async () => {} };
  }
  if (env.problem) logLine(env.problem);
  else logLine('no Stripe key configured: tools are listed, and a call explains how to add a key or try --demo.');
  return { router: env.problem ? new StaticRouter([], `${env.problem} Fix STRIPE_API_KEY in this server's env and restart it, or start it with --demo.`) : new StaticRouter([]), close: async () => {} };
}

async function serve(demo: boolean): Promise<void> {
  const setup = demo ? await demoSetup() : envSetup();
  const handle = serveStdio(() => createMcpServer(setup.router), { onerror: (err) => logLine(`protocol error: ${err.message}`) });
  logLine(`${PACKAGE_VERSION} serving ${TOOLS.length} read-only tools over stdio${demo ? ' on demo data' : ''}`);
  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    await handle.close().catch(() => {});
    await setup.close().catch(() => {});
    process.exit(0);
  };
  // The client closing our stdin is the end of the session (MCP stdio binding).
  process.stdin.on('end', shutdown);
  process.stdin.on('close', shutdown);
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

async function call(toolName: string | undefined, json: string | undefined, demo: boolean, asJson: boolean): Promise<number> {
  if (!toolName) throw new UsageError(`call needs a tool name. Tools: ${TOOLS.map((t) => t.name).join(', ')}`);
  const tool = TOOLS.find((t) => t.name === toolName);
  if (!tool) throw new UsageError(`There is no tool "${toolName}". Tools: ${TOOLS.map((t) => t.name).join(', ')}`);
  let raw: unknown = {};
  if (json !== undefined) {
    try {
      raw = JSON.parse(json);
    } catch {
      throw new UsageError(`The arguments must be one JSON object, e.g. '{"limit":5}'. Got: ${json}`);
    }
  }
  const setup = demo ? await demoSetup() : envSetup();
  try {
    let args: Record<string, unknown>;
    try {
      args = parseToolArguments(tool, raw, setup.router.connectionNames());
    } catch (err) {
      process.stderr.write(`${describeError(err, { tool: tool.name, dashboardResource: tool.dashboardResource })}\n`);
      return 2;
    }
    const result = await runTool(tool, args, { router: setup.router, signal: new AbortController().signal });
    if (result.isError) {
      const text = result.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
      process.stderr.write(`${text}\n`);
      return 1;
    }
    const structured = result.structuredContent as Record<string, unknown>;
    process.stdout.write(`${asJson ? JSON.stringify(structured, null, 2) : renderResult(structured)}\n`);
    return 0;
  } finally {
    await setup.close();
  }
}

function listTools(): void {
  for (const tool of TOOLS) {
    process.stdout.write(`${tool.name.padEnd(26)} ${tool.title}  (needs ${tool.dashboardResource}: Read)\n`);
  }
}

async function emulator(portText: string | undefined, seedText: string | undefined): Promise<void> {
  const port = portText === undefined ? 12111 : Number(portText);
  const seed = seedText === undefined ? 42 : Number(seedText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number (0–65535), got ${portText}`);
  if (!Number.isInteger(seed)) throw new UsageError(`--seed must be an integer, got ${seedText}`);
  const { startEmulator, formatEmulatorBanner } = await import('../emulator/index.js');
  const handle = await startEmulator({ port, seed });
  process.stdout.write(`${formatEmulatorBanner(handle)}\n`);
  const stop = async () => {
    await handle.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

export async function main(argv: string[]): Promise<number | undefined> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
      demo: { type: 'boolean' },
      json: { type: 'boolean' },
      port: { type: 'string' },
      seed: { type: 'string' },
      key: { type: 'string' },
    },
  });
  if (values.key !== undefined) {
    throw new UsageError('Keys are never taken on the command line (shell history and `ps` would show them). Set STRIPE_API_KEY in the environment instead.');
  }
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (values.version) {
    process.stdout.write(`${PACKAGE_VERSION}\n`);
    return 0;
  }
  const [command = 'serve', ...rest] = positionals;
  switch (command) {
    case 'serve':
      if (rest.length > 0) throw new UsageError(`serve takes no arguments (got: ${rest.join(' ')})`);
      await serve(values.demo === true);
      return undefined; // keeps running
    case 'call':
      return call(rest[0], rest[1], values.demo === true, values.json === true);
    case 'tools':
      listTools();
      return 0;
    case 'emulator':
      await emulator(values.port, values.seed);
      return undefined;
    default:
      throw new UsageError(`Unknown command "${command}". Run stripe-readonly-mcp --help.`);
  }
}

/** Runs the command line and sets the exit code; a failure prints one clear line, never a stack trace. */
export function run(): void {
  main(process.argv.slice(2)).then(
    (code) => {
      if (code !== undefined) process.exitCode = code;
    },
    (err: unknown) => {
      const usage = err instanceof UsageError || (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS'));
      const message = err instanceof ToolInputError || usage ? (err as Error).message : describeError(err, { tool: 'cli', dashboardResource: 'the resource' });
      process.stderr.write(`stripe-readonly-mcp: ${message}${usage ? '\nRun stripe-readonly-mcp --help for usage.' : ''}\n`);
      process.exitCode = usage ? 2 : 1;
    },
  );
}
