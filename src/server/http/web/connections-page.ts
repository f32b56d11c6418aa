/**
 * The connections page (issue 16 item 3), for people allowed to manage connections: list, add (verified with
 * Stripe before it is stored, the same checks and messages as `connections add`), test, rotate, remove, and the
 * OAuth clients holding tokens, with revoke. oauth mounts `connectionsPages(deps)` at /connections behind
 * sign-in. Every post: same-origin check, CSRF token, then the change, then 303 back to a page (post-redirect-get);
 * what it did or why it did nothing is shown there once. No key is ever put in a page, a redirect or a log.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { connectionFromEnv, ENV_CONNECTION, ENV_KEY } from '../../../connections/env.js';
import { testStoredConnection } from '../../../connections/key-test.js';
import type { KeyWording } from '../../../connections/key-shape.js';
import type { ConnectionManager, SavedKey } from '../../../connections/manager.js';
import type { ToolProbe } from '../../../connections/tool-check.js';
import { CONNECTION_NAME, modesOf } from '../../../connections/metadata.js';
import { accountText } from '../../../connections/describe.js';
import { SetupError } from '../../../stripe/errors.js';
import { keyHint, MODES, redactKeys, type Mode } from '../../../stripe/keys.js';
import { addForm, listBody, removeBody, rotateBody, testBody, notes, type TokenClient, type View } from './connections-view.js';
import { checkSameOrigin, type Csrf } from './csrf.js';
import { readForm, type FormFields } from './form.js';
import { html, layout, type Html } from './html.js';
import { redirect, sendError, sendHtml, WebError } from './response.js';
import { SessionNotes, type Note } from './session-notes.js';
import type { WebUser } from './user.js';

export type { TokenClient } from './connections-view.js';

/** oauth's client store, as much of it as this page needs. */
export interface TokenClientDirectory {
  listClients(): Promise<TokenClient[]>;
  /** Revokes every token and grant the client holds; false when there is no such client. */
  revokeClient(id: string): Promise<boolean>;
}

export interface ConnectionsPageDeps {
  /** Made with the tools' permissions as its keyHowTo (src/cli/tool-probes.ts restrictedKeyHowTo), as the CLI's is. */
  manager: ConnectionManager;
  /** The calls Test makes, from the tool list: toolProbes() of src/cli/tool-probes.ts, as `connections test` uses. */
  probes: readonly ToolProbe[];
  /** Absent when tokens come from an external authorization server. */
  clients?: TokenClientDirectory | undefined;
  csrf: Csrf;
  /** The signed-in session's id (what the CSRF token and the page's messages are bound to). */
  sessionId(req: IncomingMessage): string | undefined;
  /** The URL people reach the server at: posts must come from its origin. */
  publicUrl: string;
  /** Where the pages are mounted; default /connections. */
  basePath?: string;
  /** The sign-out page the header links to (the built-in sign-in's). */
  signOutPath?: string;
  log?: (line: string) => void;
}

export type ConnectionsHandler = (req: IncomingMessage, res: ServerResponse, user: WebUser) => Promise<void>;

interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  user: WebUser;
  session: string;
  view: View;
  query: URLSearchParams;
}

const webWording = (action: 'adds' | 'replaces'): KeyWording => ({
  modeGiven: (mode) => `This form ${action} the ${mode} key`,
  modeAlternative: action === 'adds' ? ', or use the form on the connections page, which takes either mode' : '',
  storeSecretAnyway: 'To store the secret key anyway, tick "Store a secret key (sk_…) anyway" and paste it again.',
  replaceKey: (name, mode) => `use Rotate on the ${mode} key of "${name}" below`,
});

export function connectionsPages(deps: ConnectionsPageDeps): ConnectionsHandler {
  const pages = new ConnectionsPages(deps);
  return (req, res, user) => pages.handle(req, res, user);
}

type Route = { get?: (ctx: Ctx) => Promise<void>; post?: (ctx: Ctx, form: FormFields) => Promise<void> };

