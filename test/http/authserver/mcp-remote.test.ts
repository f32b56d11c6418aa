/**
 * `mcp-remote` (the stdio-to-HTTP proxy that Claude Desktop and other stdio-only hosts use for remote servers)
 * against the built-in authorization server, as a person would run it: it discovers the authorization server from
 * the 401, registers itself (RFC 7591) with its loopback callback, prints the authorization URL and tries to open
 * a browser. Here its "browser" is a script that only records the URL (no real one can start: see proxyEnv), and
 * headless Chromium does the person's part at the printed URL: sign in, choose a connection and mode. The redirect
 * lands on mcp-remote's callback server, it exchanges the code, and the test speaks MCP over its stdio.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Readable } from 'node:stream';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { UserStore } from '../../../src/server/http/authserver/users.js';
import { describeWithBrowser, launchChromium, type LaunchedBrowser } from '../../helpers/browser.js';
import { freePort, startHttpHarness, textOf, type HttpHarness } from '../helpers.js';

const PROXY = fileURLToPath(new URL('../../../node_modules/mcp-remote/dist/proxy.js', import.meta.url));
const PERSON = { name: 'erin', password: 'erin-canary-password-2718' };

/**
 * The proxy's environment: these and the SDK's short default list (HOME, PATH, USER, SHELL, TERM, LOGNAME) only,
 * so no DISPLAY, desktop session or D-Bus address reaches it, and the `open` package's xdg-open takes its generic
 * path, which runs $BROWSER: our recorder. Should that path fail, the proxy's own fallbacks (gio, x-www-browser, sensible-browser, found through PATH) are shadowed by scripts that
 * fail, so no real browser is ever started; /usr/bin/xdg-open, its one absolute fallback, also ends at $BROWSER.
 */
function proxyEnv(dir: string): Record<string, string> {
  const shims = join(dir, 'bin');
  writeFileSync(join(dir, 'browser'), `#!/bin/sh\nprintf '%s\\n' "$1" >> '${join(dir, 'opened.txt')}'\n`);
  chmodSync(join(dir, 'browser'), 0o755);
  writeFileSync(join(dir, 'refuse'), '#!/bin/sh\nexit 1\n');
  chmodSync(join(dir, 'refuse'), 0o755);
  mkdirSync(shims);
  for (const name of ['gio', 'x-www-browser', 'sensible-browser', 'www-browser', 'chromium', 'firefox']) symlinkSync(join(dir, 'refuse'), join(shims, name));
  return {
    PATH: `${shims}:/usr/bin:/bin`,
    HOME: dir,
    MCP_REMOTE_CONFIG_DIR: join(dir, 'mcp-auth'),
    BROWSER: join(dir, 'browser'),
  };
}

/** Resolves with the first line of `stream` after `marker` that is a URL; `seen` keeps all of it (for a failure's message). */
function urlAfter(stream: Readable, marker: string, seen: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    stream.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      seen.push(chunk.toString('utf8'));
      const at = buffer.indexOf(marker);
      const line = at < 0 ? undefined : buffer.slice(at + marker.length).split('\n').map((l) => l.trim()).find((l) => l.startsWith('http'));
      if (line) resolve(line);
    });
    stream.once('end', () => reject(new Error(`mcp-remote ended without printing an authorization URL:\n${buffer}`)));
  });
}

describeWithBrowser('mcp-remote against the built-in authorization server', () => {
  let h: HttpHarness;
  let chromium: LaunchedBrowser;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'srm-mcp-remote-'));
    [h, chromium] = await Promise.all([startHttpHarness({ builtInAuth: true }), launchChromium()]);
    await new UserStore(h.paths).add(PERSON.name, { password: PERSON.password });
  }, 60_000);
  afterAll(async () => {
    await chromium?.close();
    await h?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('registers, sends the person to sign in and consent, gets a token, and reads only what was chosen', async () => {
    const port = await freePort();
    // http-only: /mcp is Streamable HTTP only (no SSE fallback to try); the proxy waits 30 s for the callback by
    // default, which a loaded CI machine should not have to beat.
    const transport = new StdioClientTransport({ command: process.execPath, args: [PROXY, h.url, String(port), '--transport', 'http-only', '--auth-timeout', '90'], env: proxyEnv(dir), stderr: 'pipe' });
    const stderr: string[] = [];
    const printed = urlAfter(transport.stderr as Readable, 'Please authorize this client by visiting:', stderr);
    const client = new Client({ name: 'stdio-host', version: '1.0.0' });
    const connected = client.connect(transport);
    try {
      const authorizeUrl = new URL(await printed);
      // mcp-remote registers its callback by the name localhost (not 127.0.0.1), with the port it was given.
      expect(authorizeUrl.searchParams.get('redirect_uri')).toBe(`http://localhost:${port}/oauth/callback`);
      const page = await chromium.context.newPage();
      await page.goto(authorizeUrl.href);
      await page.fill('#name', PERSON.name);
      await page.fill('#password', PERSON.password);
      await page.click('button[type=submit]');
      await page.waitForSelector('select#connection');
      expect(await page.textContent('main')).toContain(`localhost:${port}`);
      await page.selectOption('select#connection', 'globex');
      await page.selectOption('select#mode', 'test');
      await Promise.all([page.waitForURL(`http://localhost:${port}/oauth/callback**`), page.click('button[value=allow]')]);
      await page.close();
      await connected;

      const tools = await client.listTools();
      expect(tools.tools.map((t) => t.name)).toContain('get_balance');
      const ok = await client.callTool({ name: 'get_balance', arguments: { connection: 'globex', mode: 'test' } });
      expect(ok.isError).toBeFalsy();
      expect(textOf(ok as never)).toMatch(/available/i);
      const other = await client.callTool({ name: 'get_balance', arguments: { connection: 'acme', mode: 'test' } });
      expect(other.isError).toBe(true);
      const live = await client.callTool({ name: 'get_balance', arguments: { connection: 'globex', mode: 'live' } });
      expect(live.isError).toBe(true);

      // The proxy's browser step reached the recorder (so no real browser), with the URL it printed (re-encoded).
      const opened = new URL(readFileSync(join(dir, 'opened.txt'), 'utf8').trim());
      expect([...opened.searchParams]).toEqual([...authorizeUrl.searchParams]);
      expect(h.logs.join('\n')).not.toContain(PERSON.password);
    } catch (err) {
      throw new Error(`${(err as Error).message}\nmcp-remote stderr:\n${stderr.join('')}`, { cause: err });
    } finally {
      await client.close();
    }
  }, 60_000);
});
