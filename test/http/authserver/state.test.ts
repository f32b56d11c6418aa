/**
 * What the built-in authorization server keeps survives a restart (clients, grants, refresh tokens, users, the
 * signing key), in 0600 files beside connections.json; removing a person ends their tokens at once.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserStore } from '../../../src/server/http/authserver/users.js';
import { startHttpHarness, type HttpHarness } from '../helpers.js';
import { authorize, authorizeUrl, Browser, discover, exchangeCode, pkce, REDIRECT_URI, register, tokenRequest } from './connector.js';

const PERSON = { name: 'gus', password: 'gus-password-restart-42' };
const home = mkdtempSync(join(tmpdir(), 'srm-oauth-state-'));
let h: HttpHarness | undefined;

afterAll(async () => {
  await h?.close();
  rmSync(home, { recursive: true, force: true });
});

async function mcpStatus(url: string, token: string): Promise<number> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } }),
  });
  await res.text();
  return res.status;
}

describe('state across a restart', () => {
  it('a registered client and its refresh token keep working after a restart; users remove ends them', async () => {
    h = await startHttpHarness({ builtInAuth: true, home });
    const users = new UserStore(h.paths);
    await users.add(PERSON.name, { password: PERSON.password });
    let d = await discover(h.url);
    const client = await register(d);
    const { verifier, challenge } = pkce();
    const back = await authorize(new Browser(h.url), authorizeUrl(d, client.client_id, challenge), PERSON, { connection: 'acme', mode: 'test' });
    const tokens = await exchangeCode(d, client.client_id, back.searchParams.get('code')!, verifier);
    expect(tokens.status).toBe(200);
    for (const file of ['oauth-state.json', 'authserver.json', 'users.json']) expect(statSync(join(h.paths.dir, file)).mode & 0o777).toBe(0o600);
    const state = JSON.stringify(await import('node:fs').then((fs) => fs.readFileSync(join(h!.paths.dir, 'oauth-state.json'), 'utf8')));
    expect(state).not.toContain(tokens.body.refresh_token);
    expect(state).not.toContain(PERSON.password);

    const port = h.handle.port;
    await h.close();
    h = await startHttpHarness({ builtInAuth: true, home, port });
    d = await discover(h.url);
    // The access token from before the restart is still valid (same signing key), and the refresh token works.
    expect(await mcpStatus(h.url, tokens.body.access_token!)).toBe(200);
    const refreshed = await tokenRequest(d, { grant_type: 'refresh_token', refresh_token: tokens.body.refresh_token!, client_id: client.client_id });
    expect(refreshed.status, JSON.stringify(refreshed.body)).toBe(200);
    // The client is still registered: a new authorization with its id goes through.
    const again = pkce();
    const back2 = await authorize(new Browser(h.url), authorizeUrl(d, client.client_id, again.challenge), PERSON, { connection: '*', mode: 'test' });
    expect(back2.searchParams.get('code')).toBeTruthy();

    await new UserStore(h.paths).remove(PERSON.name);
    expect(await mcpStatus(h.url, refreshed.body.access_token!)).toBe(401);
    const afterRemoval = await tokenRequest(d, { grant_type: 'refresh_token', refresh_token: refreshed.body.refresh_token!, client_id: client.client_id });
    expect(afterRemoval.body.error).toBe('invalid_grant');
  }, 60_000);

  it('a confidential client\'s secret is kept only as a digest, and still authenticates it, after a restart too', async () => {
    await h?.close();
    h = await startHttpHarness({ builtInAuth: true, home });
    const users = new UserStore(h.paths);
    await users.add('hal', { password: 'hal-password-secret-42' });
    let d = await discover(h.url);
    const client = (await register(d, { token_endpoint_auth_method: 'client_secret_post' })) as { client_id: string; client_secret: string };
    expect(client.client_secret).toMatch(/^[A-Za-z0-9_-]{32,}$/);
    const state = () => import('node:fs').then((fs) => fs.readFileSync(join(h!.paths.dir, 'oauth-state.json'), 'utf8'));
    expect(await state()).not.toContain(client.client_secret);

    const port = h.handle.port;
    await h.close();
    h = await startHttpHarness({ builtInAuth: true, home, port });
    d = await discover(h.url);
    const exchange = async (secret: string) => {
      const { verifier, challenge } = pkce();
      const back = await authorize(new Browser(h!.url), authorizeUrl(d, client.client_id, challenge), { name: 'hal', password: 'hal-password-secret-42' }, { connection: 'acme', mode: 'test' });
      return tokenRequest(d, { grant_type: 'authorization_code', code: back.searchParams.get('code')!, code_verifier: verifier, client_id: client.client_id, client_secret: secret, redirect_uri: REDIRECT_URI, resource: d.resource });
    };
    const wrong = await exchange(`${client.client_secret.slice(0, -1)}x`);
    expect(wrong.body.error, JSON.stringify(wrong.body)).toBe('invalid_client');
    const right = await exchange(client.client_secret);
    expect(right.status, JSON.stringify(right.body)).toBe(200);
    expect(await state()).not.toContain(client.client_secret);
  }, 60_000);
});