class ConnectionsPages {
  private readonly base: string;
  private readonly notes = new SessionNotes();
  private readonly routes: Record<string, Route> = {
    '': { get: (c) => this.showList(c) },
    '/add': { get: (c) => this.showAdd(c), post: (c, f) => this.add(c, f) },
    '/test': { get: (c) => this.showTest(c), post: (c, f) => this.test(c, f) },
    '/rotate': { get: (c) => this.showRotate(c), post: (c, f) => this.rotate(c, f) },
    '/remove': { get: (c) => this.showRemove(c), post: (c, f) => this.remove(c, f) },
    '/clients/revoke': { post: (c, f) => this.revoke(c, f) },
  };

  constructor(private readonly deps: ConnectionsPageDeps) {
    this.base = (deps.basePath ?? '/connections').replace(/\/$/, '');
  }

  private log(line: string): void {
    this.deps.log?.(redactKeys(line));
  }

  private page(ctx: Ctx, title: string, body: Html, status = 200): void {
    sendHtml(ctx.res, status, layout({ title, body, user: ctx.user.name, signOut: this.deps.signOutPath }));
  }

  /** The end of every post: leave the notes for the session, 303 to the page that shows them. */
  private back(ctx: Ctx, path: string, query: Record<string, string | undefined>, ...left: Note[]): void {
    this.notes.add(ctx.session, ...left);
    const q = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined)).toString();
    redirect(ctx.res, `${this.base}${path}${q ? `?${q}` : ''}`);
  }

  private get backLink(): Html {
    return html`<p><a href="${this.base}">Back to connections</a></p>`;
  }

  /** A setup error (no such connection) read as a page error with this status. */
  private asWebError(status: number) {
    return (err: unknown): never => {
      if (err instanceof SetupError) throw new WebError(status, err.message, this.backLink);
      throw err;
    };
  }

  async handle(req: IncomingMessage, res: ServerResponse, user: WebUser): Promise<void> {
    try {
      await this.serve(req, res, user);
    } catch (err) {
      if (err instanceof WebError) return sendError(res, err, { user: user.name });
      this.log(`connections page: ${req.method} ${(req.url ?? '').split('?')[0]} failed: ${(err as Error)?.stack ?? String(err)}`);
      const message = `Something went wrong, and this request may not have finished: ${redactKeys((err as Error)?.message ?? String(err))}. Reload the connections page to see what is stored.`;
      sendError(res, new WebError(500, message, this.backLink), { user: user.name });
    }
  }

  private async serve(req: IncomingMessage, res: ServerResponse, user: WebUser): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://page.invalid');
    const { base } = this;
    const sub = url.pathname === base || url.pathname === `${base}/` ? '' : url.pathname.startsWith(`${base}/`) ? url.pathname.slice(base.length) : undefined;
    const route = sub === undefined ? undefined : this.routes[sub];
    if (!route) throw new WebError(404, 'There is no such page.', this.backLink);
    if (!user.manageConnections) throw new WebError(403, `${user.name} may not manage connections. Ask the server's owner to allow it.`);
    const session = this.deps.sessionId(req);
    if (!session) throw new WebError(403, 'Your sign-in has no session: sign in again.');
    const ctx: Ctx = { req, res, user, session, query: url.searchParams, view: { base, csrf: this.deps.csrf.field(session) } };
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    if (method === 'GET' && route.get) return route.get(ctx);
    if (method === 'POST' && route.post) {
      checkSameOrigin(req, this.deps.publicUrl);
      const form = await readForm(req);
      this.deps.csrf.check(form, session);
      return route.post(ctx, form);
    }
    throw new WebError(405, `This page does not take ${String(req.method).slice(0, 10)} requests.`, this.backLink);
  }

  private async showList(ctx: Ctx): Promise<void> {
    const [metadata, clients] = await Promise.all([this.deps.manager.read(), this.deps.clients?.listClients()]);
    this.page(ctx, 'Connections', listBody(ctx.view, metadata, clients, this.notes.take(ctx.session), envNote(this.deps.manager.env)));
  }

  private async showAdd(ctx: Ctx): Promise<void> {
    const mode = modeParam(ctx.query.get('mode'));
    const name = nameParam(ctx.query.get('name'));
    this.page(ctx, 'Add a key', html`<h1>Add ${mode ? `a ${mode} key` : 'a connection'}${name ? ` to ${name}` : ''}</h1>${notes(this.notes.take(ctx.session))}${addForm(ctx.view, { name, mode })}
<p><a href="${this.base}">Back to connections</a></p>`);
  }

  private async add(ctx: Ctx, form: FormFields): Promise<void> {
    const name = form.text('name');
    const mode = modeParam(form.get('mode'));
    const again = { name: nameParam(name), mode };
    try {
      const saved = await this.deps.manager.add({ name, key: form.get('key') ?? '', mode, allowSecret: form.get('allow_secret') === 'yes', makeDefault: form.get('make_default') === 'yes', wording: webWording('adds') });
      this.log(`connections page: ${ctx.user.name} added the ${saved.mode} key ${saved.record.keyHint} to "${saved.name}"`);
      this.back(ctx, '', {}, ...savedNotes(saved, 'Added'));
    } catch (err) {
      if (!(err instanceof SetupError)) throw err;
      this.back(ctx, '/add', again, { kind: 'error', text: err.message });
    }
  }

  private async showTest(ctx: Ctx): Promise<void> {
    const name = ctx.query.get('name') ?? '';
    const report = this.notes.report(ctx.session, name);
    if (!report) return this.back(ctx, '', {}, { kind: 'info', text: `No test result of "${name.slice(0, 40)}" to show: press Test on the connection.` });
    this.page(ctx, `Test of ${name}`, testBody(ctx.view, report, this.notes.take(ctx.session)));
  }

  private async test(ctx: Ctx, form: FormFields): Promise<void> {
    const name = form.text('name');
    const mode = modeParam(form.get('mode'));
    try {
      const tests = await testStoredConnection(this.deps.manager, name, mode, this.deps.probes);
      this.notes.setReport(ctx.session, { name, at: new Date().toISOString(), tests });
      this.back(ctx, '/test', { name });
    } catch (err) {
      if (!(err instanceof SetupError)) throw err;
      this.back(ctx, '', {}, { kind: 'error', text: err.message });
    }
  }

  private async showRotate(ctx: Ctx): Promise<void> {
    const { name, mode, record } = await this.existingKey(ctx.query.get('name'), ctx.query.get('mode'), 'rotate');
    this.page(ctx, `Rotate ${name}`, rotateBody(ctx.view, name, mode, record, this.notes.take(ctx.session)));
  }

  private async rotate(ctx: Ctx, form: FormFields): Promise<void> {
    const { name, mode, record: old } = await this.existingKey(form.get('name'), form.get('mode'), 'rotate');
    try {
      const saved = await this.deps.manager.rotate({ name, mode, key: form.get('key') ?? '', allowSecret: form.get('allow_secret') === 'yes', wording: webWording('replaces') });
      this.log(`connections page: ${ctx.user.name} rotated the ${mode} key of "${name}" (${old.keyHint} → ${saved.record.keyHint})`);
      this.back(ctx, '', {}, ...savedNotes(saved, 'Rotated'), {
        kind: 'info',
        text: `The old key ${old.keyHint} was removed from its store; running servers use the new key from their next call. Now delete or roll the old key in the Stripe Dashboard (Developers → API keys) so it stops working.`,
      });
    } catch (err) {
      if (!(err instanceof SetupError)) throw err;
      this.back(ctx, '/rotate', { name, mode }, { kind: 'error', text: err.message });
    }
  }

  private async showRemove(ctx: Ctx): Promise<void> {
    const name = ctx.query.get('name') ?? '';
    const mode = modeParam(ctx.query.get('mode'));
    const { record } = await this.deps.manager.require(name, false).catch(this.asWebError(404));
    if (mode && !record[mode]) throw new WebError(404, `Connection "${name}" has no ${mode} key, so there is nothing to remove.`, this.backLink);
    this.page(ctx, `Remove ${name}`, removeBody(ctx.view, name, record, mode, this.notes.take(ctx.session)));
  }

  private async remove(ctx: Ctx, form: FormFields): Promise<void> {
    const name = form.text('name');
    const mode = modeParam(form.get('mode'));
    if (form.get('confirm') !== 'yes') return this.back(ctx, '/remove', { name: nameParam(name), mode }, { kind: 'warn', text: 'Nothing was removed: confirm on this page first.' });
    try {
      const { record } = await this.deps.manager.require(name, false);
      const result = await this.deps.manager.remove({ name, mode });
      const what = result.removed.map((m) => `${m} key ${record[m]!.keyHint}`).join(' and ');
      this.log(`connections page: ${ctx.user.name} removed the ${what} of "${name}"`);
      this.back(ctx, '', {}, {
        kind: 'ok',
        text:
          `Removed the ${what} of "${name}".` +
          (result.connectionRemoved ? ` Connection "${name}" is gone.${result.newDefault ? ` The default connection is now "${result.newDefault}".` : ''}` : '') +
          ' The key itself still works until you delete it in the Stripe Dashboard (Developers → API keys).',
      });
    } catch (err) {
      if (!(err instanceof SetupError)) throw err;
      this.back(ctx, '', {}, { kind: 'error', text: err.message });
    }
  }

  private async revoke(ctx: Ctx, form: FormFields): Promise<void> {
    const id = form.text('client');
    if (!this.deps.clients) return this.back(ctx, '', {}, { kind: 'error', text: 'Clients are managed by the external authorization server: revoke them there.' });
    const client = (await this.deps.clients.listClients()).find((c) => c.id === id);
    if (!client || !(await this.deps.clients.revokeClient(id))) {
      return this.back(ctx, '', {}, { kind: 'error', text: `There is no client "${id.slice(0, 80)}" holding tokens (it may have been revoked already). Nothing was changed.` });
    }
    this.log(`connections page: ${ctx.user.name} revoked OAuth client ${id}`);
    this.back(ctx, '', {}, { kind: 'ok', text: `Revoked ${client.name ?? 'the client'} (${id}): its tokens stop working now; it must be authorised again to read.` });
  }

  private async existingKey(rawName: string | null | undefined, rawMode: string | null | undefined, action: string) {
    const name = (rawName ?? '').trim();
    const { record } = await this.deps.manager.require(name, false).catch(this.asWebError(404));
    const modes = modesOf(record);
    const mode = modeParam(rawMode) ?? (modes.length === 1 ? modes[0] : undefined);
    if (!mode) throw new WebError(400, `Which key of "${name}" should be ${action}d? Choose test or live on the connections page.`, this.backLink);
    const existing = record[mode];
    if (!existing) throw new WebError(404, `Connection "${name}" has no ${mode} key, so there is nothing to ${action}.`, this.backLink);
    return { name, mode, record: existing };
  }
}

