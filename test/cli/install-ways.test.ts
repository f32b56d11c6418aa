/**
 * Every way in (issue 15): `config` prints an entry that starts this copy the way it was installed, and that entry
 * really starts a server. A clone (this checkout) for real; the npx-from-the-registry case (not published yet) on a
 * copy of npx's cache layout, and a plain copy. The tarball installed with `npm install -g` and run through npx:
 * test/packaging/install.test.ts (`npm run test:packaging`).
 */
import { cpSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectLaunch } from '../../src/cli/config-snippets.js';
import { TOOLS } from '../../src/tools/index.js';
import { entryOf, listToolsWith } from '../helpers/client-entry.js';
import { BIN } from '../helpers/spawn.js';
import { runCli } from '../connections/helpers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const NAME = 'stripe-readonly-mcp';
let work: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'srm-install-'));
});
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('config prints an entry for the way this copy was installed, and it starts the server', () => {
  it('a clone: this Node and the clone\'s entry point by absolute path', async () => {
    const r = await runCli(['config', 'cursor']);
    expect(r.code, r.stderr).toBe(0);
    const entry = entryOf(r.stdout);
    expect(entry).toMatchObject({ command: process.execPath, args: [realpathSync(BIN)] });
    expect(r.stdout).toMatch(/This copy is a git clone in /);
    expect(await listToolsWith(entry)).toBe(TOOLS.length);
  });

  it('npx from the registry (npx records the spec in its cache folder): npx -y with that spec', () => {
    const cache = join(work, 'npm-cache', '_npx', '0123456789abcdef');
    const pkg = join(cache, 'node_modules', NAME);
    mkdirSync(join(pkg, 'bin'), { recursive: true });
    cpSync(join(ROOT, 'package.json'), join(pkg, 'package.json'));
    writeFileSync(join(pkg, 'bin', `${NAME}.js`), '');
    writeFileSync(join(cache, 'package.json'), JSON.stringify({ dependencies: { [NAME]: '^0.1.0' }, _npx: { packages: [NAME] } }));
    // npx runs the entry through node_modules/.bin, a link: the real path decides.
    mkdirSync(join(cache, 'node_modules', '.bin'));
    symlinkSync(join(pkg, 'bin', `${NAME}.js`), join(cache, 'node_modules', '.bin', NAME));
    expect(detectLaunch(join(cache, 'node_modules', '.bin', NAME), '/opt/node/bin/node')).toMatchObject({ kind: 'npx', command: 'npx', args: ['-y', NAME] });
    writeFileSync(join(cache, 'package.json'), JSON.stringify({ _npx: { packages: [`${NAME}@0.1.0`] } }));
    expect(detectLaunch(join(pkg, 'bin', `${NAME}.js`)).args).toEqual(['-y', `${NAME}@0.1.0`]);
  });

  it('installed under node_modules (npm install -g, from the registry or a tarball): absolute paths, saying so', () => {
    // The layout npm install -g leaves (PREFIX/lib/node_modules/NAME, the bin a link to it); the real install of
    // the tarball is in test/packaging/install.test.ts.
    const pkg = join(work, 'prefix', 'lib', 'node_modules', NAME);
    mkdirSync(join(pkg, 'bin'), { recursive: true });
    cpSync(join(ROOT, 'package.json'), join(pkg, 'package.json'));
    writeFileSync(join(pkg, 'bin', `${NAME}.js`), '');
    mkdirSync(join(work, 'prefix', 'bin'));
    symlinkSync(join(pkg, 'bin', `${NAME}.js`), join(work, 'prefix', 'bin', NAME));
    expect(detectLaunch(join(work, 'prefix', 'bin', NAME), '/opt/node/bin/node')).toEqual({
      kind: 'installed',
      command: '/opt/node/bin/node',
      args: [join(realpathSync(pkg), 'bin', `${NAME}.js`)],
      note: expect.stringMatching(/is installed in .* \(npm install\)/) as unknown as string,
    });
  });

  it('a copy outside node_modules and without .git: absolute paths too', () => {
    const copy = join(work, 'copy');
    mkdirSync(join(copy, 'bin'), { recursive: true });
    cpSync(join(ROOT, 'package.json'), join(copy, 'package.json'));
    writeFileSync(join(copy, 'bin', `${NAME}.js`), '');
    expect(detectLaunch(join(copy, 'bin', `${NAME}.js`), '/opt/node/bin/node')).toEqual({
      kind: 'copy',
      command: '/opt/node/bin/node',
      args: [join(realpathSync(copy), 'bin', `${NAME}.js`)],
      note: expect.stringMatching(/run config again if you move it/) as unknown as string,
    });
  });
});
