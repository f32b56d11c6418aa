/**
 * Shared pieces of the server's web pages (sign-in, consent, connections):
 * - html.ts: the escaping `html` template, `layout` (no script, one hashed stylesheet, phone-readable), `notice`;
 * - response.ts: `sendHtml` / `redirect` (303, local paths only) / `sendError` with the security headers
 *   (strict CSP, nosniff, no-referrer, no-store, no framing), `WebError` (status + the sentence to show);
 * - csrf.ts: `Csrf` (HMAC of the session id with a server secret; `field()` for forms, `check()` for posts),
 *   `checkSameOrigin`;
 * - form.ts: `readForm` (urlencoded only, size-capped: 400/408/413/415 as WebError);
 * - cookies.ts: `serializeCookie` (HttpOnly, SameSite, Secure behind https), `cookieName` (`__Host-`), `parseCookies`.
 */
export { html, escapeHtml, layout, notice, Html, STYLESHEET, STYLESHEET_HASH, type HtmlValue, type LayoutOptions } from './html.js';
export { contentSecurityPolicy, securityHeaders, sendHtml, redirect, sendError, isLocalPath, WebError, type CspOptions, type SendOptions } from './response.js';
export { Csrf, CSRF_FIELD, CSRF_REFUSED, checkSameOrigin, newServerSecret } from './csrf.js';
export { readForm, parseForm, FormFields, DEFAULT_FORM_LIMIT, type FormOptions } from './form.js';
export type { WebUser } from './user.js';
export { cookieSecurity, cookieName, serializeCookie, clearCookie, parseCookies, type CookieOptions, type CookieSecurity } from './cookies.js';
