import { parseArgs } from 'node:util';
import { connectionFromEnv, ENV_CONNECTION } from '../connections/env.js';
import { CLI, ConnectionManager, noSuchMode, type SavedKey } from '../connections/manager.js';
import { checkConnectionName, modesOf, storedDefault, type ConnectionRecord, type ModeRecord } from '../connections/metadata.js';
import { accountText, storeText } from '../connections/describe.js';
import { testKey } from '../connections/key-test.js';
import type { ToolSummary } from '../connections/tool-check.js';
import { restrictedKeyHowTo, toolProbes } from './tool-probes.js';
import { SetupError } from '../stripe/errors.js';
import { keyHint, MODES, type Mode } from '../stripe/keys.js';
import { err, out, plural, UsageError } from './output.js';
import { confirm, readKey } from './prompt.js';

export const CONNECTIONS_USAGE = `Usage:
  ${CLI} connections add NAME [--mode test|live] [--key-stdin] [--allow-secret-key] [--default]
  ${CLI} connections list [--json]
  ${CLI} connections test NAME [--mode test|live]
  ${CLI} connections rotate NAME --mode test|live [--key-stdin] [--allow-secret-key]
  ${CLI} connections remove NAME [--mode test|live] [--yes]
  ${CLI} connections default NAME [--mode test|live]`;

export const KEY_ON_ARGV =
  'Keys are never taken on the command line: shell history and `ps` would show them to anyone who looks. ' +
  'Run the command in a terminal to be asked for the key (the input is hidden), or pipe it in with --key-stdin. ' +
  'If that was a real key, it is now in your shell history: roll it in the Stripe Dashboard (Developers → API keys).';

/**
 * A Stripe key anywhere in one argument: alone, after `=` (`--x=KEY`), glued to a short flag (`-xKEY`), inside
 * JSON, or as a flag name (`--KEY`). The key must not follow a letter or digit, so a name such as
 * `risk_test_accounts` is not taken for one. `--key` itself is refused too: keys never come on argv.
 */
export function argumentHoldsKey(arg: string): boolean {
  return /(^|[^A-Za-z0-9])(sk|rk|pk)_(test|live|org)/.test(arg) || /^-[A-Za-z]+(sk|rk|pk)_(test|live|org)/.test(arg) || /^--key(=|$)/.test(arg);
}

/** Anything shaped like a Stripe key among the arguments (every command, every form): refused, never echoed. */
export function refuseKeysOnArgv(args: string[]): void {
  if (args.some(argumentHoldsKey)) throw new UsageError(KEY_ON_ARGV);
}

export function parseMode(value: string | undefined, flag = '--mode'): Mode | undefined {
  if (value === undefined) return undefined;
  if ((MODES as readonly string[]).includes(value)) return value as Mode;
  throw new UsageError(`${flag} must be test or live (got "${value}").`);
}

interface Parsed {
  sub: string;
  names: string[];
  mode: Mode | undefined;
  keyStdin: boolean;
  allowSecret: boolean;
  makeDefault: boolean;
  json: boolean;
  yes: boolean;
}

function parse(argv: string[]): Parsed {
  refuseKeysOnArgv(argv);
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      mode: { type: 'string' },
      'key-stdin': { type: 'boolean' },
      'allow-secret-key': { type: 'boolean' },
      default: { type: 'boolean' },
      json: { type: 'boolean' },
      yes: { type: 'boolean', short: 'y' },
    },
  });
  const [sub = 'list', ...names] = positionals;
  return {
    sub,
    names,
    mode: parseMode(values.mode),
    keyStdin: values['key-stdin'] === true,
    allowSecret: values['allow-secret-key'] === true,
    makeDefault: values.default === true,
    json: values.json === true,
    yes: values.yes === true,
  };
}

function oneName(p: Parsed): string {
  const [name, ...extra] = p.names;
  if (!name) throw new UsageError(`connections ${p.sub} needs a connection NAME, e.g. ${CLI} connections ${p.sub} acme`);
  if (extra.length > 0) throw new UsageError(`connections ${p.sub} takes one NAME (got ${p.names.length} arguments).`);
  return name;
}

