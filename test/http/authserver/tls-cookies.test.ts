/**
 * Behind TLS, as a deployment runs: `serve --http` on loopback http with `--public-url https://mcp.example.test:PORT/mcp`
 * (the Host and Origin rules parseServeHttp derives from that flag), behind a TLS-terminating proxy this test runs
 * (node:https, a certificate made at test time, Host passed on as nginx's `proxy_set_header Host $host` does).
 * Headless Chromium reaches the public name through the proxy: an app's authorization (sign-in, consent, the code
 * at the app's redirect), then the /connections page (adding a key against the emulator, a CSRF-checked form).
 * Every cookie it stored must be Secure, HttpOnly and SameSite=Lax, and those on Path=/ carry the `__Host-` prefix.
 */
import { createServer as createHttpServer, request as httpRequest, type Server } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseServeHttp } from '../../../src/cli/serve-http.js';
import { restrictedKeyHowTo, toolProbes } from '../../../src/cli/tool-probes.js';
import { ConnectionManager } from '../../../src/connections/manager.js';
import { startEmulator, type EmulatorHandle } from '../../../src/emulator/index.js';
import { UserStore } from '../../../src/server/http/authserver/users.js';
import { connectionsPages } from '../../../src/server/http/web/connections-page.js';
import { describeWithBrowser, launchChromium, type LaunchedBrowser } from '../../helpers/browser.js';
import { canaryKey } from '../../helpers/spawn.js';
import { storeEnv } from '../../connections/helpers.js';
import { startHttpHarness, type HttpHarness } from '../helpers.js';
import { pkce } from './connector.js';
import { fetchViaLoopback, selfSignedCertificate } from './tls.js';

const PUBLIC_HOST = 'mcp.example.test';
const OWNER = { name: 'grace', password: 'grace-canary-password-6626' };

/** The TLS-terminating proxy: every request passed to `backend()` with its Host, as a reverse proxy does. */
function tlsProxy(tls: { key: string; cert: string }, backend: () => URL): HttpsServer {
  return createHttpsServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    const to = backend();
    const headers = { ...req.headers, 'x-forwarded-proto': 'https', 'x-forwarded-for': req.socket.remoteAddress ?? '' };
    const upstream = httpRequest({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end('upstream error'));
    req.pipe(upstream);
  });
}

