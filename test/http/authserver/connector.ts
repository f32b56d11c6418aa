/**
 * What a connector (ChatGPT, Claude) does against our server, over plain HTTP: discovery from the 401, dynamic
 * registration, an authorization request with PKCE S256, then (with a cookie jar standing in for the person's
 * browser) the sign-in and consent forms, the code exchange, refresh and revocation. Each step is its own function
 * so the bad-input tests can change exactly one thing.
 */
import { createHash, randomBytes } from 'node:crypto';

export const REDIRECT_URI = 'https://claude.ai/api/mcp/auth_callback';

export interface Discovery {
  resource: string;
  issuer: string;
  metadata: Record<string, string> & { registration_endpoint: string; authorization_endpoint: string; token_endpoint: string; revocation_endpoint: string };
}

export async function discover(mcpUrl: string): Promise<Discovery> {
  const res = await fetch(mcpUrl, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: '{}' });
  if (res.status !== 401) throw new Error(`expected 401, got ${res.status}`);
  const challenge = res.headers.get('www-authenticate') ?? '';
  const prmUrl = /resource_metadata="([^"]+)"/.exec(challenge)?.[1];
  if (!prmUrl) throw new Error(`no resource_metadata in ${challenge}`);
  const prm = (await (await fetch(prmUrl)).json()) as { resource: string; authorization_servers: string[] };
  const issuer = prm.authorization_servers[0]!;
  const metadata = (await (await fetch(`${issuer}/.well-known/oauth-authorization-server`)).json()) as Discovery['metadata'];
  return { resource: prm.resource, issuer, metadata };
}

export async function register(d: Discovery, body: Record<string, unknown> = {}): Promise<{ client_id: string; [k: string]: unknown }> {
  const res = await fetch(d.metadata.registration_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_name: 'Claude', redirect_uris: [REDIRECT_URI], grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], token_endpoint_auth_method: 'none', ...body }),
  });
  const json = (await res.json()) as { client_id: string };
  if (res.status !== 201) throw new Error(`registration: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export function authorizeUrl(d: Discovery, clientId: string, challenge: string, extra: Record<string, string> = {}): string {
  // redirect_uri may be overridden through `extra`.
  const url = new URL(d.metadata.authorization_endpoint);
  const params = { response_type: 'code', client_id: clientId, redirect_uri: REDIRECT_URI, code_challenge: challenge, code_challenge_method: 'S256', state: 'st-123', scope: 'stripe.test.read stripe.live.read', resource: d.resource, ...extra };
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.href;
}

/** A person's browser: cookies kept per name, redirects followed by hand (so each step can be seen). */
export class Browser {
  readonly cookies = new Map<string, string>();

  constructor(private readonly base: string) {}

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(new URL(url, this.base), { ...init, headers, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (/Max-Age=0/i.test(line) || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  /** Follows redirects on this server until a page or a redirect elsewhere. */
  async follow(url: string, init: RequestInit = {}): Promise<{ res: Response; url: string; body: string }> {
    let res = await this.request(url, init);
    let at = new URL(url, this.base).href;
    for (let i = 0; i < 10 && res.status >= 300 && res.status < 400; i++) {
      const next = new URL(res.headers.get('location')!, at).href;
      if (new URL(next).origin !== new URL(this.base).origin) return { res, url: next, body: '' };
      at = next;
      res = await this.request(next);
    }
    return { res, url: at, body: await res.text() };
  }

  async post(path: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<{ res: Response; url: string; body: string }> {
    return this.follow(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(fields).toString() });
  }
}

export function formOf(page: string): { action: string; fields: Record<string, string> } {
  const action = /<form method="post" action="([^"]+)"/.exec(page)?.[1];
  if (!action) throw new Error(`no form in page: ${page.slice(0, 400)}`);
  const fields: Record<string, string> = {};
  for (const m of page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields[m[1]!] = m[2]!.replace(/&amp;/g, '&');
  return { action: action.replace(/&amp;/g, '&'), fields };
}

/** Authorization through sign-in and consent; the redirect back to the client (with ?code or ?error). */
export async function authorize(browser: Browser, url: string, person: { name: string; password: string }, choice: { connection: string; mode: string }): Promise<URL> {
  let step = await browser.follow(url);
  if (step.body.includes('name="password"')) {
    const signIn = formOf(step.body);
    step = await browser.post(signIn.action, { ...signIn.fields, name: person.name, password: person.password });
  }
  if (!step.body.includes('name="decision"')) throw new Error(`expected the consent page, got ${step.res.status}: ${step.body.slice(0, 600)}`);
  const consent = formOf(step.body);
  const done = await browser.post(consent.action, { ...consent.fields, ...choice, decision: 'allow' });
  if (!done.url.startsWith(REDIRECT_URI)) throw new Error(`expected a redirect to the client, got ${done.res.status} ${done.url}: ${done.body.slice(0, 400)}`);
  return new URL(done.url);
}

export async function tokenRequest(d: Discovery, fields: Record<string, string>): Promise<{ status: number; body: Record<string, string> }> {
  const res = await fetch(d.metadata.token_endpoint, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}

export function exchangeCode(d: Discovery, clientId: string, code: string, verifier: string, redirectUri = REDIRECT_URI) {
  return tokenRequest(d, { grant_type: 'authorization_code', code, code_verifier: verifier, client_id: clientId, redirect_uri: redirectUri, resource: d.resource });
}

export function claimsOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}
