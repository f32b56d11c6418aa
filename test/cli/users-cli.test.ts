/**
 * `users …` (run in this process: test/helpers/cli-in-process.ts), and where oidc-provider may load, through the
 * real entry point: `serve --http` with the built-in sign-in only, never the stdio start path (a module hook refuses
 * it; the same hook makes `serve --http` fail, so the hook is seen to work).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveHome } from '../../src/connections/paths.js';
import { StateFileStore } from '../../src/server/http/authserver/state.js';
import { UserStore, verifyPassword } from '../../src/server/http/authserver/users.js';
import { runCliInProcess } from '../helpers/cli-in-process.js';
import { BIN, cleanEnv } from '../helpers/spawn.js';

const PASSWORD = 'cli-canary-password-31337';

async function run(args: string[], home: string, input?: string) {
  const r = await runCliInProcess(args, { env: { STRIPE_MCP_HOME: home }, ...(input !== undefined ? { input } : {}) });
  return { status: r.code, stdout: r.stdout, stderr: r.stderr };
}

const REFUSE_OIDC = `data:text/javascript,${encodeURIComponent(
  `import { register } from 'node:module'; register('data:text/javascript,' + encodeURIComponent("export async function resolve(s, c, n) { if (s === 'oidc-provider') throw new Error('oidc-provider loaded'); return n(s, c); }"));`,
)}`;

describe('users CLI', () => {
  it('add (password from stdin), list, link, remove; the password is stored as scrypt and never printed', async () => {
    const home = join(mkdtempSync(join(tmpdir(), 'srm-users-')), 'home');
    const add = await run(['users', 'add', 'erin', '--connection', 'acme', '--mode', 'test', '--manage', '--password-stdin'], home, `${PASSWORD}\n`);
    expect(add.status, add.stderr).toBe(0);
    expect(add.stderr).toContain('test mode on connection "acme"');
    expect(add.stdout + add.stderr).not.toContain(PASSWORD);
    const paths = resolveHome({ STRIPE_MCP_HOME: home });
    const user = await new UserStore(paths).get('erin');
    expect(user?.password).toMatch(/^scrypt\$/);
    expect(await verifyPassword(PASSWORD, user?.password)).toBe(true);
    expect(statSync(join(home, 'users.json')).mode & 0o777).toBe(0o600);

    const list = await run(['users', 'list'], home);
    expect(list.stdout).toMatch(/erin\s+test mode on connection "acme"\s+yes\s+password/);
    expect(list.stdout).not.toContain('scrypt');

    const noUrl = await run(['users', 'link', 'erin'], home);
    expect(noUrl.status).toBe(2);
    expect(noUrl.stderr).toContain('--public-url');
    const link = await run(['users', 'link', 'erin', '--url', 'https://mcp.example.com/mcp'], home);
    expect(link.status, link.stderr).toBe(0);
    expect(link.stdout).toMatch(/^https:\/\/mcp\.example\.com\/oauth\/signin\?link=srmcp_link_[A-Za-z0-9_-]{43}\n$/);

    const dup = await run(['users', 'add', 'erin', '--password-stdin'], home, `${PASSWORD}\n`);
    expect(dup.status).not.toBe(0);
    expect(dup.stderr).toContain('already a user named "erin"');
    const short = await run(['users', 'add', 'frank', '--password-stdin'], home, 'short\n');
    expect(short.stderr).toContain('too short');
    expect(await new UserStore(paths).get('frank')).toBeUndefined();

    await new StateFileStore(paths).change((file) => {
      file.models.Grant = { g1: { payload: { accountId: 'erin', clientId: 'c' }, expiresAt: null }, g2: { payload: { accountId: 'other' }, expiresAt: null } };
    });
    const remove = await run(['users', 'remove', 'erin'], home);
    expect(remove.status).toBe(0);
    expect(await new UserStore(paths).get('erin')).toBeUndefined();
    expect(Object.keys((await new StateFileStore(paths).read()).models.Grant ?? {})).toEqual(['g2']);
    expect((await run(['users', 'remove', 'erin'], home)).status).toBe(1);
  }, 60_000);

  it('says what a subcommand takes in the words of tokens and connections, and changes nothing', async () => {
    const home = join(mkdtempSync(join(tmpdir(), 'srm-users-')), 'home');
    const cases: Array<[string[], RegExp]> = [
      [['users', 'remove'], /users remove needs a user NAME, e\.g\. stripe-readonly-mcp users remove alice/],
      [['users', 'link', 'a', 'b'], /users link takes one NAME \(got 2 arguments\)/],
      [['users', 'list', 'a'], /users list takes no NAME/],
      [['users', 'remove', 'erin', '--manage'], /users remove does not take --manage \(it takes no flags\)/],
      [['users', 'password', 'erin', '--url', 'https://x.example'], /users password does not take --url \(it takes --password-stdin\)/],
    ];
    for (const [args, message] of cases) {
      const r = await run(args, home);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    expect(() => statSync(join(home, 'users.json'))).toThrow();
  }, 60_000);

  it('the stdio server starts and serves without loading oidc-provider; serve --http does load it', async () => {
    const home = join(mkdtempSync(join(tmpdir(), 'srm-users-')), 'home');
    const stdio = spawnSync(process.execPath, ['--import', REFUSE_OIDC, BIN, '--demo'], {
      env: cleanEnv({ STRIPE_MCP_HOME: home }),
      input: `${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } })}\n${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n${JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' })}\n`,
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(stdio.stderr).not.toContain('oidc-provider loaded');
    expect(stdio.stdout).toContain('"id":2');
    expect(stdio.stdout).toContain('get_balance');

    const http = spawn(process.execPath, ['--import', REFUSE_OIDC, BIN, 'serve', '--http', '--demo', '--port', '0'], { env: cleanEnv({ STRIPE_MCP_HOME: home }) });
    let stderr = '';
    http.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => http.kill(), 20_000);
      http.on('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    expect(code).not.toBe(0);
    expect(stderr).toContain('oidc-provider loaded');
  }, 60_000);
});
