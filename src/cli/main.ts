import { parseArgs } from 'node:util';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { ConfiguredRouter, type Pin } from '../connections/configured-router.js';
import { envValue, MODE_ENV } from '../connections/env.js';
import type { Mode } from '../stripe/keys.js';
import { StaticRouter, type ConnectionRouter } from '../connections/router.js';
import { createMcpServer } from '../server/create-server.js';
import { logLine } from '../server/log.js';
import { parseToolArguments, runTool } from '../server/tool-runner.js';
import { describeError, ToolInputError } from '../stripe/errors.js';
import { DateInputError } from '../stripe/time.js';
import { describeRateLimits, RATE_LIMITS_ENV } from '../stripe/rate-limit-setting.js';
import { redactKeys } from '../stripe/keys.js';
import { describePermissions } from '../stripe/permissions.js';
import { stripeRequestTimeoutMs } from '../stripe/timeout-setting.js';
import { TOOLS } from '../tools/index.js';
import { PACKAGE_VERSION } from '../version.js';
import { configCommand } from './config-snippets.js';
import { connectionsCommand, CONNECTIONS_USAGE, parseMode, refuseKeysOnArgv } from './connections.js';
import { doctorCommand } from './doctor.js';
import { HELP } from './help.js';
import { CancelledError } from './prompt.js';
import { UsageError } from './output.js';
import { renderResult } from './table.js';
import { describeTool } from './tool-help.js';
import { closestName } from '../server/argument-hints.js';
import type { AnyTool } from '../tools/define-tool.js';

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

/**
 * The stored connections (metadata now, each key only when a call needs its mode) plus STRIPE_API_KEY's "env".
 * Pinned, only that connection and mode are served and only that key is ever read.
 */
async function configuredSetup(pin: Pin, log: boolean): Promise<Setup> {
  const router = await ConfiguredRouter.create({ pin });
  if (!log) return { router, close: async () => {} };
  for (const line of router.describe()) logLine(line);
  if (router.connectionNames().length === 0 && !router.loadProblem) {
    logLine('no Stripe key configured: tools are listed, and a call explains how to add a connection or try --demo.');
  }
  return { router, close: async () => {} };
}

function setupFor(demo: boolean, pin: Pin, log: boolean): Promise<Setup> {
  if (demo && (pin.connection || pin.mode)) throw new UsageError('--demo serves the connection "demo" in test mode only: leave out --connection and --mode.');
  // A bad STRIPE_MCP_STRIPE_RATE_LIMITS stops here, before anything is served, with what to write instead.
  const limits = describeRateLimits();
  stripeRequestTimeoutMs(); // likewise a bad STRIPE_MCP_STRIPE_TIMEOUT
  if (log && process.env[RATE_LIMITS_ENV]) logLine(`Stripe request limits: ${limits}`);
  return demo ? demoSetup() : configuredSetup(pin, log);
}

