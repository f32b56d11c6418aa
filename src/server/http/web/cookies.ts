/**
 * Cookies of the web pages: HttpOnly always, SameSite Lax (or Strict), Secure whenever the public URL is https.
 * Behind TLS the name takes the `__Host-` prefix, which makes browsers insist on Secure, Path=/ and no Domain,
 * so no sibling subdomain can plant or widen it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface CookieSecurity {
  /** Secure, and the `__Host-` prefix: true when the public URL is https. */
  secure: boolean;
}

/** From the URL people reach the server at (`--public-url`, else the listening URL). */
export function cookieSecurity(publicUrl: string | URL): CookieSecurity {
  return { secure: new URL(publicUrl).protocol === 'https:' };
}

/** The name a cookie is sent under: `__Host-NAME` behind TLS, NAME on plain http (loopback), where the prefix cannot be used. */
export function cookieName(base: string, security: CookieSecurity): string {
  return security.secure ? `__Host-${base}` : base;
}

export interface CookieOptions extends CookieSecurity {
  /** Default Lax: the page is opened from links (a sign-in link, a client's authorization redirect). */
  sameSite?: 'Lax' | 'Strict';
  /** Seconds; absent: a session cookie (gone when the browser closes). */
  maxAge?: number;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export function serializeCookie(name: string, value: string, options: CookieOptions): string {
  if (!TOKEN.test(name)) throw new Error(`not a cookie name: ${JSON.stringify(name)}`);
  const parts = [`${name}=${encodeURIComponent(value)}`, 'Path=/', 'HttpOnly', `SameSite=${options.sameSite ?? 'Lax'}`];
  if (options.secure) parts.push('Secure');
  if (options.maxAge !== undefined) parts.push(`Max-Age=${Math.max(0, Math.floor(options.maxAge))}`);
  return parts.join('; ');
}

/** A Set-Cookie that deletes the cookie (same attributes, Max-Age=0). */
export function clearCookie(name: string, options: CookieOptions): string {
  return serializeCookie(name, '', { ...options, maxAge: 0 });
}

/** The Set-Cookie values already on the response (a session change made before the page or redirect is sent). */
export function pendingSetCookies(res: Pick<ServerResponse, 'getHeader'>): string[] {
  const existing = res.getHeader('set-cookie');
  return Array.isArray(existing) ? existing.map(String) : existing === undefined ? [] : [String(existing)];
}

/** Adds a Set-Cookie to the response, keeping those already there. */
export function appendSetCookie(res: Pick<ServerResponse, 'getHeader' | 'setHeader'>, cookie: string): void {
  res.setHeader('set-cookie', [...pendingSetCookies(res), cookie]);
}

/** The request's cookies; of a name sent twice, the first (the most specific path, as browsers order them) counts. */
export function parseCookies(req: Pick<IncomingMessage, 'headers'>): Map<string, string> {
  const cookies = new Map<string, string>();
  const header = req.headers.cookie;
  if (!header) return cookies;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    if (!TOKEN.test(name) || cookies.has(name)) continue;
    try {
      cookies.set(name, decodeURIComponent(value));
    } catch {
      // a malformed value is as good as none
    }
  }
  return cookies;
}
