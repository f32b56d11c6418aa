/**
 * CSRF protection for every form: a token bound to the browser's session id by an HMAC with a server secret,
 * put in each form as a hidden field and checked (in constant time) before any post changes anything. A page
 * of another site cannot read the token (same-origin policy), and a token of one session is worthless in another.
 * The Origin / Sec-Fetch-Site check is a second, independent wall (OWASP's CSRF cheat sheet recommends both).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { html, type Html } from './html.js';
import type { FormFields } from './form.js';
import { WebError } from './response.js';

export const CSRF_FIELD = 'csrf';

/** A fresh secret for the HMAC (32 random bytes); a restart with a new one only makes open forms reload. */
export function newServerSecret(): Buffer {
  return randomBytes(32);
}

export const CSRF_REFUSED =
  'This form could not be accepted: it has expired or did not come from this site (its security token is missing or wrong). Nothing was changed. Reload the page and try again.';

export class Csrf {
  private readonly secret: Buffer;
  constructor(secret: Buffer | string) {
    this.secret = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret;
    if (this.secret.length < 16) throw new Error('the CSRF secret must be at least 16 bytes');
  }

  /** The token for one session (the same for every form of that session, so several tabs keep working). */
  token(sessionId: string): string {
    if (!sessionId) throw new Error('a CSRF token needs a session id');
    return createHmac('sha256', this.secret).update(`csrf\u0000${sessionId}`).digest('base64url');
  }

  /** True when `token` is this session's; constant time in the token's content. */
  verify(sessionId: string | undefined, token: string | undefined): boolean {
    if (!sessionId || !token) return false;
    const expected = Buffer.from(this.token(sessionId));
    const given = Buffer.from(token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  /** The hidden field every form carries. */
  field(sessionId: string): Html {
    return html`<input type="hidden" name="${CSRF_FIELD}" value="${this.token(sessionId)}">`;
  }

  /** Throws the 403 every form shows when the token is missing or wrong. */
  check(form: FormFields, sessionId: string | undefined): void {
    if (!this.verify(sessionId, form.get(CSRF_FIELD))) throw new WebError(403, CSRF_REFUSED);
  }
}

/**
 * Refuses a post another site's page made: browsers say `Sec-Fetch-Site: cross-site` (or same-site, for a
 * sibling subdomain) and name the page's origin in `Origin`. Our pages send `Referrer-Policy: no-referrer`, under
 * which a browser sends `Origin: null` for its own posts (Fetch standard), so null is left to the token, as is a
 * request with neither header (curl, older browsers).
 */
export function checkSameOrigin(req: Pick<IncomingMessage, 'headers'>, publicOrigin: string): void {
  const origin = req.headers.origin;
  const site = req.headers['sec-fetch-site'];
  const foreignOrigin = origin !== undefined && origin !== 'null' && origin !== new URL(publicOrigin).origin;
  if (site === 'cross-site' || site === 'same-site' || foreignOrigin) {
    throw new WebError(403, `This form was sent from another site${foreignOrigin ? ` (${origin.slice(0, 80)})` : ''}, so it was refused. Nothing was changed. Open this page directly and try again.`);
  }
}
