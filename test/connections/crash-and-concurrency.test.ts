/**
 * The file store under real failures: a writer SIGKILLed mid-write leaves the old or the new state, never a
 * corrupt one; two processes adding at once both get saved (or one gets a clear error); a lock left by a dead
 * process is taken over, a live one is waited for and then named.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { FileStore } from '../../src/connections/file-store.js';
import { withLock } from '../../src/connections/lock.js';
import { modesOf, readMetadata } from '../../src/connections/metadata.js';
import { resolveHome, type HomePaths } from '../../src/connections/paths.js';
import { canaryKey, cleanEnv } from '../helpers/spawn.js';
import { cliEnv, expectNoKeyInResult, makeHome, NO_DBUS, runCli, storeEnv } from './helpers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
let writer: string;
let emulator: EmulatorHandle;

beforeAll(async () => {
  // Inside node_modules so the bundle's external imports (zod, stripe) resolve like the real build's.
  const outdir = join(ROOT, 'node_modules', '.cache', 'stripe-readonly-mcp-tests');
  mkdirSync(outdir, { recursive: true });
  writer = join(outdir, `crash-writer-${process.pid}.mjs`);
  await build({
    entryPoints: [join(ROOT, 'test/connections/fixtures/crash-writer.ts')],
    outfile: writer,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator?.close();
  rmSync(writer, { force: true });
});

/** Starts the writer, waits until it stands just before its rename, and kills it there. */
async function killWriterBeforeRename(home: string, target: 'keys' | 'metadata', connection: string, key: string): Promise<void> {
  const child = spawn(process.execPath, [writer, target, connection], {
    env: cleanEnv({ ...(storeEnv(home) as Record<string, string>), TEST_KEY: key, ...NO_DBUS }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c) => (stderr += c));
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line === 'READY') resolve();
    });
    child.on('exit', (code) => reject(new Error(`writer exited early (${code}): ${stderr}`)));
  });
  child.kill('SIGKILL');
  await new Promise((resolve) => child.on('close', resolve));
}

/** Every key that connections.json points at decrypts, and both files parse. */
async function expectConsistent(paths: HomePaths): Promise<string[]> {
  const metadata = await readMetadata(paths);
  const store = new FileStore(paths, { env: storeEnv(paths.dir) });
  for (const [name, record] of Object.entries(metadata.connections)) {
    for (const mode of modesOf(record)) {
      expect(await store.get({ connection: name, mode, keyId: record[mode]!.keyId })).toMatch(/^rk_(test|live)_/);
    }
  }
  return Object.keys(metadata.connections).sort();
}

async function add(home: string, name: string, key: string, killAfterMs?: number) {
  return runCli(['connections', 'add', name, '--key-stdin'], {
    env: cliEnv(home, emulator.url),
    input: `${key}\n`,
    ...(killAfterMs !== undefined ? { killAfterMs } : {}),
  });
}

describe('a writer killed mid-write', () => {
  it('leaves the old key file when killed just before the rename, and the leftover temp file is cleaned later', async () => {
    const tmp = makeHome();
    try {
      const paths = resolveHome({ STRIPE_MCP_HOME: tmp.home });
      expect((await add(tmp.home, 'acme', canaryKey())).code).toBe(0);
      const before = readFileSync(paths.keysFile, 'utf8');
      await killWriterBeforeRename(tmp.home, 'keys', 'beta', canaryKey());
      expect(readFileSync(paths.keysFile, 'utf8')).toBe(before);
      expect(readdirSync(tmp.home).filter((n) => n.endsWith('.tmp'))).toHaveLength(1);
      expect(await expectConsistent(paths)).toEqual(['acme']);
      // The next change (under the lock) removes the dead writer's temp file and works as usual.
      expect((await add(tmp.home, 'gamma', canaryKey())).code).toBe(0);
      expect(readdirSync(tmp.home).filter((n) => n.endsWith('.tmp'))).toHaveLength(0);
      expect(await expectConsistent(paths)).toEqual(['acme', 'gamma']);
    } finally {
      tmp.cleanup();
    }
  });

  it('leaves the old connections.json when killed just before the rename', async () => {
    const tmp = makeHome();
    try {
      const paths = resolveHome({ STRIPE_MCP_HOME: tmp.home });
      expect((await add(tmp.home, 'acme', canaryKey())).code).toBe(0);
      const before = readFileSync(paths.connectionsFile, 'utf8');
      await killWriterBeforeRename(tmp.home, 'metadata', 'beta', canaryKey());
      expect(readFileSync(paths.connectionsFile, 'utf8')).toBe(before);
      expect(await expectConsistent(paths)).toEqual(['acme']);
    } finally {
      tmp.cleanup();
    }
  });

  it('killed at random moments of `connections add`, the store is always the old or the new state', async () => {
    const tmp = makeHome();
    try {
      const paths = resolveHome({ STRIPE_MCP_HOME: tmp.home });
      expect((await add(tmp.home, 'base', canaryKey())).code).toBe(0);
      // Measure one add, then kill later adds at spread-out points within that time.
      const started = Date.now();
      expect((await add(tmp.home, 'timed', canaryKey())).code).toBe(0);
      const duration = Date.now() - started;
      const saved = new Set(['base', 'timed']);
      const killed: string[] = [];
      for (let i = 0; i < 8; i++) {
        const name = `k${i}`;
        const key = canaryKey();
        const r = await add(tmp.home, name, key, Math.round((duration * (i + 1)) / 9));
        expectNoKeyInResult(key, r);
        if (r.code !== 0) killed.push(name);
        const names = await expectConsistent(paths);
        // Old state (without it) or new state (with it), never anything else; a finished add is always saved.
        expect(names.filter((n) => !saved.has(n) && n !== name)).toEqual([]);
        for (const n of saved) expect(names).toContain(n);
        if (r.code === 0) expect(names).toContain(name);
        if (names.includes(name)) saved.add(name); // killed after its rename: the new state
      }
      expect(killed.length).toBeGreaterThan(0);
    } finally {
      tmp.cleanup();
    }
  });
});

