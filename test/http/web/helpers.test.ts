/**
 * The web pages' shared pieces: escaping, the page layout and its security headers, CSRF tokens, form reading and
 * cookies. Forms and headers go through a real node:http server and fetch, as a browser's requests would.
 */
import { createHash } from 'node:crypto';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkSameOrigin,
  clearCookie,
  contentSecurityPolicy,
  cookieName,
  cookieSecurity,
  Csrf,
  CSRF_FIELD,
  escapeHtml,
  Html,
  html,
  isLocalPath,
  layout,
  newServerSecret,
  parseCookies,
  parseForm,
  readForm,
  redirect,
  sendError,
  sendHtml,
  serializeCookie,
  STYLESHEET,
  STYLESHEET_HASH,
  WebError,
} from '../../../src/server/http/web/index.js';

describe('html template', () => {
  it('escapes every interpolated value, in text and in attributes', () => {
    const name = `<script>alert("x")</script>' onmouseover='y' &amp;`;
    const out = html`<p title="${name}">${name}</p>`.text;
    expect(out).not.toContain('<script>');
    expect(out).not.toContain(`'y'`);
    expect(out).toBe(`<p title="${escapeHtml(name)}">${escapeHtml(name)}</p>`);
    expect(escapeHtml(`<>&"'\``)).toBe('&lt;&gt;&amp;&quot;&#39;&#96;');
  });

  it('keeps nested templates as markup, joins arrays, drops null/undefined/false, prints numbers', () => {
    const items = ['a<b', 'c'].map((x) => html`<li>${x}</li>`);
    expect(html`<ul>${items}</ul>${null}${undefined}${false}${0}`.text).toBe('<ul><li>a&lt;b</li><li>c</li></ul>0');
  });

  it('offers no way to mark a plain string as markup', () => {
    expect(() => new Html(Symbol('escaped markup'), '<b>')).toThrow(/template only/);
    expect(html`${'<b>' as unknown as Html}`.text).toBe('&lt;b&gt;');
  });

  it('lays a page out without script, with the one hashed stylesheet, readable on a phone', () => {
    const page = layout({ title: 'T<1>', body: html`<p>hi</p>`, user: 'ann<' }).text;
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(page).toContain('<title>T&lt;1&gt; · stripe-readonly-mcp</title>');
    expect(page).toContain('Signed in as ann&lt;');
    expect(page).not.toMatch(/<script|\son\w+=|javascript:/i);
    const style = /<style>([\s\S]*?)<\/style>/.exec(page)![1]!;
    expect(style).toBe(STYLESHEET);
    expect(STYLESHEET_HASH).toBe(`sha256-${createHash('sha256').update(style).digest('base64')}`);
  });
});

describe('security headers', () => {
  it('a strict Content-Security-Policy: nothing by default, the stylesheet by hash, forms to self, never framed', () => {
    const csp = contentSecurityPolicy();
    expect(csp.split('; ')).toEqual([
      "default-src 'none'",
      `style-src '${STYLESHEET_HASH}'`,
      "img-src 'self'",
      "form-action 'self'",
      "frame-ancestors 'none'",
      "base-uri 'none'",
    ]);
    expect(contentSecurityPolicy({ formAction: ['https://client.example'] })).toContain("form-action 'self' https://client.example");
  });

  it('only local paths can be redirect targets', () => {
    for (const ok of ['/connections', '/connections?x=1', '/']) expect(isLocalPath(ok)).toBe(true);
    for (const bad of ['//evil.example', '/\\evil.example', 'https://evil.example/', 'evil', '', '/a\nb', 'javascript:alert(1)', '/\t/evil']) {
      expect(isLocalPath(bad), bad).toBe(false);
    }
  });
});

describe('CSRF tokens', () => {
  const csrf = new Csrf(newServerSecret());

  it("accepts a session's own token and nothing else", () => {
    const token = csrf.token('session-a');
    expect(csrf.verify('session-a', token)).toBe(true);
    expect(csrf.verify('session-b', token)).toBe(false);
    expect(csrf.verify('session-a', undefined)).toBe(false);
    expect(csrf.verify(undefined, token)).toBe(false);
    expect(csrf.verify('session-a', '')).toBe(false);
    expect(csrf.verify('session-a', token.slice(0, -1))).toBe(false);
    expect(csrf.verify('session-a', `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`)).toBe(false);
    expect(new Csrf(newServerSecret()).verify('session-a', token)).toBe(false);
  });

  it('check() throws a 403 that says nothing changed; field() is a hidden input', () => {
    const form = (body: string) => parseForm(body);
    expect(() => csrf.check(form(`${CSRF_FIELD}=${csrf.token('s')}`), 's')).not.toThrow();
    for (const body of ['', `${CSRF_FIELD}=`, `${CSRF_FIELD}=${csrf.token('other')}`]) {
      try {
        csrf.check(form(body), 's');
        expect.unreachable();
      } catch (err) {
        expect(err).toBeInstanceOf(WebError);
        expect((err as WebError).status).toBe(403);
        expect((err as WebError).message).toMatch(/Nothing was changed/);
      }
    }
    expect(csrf.field('s').text).toBe(`<input type="hidden" name="csrf" value="${csrf.token('s')}">`);
    expect(() => new Csrf('short')).toThrow(/16 bytes/);
  });

  it('refuses posts another site made, by Origin or Sec-Fetch-Site', () => {
    const pass = (headers: Record<string, string>) => () => checkSameOrigin({ headers }, 'https://mcp.example/mcp');
    expect(pass({ origin: 'https://mcp.example', 'sec-fetch-site': 'same-origin' })).not.toThrow();
    expect(pass({ origin: 'null' })).not.toThrow(); // no-referrer posts; the token decides
    expect(pass({})).not.toThrow();
    expect(pass({ origin: 'https://evil.example' })).toThrow(/another site \(https:\/\/evil\.example\)/);
    expect(pass({ 'sec-fetch-site': 'cross-site' })).toThrow(/another site/);
    expect(pass({ 'sec-fetch-site': 'same-site', origin: 'null' })).toThrow(/another site/);
  });
});

