import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { connectionFromEnv, envKeySource } from '../connections/env.js';
import { MASTER_KEY_ENV } from '../connections/file-store.js';
import { checkPrivate } from '../connections/fsutil.js';
import { loadKeytar, probeKeychain } from '../connections/keychain.js';
import { ConnectionManager } from '../connections/manager.js';
import { CLI } from '../program-name.js';
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
  /** Works, but should be fixed: "Everything looks fine" is then not said. */
  warn?: boolean;
}

const mark = (c: Check) => `${c.info ? '    ' : c.warn ? 'WARN' : c.ok ? 'ok  ' : 'FAIL'}  ${c.text}`;

/** The folder this copy runs from (dist/cli.js, or the bundle's server/index.js, is one level down). */
const PACKAGE_DIR = dirname(dirname(fileURLToPath(import.meta.url)));

/** Where keytar's package is, if npm left it in place (it may be there but unbuilt). */
function keytarFolder(): string | undefined {
  try {
    return dirname(createRequire(import.meta.url).resolve('keytar/package.json'));
  } catch {
    return undefined;
  }
}

/** What building keytar needs here (keytar compiles against libsecret / the platform's keychain API). */
function buildTools(): string {
  if (process.platform === 'darwin') return "Xcode's command line tools (xcode-select --install)";
  if (process.platform === 'win32') return 'Visual Studio Build Tools ("Desktop development with C++") and Python 3';
  return 'libsecret, pkg-config, python3, make and g++ (Debian/Ubuntu: sudo apt-get install libsecret-1-dev pkg-config python3 make g++; Fedora: libsecret-devel)';
}

const FILE_IS_FINE =
  'the encrypted file is used instead, which is fine: keys.enc is AES-256-GCM encrypted and only you can read it (0600), as long as its master key is kept apart from it (below)';

/**
 * Why keytar cannot be used, and what to do: installed but unbuilt (or built for another Node) can be fixed in
 * place with `npm rebuild`; absent means npm dropped it when it could not be built, and the file is a sound store.
 */
function keytarAdvice(reason: string, setting: string): Check {
  const folder = keytarFolder();
  if (folder && existsSync(folder)) {
    const what = /another Node/.test(reason) ? `was built for another Node.js version than this one (${process.version})` : 'is installed but not built (its install script did not run, or failed)';
    return {
      ok: true,
      warn: setting !== 'file',
      info: setting === 'file',
      text: `keytar in ${folder} ${what}, so ${FILE_IS_FINE}. To use the OS keychain, install ${buildTools()}, then run: cd '${PACKAGE_DIR}' && npm rebuild keytar`,
    };
  }
  return {
    ok: true,
    info: true,
    text: `keytar (optional) is not installed: npm leaves it out where it cannot be built, and the MCP Bundle never has it; ${FILE_IS_FINE}. To use the OS keychain, install ${buildTools()}, then install this package again.`,
  };
}

/** master.key in the same folder as keys.enc: whoever gets a copy of the folder can decrypt every key. */
function masterKeyBeside(paths: { dir: string; keysFile: string; masterKeyFile: string }): Check | undefined {
  if (!existsSync(paths.keysFile) || !existsSync(paths.masterKeyFile)) return undefined;
  return {
    ok: true,
    warn: true,
    text:
      `The encrypted file's master key ${paths.masterKeyFile} sits beside ${paths.keysFile}: anyone who gets a copy of ${paths.dir} (a backup, a synced or copied home folder) can decrypt the keys. ` +
      `Keep it apart: give every server and command ${MASTER_KEY_ENV}="$(cat '${paths.masterKeyFile}')" in its environment from a secret manager (not a plain config file: that is as exposed as the file beside the keys), ` +
      `run doctor again with it set, then move master.key out of ${paths.dir} to somewhere safe.`,
  };
}

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
  const say: Say = (c) => {
    checks.push(c);
    out(mark(c));
  };

  out(`${CLI} ${PACKAGE_VERSION} doctor`);
  const major = Number(process.versions.node.split('.')[0]);
  say({ ok: major >= 20, text: `Node.js ${process.version} on ${process.platform} ${process.arch}${major >= 20 ? '' : ': Node 20 or newer is needed'}` });

  const manager = new ConnectionManager();
  await checkFiles(manager, say);
  await checkKeyStores(manager, say);
  try {
    say({ ok: true, text: `Stripe request limits: ${describeRateLimits()}` });
  } catch (e) {
    say({ ok: false, text: (e as Error).message });
  }
  await checkEnvironmentKeys(manager, say, offline);
  await checkStoredConnections(manager, say, offline);

  const failed = checks.filter((c) => !c.ok).length;
  const warned = checks.filter((c) => c.ok && c.warn).length;
  const warnings = `${warned} warning${warned === 1 ? '' : 's'}: see the WARN lines above`;
  if (failed > 0) out(`${failed} problem${failed === 1 ? '' : 's'} found: see the FAIL lines above${warned ? `; and ${warnings}` : ''}.`);
  else out(warned ? `Working, with ${warnings}.` : 'Everything looks fine.');
  return failed === 0 ? 0 : 1;
}