describe('two processes changing connections at once', () => {
  it('adding different connections concurrently saves all of them', async () => {
    const tmp = makeHome();
    try {
      const paths = resolveHome({ STRIPE_MCP_HOME: tmp.home });
      const names = ['one', 'two', 'three', 'four'];
      const keys = names.map(() => canaryKey());
      const results = await Promise.all(names.map((n, i) => add(tmp.home, n, keys[i]!)));
      for (const [i, r] of results.entries()) {
        expect(r.code, r.stderr).toBe(0);
        expectNoKeyInResult(keys[i]!, r);
      }
      expect(await expectConsistent(paths)).toEqual([...names].sort());
      const store = new FileStore(paths, { env: storeEnv(tmp.home) });
      const metadata = await readMetadata(paths);
      for (const [i, n] of names.entries()) expect(await store.get({ connection: n, mode: 'test', keyId: metadata.connections[n]!.test!.keyId })).toBe(keys[i]);
    } finally {
      tmp.cleanup();
    }
  });

  it('adding the same connection and mode concurrently saves one and tells the other clearly', async () => {
    const tmp = makeHome();
    try {
      const paths = resolveHome({ STRIPE_MCP_HOME: tmp.home });
      const results = await Promise.all([add(tmp.home, 'same', canaryKey()), add(tmp.home, 'same', canaryKey())]);
      const codes = results.map((r) => r.code).sort();
      expect(codes).toEqual([0, 1]);
      const loser = results.find((r) => r.code === 1)!;
      expect(loser.stderr).toMatch(/Connection "same" already has a test key .* connections rotate same --mode test/);
      expect(await expectConsistent(paths)).toEqual(['same']);
      // The loser left no orphan entry behind: one entry in the key file.
      expect(Object.keys(JSON.parse(readFileSync(paths.keysFile, 'utf8')).entries)).toHaveLength(1);
    } finally {
      tmp.cleanup();
    }
  });
});

describe('the lock', () => {
  it('takes over a lock left by a process that is gone', async () => {
    const tmp = makeHome();
    try {
      mkdirSync(tmp.home, { mode: 0o700 });
      const lock = join(tmp.home, '.lock');
      writeFileSync(lock, JSON.stringify({ pid: 2 ** 22 + 12345, host: (await import('node:os')).hostname(), at: Date.now() }));
      expect(await withLock(lock, async () => 'ran', { timeoutMs: 2000 })).toBe('ran');
    } finally {
      tmp.cleanup();
    }
  });

  it('waits for a live holder, then names the lock file and how to clear it', async () => {
    const tmp = makeHome();
    try {
      mkdirSync(tmp.home, { mode: 0o700 });
      const lock = join(tmp.home, '.lock');
      let release!: () => void;
      const held = withLock(lock, () => new Promise<void>((r) => (release = r)));
      await new Promise((r) => setTimeout(r, 50));
      await expect(withLock(lock, async () => 'second', { timeoutMs: 300 })).rejects.toThrow(
        new RegExp(`Another stripe-readonly-mcp is changing connections \\(lock file ${lock.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}, held by process ${process.pid}.*rm '`),
      );
      const waiting = withLock(lock, async () => 'after', { timeoutMs: 5000 });
      setTimeout(() => release(), 100);
      await held;
      expect(await waiting).toBe('after');
    } finally {
      tmp.cleanup();
    }
  });
});
