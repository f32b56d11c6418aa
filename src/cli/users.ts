/**
 * `users add|list|remove|password|link`: the people who may sign in to `serve --http`'s built-in authorization
 * server and give ChatGPT or Claude access to what they may read. Passwords never go on the command line: they
 * are typed (hidden) or piped in with --password-stdin. A sign-in link is printed alone on stdout.
 */
import { resolveHome } from '../connections/paths.js';
import { describeGrants } from '../server/http/access.js';
import { readIssuer, StateFileStore } from '../server/http/authserver/state.js';
import { LINK_TTL_MS, UserStore, type UserRecord } from '../server/http/authserver/users.js';
import { CLI } from '../program-name.js';
import { allowFlags, connectionFlag, noName, oneName, parseMode, parseSubcommand } from './argv.js';
import { columns, err, plural, UsageError } from './output.js';
import { readAllStdin, readHidden } from './prompt.js';

export const USERS_USAGE = `Usage:
  ${CLI} users add NAME [--connection NAME] [--mode test|live] [--manage] [--password-stdin]
                     A person who may sign in to serve --http and let ChatGPT or Claude read that much
  ${CLI} users list [--json]
  ${CLI} users remove NAME
                     Their clients' grants and refresh tokens stop working; access tokens are refused from the next request
  ${CLI} users password NAME [--password-stdin]
  ${CLI} users link NAME [--url URL]
                     A one-time sign-in link (works once, for ${LINK_TTL_MS / 60_000} minutes), printed alone on stdout

Without --connection the person may read every connection the server serves; without --mode, both modes.
--manage also lets them add, test, rotate and remove connections on the server's /connections page.
Without a password (add without --password-stdin on a non-terminal) they sign in with links only.
Users are kept in users.json (passwords as scrypt hashes) in the same folder as connections.json (STRIPE_MCP_HOME).`;

function grantText(user: UserRecord): string {
  return describeGrants(user.grants);
}

async function askPassword(fromStdin: boolean, required: boolean): Promise<string | undefined> {
  if (fromStdin) {
    const text = (await readAllStdin()).replace(/\r?\n$/, '');
    if (!text) throw new UsageError('--password-stdin read nothing: pipe the password in, e.g. printf %s "$PASSWORD" | … --password-stdin');
    return text;
  }
  if (!process.stdin.isTTY) {
    if (required) throw new UsageError('No terminal to type a password in: pipe it in with --password-stdin.');
    return undefined;
  }
  const first = await readHidden('Password (at least 10 characters; Enter alone: sign-in links only): ');
  if (!first && !required) return undefined;
  const second = await readHidden('Same password again: ');
  if (first !== second) throw new UsageError('The two passwords differ; nothing was changed.');
  return first;
}

/** The flags a user's subcommands take; each subcommand allows some of them. */
const USER_FLAGS = {
  connection: { type: 'string' },
  mode: { type: 'string' },
  manage: { type: 'boolean' },
  'password-stdin': { type: 'boolean' },
  json: { type: 'boolean' },
  url: { type: 'string' },
} as const;

export async function usersCommand(argv: string[]): Promise<number> {
  const { args, flags: values } = parseSubcommand('users', argv, USER_FLAGS, { noun: 'a user', example: 'alice' });
  const store = new UserStore(resolveHome(process.env));
  switch (args.sub) {
    case 'add': {
      allowFlags(args, ['connection', 'mode', 'manage', 'password-stdin']);
      const name = oneName(args);
      const mode = parseMode(values.mode);
      const connection = connectionFlag(values.connection);
      const password = await askPassword(values['password-stdin'] === true, false);
      const user = await store.add(name, { connection, mode, manageConnections: values.manage === true, password });
      err(`User "${name}" added: may read ${grantText(user)}${user.manageConnections ? ', and manage connections' : ''}.`);
      err(password ? 'They sign in with that password.' : `No password set: sign them in with a one-time link (${CLI} users link ${name}).`);
      return 0;
    }
    case 'list':
    case 'ls':
      allowFlags(args, ['json']);
      noName(args);
      return listUsers(store, values.json === true);
    case 'remove':
    case 'rm': {
      allowFlags(args, []);
      const name = oneName(args);
      if (!(await store.remove(name))) return noSuchUser(store, name);
      await new StateFileStore(resolveHome(process.env)).forgetAccount(name);
      err(`User "${name}" removed: their sign-ins, grants and tokens stop working from the next request on.`);
      return 0;
    }
    case 'password': {
      allowFlags(args, ['password-stdin']);
      const name = oneName(args);
      if (!(await store.get(name))) return noSuchUser(store, name);
      const password = (await askPassword(values['password-stdin'] === true, true))!;
      await store.setPassword(name, password);
      err(`Password of "${name}" changed.`);
      return 0;
    }
    case 'link':
      allowFlags(args, ['url']);
      return printLink(store, oneName(args), values.url);
    case 'help':
      process.stdout.write(`${USERS_USAGE}\n`);
      return 0;
    default:
      throw new UsageError(`Unknown users command "${args.sub}".\n${USERS_USAGE}`);
  }
}

async function listUsers(store: UserStore, json: boolean): Promise<number> {
  const users = await store.list();
  if (json) {
    const shown = users.map((u) => ({ name: u.name, hasPassword: u.password !== null, manageConnections: u.manageConnections, grants: u.grants, createdAt: u.createdAt }));
    process.stdout.write(`${JSON.stringify(shown, null, 2)}\n`);
    return 0;
  }
  if (users.length === 0) {
    process.stdout.write(`No users yet. Add one with: ${CLI} users add NAME [--connection NAME] [--mode test|live]\n`);
    return 0;
  }
  const rows = users.map((u) => [u.name, grantText(u), u.manageConnections ? 'yes' : 'no', u.password ? 'password' : 'links only', u.createdAt.slice(0, 16).replace('T', ' ')]);
  process.stdout.write(`${columns(['NAME', 'MAY READ', 'MANAGES', 'SIGN-IN', 'CREATED (UTC)'], rows)}\n`);
  err(`${plural(users.length, 'user')} in ${store.path}`);
  return 0;
}

async function noSuchUser(store: UserStore, name: string): Promise<number> {
  const all = (await store.list()).map((u) => u.name);
  err(`There is no user named "${name}".${all.length ? ` Users: ${all.join(', ')}.` : ` There are no users: add one with ${CLI} users add NAME.`}`);
  return 1;
}

async function printLink(store: UserStore, name: string, url: string | undefined): Promise<number> {
  const paths = resolveHome(process.env);
  let base = url;
  if (base !== undefined) {
    try {
      base = new URL(base).origin;
    } catch {
      throw new UsageError(`--url must be the server's public URL (e.g. https://mcp.example.com), got "${base}".`);
    }
  }
  base ??= await readIssuer(paths);
  if (!base) throw new UsageError(`No server URL known yet: start ${CLI} serve --http --public-url https://… once, or pass --url https://your-server.`);
  const link = await store.createLink(name);
  if (!link) return noSuchUser(store, name);
  process.stdout.write(`${base}/oauth/signin?link=${encodeURIComponent(link.secret)}\n`);
  err(`One-time sign-in link for "${name}": it works once, until ${new Date(link.expiresAt).toISOString().slice(11, 16)} UTC. Send it privately.`);
  return 0;
}
