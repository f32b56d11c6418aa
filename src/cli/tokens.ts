/**
 * `tokens create|list|revoke`: static bearer tokens for `serve --http`. The token is printed once, alone on
 * stdout (so `TOKEN=$(stripe-readonly-mcp tokens create ci)` works); everything said about it goes to stderr.
 */
import { readMetadata } from '../connections/metadata.js';
import { resolveHome } from '../connections/paths.js';
import { describeGrants, grantsFromPin } from '../server/http/access.js';
import { TokenAdmin, type TokenRecord } from '../server/http/token-store.js';
import { CLI } from '../program-name.js';
import type { Mode } from '../stripe/keys.js';
import { allowFlags, connectionFlag, noName, oneName, parseMode, parseSubcommand } from './argv.js';
import { columns, err, plural, UsageError } from './output.js';

export const TOKENS_USAGE = `Usage:
  ${CLI} tokens create NAME [--connection NAME] [--mode test|live]
                     Make a token for serve --http; it is printed once, only its hash is kept
  ${CLI} tokens list [--json]
  ${CLI} tokens revoke NAME
                     Servers refuse it from their next request on

Without --connection the token reaches every connection the server serves; without --mode, both modes.
Tokens are kept (as SHA-256 hashes) in tokens.json in the same folder as connections.json (STRIPE_MCP_HOME).`;

function grantText(record: Pick<TokenRecord, 'connection' | 'mode'>): string {
  return describeGrants(grantsFromPin(record.connection ?? undefined, record.mode ?? undefined));
}

/** The flags a token's subcommands take; each subcommand allows some of them. */
const TOKEN_FLAGS = {
  connection: { type: 'string' },
  mode: { type: 'string' },
  json: { type: 'boolean' },
} as const;

export async function tokensCommand(argv: string[]): Promise<number> {
  const { args, flags: values } = parseSubcommand('tokens', argv, TOKEN_FLAGS, { noun: 'a token', example: 'alice' });
  const admin = new TokenAdmin(resolveHome(process.env));
  switch (args.sub) {
    case 'create':
      allowFlags(args, ['connection', 'mode']);
      return createToken(admin, oneName(args), { mode: parseMode(values.mode), connection: connectionFlag(values.connection) });
    case 'list':
    case 'ls':
      allowFlags(args, ['json']);
      noName(args);
      return listTokens(admin, values.json === true);
    case 'revoke':
    case 'rm':
      allowFlags(args, []);
      return revokeToken(admin, oneName(args));
    case 'help':
      process.stdout.write(`${TOKENS_USAGE}\n`);
      return 0;
    default:
      throw new UsageError(`Unknown tokens command "${args.sub}".\n${TOKENS_USAGE}`);
  }
}

async function createToken(admin: TokenAdmin, name: string, grant: { connection: string | undefined; mode: Mode | undefined }): Promise<number> {
  const { token, record } = await admin.create(name, grant);
  process.stdout.write(`${token}\n`);
  err(`Token "${name}" created (${record.hint}). It is shown only this once: put it in your MCP client's config now.`);
  err(`It may read ${grantText(record)}. Clients send it as the header "Authorization: Bearer <token>".`);
  if (record.connection && record.connection !== 'env' && record.connection !== 'demo') {
    const known: string[] = await readMetadata(resolveHome(process.env)).then((m) => Object.keys(m.connections), () => []);
    if (!known.includes(record.connection)) {
      err(`Note: no connection "${record.connection}" is stored here; the token only works on a server that has one.`);
    }
  }
  return 0;
}

async function listTokens(admin: TokenAdmin, json: boolean): Promise<number> {
  const records = await admin.list();
  if (json) {
    const shown = records.map(({ sha256: _hash, ...rest }) => rest);
    process.stdout.write(`${JSON.stringify(shown, null, 2)}\n`);
    return 0;
  }
  if (records.length === 0) {
    process.stdout.write(`No tokens yet. Create one with: ${CLI} tokens create NAME [--connection NAME] [--mode test|live]\n`);
    return 0;
  }
  const rows = records.map((r) => [r.name, r.hint, grantText(r), r.createdAt.slice(0, 16).replace('T', ' ')]);
  process.stdout.write(`${columns(['NAME', 'TOKEN', 'MAY READ', 'CREATED (UTC)'], rows)}\n`);
  err(`${plural(records.length, 'token')} in ${admin.path}`);
  return 0;
}

async function revokeToken(admin: TokenAdmin, name: string): Promise<number> {
  if (!(await admin.revoke(name))) {
    const all = (await admin.list()).map((r) => r.name);
    err(`There is no token named "${name}".${all.length ? ` Tokens: ${all.join(', ')}.` : ' There are no tokens.'}`);
    return 1;
  }
  err(`Token "${name}" revoked: running servers refuse it from their next request on.`);
  return 0;
}
