import { run } from './run.js';
import { stdioServeArgs } from './serve-args.js';

// `serve` over stdio (what an MCP client starts, at every launch) loads only what serving needs; every other
// command goes through main.ts, without the server.
run(async () => {
  const argv = process.argv.slice(2);
  const serveArgs = stdioServeArgs(argv);
  return serveArgs ? (await import('./serve-stdio.js')).serveStdioCommand(serveArgs) : (await import('./main.js')).main(argv);
});
