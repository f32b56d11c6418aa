/**
 * Sending pages: every page and redirect carries the same security headers. The Content-Security-Policy allows
 * nothing but the one hashed stylesheet, images from this origin, and forms posted back to this origin; no
 * script, no frames (nor being framed), no plugins, no base-URL rewriting.
 */
import type { ServerResponse } from 'node:http';
import { html, layout, notice, STYLESHEET_HASH, type Html } from './html.js';

export interface CspOptions {
  /**
   * Extra targets a form may post or be redirected to (Chrome applies form-action to the redirects after a form
   * post too, so a consent form that ends in a redirect to the client's redirect URI names that URI's origin).
   */
  formAction?: readonly string[];
}

export function contentSecurityPolicy(options: CspOptions = {}): string {
  const formAction = ["'self'", ...(options.formAction ?? [])].join(' ');
  return [
    "default-src 'none'",
    `style-src '${STYLESHEET_HASH}'`,
    "img-src 'self'",
    `form-action ${formAction}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

/** The headers of every web response (pages, redirects, errors). */
export function securityHeaders(options: CspOptions = {}): Record<string, string> {
  return {
    'content-security-policy': contentSecurityPolicy(options),
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
  };
}

export interface SendOptions extends CspOptions {
  /** Set-Cookie values (from cookies.ts). */
  cookies?: readonly string[];
  headers?: Record<string, string>;
}

function head(res: ServerResponse, status: number, options: SendOptions, extra: Record<string, string | number>): void {
  const headers: Record<string, string | number | string[]> = { ...securityHeaders(options), ...options.headers, ...extra };
  if (options.cookies?.length) headers['set-cookie'] = [...options.cookies];
  res.writeHead(status, headers);
}

export function sendHtml(res: ServerResponse, status: number, page: Html, options: SendOptions = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const body = page.text;
  head(res, status, options, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(res.req?.method === 'HEAD' ? undefined : body);
}

/**
 * A path on this server: starts with one "/", no scheme, no "//" or "/\" (which browsers read as another host),
 * no control characters. Everything a page redirects to is checked here, so no redirect leaves the site.
 */
export function isLocalPath(target: string): boolean {
  return /^\/(?![/\\])/.test(target) && !/[\u0000-\u001f\u007f\\]/.test(target);
}

/** 303 See Other to a local path: the answer to every form post (post-redirect-get). */
export function redirect(res: ServerResponse, location: string, options: SendOptions = {}): void {
  if (!isLocalPath(location)) throw new Error(`refusing to redirect off-site (${JSON.stringify(location.slice(0, 60))})`);
  head(res, 303, options, { location, 'content-length': 0 });
  res.end();
}

/** A request a page refuses, with the status and the sentence the person reads. */
export class WebError extends Error {
  override name = 'WebError';
  constructor(
    readonly status: number,
    message: string,
    /** Shown under the message: e.g. a link back. */
    readonly hint?: Html,
  ) {
    super(message);
  }
}

const TITLES: Record<number, string> = {
  400: 'Bad request',
  403: 'Not allowed',
  404: 'Not found',
  405: 'Method not allowed',
  408: 'Too slow',
  413: 'Too large',
  415: 'Unsupported form',
  429: 'Too many requests',
  500: 'Something went wrong',
};

/** An error page: the message is text (escaped); nothing of the request is echoed. */
export function sendError(res: ServerResponse, error: WebError, options: SendOptions & { user?: string } = {}): void {
  const title = TITLES[error.status] ?? 'Error';
  const body = html`<h1>${title}</h1>${notice('error', error.message)}${error.hint}`;
  const extra: Record<string, string> = error.status === 405 ? { allow: 'GET, HEAD, POST' } : {};
  sendHtml(res, error.status, layout({ title, body, user: options.user }), { ...options, headers: { ...options.headers, ...extra } });
}
