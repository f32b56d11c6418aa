/**
 * What serving needs before the first request, for stdio (serve-stdio.ts), HTTP (serve-http.ts) and `call`: the
 * router (the demo, or the stored connections and STRIPE_API_KEY), the mode pin and the tool selection, every
 * setting checked first. On the stdio start path: keep its imports light.
 */
import { ConfiguredRouter, type Pin } from '../connections/configured-router.js';
import { envValue, MODE_ENV } from '../connections/env.js';
import { StaticRouter, type ConnectionRouter } from '../connections/router.js';
import { logLine } from '../server/log.js';
import type { Mode } from '../stripe/keys.js';
import { describeRateLimits, RATE_LIMITS_ENV } from '../stripe/rate-limit-setting.js';
import { stripeRequestTimeoutMs } from '../stripe/timeout-setting.js';
import { selectTools, ToolSelectionError, TOOLS_ENV, type SelectableTool, type ToolSelection } from '../tools/toolsets.js';
import { parseMode } from './argv.js';
import { UsageError } from './output.js';

export interface Setup {
  router: ConnectionRouter;
  close: () => Promise<void>;
}

/**
 * The demo: the emulator in this process and one test-mode connection named "demo" pointing at it. The emulator
 * (generating its dataset takes a few hundred milliseconds) starts on the first call, not before tools/list.
 */
function demoSetup(): Setup {
  let started: Promise<{ router: StaticRouter; close: () => Promise<void> }> | undefined;
  const start = () =>
    (started ??= import('../emulator/index.js').then(async ({ startEmulator }) => {
      const emulator = await startEmulator();
      const router = new StaticRouter([{ name: 'demo', keys: { test: emulator.keys.test }, defaultMode: 'test', apiBase: emulator.url }]);
      return { router, close: () => emulator.close() };
    }));
  const router: ConnectionRouter = { connectionNames: () => ['demo'], resolve: async (request) => (await start()).router.resolve(request) };
  return { router, close: async () => (started ? (await started).close() : undefined) };
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

export async function setupFor(demo: boolean, pin: Pin, log: boolean): Promise<Setup> {
  if (demo && (pin.connection || pin.mode)) throw new UsageError('--demo serves the connection "demo" in test mode only: leave out --connection and --mode.');
  // A bad STRIPE_MCP_STRIPE_RATE_LIMITS stops here, before anything is served, with what to write instead.
  const limits = describeRateLimits();
  stripeRequestTimeoutMs(); // likewise a bad STRIPE_MCP_STRIPE_TIMEOUT
  if (log && process.env[RATE_LIMITS_ENV]) logLine(`Stripe request limits: ${limits}`);
  return demo ? demoSetup() : configuredSetup(pin, log);
}

/** --connection and --mode as given: checked, not yet combined with STRIPE_MCP_MODE (see modePin). */
export function pinFrom(connection: string | undefined, mode: string | undefined): Pin {
  const pin: Pin = { connection, mode: parseMode(mode) };
  if (pin.connection !== undefined && pin.connection.trim() === '') throw new UsageError('--connection needs a connection name.');
  return pin;
}

/**
 * STRIPE_MCP_MODE=test|live pins the mode as --mode does (the MCP Bundle passes its "mode" setting this way; empty or
 * an unfilled placeholder means no pin). A flag that disagrees with it is refused, never quietly preferred.
 */
export function modePin(flag: Mode | undefined, env: NodeJS.ProcessEnv = process.env): Mode | undefined {
  const fromEnv = parseMode(envValue(env, MODE_ENV), MODE_ENV);
  if (flag && fromEnv && flag !== fromEnv) throw new UsageError(`--mode ${flag} disagrees with ${MODE_ENV}=${fromEnv}: give one of them.`);
  return flag ?? fromEnv;
}

const sameWords = (a: string, b: string) => a.split(',').map((w) => w.trim().toLowerCase()).filter(Boolean).join(',') === b.split(',').map((w) => w.trim().toLowerCase()).filter(Boolean).join(',');

/**
 * --tools (repeatable) or STRIPE_MCP_TOOLS: which tools are served. Unknown names stop start-up (exit 2) with the
 * valid names and the closest one; a flag that disagrees with the variable is refused, as for --mode.
 */
export function toolSelection(flag: string[] | undefined, tools: readonly SelectableTool[], env: NodeJS.ProcessEnv = process.env): ToolSelection {
  const given = flag?.join(',');
  const fromEnv = envValue(env, TOOLS_ENV);
  if (given !== undefined && fromEnv !== undefined && !sameWords(given, fromEnv)) {
    throw new UsageError(`--tools ${given} disagrees with ${TOOLS_ENV}=${fromEnv}: give one of them.`);
  }
  try {
    return given !== undefined ? selectTools(given, tools, '--tools') : selectTools(fromEnv, tools, TOOLS_ENV);
  } catch (err) {
    throw err instanceof ToolSelectionError ? new UsageError(err.message) : err;
  }
}
