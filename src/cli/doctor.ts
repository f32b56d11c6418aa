import { stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { connectionFromEnv } from '../connections/env.js';
import { MASTER_KEY_ENV } from '../connections/file-store.js';
import { checkPrivate } from '../connections/fsutil.js';
import { loadKeytar, probeKeychain } from '../connections/keychain.js';
import { CLI, ConnectionManager } from '../connections/manager.js';
import { modesOf, storedDefault, type Metadata } from '../connections/metadata.js';
import { KEYSTORE_ENV, keystoreSetting } from '../connections/stores.js';
import { describeRateLimits } from '../stripe/rate-limit-setting.js';
import { verifyKey } from '../connections/verify.js';
import { PACKAGE_VERSION } from '../version.js';
import { refuseKeysOnArgv } from './connections.js';
import { out } from './output.js';

interface Check {
  ok: boolean;
  text: string;
  /** Shown, but neither a pass nor a failure. */
  info?: boolean;
}

const mark = (c: Check) => `${c.info ? '    ' : c.ok ? 'ok  ' : 'FAIL'}  ${c.text}`;

async function fileCheck(path: string, kind: 'file' | 'dir', what: string): Promise<Check> {
  try {
    const exists = await checkPrivate(path, kind);
    if (!exists) return { ok: true, text: `${what}: ${path} (not created yet)` };
    const mode = ((await stat(path)).mode & 0o777).toString(8).padStart(3, '0');
    return { ok: true, text: `${what}: ${path} (${process.platform === 'win32' ? 'exists' : `permissions ${mode}`})` };
  } catch (e) {
    return { ok: false, text: `${what}: ${(e as Error).message}` };
  }
}

/**
 * What a user (or a bug report) needs to see: Node, where the folder is and why, the files and their permissions,
 * which key store is in use and why, and every connection's status against Stripe. Exit code 1 if anything failed.
 */
export async function doctorCommand(argv: string[]): Promise<number> {
  refuseKeysOnArgv(argv);
  const { values } = parseArgs({ args: argv, strict: true, allowPositionals: false, options: { offline: { type: 'boolean' } } });
  const offline = values.offline === true;
  const checks: Check[] = [];
  const say = (c: Check) => {
    checks.push(c);
    out(mark(c));
  };

  out(`${CLI} ${PACKAGE_VERSION} doctor`);
  const major = Number(process.versions.node.split('.')[0]);
  say({ ok: major >= 20, text: `Node.js ${process.version} on ${process.platform} ${process.arch}${major >= 20 ? '' : ': Node 20 or newer is needed'}` });

  const manager = new ConnectionManager();
  const { paths } = manager;
  out(`      Folder ${paths.dir} (from ${paths.source}${paths.source === 'STRIPE_MCP_HOME' ? '' : '; set STRIPE_MCP_HOME to use another'})`);
  say(await fileCheck(paths.dir, 'dir', 'folder'));
  say(await fileCheck(paths.connectionsFile, 'file', 'connections (metadata, no keys)'));
  say(await fileCheck(paths.keysFile, 'file', 'encrypted key file'));
  say(await fileCheck(paths.masterKeyFile, 'file', 'master key file'));

  // Key stores.
  let setting: string;
  try {
    setting = keystoreSetting();
  } catch (e) {
    setting = 'auto';
    say({ ok: false, text: (e as Error).message });
  }
  const keytar = await loadKeytar();
  const probe = await probeKeychain();
  say({
    ok: setting !== 'keychain' || probe.ok,
    info: !probe.ok && setting !== 'keychain',
    text: `OS keychain: ${probe.ok ? 'usable (write-read-delete test passed)' : `not usable: ${'reason' in probe ? probe.reason : ''}`}${keytar.ok ? '' : ' (the encrypted file is used instead)'}`,
  });
  try {
    const choice = await manager.stores.forNewKeys();
    say({ ok: true, text: `Key store for new keys: ${choice.store.describe()} (${setting === 'auto' && !process.env[KEYSTORE_ENV] ? `${KEYSTORE_ENV} not set, so ` : ''}${choice.reason})` });
  } catch (e) {
    say({ ok: false, text: `Key store for new keys: ${(e as Error).message}` });
  }
  try {
    if (await checkPrivate(paths.keysFile, 'file')) {
      say({ ok: true, text: `Encrypted file's master key: ${await manager.stores.file.masterKeyLocation()}` });
    } else if (process.env[MASTER_KEY_ENV]) {
      out(`      ${MASTER_KEY_ENV} is set: a new encrypted file will use it as its master key.`);
    }
  } catch (e) {
    say({ ok: false, text: (e as Error).message });
  }

  try {
    say({ ok: true, text: `Stripe request limits: ${describeRateLimits()}` });
  } catch (e) {
    say({ ok: false, text: (e as Error).message });
  }

  // STRIPE_API_KEY and STRIPE_API_BASE.
  const env = connectionFromEnv();
  if (env.ok) {
    const mode = env.connection.defaultMode ?? 'test';
    const key = env.connection.keys[mode]!;
    say(await keyStatus(`env (STRIPE_API_KEY, ${mode})`, key, mode, manager.apiBase, offline));
  } else if (env.problem) {
    say({ ok: false, text: `STRIPE_API_KEY: ${env.problem}` });
  } else {
    out('      STRIPE_API_KEY: not set');
  }
  out(`      Stripe API: ${manager.apiBase ?? 'https://api.stripe.com'}${manager.apiBase ? ' (from STRIPE_API_BASE)' : ''}`);

  // Stored connections.
  let metadata: Metadata | undefined;
  try {
    metadata = await manager.read();
  } catch (e) {
    say({ ok: false, text: (e as Error).message });
  }
  if (metadata) {
    const names = Object.keys(metadata.connections);
    out(`      ${names.length === 0 ? `No stored connections. Add one with: ${CLI} connections add NAME` : `Stored connections: ${names.length}${storedDefault(metadata) ? `, default "${storedDefault(metadata)}"` : ', no default'}`}`);
    for (const [name, record] of Object.entries(metadata.connections)) {
      for (const mode of modesOf(record)) {
        const r = record[mode]!;
        const label = `${name} (${mode}${record.defaultMode === mode ? ', default mode' : ''}) ${r.keyHint} in the ${r.store === 'keychain' ? 'OS keychain' : 'encrypted file'}`;
        let key: string;
        try {
          key = await manager.readKey(name, mode, r);
        } catch (e) {
          say({ ok: false, text: `${label}: ${(e as Error).message}` });
          continue;
        }
        say(await keyStatus(label, key, mode, manager.apiBase, offline));
      }
    }
  }

  const failed = checks.filter((c) => !c.ok).length;
  out(failed === 0 ? 'Everything looks fine.' : `${failed} problem${failed === 1 ? '' : 's'} found: see the FAIL lines above.`);
  return failed === 0 ? 0 : 1;
}

async function keyStatus(label: string, key: string, mode: 'test' | 'live', apiBase: string | undefined, offline: boolean): Promise<Check> {
  if (offline) return { ok: true, text: `${label}: key readable (not checked with Stripe: --offline)` };
  try {
    const v = await verifyKey(key, mode, { apiBase });
    const account = v.accountId ? `${v.businessName ?? v.accountId} (${v.accountId})${v.currency ? `, ${v.currency.toUpperCase()}` : ''}` : (v.accountNote ?? '');
    return { ok: true, text: `${label}: Stripe accepts it; ${account}` };
  } catch (e) {
    return { ok: false, text: `${label}: ${(e as Error).message}` };
  }
}