describeWithBrowser('the built-in sign-in behind a TLS proxy, in Chromium', () => {
  let emulator: EmulatorHandle;
  let proxy: HttpsServer;
  let callback: Server;
  let h: HttpHarness;
  let chromium: LaunchedBrowser;
  let origin: string;
  let viaProxy: ReturnType<typeof fetchViaLoopback>;
  const home = mkdtempSync(join(tmpdir(), 'srm-tls-cookies-'));
  const landed: string[] = [];

  beforeAll(async () => {
    const tls = selfSignedCertificate([PUBLIC_HOST]);
    let backend: URL | undefined;
    proxy = tlsProxy(tls, () => backend!);
    callback = createHttpServer((req, res) => {
      if (req.url?.startsWith('/callback')) landed.push(req.url);
      res.writeHead(200, { 'content-type': 'text/plain' }).end('back at the app');
    });
    await Promise.all([new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve)), new Promise<void>((resolve) => callback.listen(0, '127.0.0.1', resolve))]);
    const proxyPort = (proxy.address() as AddressInfo).port;
    origin = `https://${PUBLIC_HOST}:${proxyPort}`;
    viaProxy = fetchViaLoopback(proxyPort, tls.cert);
    const config = parseServeHttp(['serve', '--http', '--public-url', `${origin}/mcp`]);

    emulator = await startEmulator({ size: { customers: 3 } });
    const manager = new ConnectionManager(storeEnv(join(home, 'home'), emulator.url), { keyHowTo: restrictedKeyHowTo() });
    [h, chromium] = await Promise.all([
      startHttpHarness({
        builtInAuth: true,
        home,
        emulator,
        publicUrl: config.publicUrl,
        allowedHosts: config.allowedHosts,
        allowedOrigins: config.allowedOrigins,
        connectionsPage: async (parts) => connectionsPages({ ...parts, manager, probes: toolProbes() }),
      }),
      // The proxy's certificate is the test's own; the public name is mapped to loopback for this browser only.
      launchChromium({ ignoreHTTPSErrors: true, args: [`--host-resolver-rules=MAP ${PUBLIC_HOST} 127.0.0.1`] }),
    ]);
    backend = new URL(h.url);
    await new UserStore(h.paths).add(OWNER.name, { password: OWNER.password, mode: 'test', manageConnections: true });
  }, 60_000);
  afterAll(async () => {
    await chromium?.close();
    await h?.close();
    await emulator?.close();
    for (const server of [proxy, callback]) {
      server?.closeAllConnections();
      await new Promise((resolve) => server?.close(resolve));
    }
    rmSync(home, { recursive: true, force: true });
  });

  it('an authorization and the connections page work over https, and every cookie is Secure, HttpOnly, SameSite, __Host- on Path=/', async () => {
    // The app's side, through the proxy: the discovery documents name the public https URL.
    const metadata = (await (await viaProxy(`${origin}/.well-known/oauth-authorization-server`)).json()) as Record<string, string>;
    expect(metadata.issuer).toBe(origin);
    const redirectUri = `http://127.0.0.1:${(callback.address() as AddressInfo).port}/callback`;
    const registered = await viaProxy(metadata.registration_endpoint!, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_name: 'Claude', redirect_uris: [redirectUri], token_endpoint_auth_method: 'none' }),
    });
    expect(registered.status).toBe(201);
    const { client_id: clientId } = (await registered.json()) as { client_id: string };
    const authorize = new URL(metadata.authorization_endpoint!);
    const params = { response_type: 'code', client_id: clientId, redirect_uri: redirectUri, code_challenge: pkce().challenge, code_challenge_method: 'S256', state: 'st-tls', scope: 'stripe.test.read', resource: `${origin}/mcp` };
    for (const [k, v] of Object.entries(params)) authorize.searchParams.set(k, v);

    const page = await chromium.context.newPage();
    await page.goto(authorize.href);
    expect(page.url().startsWith(`${origin}/oauth/`)).toBe(true);
    await page.fill('#name', OWNER.name);
    await page.fill('#password', OWNER.password);
    await page.click('button[type=submit]');
    await page.waitForSelector('select#connection');
    const duringAuthorization = await chromium.context.cookies();
    await Promise.all([page.waitForURL(`${redirectUri}**`), page.click('button[value=allow]')]);
    expect(new URL(landed[0]!, redirectUri).searchParams.get('state')).toBe('st-tls');
    expect(new URL(landed[0]!, redirectUri).searchParams.get('iss')).toBe(origin);

    // The connections page, signed in by the same session cookie; adding a key posts a CSRF-checked form.
    await page.goto(`${origin}/connections`);
    expect(page.url()).toBe(`${origin}/connections`);
    await page.fill('#name', 'acme');
    await page.fill('#key', canaryKey('test'));
    await Promise.all([page.waitForURL(`${origin}/connections`), page.click('text=Verify and add')]);
    expect(await page.locator('main').innerText()).toMatch(/Added the test key rk_test_…\w{4} of "acme": Stripe accepted it/);
    await page.close();

    const cookies = [...duringAuthorization, ...(await chromium.context.cookies())];
    const names = new Set(cookies.map((c) => c.name));
    // Ours (the session, and the browser id the CSRF tokens are bound to) and oidc-provider's session and interaction.
    for (const name of ['__Host-srmcp_session', '__Host-srmcp_browser', '__Host-srmcp_op_session', '__Host-srmcp_op_interaction']) expect(names).toContain(name);
    expect(names).not.toContain('srmcp_session');
    for (const c of cookies) {
      expect({ name: c.name, domain: c.domain, secure: c.secure, httpOnly: c.httpOnly, sameSite: c.sameSite }).toEqual({ name: c.name, domain: PUBLIC_HOST, secure: true, httpOnly: true, sameSite: 'Lax' });
      // __Host-: Path=/ and no Domain attribute (the cookie is the host's only, as `domain` without a dot shows).
      expect(c.path === '/' ? c.name.startsWith('__Host-') : c.name.startsWith('srmcp_op_resume')).toBe(true);
      if (c.name.startsWith('__Host-')) expect(c.path).toBe('/');
    }
  }, 60_000);
});
