/**
 * Client ID metadata documents (as Claude registers: client_id is an https URL of its metadata), fetched for real:
 * the document lives on an https server this test runs on loopback, with a certificate made at test time, and
 * the authorization server fetches it over TLS when the authorization request names it. Only how the URL is
 * reached is replaced (the `documentFetch` seam of startBuiltInAuth: DNS, trust anchors and oidc-provider's
 * special-use-address check, since the server is on loopback); the host check before the fetch and every check
 * of the answer are the real ones. Then the whole flow, and each kind of bad document or client_id refused.
 */
import { createServer as createHttpsServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveHome } from '../../../src/connections/paths.js';
import { StaticRouter } from '../../../src/connections/router.js';
import { startEmulator, type EmulatorHandle } from '../../../src/emulator/index.js';
import { Authenticator } from '../../../src/server/http/auth.js';
import type { DocumentFetch } from '../../../src/server/http/authserver/provider.js';
import { UserStore } from '../../../src/server/http/authserver/users.js';
import { defaultAllowedHosts, OriginPolicy } from '../../../src/server/http/net.js';
import { startHttpServer, type HttpServerHandle } from '../../../src/server/http/server.js';
import { TokenVerifierStore } from '../../../src/server/http/token-store.js';
import { TEST_ANCHOR } from '../../helpers/harness.js';
import { connectClient, textOf } from '../helpers.js';
import { authorizeUrl, Browser, discover, exchangeCode, formOf, pkce, type Discovery } from './connector.js';
import { fetchViaLoopback, selfSignedCertificate } from './tls.js';

const HOST = 'connector.example.com';
const CLIENT_ID = `https://${HOST}/oauth/client-metadata.json`;
const REDIRECT = `https://${HOST}/oauth/callback`;
const PERSON = { name: 'frank', password: 'frank-canary-password-1414' };

/** The documents this test serves, by path. */
const DOCUMENTS: Record<string, unknown> = {
  '/oauth/client-metadata.json': { client_id: CLIENT_ID, client_name: 'Example Connector', redirect_uris: [REDIRECT], grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], token_endpoint_auth_method: 'none' },
  // Names another client: a document must be about the URL it is served at.
  '/oauth/mismatch.json': { client_id: CLIENT_ID, client_name: 'Impostor', redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none' },
};

let emulator: EmulatorHandle;
let documents: Server;
let server: HttpServerHandle;
let home: string;
let d: Discovery;
const fetched: string[] = [];

