/**
 * /connections behind the real sign-in: signed out, it sends the person to sign in and back; signed in with
 * --manage, the connections page (webpage's) lists what is stored and the clients holding tokens, which can be
 * revoked (their access tokens are refused from the next request); without --manage it refuses.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restrictedKeyHowTo, toolProbes } from '../../../src/cli/tool-probes.js';
import { ConnectionManager } from '../../../src/connections/manager.js';
import { UserStore } from '../../../src/server/http/authserver/users.js';
import { connectionsPages } from '../../../src/server/http/web/connections-page.js';
import { storeEnv } from '../../connections/helpers.js';
import { startHttpHarness, type HttpHarness } from '../helpers.js';
import { authorize, authorizeUrl, Browser, discover, exchangeCode, formOf, pkce, REDIRECT_URI, register } from './connector.js';

const OWNER = { name: 'olive', password: 'olive-manages-connections' };
const READER = { name: 'rex', password: 'rex-only-reads-things' };
let h: HttpHarness;

const home = mkdtempSync(join(tmpdir(), 'srm-conn-mount-'));

beforeAll(async () => {
  h = await startHttpHarness({
    builtInAuth: true,
    home,
    connectionsPage: async (parts) => connectionsPages({ ...parts, manager: new ConnectionManager(storeEnv(join(home, 'home')), { keyHowTo: restrictedKeyHowTo() }), probes: toolProbes() }),
  });
  const users = new UserStore(h.paths);
  await users.add(OWNER.name, { password: OWNER.password, manageConnections: true });
  await users.add(READER.name, { password: READER.password });
}, 30_000);
afterAll(async () => {
  await h?.close();
  rmSync(home, { recursive: true, force: true });
});

async function signedIn(person: { name: string; password: string }): Promise<Browser> {
  const browser = new Browser(h.url);
  const page = await browser.follow('/connections');
  expect(page.url).toContain('/oauth/signin?next=%2Fconnections');
  const form = formOf(page.body);
  expect(form.fields.next).toBe('/connections');
  await browser.post(form.action, { ...form.fields, name: person.name, password: person.password });
  return browser;
}

describe('/connections behind sign-in', () => {
  it('a manager sees the page and the clients holding tokens, and revoking one ends its access token at once', async () => {
    const d = await discover(h.url);
    const client = await register(d, { client_name: 'ChatGPT' });
    const { verifier, challenge } = pkce();
    const back = await authorize(new Browser(h.url), authorizeUrl(d, client.client_id, challenge), OWNER, { connection: 'acme', mode: 'test' });
    const tokens = await exchangeCode(d, client.client_id, back.searchParams.get('code')!, verifier);
    const call = () => fetch(h.url, { method: 'POST', headers: { authorization: `Bearer ${tokens.body.access_token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } }) });
    expect((await call()).status).toBe(200);

    const browser = await signedIn(OWNER);
    const page = await browser.follow('/connections');
    expect(page.res.status).toBe(200);
    expect(page.body).toContain('ChatGPT');
    expect(page.body).toContain('stripe.test.read:acme');
    const revoke = [...page.body.matchAll(/<form class="inline" method="post" action="([^"]*revoke[^"]*)">[\s\S]*?<\/form>/g)][0];
    expect(revoke).toBeDefined();
    const fields = Object.fromEntries([...revoke![0].matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1]!, m[2]!]));
    await browser.post(revoke![1]!, fields);
    expect((await call()).status).toBe(401);
  });

  it('someone without --manage is refused', async () => {
    const browser = await signedIn(READER);
    const page = await browser.follow('/connections');
    expect(page.res.status).toBe(403);
    expect(page.body).toContain('may not manage connections');
  });

  it('signs out from the page header: a form with the CSRF token, not a link; a post without the token changes nothing', async () => {
    const browser = await signedIn(OWNER);
    const page = await browser.follow('/connections');
    const href = /<a href="([^"]+)">Sign out<\/a>/.exec(page.body)?.[1];
    expect(href).toBe('/oauth/signout');
    const confirm = await browser.follow(href!);
    expect(confirm.res.status).toBe(200);
    expect(confirm.body).toContain(`Sign out ${OWNER.name}`);
    expect((await browser.follow('/connections')).res.status).toBe(200); // opening the page signs nobody out

    const form = formOf(confirm.body);
    const forged = await browser.post(form.action, { ...form.fields, csrf: 'forged' });
    expect(forged.res.status).toBe(403);
    expect((await browser.follow('/connections')).url).toMatch(/\/connections$/);

    const out = await browser.post(form.action, form.fields);
    expect(out.url).toContain('/oauth/signin');
    const after = await browser.follow('/connections');
    expect(after.url).toContain('/oauth/signin?next=%2Fconnections');
    expect((await browser.follow('/oauth/signout')).url).toContain('/oauth/signin');
  });

  it('after sign-out, an app authorizing again from that browser meets the sign-in page, not a silent code for the last person', async () => {
    const d = await discover(h.url);
    const client = await register(d, { client_name: 'Shared-browser app' });
    const browser = new Browser(h.url);
    const scope = { scope: 'stripe.test.read:acme' };
    await authorize(browser, authorizeUrl(d, client.client_id, pkce().challenge, scope), OWNER, { connection: 'acme', mode: 'test' });
    const confirm = await browser.follow('/oauth/signout');
    const form = formOf(confirm.body);
    expect((await browser.post(form.action, form.fields)).url).toContain('/oauth/signin');

    const again = await browser.follow(authorizeUrl(d, client.client_id, pkce().challenge, scope));
    expect(again.url.startsWith(REDIRECT_URI), `redirected to the app: ${again.url}`).toBe(false);
    expect(again.body).toContain('name="password"');
  });
});