function allow(p: Parsed, flags: Array<keyof Parsed>): void {
  const given: Array<[keyof Parsed, string]> = [
    ['mode', '--mode'],
    ['keyStdin', '--key-stdin'],
    ['allowSecret', '--allow-secret-key'],
    ['makeDefault', '--default'],
    ['json', '--json'],
    ['yes', '--yes'],
  ];
  for (const [field, flag] of given) {
    if (p[field] && !flags.includes(field)) throw new UsageError(`connections ${p.sub} does not take ${flag}.`);
  }
}

export async function connectionsCommand(argv: string[]): Promise<number> {
  const p = parse(argv);
  switch (p.sub) {
    case 'add':
      allow(p, ['mode', 'keyStdin', 'allowSecret', 'makeDefault']);
      return add(p);
    case 'list':
    case 'ls':
      allow(p, ['json']);
      if (p.names.length) throw new UsageError('connections list takes no NAME.');
      return list(p);
    case 'test':
      allow(p, ['mode', 'json']);
      return test(p);
    case 'rotate':
      allow(p, ['mode', 'keyStdin', 'allowSecret']);
      return rotate(p);
    case 'remove':
    case 'rm':
      allow(p, ['mode', 'yes']);
      return remove(p);
    case 'default':
      allow(p, ['mode']);
      return setDefault(p);
    case 'help':
      out(CONNECTIONS_USAGE);
      return 0;
    default:
      throw new UsageError(`Unknown connections command "${p.sub}".\n${CONNECTIONS_USAGE}`);
  }
}

async function add(p: Parsed): Promise<number> {
  const name = oneName(p);
  checkConnectionName(name);
  const manager = new ConnectionManager(process.env, { keyHowTo: restrictedKeyHowTo() });
  const metadata = await manager.read();
  const existing = metadata.connections[name];
  if (existing && !p.mode && existing.test && existing.live) {
    throw new SetupError(
      `Connection "${name}" already has a test key (${existing.test.keyHint}) and a live key (${existing.live.keyHint}). Nothing was changed. ` +
        `To replace one: ${CLI} connections rotate ${name} --mode test|live`,
    );
  }
  if (p.mode && metadata.connections[name]?.[p.mode]) {
    throw new SetupError(
      `Connection "${name}" already has a ${p.mode} key (${metadata.connections[name]![p.mode]!.keyHint}). Nothing was changed. To replace it: ${CLI} connections rotate ${name} --mode ${p.mode}`,
    );
  }
  const key = await readKey({
    keyStdin: p.keyStdin,
    prompt: `Paste the ${p.mode ? `${p.mode}-mode ` : ''}restricted key (rk_…) for "${name}" (the input is hidden), then press Enter: `,
  });
  const saved = await manager.add({ name, key, mode: p.mode, allowSecret: p.allowSecret, makeDefault: p.makeDefault });
  reportSaved(saved, metadata.connections[name] ? 'added' : 'created');
  return 0;
}

function reportSaved(saved: SavedKey, how: 'created' | 'added' | 'rotated'): void {
  const { record } = saved;
  out(`Verified: ${saved.mode}-mode ${record.keyKind} key ${record.keyHint}; Stripe accepted it.`);
  out(record.accountId ? `Account: ${accountText(record)}.` : `${record.accountNote ?? 'Account info not available.'}`);
  const where = `${saved.store.store.describe()} (${saved.store.reason})`;
  if (how === 'rotated') out(`Rotated the ${saved.mode} key of connection "${saved.name}": the new key is in the ${where}.`);
  else if (how === 'created') out(`Saved connection "${saved.name}" with its ${saved.mode} key in the ${where}.`);
  else out(`Added the ${saved.mode} key to connection "${saved.name}", in the ${where}.`);
  const modes = modesOf(saved.connection);
  out(
    `"${saved.name}" has ${modes.map((m) => `${m}${saved.connection.defaultMode === m ? ' (default mode)' : ''}`).join(' and ')}` +
      `${saved.isDefaultConnection ? ' and is the default connection' : ''}.`,
  );
  for (const warning of saved.warnings) err(`Warning: ${warning}`);
  if (saved.record.keyKind === 'secret') {
    err('Note: this is a secret key (sk_…), which can write. The server only ever sends GET requests, but prefer a restricted key: rotate to one with ' +
      `${CLI} connections rotate ${saved.name} --mode ${saved.mode}`);
  }
  if (how !== 'rotated') {
    out(`Next: ${CLI} connections test ${saved.name}   (which tools this key can serve)`);
    out(`      ${CLI} config claude --connection ${saved.name}   (the snippet for your MCP client; it holds no key)`);
  }
}

