/**
 * The encrypted file store on its own: AES-256-GCM with a fresh nonce per encryption and the connection and mode
 * bound as additional data; tampered ciphertext, a wrong or missing master key and loose permissions are errors
 * that name the file, and nothing is overwritten until the user decides.
 */
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileStore } from '../../src/connections/file-store.js';
import { readMetadata, writeMetadata, emptyMetadata } from '../../src/connections/metadata.js';
import { resolveHome, type HomePaths } from '../../src/connections/paths.js';
import type { KeyRef } from '../../src/connections/secret-store.js';
import { canaryKey } from '../helpers/spawn.js';
import { makeHome, secretPart } from './helpers.js';

const posix = process.platform !== 'win32';
const noKeychain = { keychainAvailable: async () => false };
const ref = (connection: string, mode: 'test' | 'live' = 'test', keyId = 'aaaa1111'): KeyRef => ({ connection, mode, keyId });

let tmp: ReturnType<typeof makeHome>;
let paths: HomePaths;
beforeEach(() => {
  tmp = makeHome();
  paths = resolveHome({ STRIPE_MCP_HOME: tmp.home });
});
afterEach(() => tmp.cleanup());

function store(env: NodeJS.ProcessEnv = {}) {
  return new FileStore(paths, { env, ...noKeychain });
}

function keyFile() {
  return JSON.parse(readFileSync(paths.keysFile, 'utf8'));
}

