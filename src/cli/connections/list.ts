/** `connections list`: the stored connections and STRIPE_API_KEY's, as text or JSON, and where new keys would go. */
import { connectionFromEnv, ENV_CONNECTION } from '../../connections/env.js';
import { ConnectionManager } from '../../connections/manager.js';
import { CLI } from '../../program-name.js';
import { modesOf, storedDefault, type Metadata, type ModeRecord } from '../../connections/metadata.js';
import { keyHint, MODES, type Mode } from '../../stripe/keys.js';
import { err, out } from '../output.js';
import type { Parsed } from './args.js';
import { accountText, storeText } from './text.js';

interface ListEntry {
  name: string;
  source: 'stored' | 'STRIPE_API_KEY';
  default: boolean;
  defaultMode: Mode;
  modes: Partial<Record<Mode, Omit<ModeRecord, 'keyId'> | { keyHint: string; keyKind: string; store: 'environment' }>>;
}

/** STRIPE_API_KEY's connection first (when set), then the stored ones, without their key ids. */
function listEntries(metadata: Metadata, env: ReturnType<typeof connectionFromEnv>, effectiveDefault: string | undefined): ListEntry[] {
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

  return entries;
}

export async function list(p: Parsed): Promise<number> {
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
  const entries = listEntries(metadata, env, effectiveDefault);

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