interface ListEntry {
  name: string;
  source: 'stored' | 'STRIPE_API_KEY';
  default: boolean;
  defaultMode: Mode;
  modes: Partial<Record<Mode, Omit<ModeRecord, 'keyId'> | { keyHint: string; keyKind: string; store: 'environment' }>>;
}

async function list(p: Parsed): Promise<number> {
  const manager = new ConnectionManager();
  const metadata = await manager.read();
  const env = connectionFromEnv();
  let newKeys: { kind: string; description: string; reason: string } | { error: string };
  try {
    const choice = await manager.stores.forNewKeys();
    newKeys = { kind: choice.store.kind, description: choice.store.describe(), reason: choice.reason };
  } catch (e) {
    newKeys = { error: (e as Error).message };
  }
  const effectiveDefault = env.ok ? ENV_CONNECTION : storedDefault(metadata);
  const entries: ListEntry[] = [];
  if (env.ok) {
    const mode = env.connection.defaultMode ?? 'test';
    const modes: ListEntry['modes'] = {};
    for (const [m, key] of Object.entries(env.connection.keys)) {
      if (key) modes[m as Mode] = { keyHint: keyHint(key), keyKind: key.startsWith('sk_') ? 'secret' : 'restricted', store: 'environment' };
    }
    entries.push({ name: ENV_CONNECTION, source: 'STRIPE_API_KEY', default: effectiveDefault === ENV_CONNECTION, defaultMode: mode, modes });
  }
  for (const [name, record] of Object.entries(metadata.connections)) {
    const modes: ListEntry['modes'] = {};
    for (const mode of modesOf(record)) {
      const { keyId: _id, ...rest } = record[mode]!;
      modes[mode] = rest;
    }
    entries.push({ name, source: 'stored', default: effectiveDefault === name, defaultMode: record.defaultMode ?? 'test', modes });
  }

  if (p.json) {
    out(
      JSON.stringify(
        {
          home: manager.paths.dir,
          connectionsFile: manager.paths.connectionsFile,
          storeForNewKeys: newKeys,
          default: effectiveDefault ?? null,
          connections: entries,
        },
        null,
        2,
      ),
    );
    return 0;
  }
  if (entries.length === 0) {
    out(`No connections yet (looked in ${manager.paths.connectionsFile}).`);
    out(`Add one with: ${CLI} connections add NAME   (you will be asked for a restricted key; it is stored in the OS keychain or an encrypted file)`);
  }
  for (const entry of entries) {
    out(`${entry.name}${entry.default ? '  (default connection)' : ''}${entry.source === 'STRIPE_API_KEY' ? '  from STRIPE_API_KEY' : ''}`);
    for (const mode of MODES) {
      const m = entry.modes[mode];
      if (!m) continue;
      const label = `${mode}${entry.defaultMode === mode ? '*' : ' '}`;
      if (m.store === 'environment') {
        out(`  ${label}  ${m.keyHint.padEnd(16)}  ${m.keyKind.padEnd(10)}  environment variable (touches no store)`);
        continue;
      }
      const r = m as Omit<ModeRecord, 'keyId'>;
      out(`  ${label}  ${r.keyHint.padEnd(16)}  ${r.keyKind.padEnd(10)}  ${storeText(r.store).padEnd(14)}  ${accountText(r)}; verified ${r.verifiedAt.replace(/\.\d+Z$/, 'Z')}`);
    }
  }
  if (entries.length > 0) out('(* = the mode a call uses when it names none)');
  if (env.ok && storedDefault(metadata)) out(`STRIPE_API_KEY is set, so calls that name no connection use "env"; name "${storedDefault(metadata)}" to read it.`);
  if (!env.ok && env.problem) err(`Ignoring STRIPE_API_KEY: ${env.problem}`);
  if ('error' in newKeys) out(`New keys cannot be stored right now: ${newKeys.error}`);
  else out(`Key store for new keys: ${newKeys.description} (${newKeys.reason}).`);
  return 0;
}

