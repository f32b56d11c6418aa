/**
 * The package as npm delivers it (issue 15): what the tarball holds, and `config` in a copy installed from it with
 * `npm install -g` and run through npx, each for real, printing an entry that starts a server. These run npm itself
 * (a pack and two installs, about a minute on a 2-core machine, and the npm registry or its cache for the
 * dependencies), so they are not part of `npm test`: `npm run test:packaging` runs them with the MCP Bundle's test
 * (bundle.test.ts), and CI runs it on every Node version. The other ways in (a clone, npx from the registry, a plain
 * copy) are in test/cli/install-ways.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOOLS } from '../../src/tools/index.js';
import { entryOf, listToolsWith } from '../helpers/client-entry.js';
import { cleanEnv } from '../helpers/spawn.js';
import { runCli } from '../connections/helpers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const NAME = 'stripe-readonly-mcp';
let work: string;
let tarball: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'srm-install-'));
  // --ignore-scripts: the global setup has built dist/ already; prepack would rebuild it under running tests.
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: ROOT, encoding: 'utf8' });
  tarball = join(work, (JSON.parse(out) as Array<{ filename: string }>)[0]!.filename);
});
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the tarball', () => {
  it('holds what running needs and nothing else: no source, maps, scripts; a LICENSE; no install script of ours', () => {
    const files = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' }).trim().split('\n').sort();
    expect(files).toContain('package/LICENSE');
    expect(files).toContain('package/bin/stripe-readonly-mcp.js');
    expect(files).toContain('package/dist/cli.js');
    expect(files).toContain('package/dist/tool-schemas.json');
    expect(files.filter((f) => /\.map$|^package\/(src|scripts|test|bench|\.ci)\//.test(f) || f === 'package/dist/schema-snapshot.js')).toEqual([]);
    const pkg = JSON.parse(execFileSync('tar', ['xzf', tarball, '-O', 'package/package.json'], { encoding: 'utf8' })) as { scripts: Record<string, string> };
    for (const hook of ['preinstall', 'install', 'postinstall', 'prepare']) expect(pkg.scripts[hook], hook).toBeUndefined();
    expect(pkg.scripts.prepack).toBe('node scripts/build.mjs');
    expect(readFileSync(join(ROOT, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
  });
});

describe('config in a copy installed from the tarball prints an entry for that way in, and it starts the server', () => {
  it('npm install -g of the tarball: the installed entry point by absolute path; no script of ours ran', async () => {
    const prefix = join(work, 'global');
    // Optional dependencies left out: keytar would compile here for half a minute, and the entry does not depend on it.
    const log = execFileSync('npm', ['install', '-g', '--prefix', prefix, '--prefer-offline', '--omit=optional', '--no-audit', '--no-fund', '--foreground-scripts', tarball], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(log).not.toMatch(/> stripe-readonly-mcp@/); // npm prints "> name@version script" for every script it runs
    const installed = join(prefix, 'lib', 'node_modules', NAME);
    const bin = join(prefix, 'bin', NAME);
    const r = await runCli(['config', 'cursor'], { bin });
    expect(r.code, r.stderr).toBe(0);
    const entry = entryOf(r.stdout);
    expect(entry).toMatchObject({ command: process.execPath, args: [join(realpathSync(installed), 'bin', `${NAME}.js`)] });
    expect(r.stdout).toMatch(/installed in .* \(npm install\)/);
    expect(await listToolsWith(entry)).toBe(TOOLS.length);
  }, 120_000);

  it('npx with the tarball: npx again, with the same tarball', async () => {
    const out = execFileSync('npx', ['-y', '--prefer-offline', `--package=${tarball}`, NAME, 'config', 'cursor'], { encoding: 'utf8', env: cleanEnv({ npm_config_omit: 'optional' }) });
    const entry = entryOf(out);
    expect(entry).toMatchObject({ command: 'npx', args: ['-y', `--package=${tarball}`, NAME] });
    expect(await listToolsWith(entry)).toBe(TOOLS.length);
  }, 120_000);
});
