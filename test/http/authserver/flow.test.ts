/**
 * The built-in authorization server, driven over plain HTTP the way a connector and a person's browser use it:
 * the whole flow once, then every bad input of its pages and endpoints, each answered clearly and changing nothing.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserStore } from '../../../src/server/http/authserver/users.js';
import { connectClient, startHttpHarness, type HttpHarness } from '../helpers.js';
import { authorize, authorizeUrl, Browser, claimsOf, discover, exchangeCode, formOf, pkce, register, REDIRECT_URI, tokenRequest, type Discovery } from './connector.js';

const ALICE = { name: 'alice', password: 'correct horse battery staple' };
const CANARY = { name: 'bob', password: 'canary-password-9f8e7d6c5b' };

let h: HttpHarness;
let d: Discovery;
let users: UserStore;

beforeAll(async () => {
  h = await startHttpHarness({ builtInAuth: true });
  users = new UserStore(h.paths);
  await users.add(ALICE.name, { password: ALICE.password });
  await users.add(CANARY.name, { password: CANARY.password, connection: 'globex', mode: 'test' });
  d = await discover(h.url);
}, 30_000);
afterAll(async () => {
  await h?.close();
});

describe('the connector flow', () => {
  it('discovers, registers, authorizes with PKCE, and its token reads only the chosen connection and mode; refresh rotates; revocation ends it', async () => {
    expect(d.issuer).toBe(new URL(h.url).origin);
    expect(d.metadata.code_challenge_methods_supported).toEqual(['S256']);
    expect(d.metadata.client_id_metadata_document_supported).toBe(true);
    const client = await register(d);
    const { verifier, challenge } = pkce();
    const back = await authorize(new Browser(h.url), authorizeUrl(d, client.client_id, challenge), ALICE, { connection: 'acme', mode: 'test' });
    expect(back.searchParams.get('state')).toBe('st-123');
    const tokens = await exchangeCode(d, client.client_id, back.searchParams.get('code')!, verifier);
    expect(tokens.status).toBe(200);
    const claims = claimsOf(tokens.body.access_token!);
    expect(claims).toMatchObject({ iss: d.issuer, aud: h.url, sub: 'alice', scope: 'stripe.test.read:acme', client_id: client.client_id });
    expect((claims.exp as number) - (claims.iat as number)).toBeLessThanOrEqual(600);

    const mcp = await connectClient('v2', h.url, { authorization: `Bearer ${tokens.body.access_token}` });
    const ok = await mcp.callTool({ name: 'get_balance', arguments: { connection: 'acme', mode: 'test' } });
    expect(ok.isError).toBeFalsy();
    const live = await mcp.callTool({ name: 'get_balance', arguments: { connection: 'acme', mode: 'live' } });
    expect(live.isError).toBe(true);
    const other = await mcp.callTool({ name: 'get_balance', arguments: { connection: 'globex', mode: 'test' } });
    expect(other.isError).toBe(true);
    await mcp.close();

    const refreshed = await tokenRequest(d, { grant_type: 'refresh_token', refresh_token: tokens.body.refresh_token!, client_id: client.client_id });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refresh_token).not.toBe(tokens.body.refresh_token);
    expect(claimsOf(refreshed.body.access_token!).scope).toBe('stripe.test.read:acme');
    // The old refresh token was used up by the rotation: using it again is refused (and revokes the grant).
    const reused = await tokenRequest(d, { grant_type: 'refresh_token', refresh_token: tokens.body.refresh_token!, client_id: client.client_id });
    expect(reused.status).toBe(400);
    expect(reused.body.error).toBe('invalid_grant');
  });

  it('revocation: a revoked refresh token gives no new access token', async () => {
    const client = await register(d);
    const { verifier, challenge } = pkce();
    const back = await authorize(new Browser(h.url), authorizeUrl(d, client.client_id, challenge), ALICE, { connection: '*', mode: 'live' });
    const tokens = await exchangeCode(d, client.client_id, back.searchParams.get('code')!, verifier);
    expect(claimsOf(tokens.body.access_token!).scope).toBe('stripe.live.read');
    const res = await fetch(d.metadata.revocation_endpoint, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: tokens.body.refresh_token!, client_id: client.client_id }) });
    expect(res.status).toBe(200);
    const after = await tokenRequest(d, { grant_type: 'refresh_token', refresh_token: tokens.body.refresh_token!, client_id: client.client_id });
    expect(after.body.error).toBe('invalid_grant');
  });
});

describe('bad input changes nothing', () => {
  it('a wrong password: 401 with a clear message, no session; the password never appears in logs or pages', async () => {
    const browser = new Browser(h.url);
    const client = await register(d);
    const page = await browser.follow(authorizeUrl(d, client.client_id, pkce().challenge));
    const form = formOf(page.body);
    const wrong = await browser.post(form.action, { ...form.fields, name: CANARY.name, password: `${CANARY.password}x` });
    expect(wrong.res.status).toBe(401);
    expect(wrong.body).toContain('do not match');
    expect(wrong.body).not.toContain(CANARY.password);
    expect([...browser.cookies.keys()].some((k) => k.includes('srmcp_session'))).toBe(false);
    // Then the right one works, and the consent offers only bob's grant.
    const right = await browser.post(form.action, { ...form.fields, name: CANARY.name, password: CANARY.password });
    expect(right.body).toContain('name="decision"');
    expect(right.body).toContain('<option value="globex">');
    expect(right.body).not.toContain('<option value="acme">');
    expect(right.body).not.toContain('<option value="live">');
    expect(right.body).toContain('claude.ai');
    expect(h.logs.join('\n')).not.toContain(CANARY.password);
  });

  it('a consent outside the person\'s grant is refused and grants nothing', async () => {
    const browser = new Browser(h.url);
    const client = await register(d);
    const page = await browser.follow(authorizeUrl(d, client.client_id, pkce().challenge));
    const form = formOf(page.body);
    const consent = formOf((await browser.post(form.action, { ...form.fields, name: CANARY.name, password: CANARY.password })).body);
    const res = await browser.post(consent.action, { ...consent.fields, connection: 'acme', mode: 'test', decision: 'allow' });
    expect(res.res.status).toBe(400);
    expect(res.body).toContain('not within what you may read');
  });

  it('a form without its CSRF token: 403, nothing changed', async () => {
    const browser = new Browser(h.url);
    const client = await register(d);
    const page = await browser.follow(authorizeUrl(d, client.client_id, pkce().challenge));
    const { action, fields } = formOf(page.body);
    const { csrf: _csrf, ...rest } = fields;
    const res = await browser.post(action, { ...rest, name: ALICE.name, password: ALICE.password });
    expect(res.res.status).toBe(403);
    expect(res.body).toContain('security token');
    expect([...browser.cookies.keys()].some((k) => k.includes('srmcp_session'))).toBe(false);
  });

  it('a code used twice, or with the wrong verifier, is refused', async () => {
    const client = await register(d);
    const { verifier, challenge } = pkce();
    const back = await authorize(new Browser(h.url), authorizeUrl(d, client.client_id, challenge), ALICE, { connection: 'acme', mode: 'test' });
    const code = back.searchParams.get('code')!;
    const wrong = await exchangeCode(d, client.client_id, code, pkce().verifier);
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toBe('invalid_grant');

    const client2 = await register(d);
    const p2 = pkce();
    const back2 = await authorize(new Browser(h.url), authorizeUrl(d, client2.client_id, p2.challenge), ALICE, { connection: 'acme', mode: 'test' });
    const first = await exchangeCode(d, client2.client_id, back2.searchParams.get('code')!, p2.verifier);
    expect(first.status).toBe(200);
    const again = await exchangeCode(d, client2.client_id, back2.searchParams.get('code')!, p2.verifier);
    expect(again.status).toBe(400);
    expect(again.body.error).toBe('invalid_grant');
  });

  it('a redirect URI other than the registered one is refused on our page, never redirected to', async () => {
    const client = await register(d);
    const url = authorizeUrl(d, client.client_id, pkce().challenge, { redirect_uri: 'https://evil.example/callback' });
    const res = await new Browser(h.url).follow(url);
    expect(res.res.status).toBe(400);
    expect(res.res.headers.get('location')).toBeNull();
    expect(res.body).toContain('redirect_uri');
    // A prefix of the registered one is not it either.
    const prefix = await new Browser(h.url).follow(authorizeUrl(d, client.client_id, pkce().challenge, { redirect_uri: `${REDIRECT_URI}/more` }));
    expect(prefix.res.status).toBe(400);
  });

  it('plain PKCE, or none, is refused', async () => {
    const client = await register(d);
    const plain = await new Browser(h.url).follow(authorizeUrl(d, client.client_id, 'a'.repeat(43), { code_challenge_method: 'plain' }));
    expect(plain.url.startsWith(REDIRECT_URI) ? new URL(plain.url).searchParams.get('error') : plain.res.status).toMatch(/invalid_request|400/);
    const url = new URL(authorizeUrl(d, client.client_id, 'x'));
    url.searchParams.delete('code_challenge');
    url.searchParams.delete('code_challenge_method');
    const none = await new Browser(h.url).follow(url.href);
    expect(new URL(none.url).searchParams.get('error')).toBe('invalid_request');
  });

  it('a client ID metadata document on a loopback or private host is never fetched', async () => {
    const res = await new Browser(h.url).follow(authorizeUrl(d, 'https://localhost/client.json', pkce().challenge));
    expect(res.res.status).toBe(400);
    expect(res.body).toContain('invalid_client');
  });

  it('a token for another resource is refused at authorization', async () => {
    const client = await register(d);
    const res = await new Browser(h.url).follow(authorizeUrl(d, client.client_id, pkce().challenge, { resource: 'https://elsewhere.example/mcp' }));
    expect(new URL(res.url).searchParams.get('error')).toBe('invalid_target');
  });

  it('sign-in links work once, and an expired or used one says so', async () => {
    const link = await users.createLink(ALICE.name);
    const browser = new Browser(h.url);
    const page = await browser.follow(`/oauth/signin?link=${encodeURIComponent(link!.secret)}`);
    expect(page.body).toContain('Sign in as alice');
    const form = formOf(page.body);
    const done = await browser.post(form.action, form.fields);
    expect(done.url).toContain('/connections');
    expect([...browser.cookies.keys()].some((k) => k.includes('srmcp_session'))).toBe(true);
    const again = await new Browser(h.url).follow(`/oauth/signin?link=${encodeURIComponent(link!.secret)}`);
    expect(again.res.status).toBe(400);
    expect(again.body).toContain('expired or was already used');
    const old = await users.createLink(ALICE.name, Date.now() - 11 * 60_000);
    const expired = await new Browser(h.url).follow(`/oauth/signin?link=${encodeURIComponent(old!.secret)}`);
    expect(expired.res.status).toBe(400);
  });

  it('sign-in goes on only to our own pages (no open redirect)', async () => {
    const browser = new Browser(h.url);
    const page = await browser.follow('/oauth/signin?next=https://evil.example/');
    expect(formOf(page.body).fields.next).toBe('/connections');
    const page2 = await browser.follow('/oauth/signin?next=//evil.example/');
    expect(formOf(page2.body).fields.next).toBe('/connections');
  });

  it('sign-in attempts are limited per person', async () => {
    await users.add('carol', { password: 'carol-password-123' });
    const browser = new Browser(h.url);
    const page = await browser.follow('/oauth/signin');
    const form = formOf(page.body);
    for (let i = 0; i < 5; i++) expect((await browser.post(form.action, { ...form.fields, name: 'carol', password: `wrong-${i}-password` })).res.status).toBe(401);
    const limited = await browser.post(form.action, { ...form.fields, name: 'carol', password: 'carol-password-123' });
    expect(limited.res.status).toBe(429);
    expect(limited.body).toContain('Too many failed sign-ins');
  });

  it('pages carry a strict CSP and the endpoints keep the Host check', async () => {
    const res = await fetch(new URL('/oauth/signin', h.url));
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    for (const path of ['/oauth/signin', '/oauth/authorize', '/.well-known/oauth-authorization-server', '/connections']) {
      expect(await statusWithHost(new URL(path, h.url), 'evil.example')).toBe(403);
    }
    // Another site's Origin is refused before any page code runs.
    const foreign = await fetch(new URL('/oauth/signin', h.url), { method: 'POST', headers: { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' }, body: 'name=alice&password=x' });
    expect(foreign.status).toBe(403);
  });
});

function statusWithHost(url: URL, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}
