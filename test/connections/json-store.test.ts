/**
 * The locked JSON store under users.json, tokens.json and the sign-in server's state: private files, changes
 * that never lose one another (the folder lock), a cache that sees another process's change, a damaged or
 * loose file refused and never overwritten, and no write when a change changes nothing.
 */
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { damagedFile, LockedJsonStore } from '../../src/connections/json-store.js';
import { resolveHome, type HomePaths } from '../../src/connections/paths.js';

const posix = process.platform !== 'win32';
const schema = z.object({ version: z.literal(1), names: z.array(z.string()) });
type File = z.infer<typeof schema>;

let root: string;
let paths: HomePaths;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'srm-json-store-'));
  paths = resolveHome({ STRIPE_MCP_HOME: join(root, 'home') });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function store(): LockedJsonStore<File> {
  const path = join(paths.dir, 'names.json');
  return new LockedJsonStore({ home: paths, path, schema, empty: () => ({ version: 1, names: [] }), damaged: damagedFile(path, 'a names file', 'Move it away.') });
}

describe('LockedJsonStore', () => {
  it.runIf(posix)('makes a 0700 folder and a 0600 file, and leaves no temporary file behind', async () => {
    await store().change((f) => f.names.push('a'));
    expect(statSync(paths.dir).mode & 0o777).toBe(0o700);
    expect(statSync(store().path).mode & 0o777).toBe(0o600);
    expect(readdirSync(paths.dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    expect(JSON.parse(readFileSync(store().path, 'utf8'))).toEqual({ version: 1, names: ['a'] });
  });

  it('keeps every change when many are made at once by separate stores (each re-reads under the lock)', async () => {
    await Promise.all(Array.from({ length: 10 }, (_, i) => store().change((f) => f.names.push(`n${i}`))));
    expect((await store().read()).names.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `n${i}`).sort());
  });

  it('a cached reader sees a change made by another store, and its own change at once', async () => {
    const reader = store();
    expect((await reader.readCached()).names).toEqual([]);
    await store().change((f) => f.names.push('other'));
    expect((await reader.readCached()).names).toEqual(['other']);
    await reader.change((f) => f.names.push('mine'));
    expect((await reader.readCached()).names).toEqual(['other', 'mine']);
  });

  it('a read that failed for a passing reason is tried again on the next call; a damaged file stays refused until it changes', async () => {
    const path = join(paths.dir, 'names.json');
    await store().change((file) => void file.names.push('ann'));
    // The first read fails as a passing I/O failure would (an error that is not the file's damage), the next passes.
    let reads = 0;
    const flaky = schema.refine(() => reads++ > 0, 'not yet');
    const passing = new LockedJsonStore({ home: paths, path, schema: flaky, empty: () => ({ version: 1 as const, names: [] }), damaged: () => new Error('EIO: i/o error, read') });
    await expect(passing.readCached()).rejects.toThrow('EIO');
    expect((await passing.readCached()).names).toEqual(['ann']);

    const damaged = new LockedJsonStore({ home: paths, path, schema: schema.refine(() => reads++ > 1000, 'never'), empty: () => ({ version: 1 as const, names: [] }), damaged: damagedFile(path, 'a names file', 'Move it away.') });
    await expect(damaged.readCached()).rejects.toThrow('is not a names file');
    const before = reads;
    await expect(damaged.readCached()).rejects.toThrow('is not a names file');
    expect(reads).toBe(before); // remembered against the file's stat: not parsed again
  });

  it('does not write when a change changes nothing', async () => {
    const s = store();
    await s.change((f) => f.names.push('a'));
    const before = statSync(s.path);
    expect(await s.change((f) => f.names.includes('a'))).toBe(true);
    const after = statSync(s.path);
    expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
  });

  it('a change that changes nothing makes no file, unless what the store starts with must be kept', async () => {
    expect(await store().change((f) => f.names.includes('a'))).toBe(false);
    expect(existsSync(store().path)).toBe(false);
    const path = join(paths.dir, 'kept.json');
    const kept = new LockedJsonStore({ home: paths, path, schema, empty: () => ({ version: 1, names: ['made'] }), keepEmpty: true, damaged: damagedFile(path, 'a names file', 'Move it away.') });
    await kept.change(() => undefined);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ version: 1, names: ['made'] });
  });

  it('refuses a damaged file with the store\'s words and never overwrites it', async () => {
    const s = store();
    await s.change((f) => f.names.push('a'));
    writeFileSync(s.path, '{"version":1,', { mode: 0o600 });
    await expect(s.readCached()).rejects.toThrow(`${s.path} is not valid JSON. Move it away.`);
    await expect(s.change((f) => f.names.push('b'))).rejects.toThrow(/not valid JSON/);
    writeFileSync(s.path, '{"version":2,"names":[]}', { mode: 0o600 });
    await expect(s.readCached()).rejects.toThrow(`${s.path} is not a names file this version understands (version: `);
    expect(readFileSync(s.path, 'utf8')).toBe('{"version":2,"names":[]}');
  });

  it.runIf(posix)('refuses a file others can read, and reads it again once its mode is fixed', async () => {
    const s = store();
    await s.change((f) => f.names.push('a'));
    expect((await s.readCached()).names).toEqual(['a']);
    chmodSync(s.path, 0o644);
    await expect(s.readCached()).rejects.toThrow(/permissions \(644\).*chmod 600/);
    chmodSync(s.path, 0o600);
    expect((await s.readCached()).names).toEqual(['a']);
  });
});
