/**
 * doctor on the key store's set-up (issue 15): keytar absent vs installed-but-not-built (each with what to do), the
 * encrypted file's master key sitting beside the keys (a warning, with what to do, and never "Everything looks
 * fine"), and the fix it prints working. Each case runs a copy of the built package whose node_modules has no
 * keytar, or a keytar without its native part, as npm leaves it when the build fails or its script did not run.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveHome } from '../../src/connections/paths.js';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { canaryKey } from '../helpers/spawn.js';
import { expectNoKeyInResult, makeHome, NO_DBUS, runCli } from '../connections/helpers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
let work: string;
let emulator: EmulatorHandle;

/** A copy of the built package; keytar absent, or present as a package whose native part was never built. */
function packageCopy(name: string, keytar: 'absent' | 'unbuilt'): { dir: string; bin: string } {
  const dir = join(work, name);
  for (const part of ['bin', 'dist', 'package.json']) cpSync(join(ROOT, part), join(dir, part), { recursive: true });
  mkdirSync(join(dir, 'node_modules'));
  for (const entry of readdirSync(join(ROOT, 'node_modules'))) {
    if (entry === 'keytar' || entry.startsWith('.')) continue;
    symlinkSync(join(ROOT, 'node_modules', entry), join(dir, 'node_modules', entry));
  }
  if (keytar === 'unbuilt') {
    // keytar 7.9's own entry point, without build/Release/keytar.node beside it.
    mkdirSync(join(dir, 'node_modules', 'keytar', 'lib'), { recursive: true });
    writeFileSync(join(dir, 'node_modules', 'keytar', 'package.json'), JSON.stringify({ name: 'keytar', version: '7.9.0', main: './lib/keytar.js' }));
    writeFileSync(join(dir, 'node_modules', 'keytar', 'lib', 'keytar.js'), "const keytar = require('../build/Release/keytar.node');\nmodule.exports = keytar;\n");
  }
  return { dir, bin: join(dir, 'bin', 'stripe-readonly-mcp.js') };
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'srm-doctor-'));
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('doctor and the key store', () => {
  it('keytar absent: says the encrypted file is in use and why that is fine; warns about master.key beside keys.enc, and its fix works', async () => {
    const { bin } = packageCopy('absent', 'absent');
    const tmp = makeHome();
    try {
      const paths = resolveHome({ STRIPE_MCP_HOME: tmp.home });
      const env = { STRIPE_MCP_HOME: tmp.home, STRIPE_API_BASE: emulator.url, ...NO_DBUS };
      const run = (args: string[], extra: Record<string, string> = {}, input?: string) => runCli(args, { bin, env: { ...env, ...extra }, ...(input !== undefined ? { input } : {}) });

      const fresh = await run(['doctor', '--offline']);
      expect(fresh.stdout).toMatch(/keytar \(optional\) is not installed: .*the encrypted file is used instead, which is fine: keys\.enc is AES-256-GCM encrypted/);
      expect(fresh.stdout).toMatch(/To use the OS keychain, install .*, then install this package again\./);
      expect(fresh.stdout).toMatch(/Everything looks fine\.$/m); // nothing stored yet: nothing to warn about
      expect(fresh.code).toBe(0);

      const key = canaryKey();
      expect((await run(['connections', 'add', 'acme', '--key-stdin'], {}, key)).code).toBe(0);
      expect(existsSync(paths.masterKeyFile)).toBe(true); // no keychain: the master key went to a file beside the keys
      const beside = await run(['doctor', '--offline']);
      expect(beside.code).toBe(0);
      expect(beside.stdout).toContain(`WARN  The encrypted file's master key ${paths.masterKeyFile} sits beside ${paths.keysFile}`);
      expect(beside.stdout).toMatch(/STRIPE_MCP_MASTER_KEY="\$\(cat '.*master\.key'\)"/);
      expect(beside.stdout).not.toMatch(/Everything looks fine/);
      expect(beside.stdout).toMatch(/Working, with 1 warning: see the WARN lines above\.$/m);
      expectNoKeyInResult(key, beside);

      // The fix it describes: the master key in the environment, the file moved out of the folder.
      const master = readFileSync(paths.masterKeyFile, 'utf8').trim();
      renameSync(paths.masterKeyFile, join(tmp.root, 'master.key.elsewhere'));
      const fixed = await run(['doctor'], { STRIPE_MCP_MASTER_KEY: master });
      expect(fixed.code, fixed.stdout).toBe(0);
      expect(fixed.stdout).toMatch(/ok    acme \(test, default mode\) .* in the encrypted file: Stripe accepts it/);
      expect(fixed.stdout).toMatch(/Everything looks fine\.$/m);
      expect(fixed.stdout).not.toMatch(/WARN/);
    } finally {
      tmp.cleanup();
    }
  });

  it('keytar installed but not built: says so (not "not installed"), how to build it, and warns', async () => {
    const { dir, bin } = packageCopy('unbuilt', 'unbuilt');
    const tmp = makeHome();
    try {
      const r = await runCli(['doctor', '--offline'], { bin, env: { STRIPE_MCP_HOME: tmp.home, ...NO_DBUS } });
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/OS keychain: not usable: keytar \(the optional keychain module\) is installed but not built/);
      expect(r.stdout).not.toMatch(/is not installed/);
      expect(r.stdout).toContain(`WARN  keytar in ${join(dir, 'node_modules', 'keytar')} is installed but not built`);
      expect(r.stdout).toContain(`then run: cd '${dir}' && npm rebuild keytar`);
      if (process.platform === 'linux') expect(r.stdout).toMatch(/sudo apt-get install libsecret-1-dev pkg-config python3 make g\+\+/);
      expect(r.stdout).not.toMatch(/Everything looks fine/);
      // Chosen on purpose (STRIPE_MCP_KEYSTORE=file), the unbuilt keytar is only mentioned.
      const chosen = await runCli(['doctor', '--offline'], { bin, env: { STRIPE_MCP_HOME: tmp.home, STRIPE_MCP_KEYSTORE: 'file', ...NO_DBUS } });
      expect(chosen.stdout).toMatch(/^ {6}keytar in .* is installed but not built/m);
      expect(chosen.stdout).toMatch(/Everything looks fine\.$/m);
    } finally {
      tmp.cleanup();
    }
  });
});