beforeAll(async () => {
  const tls = selfSignedCertificate([HOST]);
  documents = createHttpsServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    fetched.push(`${req.headers.host}${req.url}`);
    const doc = DOCUMENTS[req.url ?? ''];
    res.writeHead(doc ? 200 : 404, { 'content-type': 'application/json' }).end(JSON.stringify(doc ?? { error: 'not found' }));
  });
  await new Promise<void>((resolve) => documents.listen(0, '127.0.0.1', resolve));
  // The seam's replacement: every document URL is reached at the loopback https server, over TLS, with the
  // URL's name checked against the test's certificate (the only trust anchor).
  const documentFetch: DocumentFetch = fetchViaLoopback((documents.address() as AddressInfo).port, tls.cert);

  emulator = await startEmulator({ anchor: TEST_ANCHOR });
  home = mkdtempSync(join(tmpdir(), 'srm-cimd-'));
  const paths = resolveHome({ STRIPE_MCP_HOME: join(home, 'home') });
  const router = new StaticRouter([{ name: 'acme', keys: { test: emulator.keys.test, live: emulator.keys.live }, defaultMode: 'test', apiBase: emulator.url }]);
  const { startBuiltInAuth } = await import('../../../src/server/http/authserver/index.js');
  server = await startHttpServer(router, {
    host: '127.0.0.1',
    port: 0,
    allowedHosts: defaultAllowedHosts('127.0.0.1'),
    origins: OriginPolicy.withLocalhost([]),
    auth: new Authenticator({ tokens: new TokenVerifierStore(paths), pin: {} }),
    maxBodyBytes: 1_048_576,
    maxConcurrent: 16,
    rateLimitPerMinute: 0,
    headerTimeoutMs: 10_000,
    idleTimeoutMs: 65_000,
    log: () => {},
    builtInAuth: (resource) => startBuiltInAuth({ paths, resource, pin: {}, connectionNames: () => router.connectionNames(), log: () => {}, documentFetch }),
  });
  await new UserStore(paths).add(PERSON.name, { password: PERSON.password });
  d = await discover(server.url);
}, 30_000);
afterAll(async () => {
  await server?.close();
  await emulator?.close();
  documents?.closeAllConnections();
  await new Promise((resolve) => documents?.close(resolve));
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('a client ID metadata document', () => {
  it('is fetched over TLS, named on the consent page, and the flow completes to a scoped MCP call', async () => {
    expect(d.metadata.client_id_metadata_document_supported).toBe(true);
    const { verifier, challenge } = pkce();
    const browser = new Browser(server.url);
    const url = authorizeUrl(d, CLIENT_ID, challenge, { redirect_uri: REDIRECT });
    const signIn = await browser.follow(url);
    expect(fetched).toContain(`${HOST}/oauth/client-metadata.json`);
    const form = formOf(signIn.body);
    const consent = await browser.post(form.action, { ...form.fields, name: PERSON.name, password: PERSON.password });
    expect(consent.body).toContain('Allow Example Connector to read Stripe data?');
    expect(consent.body).toContain(`<strong class="mono">${HOST}</strong>`);

    const allowed = formOf(consent.body);
    const done = await browser.post(allowed.action, { ...allowed.fields, connection: 'acme', mode: 'test', decision: 'allow' });
    expect(done.url.startsWith(`${REDIRECT}?`)).toBe(true);
    const back = new URL(done.url);
    const tokens = await exchangeCode(d, CLIENT_ID, back.searchParams.get('code')!, verifier, REDIRECT);
    expect(tokens.status).toBe(200);
    const mcp = await connectClient('v2', server.url, { authorization: `Bearer ${tokens.body.access_token}` });
    const ok = await mcp.callTool({ name: 'get_balance', arguments: { connection: 'acme', mode: 'test' } });
    expect(ok.isError).toBeFalsy();
    expect(textOf(ok)).toMatch(/available/i);
    expect((await mcp.callTool({ name: 'get_balance', arguments: { connection: 'acme', mode: 'live' } })).isError).toBe(true);
    await mcp.close();
  });

  it.each([
    ['a document naming another client_id', `https://${HOST}/oauth/mismatch.json`, REDIRECT, 'client_id metadata document client_id does not match the expected value'],
    ['a redirect_uri the document does not list', CLIENT_ID, 'https://evil.example/callback', 'redirect_uri did not match any of the client&#39;s registered redirect_uris'],
    ['a client_id on plain http', `http://${HOST}/oauth/client-metadata.json`, REDIRECT, `client ID metadata documents are fetched over https only, and this client_id is http://${HOST}`],
    ['a client_id on loopback', 'https://localhost/oauth/client-metadata.json', REDIRECT, 'only from public host names, and localhost is not one'],
    ['a client_id on a private address', 'https://10.1.2.3/oauth/client-metadata.json', REDIRECT, 'only from public host names, and 10.1.2.3 is not one'],
    ['a client_id on an IPv6 loopback address', 'https://[::1]:8443/oauth/client-metadata.json', REDIRECT, 'only from public host names, and [::1]:8443 is not one'],
    ['a client_id on localhost. (a trailing dot)', 'https://localhost./oauth/client-metadata.json', REDIRECT, 'only from public host names, and localhost. is not one'],
    ['a client_id on a .internal name with a trailing dot', 'https://metadata.internal./oauth/client-metadata.json', REDIRECT, 'only from public host names, and metadata.internal. is not one'],
    ['a client_id on a .internal name', 'https://metadata.internal/oauth/client-metadata.json', REDIRECT, 'only from public host names, and metadata.internal is not one'],
  ])('refuses %s on our page, never redirecting', async (_what, clientId, redirectUri, message) => {
    const before = fetched.length;
    const res = await new Browser(server.url).follow(authorizeUrl(d, clientId, pkce().challenge, { redirect_uri: redirectUri }));
    expect(res.res.status).toBe(400);
    expect(res.res.headers.get('location')).toBeNull();
    expect(res.body).toContain('Sign-in could not go on');
    expect(res.body).toContain(message);
    // A refused host is never asked (the seam is after the check); the others were fetched and then refused.
    if (!clientId.startsWith(`https://${HOST}/`)) expect(fetched.length).toBe(before);
  });
});
