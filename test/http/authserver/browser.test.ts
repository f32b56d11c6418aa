/**
 * The connector flow with a real browser for the person's part, as ChatGPT or Claude run it: the connector (here,
 * Node) discovers the authorization server from the 401, registers, and sends the browser to the authorization
 * URL with PKCE; the person signs in and chooses a connection and mode in headless Chromium; the browser lands on
 * the client's redirect URI with the code; the connector exchanges it, reads only what was chosen over MCP,
 * refreshes, and revokes.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { UserStore } from '../../../src/server/http/authserver/users.js';
import { describeWithBrowser, launchChromium, type LaunchedBrowser } from '../../helpers/browser.js';
import { connectClient, startHttpHarness, type HttpHarness } from '../helpers.js';
import { authorizeUrl, claimsOf, discover, exchangeCode, pkce, register, tokenRequest } from './connector.js';

const PERSON = { name: 'dana', password: 'dana-canary-password-4711' };

describeWithBrowser('the connector flow in Chromium', () => {
  let h: HttpHarness;
  let chromium: LaunchedBrowser;
  // The client's redirect URI, on loopback as Claude Code's and mcp-remote's are: the browser's last stop.
  let callback: Server;
  let redirectUri: string;
  const landed: string[] = [];

  beforeAll(async () => {
    callback = createServer((req, res) => {
      // (Chromium may also ask this origin for /favicon.ico.)
      if (req.url?.startsWith('/callback')) landed.push(req.url);
      res.writeHead(200, { 'content-type': 'text/plain' }).end('back at the client');
    });
    await new Promise<void>((resolve) => callback.listen(0, '127.0.0.1', resolve));
    redirectUri = `http://127.0.0.1:${(callback.address() as AddressInfo).port}/callback`;
    [h, chromium] = await Promise.all([startHttpHarness({ builtInAuth: true }), launchChromium()]);
    await new UserStore(h.paths).add(PERSON.name, { password: PERSON.password, mode: 'test' });
  }, 60_000);
  afterAll(async () => {
    await chromium?.close();
    await h?.close();
    callback?.closeAllConnections();
    await new Promise((resolve) => callback?.close(resolve));
  });

  it('discovery, registration, PKCE, sign-in, consent, token, a scoped MCP call, refresh, revocation', async () => {
    const d = await discover(h.url);
    const client = await register(d, { client_name: 'Claude', redirect_uris: [redirectUri] });
    const { verifier, challenge } = pkce();

    const page = await chromium.context.newPage();
    const violations: string[] = [];
    page.on('console', (msg) => {
      if (/Content Security Policy/i.test(msg.text())) violations.push(msg.text());
    });

    await page.goto(authorizeUrl(d, client.client_id, challenge, { redirect_uri: redirectUri }));
    await page.fill('#name', PERSON.name);
    await page.fill('#password', PERSON.password);
    await page.click('button[type=submit]');
    await page.waitForSelector('select#connection');
    const text = await page.textContent('main');
    expect(text).toContain('Claude');
    expect(text).toContain(new URL(redirectUri).host);
    expect(await page.$$eval('select#mode option', (os) => os.map((o) => (o as { value: string }).value))).toEqual(['test']);
    await page.selectOption('select#connection', 'globex');
    await page.selectOption('select#mode', 'test');
    await Promise.all([page.waitForURL(`${redirectUri}**`), page.click('button[value=allow]')]);
    expect(violations).toEqual([]);
    expect(landed).toHaveLength(1);
    const back = new URL(landed[0]!, redirectUri);
    expect(back.searchParams.get('state')).toBe('st-123');

    const tokens = await exchangeCode(d, client.client_id, back.searchParams.get('code')!, verifier, redirectUri);
    expect(tokens.status).toBe(200);
    expect(claimsOf(tokens.body.access_token!).scope).toBe('stripe.test.read:globex');
    const mcp = await connectClient('v2', h.url, { authorization: `Bearer ${tokens.body.access_token}` });
    expect((await mcp.callTool({ name: 'get_balance', arguments: { connection: 'globex', mode: 'test' } })).isError).toBeFalsy();
    const refused = await mcp.callTool({ name: 'get_balance', arguments: { connection: 'acme', mode: 'test' } });
    expect(refused.isError).toBe(true);
    await mcp.close();

    const refreshed = await tokenRequest(d, { grant_type: 'refresh_token', refresh_token: tokens.body.refresh_token!, client_id: client.client_id });
    expect(refreshed.status).toBe(200);
    const revoke = await fetch(d.metadata.revocation_endpoint, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: refreshed.body.refresh_token!, client_id: client.client_id }) });
    expect(revoke.status).toBe(200);
    const after = await tokenRequest(d, { grant_type: 'refresh_token', refresh_token: refreshed.body.refresh_token!, client_id: client.client_id });
    expect(after.body.error).toBe('invalid_grant');

    // Nothing of the password in what the person saw or the server logged.
    expect(await page.content()).not.toContain(PERSON.password);
    expect(h.logs.join('\n')).not.toContain(PERSON.password);
    expect(h.logs.join('\n')).not.toContain(tokens.body.access_token);
    await page.close();
  }, 60_000);
});
