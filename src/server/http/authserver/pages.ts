/**
 * The pages a person sees while connecting an app: sign-in (password, or a one-time link from `users link`),
 * consent (which app asks, where it sends the answer, and what it may read: one connection, or every one, and
 * one mode, within the person's own grant), and sign-out. Every form carries a CSRF token bound to this browser;
 * every redirect goes to a path of ours; nothing of a password, link or token is ever shown or logged.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import type { Interaction } from 'oidc-provider';
import { MODES, type Mode } from '../../../stripe/keys.js';
import { applyPin, describeGrants, scopeFor, type Grant, type ServerPin } from '../access.js';
import { checkSameOrigin, cookieName, Csrf, html, isLocalPath, layout, notice, parseCookies, readForm, redirect, sendError, sendHtml, serializeCookie, WebError, type Html } from '../web/index.js';
import { pendingSetCookies } from '../web/cookies.js';
import { OAUTH_PREFIX } from './provider.js';
import { SignInLimiter, type WebSessions } from './session.js';
import type { UserRecord, UserStore } from './users.js';

export const SIGNIN_PATH = `${OAUTH_PREFIX}/signin`;
export const SIGNOUT_PATH = `${OAUTH_PREFIX}/signout`;
const INTERACTION = new RegExp(`^${OAUTH_PREFIX}/interaction/([A-Za-z0-9_-]{1,64})(/consent)?$`);
const NEXT_ALLOWED = new RegExp(`^(${OAUTH_PREFIX}/interaction/[A-Za-z0-9_-]{1,64}|/connections(/[A-Za-z0-9_./-]*)?)$`);

export interface PagesOptions {
  provider: Provider;
  users: UserStore;
  sessions: WebSessions;
  issuer: string;
  /** The resource tokens are bound to (this server's /mcp). */
  resource: string;
  pin: ServerPin;
  connectionNames: () => string[];
  csrfSecret: string;
  log: (line: string) => void;
}

/** Where a sign-in goes on to: a pending authorization of ours or the connections page, nothing else. */
export function safeNext(next: string | undefined): string {
  return next && isLocalPath(next) && NEXT_ALLOWED.test(next) ? next : '/connections';
}

function remote(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? 'unknown';
}

export class AuthPages {
  private readonly csrf: Csrf;
  private readonly limiter = new SignInLimiter();
  private readonly browserCookie: string;
  private readonly secure: boolean;

  constructor(private readonly o: PagesOptions) {
    this.csrf = new Csrf(o.csrfSecret);
    this.secure = new URL(o.issuer).protocol === 'https:';
    this.browserCookie = cookieName('srmcp_browser', { secure: this.secure });
  }

