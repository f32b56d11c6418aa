/**
 * `serve` over stdio: what an MCP client runs at every launch, so its start loads only what the first answers need.
 * The tools are listed from the build's catalogue (src/server/built-in-tools.ts) and loaded on the first call;
 * the demo's emulator starts on the first call; the rest of the CLI (src/cli/main.ts) is never loaded.
 */
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import type { Pin } from '../connections/configured-router.js';
import { BUILT_IN_TOOLS } from '../server/built-in-tools.js';
import { createMcpServer } from '../server/create-server.js';
import { logLine } from '../server/log.js';
import { PACKAGE_VERSION } from '../version.js';
import type { StdioServeArgs } from './serve-args.js';
import { modePin, pinFrom, setupFor, toolSelection } from './setup.js';

/** Serves until the client closes stdin (or a signal). */
export async function serve(demo: boolean, pin: Pin, toolsFlag: string[] | undefined): Promise<void> {
  const tools = toolSelection(toolsFlag, BUILT_IN_TOOLS.tools);
  const setup = await setupFor(demo, pin, true);
  const handle = serveStdio(() => createMcpServer(setup.router, BUILT_IN_TOOLS, { tools }), { onerror: (err) => logLine(`protocol error: ${err.message}`) });
  const count = tools.names?.size ?? BUILT_IN_TOOLS.tools.length;
  logLine(`${PACKAGE_VERSION} serving ${count} read-only tools over stdio${demo ? ' on demo data' : ''}${tools.asked ? ` (${tools.asked})` : ''}`);
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

export async function serveStdioCommand(args: StdioServeArgs): Promise<undefined> {
  const pin = pinFrom(args.connection, args.mode);
  pin.mode = modePin(pin.mode);
  await serve(args.demo, pin, args.tools);
  return undefined; // keeps running
}