/** Records one check and prints its line. */
type Say = (check: Check) => void;

/** The folder, why it is where it is, and each file with its permissions. */
async function checkFiles(manager: ConnectionManager, say: Say): Promise<void> {
  const { paths } = manager;
  out(`      Folder ${paths.dir} (from ${paths.source}${paths.source === 'STRIPE_MCP_HOME' ? '' : '; set STRIPE_MCP_HOME to use another'})`);
  say(await fileCheck(paths.dir, 'dir', 'folder'));
  say(await fileCheck(paths.connectionsFile, 'file', 'connections (metadata, no keys)'));
  say(await fileCheck(paths.keysFile, 'file', 'encrypted key file'));
  say(await fileCheck(paths.masterKeyFile, 'file', 'master key file'));
}

/** The OS keychain (and keytar), the store new keys go to and why, and where the encrypted file's master key is. */
async function checkKeyStores(manager: ConnectionManager, say: Say): Promise<void> {
  const { paths } = manager;
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
  if (!keytar.ok) say(keytarAdvice(keytar.reason, setting));
  try {
    const choice = await manager.stores.forNewKeys();
    say({ ok: true, text: `Key store for new keys: ${choice.store.describe()} (${setting === 'auto' && !process.env[KEYSTORE_ENV] ? `${KEYSTORE_ENV} not set, so ` : ''}${choice.reason})` });
  } catch (e) {
    say({ ok: false, text: `Key store for new keys: ${(e as Error).message}` });
  }
  try {
    if (await checkPrivate(paths.keysFile, 'file')) {
      say({ ok: true, text: `Encrypted file's master key: ${await manager.stores.file.masterKeyLocation()}` });
      const beside = masterKeyBeside(paths);
      if (beside) say(beside);
    } else if (process.env[MASTER_KEY_ENV]) {
      out(`      ${MASTER_KEY_ENV} is set: a new encrypted file will use it as its master key.`);
    }
  } catch (e) {
    say({ ok: false, text: (e as Error).message });
  }
}

/** STRIPE_API_KEY (and its mode-specific variants) against Stripe, and which Stripe API is used. */
async function checkEnvironmentKeys(manager: ConnectionManager, say: Say, offline: boolean): Promise<void> {
  const env = connectionFromEnv();
  if (env.ok) {
    for (const mode of ['test', 'live'] as const) {
      const key = env.connection.keys[mode];
      if (key) say(await keyStatus(`env (${envKeySource(process.env, mode)}, ${mode})`, key, mode, manager.apiBase, offline));
    }
  } else if (env.problem) {
    say({ ok: false, text: `Keys from the environment: ${env.problem}` });
  } else {
    out('      STRIPE_API_KEY: not set');
  }
  out(`      Stripe API: ${manager.apiBase ?? 'https://api.stripe.com'}${manager.apiBase ? ' (from STRIPE_API_BASE)' : ''}`);
}

/** Every stored connection's every key: readable from its store, and accepted by Stripe. */
async function checkStoredConnections(manager: ConnectionManager, say: Say, offline: boolean): Promise<void> {
  let metadata: Metadata;
  try {
    metadata = await manager.read();
  } catch (e) {
    say({ ok: false, text: (e as Error).message });
    return;
  }
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