describe('cookies', () => {
  it('HttpOnly and SameSite always; Secure and __Host- when the public URL is https', () => {
    const tls = cookieSecurity('https://mcp.example/mcp');
    const plain = cookieSecurity('http://127.0.0.1:8080/mcp');
    expect(tls.secure).toBe(true);
    expect(plain.secure).toBe(false);
    expect(cookieName('srm_session', tls)).toBe('__Host-srm_session');
    expect(cookieName('srm_session', plain)).toBe('srm_session');
    expect(serializeCookie('__Host-s', 'a b;c', { ...tls, maxAge: 3600 })).toBe('__Host-s=a%20b%3Bc; Path=/; HttpOnly; SameSite=Lax; Secure; Max-Age=3600');
    expect(serializeCookie('s', 'v', { ...plain, sameSite: 'Strict' })).toBe('s=v; Path=/; HttpOnly; SameSite=Strict');
    expect(clearCookie('s', plain)).toBe('s=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0');
    expect(() => serializeCookie('bad name', 'v', plain)).toThrow();
  });

  it('parses the Cookie header; the first of a repeated name counts; malformed parts are skipped', () => {
    const cookies = parseCookies({ headers: { cookie: 'a=1; b="two"; a=3; junk; c=%E0%A4%A; d=x%20y' } });
    expect(Object.fromEntries(cookies)).toEqual({ a: '1', b: 'two', d: 'x y' });
    expect(parseCookies({ headers: {} }).size).toBe(0);
  });
});

describe('pages and forms over HTTP', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      void (async () => {
        try {
          if (req.url === '/page') return sendHtml(res, 200, layout({ title: 'x', body: html`<p>ok</p>` }), { cookies: ['a=1', 'b=2'] });
          if (req.url === '/go') return redirect(res, '/page');
          const form = await readForm(req, { limit: 256 });
          sendHtml(res, 200, html`${JSON.stringify(Object.fromEntries(form.names().map((n) => [n, form.get(n)])))}`);
        } catch (err) {
          sendError(res, err instanceof WebError ? err : new WebError(500, 'unexpected'));
        }
      })();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  const post = (body: string, type = 'application/x-www-form-urlencoded') => fetch(`${base}/form`, { method: 'POST', body, headers: { 'content-type': type } });

  it('every page carries the security headers', async () => {
    const res = await fetch(`${base}/page`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(contentSecurityPolicy());
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    const go = await fetch(`${base}/go`, { redirect: 'manual' });
    expect(go.status).toBe(303);
    expect(go.headers.get('location')).toBe('/page');
    expect(go.headers.get('content-security-policy')).toBe(contentSecurityPolicy());
  });

  it('reads an urlencoded form', async () => {
    const res = await post('name=acme&key=rk_test_x%2By&empty=');
    expect(res.status).toBe(200);
    expect(JSON.parse((await res.text()).replace(/&quot;/g, '"'))).toEqual({ name: 'acme', key: 'rk_test_x+y', empty: '' });
  });

  it('refuses another content type (415), a field twice (400), and too large a body (413) with a page that says why', async () => {
    const json = await post('{"a":1}', 'application/json');
    expect(json.status).toBe(415);
    expect(await json.text()).toContain('application/x-www-form-urlencoded (got application/json)');
    const twice = await post('a=1&a=2');
    expect(twice.status).toBe(400);
    expect(await twice.text()).toContain('the field &quot;a&quot; twice');
    const big = await post(`a=${'x'.repeat(300)}`);
    expect(big.status).toBe(413);
    expect(await big.text()).toContain('too large');
    expect(big.headers.get('content-security-policy')).toBe(contentSecurityPolicy());
  });

  it('stops reading a chunked body at the limit (413), without a Content-Length', async () => {
    const { port } = server.address() as AddressInfo;
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/form', method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'transfer-encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('error', reject);
      for (let i = 0; i < 10; i++) req.write('x'.repeat(100));
      req.end();
    });
    expect(status).toBe(413);
  });
});
