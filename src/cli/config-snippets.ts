import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { ENV_CONNECTION } from '../connections/env.js';
import { ConnectionManager, noSuchConnection } from '../connections/manager.js';
import { CLI } from '../program-name.js';
import { modesOf } from '../connections/metadata.js';
import { parseMode, refuseKeysOnArgv } from './connections.js';
import { out, UsageError } from './output.js';
import { SetupError } from '../stripe/errors.js';
import type { Mode } from '../stripe/keys.js';
import { BUILT_IN_TOOLS } from '../server/built-in-tools.js';
import { toolSelection } from './setup.js';

export const CLIENTS = ['claude', 'cursor', 'vscode', 'claude-code'] as const;
export type ClientName = (typeof CLIENTS)[number];

/** How an MCP client starts this copy of the server: a command and the arguments before ours. */
export interface Launch {
  /** npx: from npm's npx cache; clone: a git checkout; installed: `npm install` (global, or from a tarball). */
  kind: 'npx' | 'clone' | 'installed' | 'copy';
  command: string;
  args: string[];
  /** Where this copy is, said to the user under the snippet. */
  note: string;
}

const PACKAGE_NAME = 'stripe-readonly-mcp';

/** The folder holding this package's package.json, from the running entry point's real path (links resolved). */
function packageRoot(entry: string): string | undefined {
  let dir = dirname(entry);
  for (let i = 0; i < 6; i++) {
    try {
      if ((JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string }).name === PACKAGE_NAME) return dir;
    } catch {
      // no package.json here, or not ours: look further up
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return undefined;
}

/** What `npx` was given for this package (npx records it in its cache folder's package.json), if it can be read. */
function npxSpec(root: string): string | undefined {
  try {
    const manifest = JSON.parse(readFileSync(join(root, '..', '..', 'package.json'), 'utf8')) as { _npx?: { packages?: string[] } };
    const specs = manifest._npx?.packages ?? [];
    return specs.find((s) => s === PACKAGE_NAME || s.startsWith(`${PACKAGE_NAME}@`)) ?? specs[0];
  } catch {
    return undefined;
  }
}

/**
 * How this copy was installed, told from the real path of the running entry point: inside npm's npx cache
 * (…/_npx/HASH/node_modules/stripe-readonly-mcp), a git clone (a .git beside package.json; `npm install -g .` links
 * the global bin to the clone, so it lands here too), or under a node_modules folder (`npm install -g` from the
 * registry or a tarball; npm keeps no record of which). Every way but npx is launched as this Node and this entry
 * by absolute path: MCP clients do not start servers from the shell, so the shell's PATH (nvm, Homebrew) may not
 * be theirs.
 */
export function detectLaunch(entry: string | undefined = process.argv[1], execPath: string = process.execPath): Launch {
  let real = entry;
  try {
    if (entry) real = realpathSync(entry);
  } catch {
    // keep the path as given
  }
  const root = real ? packageRoot(real) : undefined;
  // The running entry itself (bin/stripe-readonly-mcp.js, or the bundle's server/index.js), links resolved.
  const absolute = (kind: Launch['kind'], note: string): Launch => ({ kind, command: execPath, args: [real!], note });
  if (!root) return { kind: 'npx', command: 'npx', args: ['-y', PACKAGE_NAME], note: `This copy's folder could not be found, so the snippet runs the published package with npx.` };
  if (/[\\/]_npx[\\/][^\\/]+[\\/]node_modules[\\/]stripe-readonly-mcp$/.test(root)) {
    const spec = npxSpec(root) ?? PACKAGE_NAME;
    const fromRegistry = spec === PACKAGE_NAME || spec.startsWith(`${PACKAGE_NAME}@`);
    return {
      kind: 'npx',
      command: 'npx',
      args: fromRegistry ? ['-y', spec] : ['-y', `--package=${spec}`, PACKAGE_NAME],
      note: fromRegistry ? 'This copy runs through npx from the npm registry.' : `This copy runs through npx from ${spec}: keep that file where it is.`,
    };
  }
  if (existsSync(join(root, '.git'))) return absolute('clone', `This copy is a git clone in ${root}, run with the Node.js at ${execPath}: run config again if you move the folder or change Node.`);
  if (basename(dirname(root)) === 'node_modules') {
    return absolute('installed', `This copy is installed in ${root} (npm install), run with the Node.js at ${execPath}: run config again after reinstalling it elsewhere or changing Node.`);
  }
  return absolute('copy', `This copy is in ${root}, run with the Node.js at ${execPath}: run config again if you move it or change Node.`);
}

/** The server's launch arguments after the command: pinned to a connection (and mode) when named, serving only `tools` when given. */
export function serverArgs(launch: Launch, connection?: string, mode?: Mode, tools?: string): string[] {
  return [...launch.args, ...(connection ? ['--connection', connection] : []), ...(mode ? ['--mode', mode] : []), ...(tools ? ['--tools', tools] : [])];
}

function serverName(connection?: string, mode?: Mode): string {
  return ['stripe', connection, mode].filter(Boolean).join('-');
}

/** The text to paste into a client's config: it launches the server, which reads keys from the store. No key. */
export function snippet(
  client: ClientName,
  options: { connection?: string | undefined; mode?: Mode | undefined; tools?: string | undefined; env?: Record<string, string>; launch?: Launch } = {},
  platform: NodeJS.Platform = process.platform,
): string {
  const { connection, mode } = options;
  const launch = options.launch ?? detectLaunch();
  const { command } = launch;
  const name = serverName(connection, mode);
  const args = serverArgs(launch, connection, mode, options.tools);
  const env = options.env && Object.keys(options.env).length ? { env: options.env } : {};
  const json = (value: unknown) => JSON.stringify(value, null, 2);
  switch (client) {
    case 'claude': {
      const where =
        platform === 'darwin'
          ? '~/Library/Application Support/Claude/claude_desktop_config.json'
          : platform === 'win32'
            ? '%APPDATA%\\Claude\\claude_desktop_config.json'
            : '~/.config/Claude/claude_desktop_config.json';
      return [
        `Claude Desktop: add this under "mcpServers" in ${where} (Settings → Developer → Edit Config), then restart Claude:`,
        '',
        json({ mcpServers: { [name]: { command, args, ...env } } }),
      ].join('\n');
    }
    case 'cursor':
      return [
        'Cursor: add this under "mcpServers" in ~/.cursor/mcp.json (all projects) or .cursor/mcp.json (this project):',
        '',
        json({ mcpServers: { [name]: { command, args, ...env } } }),
      ].join('\n');
    case 'vscode':
      return [
        'VS Code: add this under "servers" in .vscode/mcp.json (this workspace), or run "MCP: Open User Configuration":',
        '',
        json({ servers: { [name]: { type: 'stdio', command, args, ...env } } }),
      ].join('\n');
    case 'claude-code':
      return [
        'Claude Code: run this once (add --scope user to use it in every project):',
        '',
        `claude mcp add ${name}${Object.entries(options.env ?? {}).map(([k, v]) => ` --env ${k}=${shellQuote(v)}`).join('')} -- ${[command, ...args].map(shellQuote).join(' ')}`,
      ].join('\n');
  }
}

function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./:-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

export async function configCommand(argv: string[]): Promise<number> {
  refuseKeysOnArgv(argv);
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: { connection: { type: 'string' }, mode: { type: 'string' }, tools: { type: 'string', multiple: true } },
  });
  const [client, ...extra] = positionals;
  if (!client || !(CLIENTS as readonly string[]).includes(client)) {
    throw new UsageError(`config needs one of: ${CLIENTS.join(', ')} (e.g. ${CLI} config claude --connection acme).${client ? ` Got "${client}".` : ''}`);
  }
  if (extra.length) throw new UsageError(`config takes one client name (got: ${positionals.join(' ')}).`);
  const mode = parseMode(values.mode);
  const connection = values.connection;
  // Checked here as the server will check it, so a snippet never carries a --tools value the server refuses.
  const tools = values.tools?.flatMap((t) => t.split(',').map((w) => w.trim())).filter(Boolean).join(',');
  if (values.tools !== undefined) toolSelection(values.tools, BUILT_IN_TOOLS.tools, {});
  const manager = new ConnectionManager();
  const metadata = await manager.read();
  const names = Object.keys(metadata.connections);
  const notes: string[] = [];
  if (connection !== undefined && connection !== ENV_CONNECTION) {
    const record = metadata.connections[connection];
    if (!record) throw noSuchConnection(connection, metadata);
    if (mode && !record[mode]) {
      throw new SetupError(`Connection "${connection}" has no ${mode} key (it has: ${modesOf(record).join(', ')}). Add one with: ${CLI} connections add ${connection} --mode ${mode}`);
    }
  } else if (connection === ENV_CONNECTION) {
    throw new UsageError('"env" is STRIPE_API_KEY\'s connection, which needs the key in the client config: store the key instead (connections add NAME) and name that connection.');
  } else if (names.length === 0) {
    notes.push(`No connection is stored yet: add one first with ${CLI} connections add NAME (the snippet works once it exists).`);
  } else if (names.length > 1) {
    notes.push(`This server will serve every stored connection (${names.join(', ')}); add --connection NAME to pin it to one.`);
  }
  // MCP clients do not inherit this shell's environment: a non-default folder has to be named in the entry.
  const env: Record<string, string> = process.env.STRIPE_MCP_HOME?.trim() ? { STRIPE_MCP_HOME: manager.paths.dir } : {};
  const launch = detectLaunch();
  out(snippet(client as ClientName, { connection, mode, tools, env, launch }));
  out('');
  out('The snippet holds no key: the server reads it from the OS keychain or the encrypted file when a tool needs it.');
  out(launch.note);
  for (const note of notes) out(note);
  return 0;
}
