import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { hostname } from 'node:os';
import { promisify } from 'node:util';
import { SetupError } from '../stripe/errors.js';
import type { KeyRef, SecretStore } from './secret-store.js';
import { processAlive } from './fsutil.js';
import { APP_NAME } from './paths.js';

/** The keychain service every entry of ours is filed under (one entry per connection and mode). */
export const KEYCHAIN_SERVICE = APP_NAME;

interface Keytar {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

type Loaded = { ok: true; keytar: Keytar } | { ok: false; reason: string };

let loading: Promise<Loaded> | undefined;

// A variable, not a literal, so type checking does not need keytar installed: where it could not be built,
// `npm test` must still type-check. The Keytar interface above is the part of its API we use.
const KEYTAR_MODULE = 'keytar';

/**
 * keytar is an optional dependency with a native part: where it could not be built (no libsecret, no
 * compiler) it is simply absent, and the server runs on the encrypted file instead. Loaded on first use only.
 */
export function loadKeytar(): Promise<Loaded> {
  loading ??= (async (): Promise<Loaded> => {
    try {
      const mod = (await import(KEYTAR_MODULE)) as unknown as { default?: Keytar } & Keytar;
      const keytar = mod.default ?? mod;
      if (typeof keytar.getPassword !== 'function') return { ok: false, reason: 'keytar loaded but has no getPassword' };
      return { ok: true, keytar };
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      // keytar's own require of its native part fails with the same code when the package is there but unbuilt.
      if (/keytar\.node/.test(e.message ?? '')) {
        return { ok: false, reason: 'keytar (the optional keychain module) is installed but not built: its native part (build/Release/keytar.node) is missing' };
      }
      if (e.code === 'ERR_MODULE_NOT_FOUND' || e.code === 'MODULE_NOT_FOUND') {
        return { ok: false, reason: 'keytar (the optional keychain module) is not installed: it could not be built on this machine' };
      }
      if (/NODE_MODULE_VERSION/.test(e.message ?? '')) {
        return { ok: false, reason: `keytar (the optional keychain module) was built for another Node.js version than this one (${process.version})` };
      }
      return { ok: false, reason: `keytar could not be loaded (${firstLine(e.message)})` };
    }
  })();
  return loading;
}

function firstLine(text: string | undefined): string {
  return (text ?? 'unknown error').split('\n')[0]!.trim();
}

/** Keychain calls that never answer (a locked keyring waiting for a prompt nobody sees) fail after this. */
const KEYCHAIN_TIMEOUT_MS = 10_000;
const PROBE_TIMEOUT_MS = 5_000;

async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the keychain did not answer ${what} within ${ms / 1000} s (is it locked?)`)), ms);
    timer.unref();
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export type ProbeResult = { ok: true } | { ok: false; reason: string };

let probing: Promise<ProbeResult> | undefined;

/**
 * Writes, reads back and deletes a random entry. Only a full round trip counts: a locked keychain may accept
 * the write and then return nothing, and where no keychain answers at all keytar throws.
 */
export function probeKeychain(): Promise<ProbeResult> {
  probing ??= (async (): Promise<ProbeResult> => {
    const loaded = await loadKeytar();
    if (!loaded.ok) return { ok: false, reason: loaded.reason };
    const account = `probe/${PROBE_HOST}/${process.pid}/${randomBytes(6).toString('hex')}`;
    const value = randomBytes(16).toString('hex');
    try {
      await withTimeout(loaded.keytar.setPassword(KEYCHAIN_SERVICE, account, value), PROBE_TIMEOUT_MS, 'a test write');
      const back = await withTimeout(loaded.keytar.getPassword(KEYCHAIN_SERVICE, account), PROBE_TIMEOUT_MS, 'a test read');
      await withTimeout(loaded.keytar.deletePassword(KEYCHAIN_SERVICE, account), PROBE_TIMEOUT_MS, 'a test delete').catch(() => false);
      if (back !== value) return { ok: false, reason: 'the keychain accepted a test entry but did not return it (it may be locked)' };
      return { ok: true };
    } catch (err) {
      return { ok: false, reason: `no keychain answered (${firstLine((err as Error).message)})` };
    }
  })();
  return probing;
}

// The probe's entry names its host and process, so a later command can tell one left by a killed process.
const PROBE_HOST = hostname().replace(/[^A-Za-z0-9.-]/g, '_').slice(0, 64) || 'host';
const PROBE_ACCOUNT = /^probe\/([^/]+)\/(\d+)\/[0-9a-f]+$/;

let sweep: Promise<void> | undefined;

/**
 * Deletes probe entries whose process (on this host) is gone: killed between the probe's write and its delete.
 * Needs no lock (it deletes only entries of processes that are gone); call it only where the keychain is in use.
 * Once per process (again after a failure): a leftover probe entry holds no secret, only clutter, and the listing
 * costs a Node process, so a server that changes connections many times sweeps once; every later command process
 * sweeps again. (So a test that expects a sweep runs a command as a process of its own.)
 */
export function deleteDeadProbesOnce(): Promise<void> {
  sweep ??= (async () => {
    const keytar = await keytarOrThrow();
    for (const account of await listKeychainAccounts()) {
      const match = PROBE_ACCOUNT.exec(account);
      if (!match || match[1] !== PROBE_HOST || processAlive(Number(match[2]))) continue;
      await withTimeout(keytar.deletePassword(KEYCHAIN_SERVICE, account), KEYCHAIN_TIMEOUT_MS, 'a delete');
    }
  })().catch((err: unknown) => {
    sweep = undefined;
    throw err;
  });
  return sweep;
}

/**
 * The account of every entry of ours in the keychain. keytar lists only with findCredentials, which reads each
 * entry's secret too, and on Linux (libsecret) an entry another process deletes between the search and that read
 * crashes the whole process: SIGSEGV after "secret_value_get_text: assertion 'value' failed" (seen in CI while
 * other commands wrote and deleted entries; reproduced with three processes doing so while one lists, 2 of 2 runs).
 * So the listing runs in a child process of its own: there, a crash is a listing that failed, and only the
 * account names come back. An entry deleted mid-listing can also fail it cleanly ("No such secret item"); either
 * way another try sees the keychain after that change, so a failed listing is tried again a few times. One that
 * ran out of time (a locked keychain) is not.
 */
export async function listKeychainAccounts(attempts = 5): Promise<string[]> {
  await keytarOrThrow();
  const keytarPath = createRequire(import.meta.url).resolve(KEYTAR_MODULE);
  const list =
    `require(${JSON.stringify(keytarPath)}).findCredentials(${JSON.stringify(KEYCHAIN_SERVICE)}).then(` +
    '(found) => process.stdout.write(JSON.stringify(found.map((c) => c.account))), (err) => { process.stderr.write(String(err && err.message)); process.exit(1); })';
  for (let attempt = 1; ; attempt++) {
    try {
      const { stdout } = await promisify(execFile)(process.execPath, ['-e', list], { timeout: KEYCHAIN_TIMEOUT_MS, maxBuffer: 4 << 20 });
      return JSON.parse(stdout) as string[];
    } catch (err) {
      if (attempt >= attempts || (err as { killed?: boolean }).killed) throw err;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
}

export function keychainAccount(ref: KeyRef): string {
  return `${ref.connection}/${ref.mode}/${ref.keyId}`;
}

async function keytarOrThrow(): Promise<Keytar> {
  const loaded = await loadKeytar();
  if (!loaded.ok) throw new SetupError(`The OS keychain cannot be used: ${loaded.reason}.`);
  return loaded.keytar;
}

/** Keys in the OS keychain (macOS Keychain, Windows Credential Manager, Secret Service on Linux). */
export class KeychainStore implements SecretStore {
  readonly kind = 'keychain' as const;

  describe(): string {
    return `OS keychain (service "${KEYCHAIN_SERVICE}")`;
  }

  async get(ref: KeyRef): Promise<string> {
    const keytar = await keytarOrThrow();
    let value: string | null;
    try {
      value = await withTimeout(keytar.getPassword(KEYCHAIN_SERVICE, keychainAccount(ref)), KEYCHAIN_TIMEOUT_MS, 'a read');
    } catch (err) {
      throw new SetupError(
        `The ${ref.mode} key of connection "${ref.connection}" is in the OS keychain, which could not be read: ${firstLine((err as Error).message)}. ` +
          'Unlock the keychain (on Linux: a Secret Service such as GNOME Keyring must be running in this session) and try again.',
      );
    }
    if (!value) {
      throw new SetupError(
        `The ${ref.mode} key of connection "${ref.connection}" is missing from the OS keychain (entry "${keychainAccount(ref)}" of service "${KEYCHAIN_SERVICE}"): ` +
          `it was deleted, or the keychain is locked. Unlock it, or add the key again: stripe-readonly-mcp connections rotate ${ref.connection} --mode ${ref.mode}`,
      );
    }
    return value;
  }

  async set(ref: KeyRef, key: string): Promise<void> {
    const keytar = await keytarOrThrow();
    try {
      await withTimeout(keytar.setPassword(KEYCHAIN_SERVICE, keychainAccount(ref), key), KEYCHAIN_TIMEOUT_MS, 'a write');
      const back = await withTimeout(keytar.getPassword(KEYCHAIN_SERVICE, keychainAccount(ref)), KEYCHAIN_TIMEOUT_MS, 'a read');
      if (back !== key) throw new Error('the keychain did not return the key just saved (it may be locked)');
    } catch (err) {
      throw new SetupError(`Could not save the key in the OS keychain: ${firstLine((err as Error).message)}. Nothing was changed.`);
    }
  }

  async delete(ref: KeyRef): Promise<void> {
    const keytar = await keytarOrThrow();
    try {
      await withTimeout(keytar.deletePassword(KEYCHAIN_SERVICE, keychainAccount(ref)), KEYCHAIN_TIMEOUT_MS, 'a delete');
    } catch (err) {
      throw new SetupError(
        `Could not delete the keychain entry "${keychainAccount(ref)}" (service "${KEYCHAIN_SERVICE}"): ${firstLine((err as Error).message)}. Delete it by hand in your keychain app.`,
      );
    }
  }

  // Master keys of file stores, when the keychain holds them.
  async getMasterKey(storeId: string): Promise<string | null> {
    const keytar = await keytarOrThrow();
    return withTimeout(keytar.getPassword(KEYCHAIN_SERVICE, masterKeyAccount(storeId)), KEYCHAIN_TIMEOUT_MS, 'a read');
  }

  async setMasterKey(storeId: string, value: string): Promise<void> {
    const keytar = await keytarOrThrow();
    await withTimeout(keytar.setPassword(KEYCHAIN_SERVICE, masterKeyAccount(storeId), value), KEYCHAIN_TIMEOUT_MS, 'a write');
    const back = await withTimeout(keytar.getPassword(KEYCHAIN_SERVICE, masterKeyAccount(storeId)), KEYCHAIN_TIMEOUT_MS, 'a read');
    if (back !== value) throw new Error('the keychain did not return the master key just saved');
  }
}

export function masterKeyAccount(storeId: string): string {
  return `file-store-master-key/${storeId}`;
}