describe('the encrypted file store', () => {
  it('round-trips keys, never writes them in clear, and uses 0700/0600 permissions', async () => {
    const key = canaryKey();
    const live = canaryKey('live');
    await store().set(ref('acme'), key);
    await store().set(ref('acme', 'live', 'bbbb2222'), live);
    expect(await store().get(ref('acme'))).toBe(key);
    expect(await store().get(ref('acme', 'live', 'bbbb2222'))).toBe(live);
    const text = readFileSync(paths.keysFile, 'utf8');
    expect(text).not.toContain(secretPart(key));
    expect(text).not.toContain(secretPart(live));
    const file = keyFile();
    expect(file).toMatchObject({ cipher: 'aes-256-gcm', masterKey: 'file' });
    expect(Object.keys(file.entries)).toEqual(['acme/test/aaaa1111', 'acme/live/bbbb2222']);
    if (posix) {
      expect(statSync(tmp.home).mode & 0o777).toBe(0o700);
      expect(statSync(paths.keysFile).mode & 0o777).toBe(0o600);
      expect(statSync(paths.masterKeyFile).mode & 0o777).toBe(0o600);
    }
  });

  it('uses a fresh 12-byte nonce for every encryption', async () => {
    const key = canaryKey();
    const nonces = new Set<string>();
    const ciphertexts = new Set<string>();
    for (let i = 0; i < 5; i++) {
      await store().set(ref('acme'), key);
      const entry = keyFile().entries['acme/test/aaaa1111'];
      expect(Buffer.from(entry.nonce, 'base64')).toHaveLength(12);
      nonces.add(entry.nonce);
      ciphertexts.add(entry.ciphertext);
    }
    expect(nonces.size).toBe(5);
    expect(ciphertexts.size).toBe(5);
  });

  it('binds the connection and mode: an entry moved to another name or mode does not open', async () => {
    await store().set(ref('acme'), canaryKey());
    const file = keyFile();
    file.entries['other/test/aaaa1111'] = file.entries['acme/test/aaaa1111'];
    file.entries['acme/live/aaaa1111'] = file.entries['acme/test/aaaa1111'];
    writeFileSync(paths.keysFile, JSON.stringify(file), { mode: 0o600 });
    await expect(store().get(ref('other'))).rejects.toThrow(/other \(test\).*failed its integrity check/);
    await expect(store().get(ref('acme', 'live'))).rejects.toThrow(/acme \(live\).*failed its integrity check/);
    expect(await store().get(ref('acme'))).toMatch(/^rk_test_CANARY/);
  });

  it('a tampered ciphertext is an error naming the file, and nothing is written until the user decides', async () => {
    const key = canaryKey();
    await store().set(ref('acme'), key);
    await store().set(ref('beta', 'test', 'cccc3333'), canaryKey());
    const file = keyFile();
    const bytes = Buffer.from(file.entries['acme/test/aaaa1111'].ciphertext, 'base64');
    bytes[3] = bytes[3]! ^ 0x01;
    file.entries['acme/test/aaaa1111'].ciphertext = bytes.toString('base64');
    writeFileSync(paths.keysFile, JSON.stringify(file, null, 2), { mode: 0o600 });
    const before = readFileSync(paths.keysFile, 'utf8');

    const error = await store().get(ref('acme')).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain(paths.keysFile);
    expect((error as Error).message).toMatch(/failed its integrity check/);
    expect((error as Error).message).toMatch(/connections remove acme --mode test/);
    // The undamaged entry still reads.
    expect(await store().get(ref('beta', 'test', 'cccc3333'))).toMatch(/^rk_test_CANARY/);
    // Writing anything else is refused while a damaged entry is there: the file is untouched.
    await expect(store().set(ref('gamma', 'test', 'dddd4444'), canaryKey())).rejects.toThrow(/integrity check/);
    await expect(store().delete(ref('beta', 'test', 'cccc3333'))).rejects.toThrow(/integrity check/);
    expect(readFileSync(paths.keysFile, 'utf8')).toBe(before);
    // The user's decision: remove the damaged entry. Then the store works again.
    await store().delete(ref('acme'));
    await store().set(ref('gamma', 'test', 'dddd4444'), key);
    expect(await store().get(ref('gamma', 'test', 'dddd4444'))).toBe(key);
  });

  it('a file that is not valid JSON names the file and is never overwritten', async () => {
    await store().set(ref('acme'), canaryKey());
    const half = readFileSync(paths.keysFile, 'utf8').slice(0, 100);
    writeFileSync(paths.keysFile, half, { mode: 0o600 });
    await expect(store().get(ref('acme'))).rejects.toThrow(new RegExp(`${paths.keysFile.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is damaged`));
    await expect(store().set(ref('beta'), canaryKey())).rejects.toThrow(/damaged.*Nothing was changed/);
    expect(readFileSync(paths.keysFile, 'utf8')).toBe(half);
  });

  it('a wrong master key (STRIPE_MCP_MASTER_KEY) is told apart from tampering, and nothing is written', async () => {
    const right = randomBytes(32).toString('base64');
    const wrong = randomBytes(32).toString('base64');
    const key = canaryKey();
    await store({ STRIPE_MCP_MASTER_KEY: right }).set(ref('acme'), key);
    expect(keyFile().masterKey).toBe('env');
    const before = readFileSync(paths.keysFile, 'utf8');
    const error = (await store({ STRIPE_MCP_MASTER_KEY: wrong }).get(ref('acme')).catch((e: Error) => e)) as Error;
    expect(error.message).toMatch(/master key from STRIPE_MCP_MASTER_KEY is not the one that encrypted/);
    expect(error.message).toContain(paths.keysFile);
    expect(error.message).not.toMatch(/integrity/);
    await expect(store({ STRIPE_MCP_MASTER_KEY: wrong }).set(ref('beta'), canaryKey())).rejects.toThrow(/not the one that encrypted/);
    expect(readFileSync(paths.keysFile, 'utf8')).toBe(before);
    // Without the variable, the user is told which master key is needed.
    await expect(store({}).get(ref('acme'))).rejects.toThrow(/encrypted with the master key given in STRIPE_MCP_MASTER_KEY, which is not set now/);
    expect(await store({ STRIPE_MCP_MASTER_KEY: right }).get(ref('acme'))).toBe(key);
  });

  it('a replaced or missing master key file is a clear error', async () => {
    await store().set(ref('acme'), canaryKey());
    writeFileSync(paths.masterKeyFile, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
    await expect(store().get(ref('acme'))).rejects.toThrow(/master key from .*master\.key is not the one that encrypted/);
    const { unlinkSync } = await import('node:fs');
    unlinkSync(paths.masterKeyFile);
    await expect(store().get(ref('acme'))).rejects.toThrow(/master key file .*master\.key is missing/);
  });

  it('refuses STRIPE_MCP_MASTER_KEY values that are not 32 bytes of base64', async () => {
    await expect(store({ STRIPE_MCP_MASTER_KEY: 'short' }).set(ref('acme'), canaryKey())).rejects.toThrow(/32 random bytes in base64.*openssl rand -base64 32/);
    await expect(store({ STRIPE_MCP_MASTER_KEY: Buffer.alloc(16).toString('base64') }).set(ref('acme'), canaryKey())).rejects.toThrow(/it is 16 bytes/);
  });

  it.skipIf(!posix)('refuses a store or folder others can read, with the chmod command that fixes it', async () => {
    await store().set(ref('acme'), canaryKey());
    chmodSync(paths.keysFile, 0o644);
    await expect(store().get(ref('acme'))).rejects.toThrow(`chmod 600 '${paths.keysFile}'`);
    chmodSync(paths.keysFile, 0o600);
    chmodSync(paths.masterKeyFile, 0o640);
    await expect(store().get(ref('acme'))).rejects.toThrow(`chmod 600 '${paths.masterKeyFile}'`);
    chmodSync(paths.masterKeyFile, 0o600);
    expect(await store().get(ref('acme'))).toMatch(/^rk_test_/);

    const other = makeHome();
    try {
      mkdirSync(other.home, { mode: 0o755 });
      chmodSync(other.home, 0o755);
      const loose = new FileStore(resolveHome({ STRIPE_MCP_HOME: other.home }), { env: {}, ...noKeychain });
      await expect(loose.set(ref('acme'), canaryKey())).rejects.toThrow(`chmod 700 '${other.home}'`);
      const metaPaths = resolveHome({ STRIPE_MCP_HOME: other.home });
      await expect(writeMetadata(metaPaths, emptyMetadata())).rejects.toThrow(/permissions \(755\)/);
    } finally {
      other.cleanup();
    }
  });

  it.skipIf(!posix)('refuses a connections.json others can read', async () => {
    await writeMetadata(paths, emptyMetadata());
    expect(statSync(paths.connectionsFile).mode & 0o777).toBe(0o600);
    chmodSync(paths.connectionsFile, 0o604);
    await expect(readMetadata(paths)).rejects.toThrow(`chmod 600 '${paths.connectionsFile}'`);
  });
});
