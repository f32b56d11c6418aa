import { parseArgs } from 'node:util';
import { ENV_CONNECTION } from '../connections/env.js';
import { CLI, ConnectionManager, noSuchConnection } from '../connections/manager.js';
import { modesOf } from '../connections/metadata.js';
import { parseMode, refuseKeysOnArgv } from './connections.js';
import { out, UsageError } from './output.js';
import { SetupError } from '../stripe/errors.js';
import type { Mode } from '../stripe/keys.js';

export const CLIENTS = ['claude', 'cursor', 'vscode', 'claude-code'] as const;
export type ClientName = (typeof CLIENTS)[number];

/** The server's launch arguments: `npx -y stripe-readonly-mcp`, pinned to a connection (and mode) when named. */
export function serverArgs(connection?: string, mode?: Mode): string[] {
  return ['-y', CLI, ...(connection ? ['--connection', connection] : []), ...(mode ? ['--mode', mode] : [])];
}

function serverName(connection?: string, mode?: Mode): string {
  return ['stripe', connection, mode].filter(Boolean).join('-');
}

/** The text to paste into a client's config: it launches the server, which reads keys from the store. No key. */
export function snippet(
  client: ClientName,
  options: { connection?: string | undefined; mode?: Mode | undefined; env?: Record<string, string> } = {},
  platform: NodeJS.Platform = process.platform,
): string {
  const { connection, mode } = options;
  const name = serverName(connection, mode);
  const args = serverArgs(connection, mode);
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
        json({ mcpServers: { [name]: { command: 'npx', args, ...env } } }),
      ].join('\n');
    }
    case 'cursor':
      return [
        'Cursor: add this under "mcpServers" in ~/.cursor/mcp.json (all projects) or .cursor/mcp.json (this project):',
        '',
        json({ mcpServers: { [name]: { command: 'npx', args, ...env } } }),
      ].join('\n');
    case 'vscode':
      return [
        'VS Code: add this under "servers" in .vscode/mcp.json (this workspace), or run "MCP: Open User Configuration":',
        '',
        json({ servers: { [name]: { type: 'stdio', command: 'npx', args, ...env } } }),
      ].join('\n');
    case 'claude-code':
      return ['Claude Code: run this once (add --scope user to use it in every project):', '', `claude mcp add ${name}${Object.entries(options.env ?? {}).map(([k, v]) => ` --env ${k}=${shellQuote(v)}`).join('')} -- npx ${args.join(' ')}`].join('\n');
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
    options: { connection: { type: 'string' }, mode: { type: 'string' } },
  });
  const [client, ...extra] = positionals;
  if (!client || !(CLIENTS as readonly string[]).includes(client)) {
    throw new UsageError(`config needs one of: ${CLIENTS.join(', ')} (e.g. ${CLI} config claude --connection acme).${client ? ` Got "${client}".` : ''}`);
  }
  if (extra.length) throw new UsageError(`config takes one client name (got: ${positionals.join(' ')}).`);
  const mode = parseMode(values.mode);
  const connection = values.connection;
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
  out(snippet(client as ClientName, { connection, mode, env }));
  out('');
  out('The snippet holds no key: the server reads it from the OS keychain or the encrypted file when a tool needs it.');
  for (const note of notes) out(note);
  return 0;
}
