/**
 * Every way in (issue 15): `config` prints an entry that starts this copy the way it was installed, and that entry
 * really starts a server. A clone (this checkout), the tarball installed with `npm install -g`, and the tarball run
 * through npx, each for real; the npx-from-the-registry case (not published yet) on a copy of npx's cache layout.
 * Also what the tarball holds and that installing it runs no script of ours.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectLaunch } from '../../src/cli/config-snippets.js';
import { TOOLS } from '../../src/tools/index.js';
import { BIN, cleanEnv } from '../helpers/spawn.js';
import { runCli } from '../connections/helpers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const NAME = 'stripe-readonly-mcp';
let work: string;
let tarball: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'srm-install-'));
  // --ignore-scripts: the suite's global setup has built dist/ already; prepack would rebuild it under running tests.
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: ROOT, encoding: 'utf8' });
  tarball = join(work, (JSON.parse(out) as Array<{ filename: string }>)[0]!.filename);
});
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

interface Entry {
  command: string;
  args: string[];
}

/** The entry `config cursor` printed (the Claude/Cursor JSON shape). */
function entryOf(stdout: string): Entry {
  const json = JSON.parse(stdout.slice(stdout.indexOf('{'), stdout.lastIndexOf('}') + 1)) as { mcpServers: Record<string, Entry> };
  return Object.values(json.mcpServers)[0]!;
}

/** Starts the entry as an MCP client would (no shell) and lists the tools. */
async function listToolsWith(entry: Entry): Promise<number> {
  const transport = new StdioClientTransport({ command: entry.command, args: [...entry.args, '--demo'], env: cleanEnv(), stderr: 'pipe' });
  const client = new Client({ name: 'install-test', version: '1' });
  await client.connect(transport);
  try {
    return (await client.listTools()).tools.length;
  } finally {
    await client.close();
  }
}

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

describe('config prints an entry for the way this copy was installed, and it starts the server', () => {
  it('a clone: this Node and the clone\'s entry point by absolute path', async () => {
    const r = await runCli(['config', 'cursor']);
    expect(r.code, r.stderr).toBe(0);
    const entry = entryOf(r.stdout);
    expect(entry).toMatchObject({ command: process.execPath, args: [realpathSync(BIN)] });
    expect(r.stdout).toMatch(/This copy is a git clone in /);
    expect(await listToolsWith(entry)).toBe(TOOLS.length);
  });

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