async function test(p: Parsed): Promise<number> {
  const name = oneName(p);
  const manager = new ConnectionManager();
  const targets: Array<{ mode: Mode; key: string; describe: string; record?: ModeRecord }> = [];
  if (name === ENV_CONNECTION) {
    const env = connectionFromEnv();
    if (!env.ok) throw new SetupError(env.problem ?? 'There is no connection "env": STRIPE_API_KEY is not set.');
    const mode = env.connection.defaultMode ?? 'test';
    if (p.mode && p.mode !== mode) throw new SetupError(`STRIPE_API_KEY holds a ${mode}-mode key; there is no ${p.mode} key to test.`);
    const key = env.connection.keys[mode]!;
    targets.push({ mode, key, describe: `${keyHint(key)} from STRIPE_API_KEY` });
  } else {
    const { record } = await manager.require(name);
    const modes = p.mode ? [p.mode] : modesOf(record);
    if (p.mode && !record[p.mode]) throw noSuchMode(name, p.mode, record, 'test');
    for (const mode of modes) {
      const r = record[mode]!;
      const key = await manager.readKey(name, mode, r);
      targets.push({ mode, key, describe: `${r.keyHint} (${r.keyKind} key) in the ${storeText(r.store)}`, record: r });
    }
  }

  let failures = 0;
  const report: Array<Record<string, unknown>> = [];
  for (const target of targets) {
    if (!p.json) out(`Connection "${name}", ${target.mode} mode: ${target.describe}`);
    const result = await testKey(target.key, target.mode, { connection: name, apiBase: manager.apiBase, probes: toolProbes() });
    if (!result.ok) {
      failures++;
      if (p.json) report.push({ mode: target.mode, ok: false, error: result.error });
      else err(`  Failed: ${result.error}`);
      continue;
    }
    const { verification, summaries } = result;
    if (!p.json) out(`  Verified: Stripe accepts the key. ${verification.accountId ? `Account: ${accountText(verification)}.` : verification.accountNote}`);
    if (target.record) await manager.recordVerification(name, target.mode, target.record.keyId, verification).catch(() => {});
    const served = summaries.filter((s) => s.ok);
    if (p.json) {
      report.push({ mode: target.mode, ok: true, account: verification, tools: summaries });
      continue;
    }
    out(`  Can serve ${served.length} of ${summaries.length} tools: ${served.map((s) => s.tool).join(', ') || 'none'} (fetch opens the kinds of object these can read)`);
    const blocked = summaries.filter((s) => s.missing.length > 0);
    if (blocked.length) {
      out(`  Cannot serve ${plural(blocked.length, 'tool')} until the key has more Read permissions. In the Stripe Dashboard open`);
      out(`  Developers → API keys → this restricted key → Edit, and set to Read:`);
      for (const s of blocked) {
        if (s.tool === 'search') {
          const partly = s.searchable?.length ? ` (it can search ${s.searchable.join(', ')})` : '';
          out(`    search${partly}:`);
          for (const m of s.missing) out(`      ${m.resource!.padEnd(16)} → ${m.permission}: Read${m.stripePermission ? `   (Stripe: ${m.stripePermission})` : ''}`);
        } else {
          const m = s.missing[0]!;
          out(`    ${s.tool.padEnd(26)} → ${m.permission}: Read${m.stripePermission ? `   (Stripe: ${m.stripePermission})` : ''}`);
        }
      }
    }
    for (const s of summaries.filter((x) => x.errors.length > 0)) out(`  Could not check ${s.tool}: ${s.errors[0]}`);
    printOptional(summaries);
    if (served.length === summaries.length) out('  Every tool can be served.');
  }
  if (p.json) out(JSON.stringify({ connection: name, results: report }, null, 2));
  return failures > 0 ? 1 : 0;
}

