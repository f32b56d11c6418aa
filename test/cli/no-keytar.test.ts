/**
 * Where keytar could not be built (it is an optional dependency with native code): the package still installs and
 * runs, every command works on the encrypted file, and the reason is shown. Simulated with a copy of the built
 * package whose node_modules lacks keytar.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveHome } from '../../src/connections/paths.js';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { canaryKey } from '../helpers/spawn.js';
import { TOOLS } from '../../src/tools/index.js';
import { expectNoKeyInResult, makeHome, runCli } from '../connections/helpers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
let pkg: string;
let bin: string;
let emulator: EmulatorHandle;

beforeAll(async () => {
  pkg = mkdtempSync(join(tmpdir(), 'srm-nokeytar-'));
  for (const part of ['bin', 'dist', 'package.json']) cpSync(join(ROOT, part), join(pkg, part), { recursive: true });
  mkdirSync(join(pkg, 'node_modules'));
  for (const entry of readdirSync(join(ROOT, 'node_modules'))) {
    if (entry === 'keytar' || entry.startsWith('.')) continue;
    symlinkSync(join(ROOT, 'node_modules', entry), join(pkg, 'node_modules', entry));
  }
  bin = join(pkg, 'bin', 'stripe-readonly-mcp.js');
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator?.close();
  if (pkg) rmSync(pkg, { recursive: true, force: true });
});

describe('without keytar', () => {
  it('stores keys in the encrypted file, says why, and serves them', async () => {
    expect(existsSync(join(pkg, 'node_modules', 'keytar'))).toBe(false);
    const tmp = makeHome();
    try {
      const env = { STRIPE_MCP_HOME: tmp.home, STRIPE_API_BASE: emulator.url };
      const run = (args: string[], input?: string, extra: Record<string, string> = {}) =>
        runCli(args, { env: { ...env, ...extra }, ...(input !== undefined ? { input } : {}), bin });
      const key = canaryKey();
      const add = await run(['connections', 'add', 'acme', '--key-stdin'], key);
      expect(add.code, add.stderr).toBe(0);
      expect(add.stdout).toMatch(/in the encrypted file .*keys\.enc \(auto: keytar \(the optional keychain module\) is not installed: it could not be built on this machine, so keys go to the encrypted file\)/);
      expectNoKeyInResult(key, add);
      const paths = resolveHome({ STRIPE_MCP_HOME: tmp.home });
      expect(JSON.parse(readFileSync(paths.keysFile, 'utf8')).masterKey).toBe('file');
      const call = await run(['call', 'get_balance', '--json']);
      expect(call.code, call.stderr).toBe(0);
      expect(JSON.parse(call.stdout)).toMatchObject({ connection: 'acme', mode: 'test' });
      const tools = await run(['tools']);
      expect(tools.stdout.trim().split('\n')).toHaveLength(TOOLS.length);
      const doctor = await run(['doctor', '--offline']);
      expect(doctor.stdout).toMatch(/OS keychain: not usable: keytar \(the optional keychain module\) is not installed.*\(the encrypted file is used instead\)/);
      expect(doctor.code).toBe(0);
      const forced = await run(['connections', 'add', 'beta', '--key-stdin'], canaryKey(), { STRIPE_MCP_KEYSTORE: 'keychain' });
      expect(forced.code).toBe(1);
      expect(forced.stderr).toMatch(/STRIPE_MCP_KEYSTORE=keychain, but the OS keychain cannot be used: keytar .* is not installed/);
    } finally {
      tmp.cleanup();
    }
  });
});
