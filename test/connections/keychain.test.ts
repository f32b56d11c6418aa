/**
 * The OS keychain for real (in CI: GNOME Keyring over a private D-Bus session, started by .ci/run). Skipped with
 * the reason printed only where no keychain answers (a laptop without one); with STRIPE_MCP_REQUIRE_KEYCHAIN=1,
 * as CI sets it, a missing keychain fails instead.
 */
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYCHAIN_SERVICE, listKeychainAccounts, masterKeyAccount } from '../../src/connections/keychain.js';
import { readMetadata } from '../../src/connections/metadata.js';
import { resolveHome } from '../../src/connections/paths.js';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { canaryKey } from '../helpers/spawn.js';
import { expectNoKey, expectNoKeyInResult, makeHome, NO_DBUS, runCli } from './helpers.js';
import { keychainForTests, keytar } from './keychain-available.js';

const probe = await keychainForTests('keychain.test.ts');
const linux = process.platform === 'linux';

describe.runIf(probe.ok)('the OS keychain', () => {
  let emulator: EmulatorHandle;
  let tmp: ReturnType<typeof makeHome>;
  beforeAll(async () => {
    emulator = await startEmulator();
    tmp = makeHome();
  });
  afterAll(async () => {
    await emulator?.close();
    tmp?.cleanup();
  });

  const env = (extra: Record<string, string> = {}) => ({ STRIPE_MCP_HOME: tmp.home, STRIPE_API_BASE: emulator.url, ...extra });
  const cli = (args: string[], extra: Record<string, string> = {}, input?: string) => runCli(args, { env: env(extra), ...(input !== undefined ? { input } : {}) });
  const paths = () => resolveHome({ STRIPE_MCP_HOME: tmp.home });
  const entryFor = async (name: string, mode: 'test' | 'live') => {
    const record = (await readMetadata(paths())).connections[name]?.[mode];
    return record ? `${name}/${mode}/${record.keyId}` : undefined;
  };

  it('auto picks the keychain; the key is there under our service, and nowhere in the folder', async () => {
    const key = canaryKey();
    const r = await cli(['connections', 'add', 'kc-acme', '--key-stdin'], {}, key);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Saved connection "kc-acme" with its test key in the OS keychain \(service "stripe-readonly-mcp"\) \(auto: the OS keychain passed a write-read-delete test\)/);
    expectNoKeyInResult(key, r);
    const account = await entryFor('kc-acme', 'test');
    expect((await readMetadata(paths())).connections['kc-acme']!.test!.store).toBe('keychain');
    expect(await (await keytar()).getPassword(KEYCHAIN_SERVICE, account!)).toBe(key);
    expect(existsSync(paths().keysFile)).toBe(false);
    expectNoKey(key, readFileSync(paths().connectionsFile, 'utf8'));
    const list = await cli(['connections', 'list']);
    expect(list.stdout).toMatch(/test\*  rk_test_…\w{4} +restricted  OS keychain/);
    expect(list.stdout).toMatch(/Key store for new keys: OS keychain \(service "stripe-readonly-mcp"\) \(auto: the OS keychain passed a write-read-delete test\)/);
  });

  it('calls read the key from the keychain; rotate swaps entries; remove deletes them', async () => {
    const call = await cli(['call', 'get_balance', '--connection', 'kc-acme', '--json']);
    expect(call.code, call.stderr).toBe(0);
    expect(JSON.parse(call.stdout)).toMatchObject({ connection: 'kc-acme', mode: 'test' });

    const old = await entryFor('kc-acme', 'test');
    const fresh = canaryKey();
    const rotated = await cli(['connections', 'rotate', 'kc-acme', '--mode', 'test', '--key-stdin'], {}, fresh);
    expect(rotated.code, rotated.stderr).toBe(0);
    expect(rotated.stdout).toMatch(/removed from the OS keychain/);
    const now = await entryFor('kc-acme', 'test');
    expect(now).not.toBe(old);
    const kt = await keytar();
    expect(await kt.getPassword(KEYCHAIN_SERVICE, old!)).toBeNull();
    expect(await kt.getPassword(KEYCHAIN_SERVICE, now!)).toBe(fresh);

    const removed = await cli(['connections', 'remove', 'kc-acme']);
    expect(removed.code, removed.stderr).toBe(0);
    expect(await kt.getPassword(KEYCHAIN_SERVICE, now!)).toBeNull();
    expect((await listKeychainAccounts()).filter((account) => account.startsWith('kc-acme/'))).toEqual([]);
  });

  it('a key deleted from the keychain behind our back is a clear error with the fix', async () => {
    const r = await cli(['connections', 'add', 'kc-gone', '--key-stdin'], { STRIPE_MCP_KEYSTORE: 'keychain' }, canaryKey());
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/\(STRIPE_MCP_KEYSTORE=keychain\)/);
    await (await keytar()).deletePassword(KEYCHAIN_SERVICE, (await entryFor('kc-gone', 'test'))!);
    const call = await cli(['call', 'get_balance', '--connection', 'kc-gone']);
    expect(call.code).toBe(1);
    expect(call.stderr).toMatch(/The test key of connection "kc-gone" is missing from the OS keychain \(entry "kc-gone\/test\/\w+" of service "stripe-readonly-mcp"\).*connections rotate kc-gone --mode test/);
    await cli(['connections', 'remove', 'kc-gone']);
  });

  it('the encrypted file keeps its master key in the keychain when there is one', async () => {
    const other = makeHome();
    try {
      const key = canaryKey();
      const fileEnv = { STRIPE_MCP_HOME: other.home, STRIPE_API_BASE: emulator.url, STRIPE_MCP_KEYSTORE: 'file' };
      const r = await runCli(['connections', 'add', 'kc-file', '--key-stdin'], { env: fileEnv, input: key });
      expect(r.code, r.stderr).toBe(0);
      const p = resolveHome({ STRIPE_MCP_HOME: other.home });
      const header = JSON.parse(readFileSync(p.keysFile, 'utf8'));
      expect(header.masterKey).toBe('keychain');
      expect(existsSync(p.masterKeyFile)).toBe(false);
      const kt = await keytar();
      const master = await kt.getPassword(KEYCHAIN_SERVICE, masterKeyAccount(header.storeId));
      expect(Buffer.from(master!, 'base64')).toHaveLength(32);
      const call = await runCli(['call', 'get_balance', '--json'], { env: fileEnv });
      expect(call.code, call.stderr).toBe(0);
      const doctor = await runCli(['doctor', '--offline'], { env: fileEnv });
      expect(doctor.stdout).toMatch(/Encrypted file's master key: OS keychain \(service "stripe-readonly-mcp", entry "file-store-master-key\/\w+"\)/);
      // Master key gone from the keychain: a clear error naming the file; nothing overwritten.
      await kt.deletePassword(KEYCHAIN_SERVICE, masterKeyAccount(header.storeId));
      const before = readFileSync(p.keysFile, 'utf8');
      const lost = await runCli(['call', 'get_balance'], { env: fileEnv });
      expect(lost.code).toBe(1);
      expect(lost.stderr).toContain(`The master key of ${p.keysFile} is missing from the OS keychain`);
      const add = await runCli(['connections', 'add', 'kc-file2', '--key-stdin'], { env: fileEnv, input: canaryKey() });
      expect(add.code).toBe(1);
      expect(readFileSync(p.keysFile, 'utf8')).toBe(before);
    } finally {
      other.cleanup();
    }
  });

  it.runIf(linux)('where no keychain answers: auto falls back to the file, keychain is refused, stored keys say why', async () => {
    const other = makeHome();
    try {
      const noKc = { STRIPE_MCP_HOME: other.home, STRIPE_API_BASE: emulator.url, ...NO_DBUS };
      const forced = await runCli(['connections', 'add', 'x', '--key-stdin'], { env: { ...noKc, STRIPE_MCP_KEYSTORE: 'keychain' }, input: canaryKey() });
      expect(forced.code).toBe(1);
      expect(forced.stderr).toMatch(/STRIPE_MCP_KEYSTORE=keychain, but the OS keychain cannot be used: no keychain answered.*set STRIPE_MCP_KEYSTORE=file/);
      const auto = await runCli(['connections', 'add', 'x', '--key-stdin'], { env: noKc, input: canaryKey() });
      expect(auto.code, auto.stderr).toBe(0);
      expect(auto.stdout).toMatch(/in the encrypted file .*keys\.enc \(auto: no keychain answered \(.+\), so keys go to the encrypted file\)/);
      expect(JSON.parse(readFileSync(resolveHome({ STRIPE_MCP_HOME: other.home }).keysFile, 'utf8')).masterKey).toBe('file');

      // A key stored in the keychain, read where the keychain is not reachable.
      const stored = await cli(['connections', 'add', 'kc-away', '--key-stdin'], {}, canaryKey());
      expect(stored.code, stored.stderr).toBe(0);
      const away = await cli(['call', 'get_balance', '--connection', 'kc-away'], NO_DBUS);
      expect(away.code).toBe(1);
      expect(away.stderr).toMatch(/The test key of connection "kc-away" is in the OS keychain, which could not be read.*Unlock the keychain/);
      await cli(['connections', 'remove', 'kc-away']);
    } finally {
      other.cleanup();
    }
  });
});