async function serve(demo: boolean, pin: Pin): Promise<void> {
  const setup = await setupFor(demo, pin, true);
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

/** The tool of that name, or a usage error naming the tools and the closest one. */
function toolNamed(toolName: string): AnyTool {
  const tool = TOOLS.find((t) => t.name === toolName);
  if (tool) return tool;
  const near = closestName(toolName, TOOLS.map((t) => t.name));
  throw new UsageError(`There is no tool "${toolName}"${near ? ` (did you mean "${near}"?)` : ''}. Tools: ${TOOLS.map((t) => t.name).join(', ')}`);
}

async function call(toolName: string | undefined, json: string | undefined, demo: boolean, asJson: boolean, pin: Pin): Promise<number> {
  if (!toolName) throw new UsageError(`call needs a tool name. Tools: ${TOOLS.map((t) => t.name).join(', ')}`);
  const tool = toolNamed(toolName);
  let raw: unknown = {};
  if (json !== undefined) {
    try {
      raw = JSON.parse(json);
    } catch {
      throw new UsageError(`The arguments must be one JSON object, e.g. '{"limit":5}'. Got: ${json}`);
    }
  }
  const setup = await setupFor(demo, pin, false);
  try {
    let args: Record<string, unknown>;
    try {
      args = parseToolArguments(tool, raw, setup.router.connectionNames());
    } catch (err) {
      process.stderr.write(`${describeError(err, { tool: tool.name, permissions: tool.permissions })}\n`);
      return 2;
    }
    // Arguments the schema accepts but the tool refuses (e.g. cursor with group_by) are usage errors too: exit 2.
    let badInput = false;
    const watched: AnyTool = {
      ...tool,
      handler: (a, ctx) =>
        tool.handler(a, ctx).catch((err: unknown) => {
          badInput = err instanceof ToolInputError || err instanceof DateInputError;
          throw err;
        }),
    };
    const result = await runTool(watched, args, { router: setup.router, signal: new AbortController().signal });
    if (result.isError) {
      const text = result.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
      process.stderr.write(`${text}\n`);
      return badInput ? 2 : 1;
    }
    const structured = result.structuredContent as Record<string, unknown>;
    process.stdout.write(`${asJson ? JSON.stringify(structured, null, 2) : renderResult(structured)}\n`);
    return 0;
  } finally {
    await setup.close();
  }
}

function listTools(names: string[]): void {
  if (names.length > 0) {
    const tools = names.map((name) => toolNamed(name));
    process.stdout.write(`${tools.map(describeTool).join('\n\n')}\n`);
    return;
  }
  for (const tool of TOOLS) {
    process.stdout.write(`${tool.name.padEnd(26)} ${tool.title}  (${describePermissions(tool.permissions)})\n`);
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

/**
 * STRIPE_MCP_MODE=test|live pins the mode as --mode does (the MCP Bundle passes its "mode" setting this way; empty or
 * an unfilled placeholder means no pin). A flag that disagrees with it is refused, never quietly preferred.
 */
function modePin(flag: Mode | undefined): Mode | undefined {
  const fromEnv = parseMode(envValue(process.env, MODE_ENV), MODE_ENV);
  if (flag && fromEnv && flag !== fromEnv) throw new UsageError(`--mode ${flag} disagrees with ${MODE_ENV}=${fromEnv}: give one of them.`);
  return flag ?? fromEnv;
}

interface Subcommand {
  run: (argv: string[]) => Promise<number>;
  usage: string;
}

// The HTTP side (its adapter pulls in Hono and undici) loads only when used: a desktop client starts the stdio server
// on every launch, and those modules were a tenth of its start-up time.
const loadServeHttp = () => import('./serve-http.js');

const SUBCOMMANDS: Record<string, () => Promise<Subcommand>> = {
  connections: async () => ({ run: connectionsCommand, usage: CONNECTIONS_USAGE }),
  doctor: async () => ({ run: doctorCommand, usage: 'Usage:\n  stripe-readonly-mcp doctor [--offline]' }),
  config: async () => ({ run: configCommand, usage: 'Usage:\n  stripe-readonly-mcp config claude|cursor|vscode|claude-code [--connection NAME] [--mode test|live]' }),
  tokens: async () => {
    const { tokensCommand, TOKENS_USAGE } = await import('./tokens.js');
    return { run: tokensCommand, usage: TOKENS_USAGE };
  },
  users: async () => {
    const { usersCommand, USERS_USAGE } = await import('./users.js');
    return { run: usersCommand, usage: USERS_USAGE };
  },
};

export async function main(argv: string[]): Promise<number | undefined> {
  // A key in any argument, in any form, for any command: refused before anything else runs, never echoed.
  refuseKeysOnArgv(argv);
  const loadSub = argv[0] !== undefined && Object.hasOwn(SUBCOMMANDS, argv[0]) ? SUBCOMMANDS[argv[0]] : undefined;
  if (loadSub) {
    const sub = await loadSub();
    if (argv.includes('--help') || argv.includes('-h')) {
      process.stdout.write(`${sub.usage}\n`);
      return 0;
    }
    return sub.run(argv.slice(1));
  }
  if (argv.includes('--http')) {
    // serve --http: its own flags (src/cli/serve-http.ts); the router is built as for stdio.
    const { serveHttpCommand, SERVE_HTTP_USAGE } = await loadServeHttp();
    if (argv.includes('--help') || argv.includes('-h')) {
      process.stdout.write(`${SERVE_HTTP_USAGE}\n`);
      return 0;
    }
    return serveHttpCommand(argv, (demo, pin) => setupFor(demo, pin, true));
  }
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
      connection: { type: 'string' },
      mode: { type: 'string' },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (values.version) {
    process.stdout.write(`${PACKAGE_VERSION}\n`);
    return 0;
  }
  const pin: Pin = { connection: values.connection, mode: parseMode(values.mode) };
  if (pin.connection !== undefined && pin.connection.trim() === '') throw new UsageError('--connection needs a connection name.');
  const [command = 'serve', ...rest] = positionals;
  const pinned = pin.connection !== undefined || pin.mode !== undefined;
  if (pinned && command !== 'serve' && command !== 'call') throw new UsageError(`--connection and --mode go with serve and call, not ${command}.`);
  if (command === 'serve' || command === 'call') pin.mode = modePin(pin.mode);
  switch (command) {
    case 'serve':
      if (rest.length > 0) throw new UsageError(`serve takes no arguments (got: ${rest.join(' ')})`);
      await serve(values.demo === true, pin);
      return undefined; // keeps running
    case 'call':
      if (rest.length > 2) throw new UsageError(`call takes a tool name and one JSON argument (got also: ${rest.slice(2).join(' ')}); quote the JSON.`);
      return call(rest[0], rest[1], values.demo === true, values.json === true, pin);
    case 'tools':
      listTools(rest);
      return 0;
    case 'emulator':
      await emulator(values.port, values.seed);
      return undefined;
    default:
      throw new UsageError(`Unknown command "${command}".`);
  }
}

/**
 * `tools | head`: once the reader has gone, stdout writes fail with EPIPE. That is the reader's choice, not our
 * failure: stop at once, exit 0, and print no stack trace (stderr may be gone too).
 */
function endQuietlyOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(0);
      throw err;
    });
  }
}

/** Runs the command line and sets the exit code; a failure prints one clear line, never a stack trace. */
export function run(): void {
  endQuietlyOnClosedPipe();
  main(process.argv.slice(2)).then(
    (code) => {
      if (code !== undefined) process.exitCode = code;
    },
    (err: unknown) => {
      const usage = err instanceof UsageError || (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS'));
      const plain = err instanceof ToolInputError || err instanceof CancelledError || usage;
      const message = plain ? (err as Error).message : describeError(err, { tool: 'cli' });
      process.stderr.write(`stripe-readonly-mcp: ${redactKeys(message)}${usage ? '\nRun stripe-readonly-mcp --help for usage.' : ''}\n`);
      process.exitCode = usage ? 2 : err instanceof CancelledError ? 130 : 1;
    },
  );
}
