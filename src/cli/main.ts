import { parseArgs } from 'node:util';
import type { Pin } from '../connections/configured-router.js';
import { PACKAGE_VERSION } from '../version.js';
import { refuseKeysOnArgv } from './argv.js';
import { CONNECTIONS_USAGE } from './connections/usage.js';
import { HELP } from './help.js';
import { UsageError } from './output.js';
import { modePin, pinFrom, setupFor } from './setup.js';

// Each command loads its own modules when run: a run of the CLI for one command (`connections list`, `config`,
// `--version`) no longer pays for the tools' schemas, the tool runner or the table renderer of another.

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

interface Subcommand {
  run: (argv: string[]) => Promise<number>;
  usage: string;
}

// The HTTP side (its adapter pulls in Hono and undici) loads only when used: a desktop client starts the stdio server
// on every launch, and those modules were a tenth of its start-up time.
const loadServeHttp = () => import('./serve-http.js');

const SUBCOMMANDS: Record<string, () => Promise<Subcommand>> = {
  connections: async () => ({ run: (await import('./connections.js')).connectionsCommand, usage: CONNECTIONS_USAGE }),
  doctor: async () => ({ run: (await import('./doctor.js')).doctorCommand, usage: 'Usage:\n  stripe-readonly-mcp doctor [--offline]' }),
  config: async () => ({ run: (await import('./config-snippets.js')).configCommand, usage: 'Usage:\n  stripe-readonly-mcp config claude|cursor|vscode|claude-code [--connection NAME] [--mode test|live] [--tools LIST]' }),
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
      tools: { type: 'string', multiple: true },
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
  const pin: Pin = pinFrom(values.connection, values.mode);
  const [command = 'serve', ...rest] = positionals;
  const pinned = pin.connection !== undefined || pin.mode !== undefined;
  if (pinned && command !== 'serve' && command !== 'call') throw new UsageError(`--connection and --mode go with serve and call, not ${command}.`);
  if (values.tools !== undefined && command !== 'serve') throw new UsageError(`--tools goes with serve (the tools a client is given), not ${command}.`);
  if (command === 'serve' || command === 'call') pin.mode = modePin(pin.mode);
  switch (command) {
    case 'serve':
      if (rest.length > 0) throw new UsageError(`serve takes no arguments (got: ${rest.join(' ')})`);
      await (await import('./serve-stdio.js')).serve(values.demo === true, pin, values.tools);
      return undefined; // keeps running
    case 'call':
      if (rest.length > 2) throw new UsageError(`call takes a tool name and one JSON argument (got also: ${rest.slice(2).join(' ')}); quote the JSON.`);
      return (await import('./call.js')).call(rest[0], rest[1], values.demo === true, values.json === true, pin);
    case 'tools':
      (await import('./call.js')).listTools(rest);
      return 0;
    case 'emulator':
      await emulator(values.port, values.seed);
      return undefined;
    default:
      throw new UsageError(`Unknown command "${command}".`);
  }
}
