/**
 * The static-token store: only hashes on disk, changes seen by a running server without a restart, and a file
 * that cannot be trusted (loose permissions, damaged) accepts no token at all.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveHome, type HomePaths } from '../../src/connections/paths.js';
import { redactTokens, TokenAdmin, TokenVerifierStore } from '../../src/server/http/token-store.js';

const posix = process.platform !== 'win32';
let root: string;
let paths: HomePaths;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'srm-tokens-'));
  paths = resolveHome({ STRIPE_MCP_HOME: join(root, 'home') });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('tokens', () => {
  it('stores only a hash, and a running verifier sees creations and revocations without a restart', async () => {
    const admin = new TokenAdmin(paths);
    const verifier = new TokenVerifierStore(paths);
    expect(await verifier.count()).toBe(0);
    const { token, record } = await admin.create('alice', { mode: 'test' });
    expect(readFileSync(admin.path, 'utf8')).not.toContain(token.slice(6));
    expect(await verifier.lookup(token)).toMatchObject({ name: 'alice', mode: 'test', connection: null });
    expect(record.hint).toBe(`srmcp_…${token.slice(-4)}`);
    expect(await verifier.lookup(`${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`)).toBeUndefined();
    expect(await admin.revoke('alice')).toBe(true);
    expect(await verifier.lookup(token)).toBeUndefined();
    expect(await admin.revoke('alice')).toBe(false);
  });

  it('keeps every token when several are created at once (the folder lock)', async () => {
    const admin = new TokenAdmin(paths);
    const made = await Promise.all(Array.from({ length: 8 }, (_, i) => new TokenAdmin(paths).create(`t${i}`, {})));
    expect((await admin.list()).map((t) => t.name).sort()).toEqual(made.map((m) => m.record.name).sort());
    const verifier = new TokenVerifierStore(paths);
    for (const m of made) expect(await verifier.lookup(m.token)).toBeDefined();
  });

  it('refuses duplicate and malformed names', async () => {
    const admin = new TokenAdmin(paths);
    await admin.create('bob', {});
    await expect(admin.create('bob', {})).rejects.toThrow(/already a token named "bob"/);
    await expect(admin.create('no spaces', {})).rejects.toThrow(/cannot be a token name/);
    await expect(admin.create('ok', { connection: 'bad name' })).rejects.toThrow(/not a connection name/);
  });

  it.runIf(posix)('accepts no token from a file others can read, and says why', async () => {
    const admin = new TokenAdmin(paths);
    const { token } = await admin.create('carol', {});
    const verifier = new TokenVerifierStore(paths);
    expect(await verifier.lookup(token)).toBeDefined();
    chmodSync(admin.path, 0o644);
    expect(await verifier.lookup(token)).toBeUndefined();
    expect(verifier.problem).toMatch(/permissions \(644\).*chmod 600/);
    chmodSync(admin.path, 0o600);
    expect(await verifier.lookup(token)).toBeDefined();
    expect(verifier.problem).toBeUndefined();
  });

  it('accepts no token from a damaged file', async () => {
    const admin = new TokenAdmin(paths);
    const { token } = await admin.create('dave', {});
    const verifier = new TokenVerifierStore(paths);
    writeFileSync(admin.path, '{"version":1,"tokens":[{"name":', { mode: 0o600 });
    expect(await verifier.lookup(token)).toBeUndefined();
    expect(verifier.problem).toMatch(/not valid JSON/);
  });

  it('masks tokens in text', () => {
    expect(redactTokens('Bearer srmcp_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG x')).toBe('Bearer srmcp_…DEFG x');
  });
});