  /** Serves a page of ours; false when the path is not one (then oidc-provider's). */
  async handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
    try {
      if (path === SIGNIN_PATH) await this.signIn(req, res);
      else if (path === SIGNOUT_PATH) await this.signOut(req, res);
      else {
        const m = INTERACTION.exec(path);
        if (!m) return false;
        await (m[2] ? this.consentPost(req, res) : this.interaction(req, res, m[1]!));
      }
    } catch (err) {
      if (!(err instanceof WebError)) {
        const name = (err as Error).name;
        // oidc-provider's "no such interaction for this browser": expired, finished, or opened in another browser.
        if (name === 'SessionNotFound' || name === 'InvalidRequest') {
          sendError(res, new WebError(400, 'This sign-in has expired or was already finished. Go back to the app and connect again.'));
          return true;
        }
        throw err;
      }
      sendError(res, err, { user: this.o.sessions.userName(req) });
    }
    return true;
  }

  /** A random id per browser for the CSRF tokens (set on the first page shown). */
  browserId(req: IncomingMessage, cookies: string[]): string {
    const existing = parseCookies(req).get(this.browserCookie);
    if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
    const id = randomBytes(32).toString('base64url');
    cookies.push(serializeCookie(this.browserCookie, id, { secure: this.secure }));
    (req.headers as Record<string, string>).cookie = `${req.headers.cookie ? `${req.headers.cookie}; ` : ''}${this.browserCookie}=${id}`;
    return id;
  }

  private existingBrowserId(req: IncomingMessage): string | undefined {
    return parseCookies(req).get(this.browserCookie);
  }

  /** Every form post: same origin and this browser's token, before anything is read or changed. */
  private async postedForm(req: IncomingMessage) {
    if (req.method !== 'POST') throw new WebError(405, 'This address takes a form sent from its page.');
    checkSameOrigin(req, this.o.issuer);
    const form = await readForm(req);
    this.csrf.check(form, this.existingBrowserId(req));
    return form;
  }

  private async signIn(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.o.issuer);
    if (req.method === 'GET' || req.method === 'HEAD') {
      const link = url.searchParams.get('link');
      if (link !== null) return this.linkPage(req, res, link);
      return this.signInPage(req, res, safeNext(url.searchParams.get('next') ?? undefined));
    }
    const form = await this.postedForm(req);
    const next = safeNext(form.get('next'));
    const link = form.get('link');
    if (link !== undefined) {
      const user = await this.o.users.consumeLink(link);
      if (!user) throw expiredLink();
      this.o.sessions.signIn(req, res, user.name);
      this.o.log(`signed in "${user.name}" with a one-time link from ${remote(req)}`);
      return redirect(res, next, { cookies: pendingSetCookies(res) });
    }
    const name = form.text('name');
    const password = form.get('password') ?? '';
    const wait = this.limiter.retryAfter(name, remote(req));
    if (wait > 0) {
      this.o.log(`sign-in refused for ${remote(req)}: too many failed attempts`);
      throw new WebError(429, `Too many failed sign-ins. Try again in ${Math.ceil(wait / 60)} minute${wait > 60 ? 's' : ''}, or ask for a one-time link (stripe-readonly-mcp users link NAME).`);
    }
    const user = name ? await this.o.users.get(name) : undefined;
    const { verifyPassword } = await import('./users.js');
    const ok = (await verifyPassword(password, user?.password)) && user !== undefined;
    if (!ok) {
      this.limiter.fail(name, remote(req));
      this.o.log(`failed sign-in from ${remote(req)}`);
      return this.signInPage(req, res, next, 401, 'That name and password do not match. Nothing was changed; try again.', name);
    }
    this.o.sessions.signIn(req, res, user.name);
    this.o.log(`signed in "${user.name}" with a password from ${remote(req)}`);
    redirect(res, next, { cookies: pendingSetCookies(res) });
  }

  private signInPage(req: IncomingMessage, res: ServerResponse, next: string, status = 200, error?: string, name = ''): void {
    const cookies: string[] = [];
    const id = this.browserId(req, cookies);
    const body = html`<h1>Sign in</h1>
${error ? notice('error', error) : ''}
<form method="post" action="${SIGNIN_PATH}">
${this.csrf.field(id)}<input type="hidden" name="next" value="${next}">
<label for="name">Name</label><input type="text" id="name" name="name" value="${name}" autocomplete="username" autocapitalize="none" required>
<label for="password">Password</label><input type="password" id="password" name="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>
<p class="muted">No password? Ask whoever runs this server for a one-time link (<code>stripe-readonly-mcp users link NAME</code>).</p>`;
    sendHtml(res, status, layout({ title: 'Sign in', body }), { cookies: [...pendingSetCookies(res), ...cookies] });
  }

  /** A link opens a page that asks to confirm: link previewers and mail scanners that fetch it do not use it up. */
  private async linkPage(req: IncomingMessage, res: ServerResponse, link: string): Promise<void> {
    const user = await this.o.users.peekLink(link);
    if (!user) throw expiredLink();
    const cookies: string[] = [];
    const id = this.browserId(req, cookies);
    const body = html`<h1>Sign in as ${user.name}</h1>
<form method="post" action="${SIGNIN_PATH}">
${this.csrf.field(id)}<input type="hidden" name="link" value="${link}"><input type="hidden" name="next" value="/connections">
<button type="submit">Sign in as ${user.name}</button>
</form><p class="muted">This link works once.</p>`;
    sendHtml(res, 200, layout({ title: 'Sign in', body }), { cookies });
  }

  /** GET: the page with the sign-out button (a link cannot sign out: posts carry the CSRF token). POST: sign out. */
  private async signOut(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method === 'GET' || req.method === 'HEAD') return this.signOutPage(req, res);
    await this.postedForm(req);
    this.o.sessions.signOut(req, res);
    redirect(res, SIGNIN_PATH, { cookies: pendingSetCookies(res) });
  }

  private async signOutPage(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const signedIn = await this.signedIn(req);
    if (!signedIn) return redirect(res, SIGNIN_PATH);
    const cookies: string[] = [];
    const id = this.browserId(req, cookies);
    const body = html`<h1>Sign out of this server?</h1>
<form method="post" action="${SIGNOUT_PATH}">
${this.csrf.field(id)}<button type="submit">Sign out ${signedIn.user.name}</button>
</form><p class="muted">Apps you allowed keep their access until it is revoked on the connections page or with the CLI.</p>`;
    sendHtml(res, 200, layout({ title: 'Sign out', body, user: signedIn.user.name }), { cookies });
  }

  /** The signed-in person, with what they may read on this server (their grant cut to the server's pin). */
  private async signedIn(req: IncomingMessage): Promise<{ user: UserRecord; grants: Grant[] } | undefined> {
    const name = this.o.sessions.userName(req);
    const user = name ? await this.o.users.get(name) : undefined;
    return user ? { user, grants: applyPin(user.grants, this.o.pin) } : undefined;
  }

  private async interaction(req: IncomingMessage, res: ServerResponse, uid: string): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new WebError(405, 'This page is opened by the app you are connecting.');
    const details = await this.o.provider.interactionDetails(req, res);
    if (details.uid !== uid) throw new WebError(400, 'This sign-in belongs to another request. Go back to the app and connect again.');
    const who = await this.signedIn(req);
    if (!who) return this.signInPage(req, res, `${OAUTH_PREFIX}/interaction/${uid}`);
    await this.consentPage(req, res, details, who.user, who.grants);
  }

  /** The choices a person has: every connection (if their grant covers every one) or each connection, per mode. */
  private choices(grants: readonly Grant[]): { connections: string[]; modes: Mode[] } {
    const every = grants.some((g) => g.connection === null);
    const named = every ? this.o.connectionNames() : [...new Set(grants.map((g) => g.connection!))];
    return { connections: [...(every ? ['*'] : []), ...named], modes: MODES.filter((m) => grants.some((g) => g.mode === m)) };
  }

  private async consentPage(req: IncomingMessage, res: ServerResponse, details: Interaction, user: UserRecord, grants: Grant[], status = 200, error?: string): Promise<void> {
    const client = await this.o.provider.Client.find(String(details.params.client_id ?? ''));
    const redirectUri = new URL(String(details.params.redirect_uri));
    const cookies: string[] = [];
    const id = this.browserId(req, cookies);
    const { connections, modes } = this.choices(grants);
    const clientName = client?.clientName ? String(client.clientName) : undefined;
    const body: Html =
      grants.length === 0
        ? html`<h1>Nothing to share</h1>${notice('error', 'Your account may not read anything on this server. Ask whoever runs it to widen your grant (stripe-readonly-mcp users add).')}`
        : html`<h1>Allow ${clientName ?? 'this app'} to read Stripe data?</h1>
${error ? notice('error', error) : ''}
<div class="card"><p><strong>${clientName ?? 'An app that gave no name'}</strong>${clientName ? '' : html` <span class="muted">(${String(details.params.client_id)})</span>`}</p>
<p>It will receive its access at <strong class="mono">${redirectUri.host || redirectUri.protocol}</strong>. Continue only if you started this from that app.</p></div>
<form method="post" action="${OAUTH_PREFIX}/interaction/${details.uid}/consent">
${this.csrf.field(id)}
<label for="connection">Connection it may read</label>
<select id="connection" name="connection">${connections.map((c) => html`<option value="${c}">${c === '*' ? 'Every connection' : c}</option>`)}</select>
<label for="mode">Mode</label>
<select id="mode" name="mode">${modes.map((m) => html`<option value="${m}">${m === 'test' ? 'Test data' : 'Live data'}</option>`)}</select>
<p class="muted">You may read ${describeGrants(grants)}. The app gets read-only access: it can never change anything in Stripe.</p>
<button type="submit" name="decision" value="allow">Allow</button><button type="submit" name="decision" value="deny" class="secondary">Deny</button>
</form>`;
    // Chrome holds the redirect after a form post to form-action too: the app's redirect URI must be allowed.
    const target = redirectUri.origin !== 'null' ? redirectUri.origin : redirectUri.protocol;
    sendHtml(res, status, layout({ title: 'Allow access', body, user: user.name }), { cookies, formAction: [target] });
  }

  private async consentPost(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = await this.postedForm(req);
    const details = await this.o.provider.interactionDetails(req, res);
    const who = await this.signedIn(req);
    if (!who) throw new WebError(403, 'You are not signed in any more. Go back to the app and connect again.');
    if (form.get('decision') === 'deny') {
      this.o.log(`"${who.user.name}" denied access to client ${String(details.params.client_id).slice(0, 80)}`);
      return this.o.provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'The person denied access.' }, { mergeWithLastSubmission: false });
    }
    const connection = form.text('connection');
    const mode = form.text('mode') as Mode;
    const allowed = MODES.includes(mode) && who.grants.some((g) => g.mode === mode && (g.connection === null || (connection !== '*' && g.connection === connection)));
    const known = connection === '*' || this.choices(who.grants).connections.includes(connection);
    if (!allowed || !known) {
      return this.consentPage(req, res, details, who.user, who.grants, 400, 'Choose a connection and mode from the lists: that choice is not within what you may read. Nothing was granted.');
    }
    const scope = scopeFor(mode, connection === '*' ? null : connection);
    // The token carries exactly the person's choice: oidc-provider issues the requested scopes that were granted,
    // so the request is narrowed to the choice before the grant is made.
    details.params.scope = scope;
    await details.save(Math.max(1, details.exp - Math.floor(Date.now() / 1000)));
    const grant = new this.o.provider.Grant({ accountId: who.user.name, clientId: String(details.params.client_id) });
    grant.addOIDCScope(scope);
    grant.addResourceScope(this.o.resource, scope);
    const grantId = await grant.save();
    this.o.log(`"${who.user.name}" allowed client ${String(details.params.client_id).slice(0, 80)} to read ${describeGrants([{ mode, connection: connection === '*' ? null : connection }])}`);
    await this.o.provider.interactionFinished(req, res, { login: { accountId: who.user.name }, consent: { grantId } }, { mergeWithLastSubmission: false });
  }
}

function expiredLink(): WebError {
  return new WebError(400, 'This sign-in link has expired or was already used (each link works once, for 10 minutes). Ask for a new one: stripe-readonly-mcp users link NAME.');
}
