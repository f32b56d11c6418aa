/**
 * Whether a run of the CLI is `serve` over stdio, read before anything else loads: that start (an MCP client's, at
 * every launch) then loads the server alone, and any other command loads main.ts without the server and the SDK.
 */
import { parseArgs } from 'node:util';
import { refuseKeysOnArgv } from './argv.js';

export interface StdioServeArgs {
  demo: boolean;
  connection: string | undefined;
  mode: string | undefined;
  tools: string[] | undefined;
}

/** `serve` (or no command) with only serve's own flags; undefined for anything else, which main.ts reads. */
export function stdioServeArgs(argv: string[]): StdioServeArgs | undefined {
  refuseKeysOnArgv(argv);
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { demo: { type: 'boolean' }, connection: { type: 'string' }, mode: { type: 'string' }, tools: { type: 'string', multiple: true } },
    });
  } catch {
    return undefined; // main.ts says what is wrong
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1 || (positionals.length === 1 && positionals[0] !== 'serve')) return undefined;
  return { demo: values.demo === true, connection: values.connection, mode: values.mode, tools: values.tools };
}