/** The optional permissions: what each tool's answer lacks without it, and whether this key has it. */
function printOptional(summaries: ToolSummary[]): void {
  const rows = summaries.flatMap((s) => s.optional.map((o) => ({ tool: s.tool, ...o })));
  if (rows.length === 0) return;
  out('  Optional (the tool answers without it, with less):');
  for (const o of rows) {
    const state = o.status === 'missing' ? `not set: without it, ${o.without}` : o.status === 'ok' ? 'set' : 'not checked (the tool could not run)';
    out(`    ${o.tool.padEnd(26)} → ${o.permission}: Read   (Stripe: ${o.stripePermission})  ${state}`);
  }
}

async function rotate(p: Parsed): Promise<number> {
  const name = oneName(p);
  const manager = new ConnectionManager(process.env, { keyHowTo: restrictedKeyHowTo() });
  const { record } = await manager.require(name);
  let mode = p.mode;
  if (!mode) {
    const modes = modesOf(record);
    if (modes.length !== 1) throw new UsageError(`Which key of "${name}"? Add --mode test or --mode live.`);
    mode = modes[0]!;
  }
  const old = record[mode];
  if (!old) throw noSuchMode(name, mode, record, 'rotate');
  const key = await readKey({ keyStdin: p.keyStdin, prompt: `Paste the new ${mode}-mode restricted key for "${name}" (the input is hidden), then press Enter: ` });
  const saved = await manager.rotate({ name, mode, key, allowSecret: p.allowSecret });
  reportSaved(saved, 'rotated');
  out(`The old key ${old.keyHint} was removed from the ${storeText(old.store)}. Running servers use the new key from their next call.`);
  out(`Now delete or roll the old key in the Stripe Dashboard (Developers → API keys) so it stops working.`);
  return 0;
}

function describeConnection(name: string, record: ConnectionRecord, modes: Mode[]): string {
  return modes.map((m) => `${m} key ${record[m]!.keyHint} (${storeText(record[m]!.store)})`).join(' and ') + ` of "${name}"`;
}

async function remove(p: Parsed): Promise<number> {
  const name = oneName(p);
  const manager = new ConnectionManager();
  const { record } = await manager.require(name, false);
  if (p.mode && !record[p.mode]) throw noSuchMode(name, p.mode, record, 'remove');
  const modes = p.mode ? [p.mode] : modesOf(record);
  if (process.stdin.isTTY && !p.yes) {
    const ok = await confirm(`Remove the ${describeConnection(name, record, modes)}?`);
    if (!ok) {
      out('Nothing was removed.');
      return 1;
    }
  }
  const result = await manager.remove({ name, mode: p.mode });
  out(`Removed the ${describeConnection(name, record, result.removed)}.`);
  if (result.connectionRemoved) out(`Connection "${name}" is gone.${result.newDefault ? ` The default connection is now "${result.newDefault}".` : ''}`);
  out('The key itself still works until you delete it in the Stripe Dashboard (Developers → API keys).');
  return 0;
}

async function setDefault(p: Parsed): Promise<number> {
  const name = oneName(p);
  const manager = new ConnectionManager();
  const result = await manager.setDefault({ name, mode: p.mode });
  out(`"${result.name}" is now the default connection; calls that name no mode read ${result.mode} data.`);
  if (connectionFromEnv().ok) out('Note: STRIPE_API_KEY is set in this shell; where it is set, calls that name no connection use "env".');
  return 0;
}
