import { run } from './run.js';
import { serveStdioCommand, stdioServeArgs } from './serve-stdio.js';

// `serve` over stdio (what an MCP client starts, at every launch) loads only what serving needs; every other
// command goes through main.ts.
run(async () => {
  const argv = process.argv.slice(2);
  const serveArgs = stdioServeArgs(argv);
  return serveArgs ? serveStdioCommand(serveArgs) : (await import('./main.js')).main(argv);
});