/** The connection STRIPE_API_KEY makes, said so the list is not mistaken for everything the server serves. */
function envNote(env: NodeJS.ProcessEnv): string | undefined {
  const found = connectionFromEnv(env);
  if (!found.ok) return undefined;
  const modes = MODES.filter((m) => found.connection.keys[m]).map((m) => `${m} key ${keyHint(found.connection.keys[m]!)}`);
  return `The server also serves the connection "${ENV_CONNECTION}" (${modes.join(' and ')}) from its environment (${ENV_KEY}). It is not stored, so it is changed where the server is started, not here.`;
}

function modeParam(value: string | null | undefined): Mode | undefined {
  return (MODES as readonly string[]).includes(value ?? '') ? (value as Mode) : undefined;
}

/** A name fit to put back into a link (anything else is dropped, not echoed). */
function nameParam(value: string | null | undefined): string | undefined {
  const name = (value ?? '').trim();
  return CONNECTION_NAME.test(name) ? name : undefined;
}

/** What a saved key shows: Stripe's verification, the account, where it is stored, warnings. */
function savedNotes(saved: SavedKey, how: 'Added' | 'Rotated'): Note[] {
  const { record } = saved;
  const left: Note[] = [
    {
      kind: 'ok',
      text:
        `${how} the ${saved.mode} key ${record.keyHint} of "${saved.name}": Stripe accepted it. ` +
        `${record.accountId ? `Account: ${accountText(record)}.` : (record.accountNote ?? 'Account info not available.')} ` +
        `It is in the ${saved.store.store.describe()}.`,
    },
  ];
  for (const warning of saved.warnings) left.push({ kind: 'warn', text: warning });
  if (record.keyKind === 'secret') {
    left.push({ kind: 'warn', text: 'This is a secret key (sk_…), which can write. The server only ever sends GET requests, but prefer a restricted key: rotate to one.' });
  }
  return left;
}
