/**
 * `tokens create|list|revoke`: static bearer tokens for `serve --http`. The token is printed once, alone on
 * stdout (so `TOKEN=$(stripe-readonly-mcp tokens create ci)` works); everything said about it goes to stderr.
 */
import { parseArgs } from 'node:util';
import { readMetadata } from '../connections/metadata.js';
import { resolveHome } from '../connections/paths.js';
import { describeGrants, grantsFromPin } from '../server/http/access.js';
import { TokenAdmin, type TokenRecord } from '../server/http/token-store.js';
import { parseMode } from './connections.js';
import { err, plural, UsageError } from './output.js';

const CLI = 'stripe-readonly-mcp';

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

export async function tokensCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      connection: { type: 'string' },
      mode: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const [sub = 'list', ...names] = positionals;
  const admin = new TokenAdmin(resolveHome(process.env));
  const only = (allowed: readonly string[]) => {
    for (const flag of ['connection', 'mode', 'json'] as const) {
      if (values[flag] !== undefined && !allowed.includes(flag)) throw new UsageError(`--${flag} does not go with tokens ${sub}.\n${TOKENS_USAGE}`);
    }
  };
  const oneName = () => {
    if (names.length !== 1) throw new UsageError(`tokens ${sub} needs one NAME, e.g. ${CLI} tokens ${sub} alice`);
    return names[0]!;
  };
  switch (sub) {
    case 'create': {
      only(['connection', 'mode']);
      const name = oneName();
      const mode = parseMode(values.mode);
      if (values.connection !== undefined && values.connection.trim() === '') throw new UsageError('--connection needs a connection name.');
      const { token, record } = await admin.create(name, { connection: values.connection, mode });
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
    case 'list':
    case 'ls': {
      only(['json']);
      if (names.length) throw new UsageError('tokens list takes no NAME.');
      const records = await admin.list();
      if (values.json) {
        const shown = records.map(({ sha256: _hash, ...rest }) => rest);
        process.stdout.write(`${JSON.stringify(shown, null, 2)}\n`);
        return 0;
      }
      if (records.length === 0) {
        process.stdout.write(`No tokens yet. Create one with: ${CLI} tokens create NAME [--connection NAME] [--mode test|live]\n`);
        return 0;
      }
      const rows = records.map((r) => [r.name, r.hint, grantText(r), r.createdAt.slice(0, 16).replace('T', ' ')]);
      const header = ['NAME', 'TOKEN', 'MAY READ', 'CREATED (UTC)'];
      const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
      const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
      process.stdout.write(`${[line(header), ...rows.map(line)].join('\n')}\n`);
      err(`${plural(records.length, 'token')} in ${admin.path}`);
      return 0;
    }
    case 'revoke':
    case 'rm': {
      only([]);
      const name = oneName();
      if (!(await admin.revoke(name))) {
        const all = (await admin.list()).map((r) => r.name);
        err(`There is no token named "${name}".${all.length ? ` Tokens: ${all.join(', ')}.` : ' There are no tokens.'}`);
        return 1;
      }
      err(`Token "${name}" revoked: running servers refuse it from their next request on.`);
      return 0;
    }
    case 'help':
      process.stdout.write(`${TOKENS_USAGE}\n`);
      return 0;
    default:
      throw new UsageError(`Unknown tokens command "${sub}".\n${TOKENS_USAGE}`);
  }
}
