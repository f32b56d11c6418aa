/** The connections pages' markup: plain forms and tables, no script; every form carries the CSRF field. */
import { accountText, storeText } from '../../../connections/describe.js';
import { modesOf, type ConnectionRecord, type Metadata, type ModeRecord } from '../../../connections/metadata.js';
import type { ToolSummary } from '../../../connections/tool-check.js';
import { MODES, type Mode } from '../../../stripe/keys.js';
import { html, notice, type Html } from './html.js';
import type { Note, TestReport } from './session-notes.js';

/** A client holding tokens of this server, as the connections page lists it (oauth's store fills it in). */
export interface TokenClient {
  /** The OAuth client_id. */
  id: string;
  /** client_name from its registration or metadata document, when it gave one. */
  name?: string | undefined;
  /** Hosts of its redirect URIs (what the consent page showed). */
  redirectHosts: string[];
  /** The people who let it read, and the scopes it holds (e.g. stripe.test.read:acme). */
  users: string[];
  scopes: string[];
  /** ISO 8601, when known. */
  lastUsedAt?: string | undefined;
}

/** What the page needs to draw one view: where forms go and the CSRF field. */
export interface View {
  base: string;
  csrf: Html;
}

export function notes(list: readonly Note[]): Html {
  return html`${list.map((n) => notice(n.kind, n.text))}`;
}

const link = (view: View, path: string, query: Record<string, string | undefined>): string => {
  const q = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined)).toString();
  return `${view.base}${path}${q ? `?${q}` : ''}`;
};

function postButton(view: View, path: string, fields: Record<string, string>, label: string, cls = 'secondary'): Html {
  return html`<form class="inline" method="post" action="${view.base}${path}">${view.csrf}${Object.entries(fields).map(
    ([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`,
  )}<button type="submit" class="${cls}">${label}</button></form>`;
}

function accountCell(r: ModeRecord): Html {
  if (!r.accountId) return html`<span class="muted">${r.accountNote ?? 'account not known'}</span>`;
  return html`${r.businessName ?? 'Unnamed account'} <span class="muted mono">${r.accountId}</span>`;
}

function connectionCard(view: View, name: string, record: ConnectionRecord, isDefault: boolean): Html {
  const rows = modesOf(record).map((mode) => {
    const r = record[mode]!;
    return html`<tr>
<td>${mode}${record.defaultMode === mode ? html` <span class="muted">(default)</span>` : ''}</td>
<td><code>${r.keyHint}</code> <span class="muted">${r.keyKind}, ${storeText(r.store)}</span></td>
<td>${accountCell(r)}</td>
<td>${r.currency ? r.currency.toUpperCase() : html`<span class="muted">–</span>`}</td>
<td class="muted">${r.verifiedAt.replace(/\.\d+Z$/, 'Z')}</td>
<td><a class="button secondary" href="${link(view, '/rotate', { name, mode })}">Rotate</a> <a class="button secondary" href="${link(view, '/remove', { name, mode })}">Remove</a></td>
</tr>`;
  });
  const missing = MODES.filter((m) => !record[m]);
  return html`<section class="card" id="connection-${name}">
<h2>${name}${isDefault ? html` <span class="muted">(default connection)</span>` : ''}</h2>
<table class="stack"><thead><tr><th>Mode</th><th>Key</th><th>Account</th><th>Currency</th><th>Verified</th><th></th></tr></thead>
<tbody>${rows}</tbody></table>
${postButton(view, '/test', { name }, 'Test', '')}
${missing.map((m) => html`<a class="button secondary" href="${link(view, '/add', { name, mode: m })}">Add a ${m} key</a> `)}
<a class="button secondary" href="${link(view, '/remove', { name })}">Remove connection</a>
</section>`;
}

export function addForm(view: View, prefill: { name?: string | undefined; mode?: Mode | undefined } = {}): Html {
  return html`<form method="post" action="${view.base}/add" class="card" id="add">
${view.csrf}
${prefill.mode ? html`<input type="hidden" name="mode" value="${prefill.mode}">` : ''}
<label for="name">Connection name</label>
<input type="text" id="name" name="name" value="${prefill.name ?? ''}" required maxlength="40" autocomplete="off" autocapitalize="off" spellcheck="false" placeholder="acme">
<label for="key">${prefill.mode ? `Restricted ${prefill.mode} key` : 'Restricted key'} (rk_${prefill.mode ?? 'test'}_…${prefill.mode ? '' : ' or rk_live_…'})</label>
<input type="password" id="key" name="key" required autocomplete="off" autocapitalize="off" spellcheck="false">
<p class="muted">Stripe checks the key before it is stored. It is kept in the OS keychain or the encrypted key file and never shown again.</p>
<p class="check"><input type="checkbox" id="allow_secret" name="allow_secret" value="yes"> <label for="allow_secret">Store a secret key (sk_…) anyway</label></p>
<p class="check"><input type="checkbox" id="make_default" name="make_default" value="yes"> <label for="make_default">Make this the default connection</label></p>
<button type="submit">Verify and add</button>
</form>`;
}

function clientsSection(view: View, clients: readonly TokenClient[] | undefined): Html {
  if (!clients) return html`<h2>Clients</h2><p class="muted">Tokens come from an external authorization server (--oauth-issuer): revoke clients there.</p>`;
  if (clients.length === 0) return html`<h2>Clients</h2><p class="muted">No client holds a token.</p>`;
  return html`<h2>Clients holding tokens</h2>${clients.map(
    (c) => html`<section class="card client">
<strong>${c.name ?? 'Unnamed client'}</strong> <span class="muted mono">${c.id}</span>
<p>Redirects to ${c.redirectHosts.join(', ') || '–'}. Allowed by ${c.users.join(', ') || '–'}: <code>${c.scopes.join(' ')}</code>${c.lastUsedAt ? html`; last used ${c.lastUsedAt}` : ''}.</p>
${postButton(view, '/clients/revoke', { client: c.id }, 'Revoke', 'danger')}
</section>`,
  )}`;
}

/** `env`: what STRIPE_API_KEY serves, when set (it is not stored, so it is not managed here). */
export function listBody(view: View, metadata: Metadata, clients: readonly TokenClient[] | undefined, shown: readonly Note[], env?: string): Html {
  const names = Object.keys(metadata.connections);
  const defaultName = metadata.default && metadata.connections[metadata.default] ? metadata.default : names.length === 1 ? names[0] : undefined;
  return html`<h1>Connections</h1>
${notes(shown)}
${env ? notice('info', env) : ''}
${names.length === 0 ? html`<p>No connections yet. Add one with a restricted key from the Stripe Dashboard (Developers → API keys → Create restricted key).</p>` : ''}
${names.map((name) => connectionCard(view, name, metadata.connections[name]!, name === defaultName))}
<h2>Add a connection or a key</h2>
${addForm(view)}
${clientsSection(view, clients)}`;
}

export function rotateBody(view: View, name: string, mode: Mode, record: ModeRecord, shown: readonly Note[]): Html {
  return html`<h1>Rotate the ${mode} key of ${name}</h1>
${notes(shown)}
<p>Now: <code>${record.keyHint}</code>, ${accountText(record)}. The new key must read the same account; it is verified before it replaces the old one.</p>
<form method="post" action="${view.base}/rotate" class="card">
${view.csrf}<input type="hidden" name="name" value="${name}"><input type="hidden" name="mode" value="${mode}">
<label for="key">New restricted ${mode} key (rk_${mode}_…)</label>
<input type="password" id="key" name="key" required autocomplete="off" autocapitalize="off" spellcheck="false">
<p class="check"><input type="checkbox" id="allow_secret" name="allow_secret" value="yes"> <label for="allow_secret">Store a secret key (sk_…) anyway</label></p>
<button type="submit">Verify and rotate</button> <a class="button secondary" href="${view.base}">Cancel</a>
</form>`;
}

export function removeBody(view: View, name: string, record: ConnectionRecord, mode: Mode | undefined, shown: readonly Note[]): Html {
  const modes = mode ? [mode] : modesOf(record);
  const what = modes.map((m) => `the ${m} key ${record[m]!.keyHint}`).join(' and ');
  const whole = modes.length === modesOf(record).length;
  return html`<h1>Remove ${mode ? `the ${mode} key of ` : ''}${name}?</h1>
${notes(shown)}
<p>This removes ${what} of "${name}" from its store${whole ? ', and the connection with it' : ''}. Clients reading it stop getting answers. The key itself keeps working until you delete it in the Stripe Dashboard (Developers → API keys).</p>
<form method="post" action="${view.base}/remove" class="card">
${view.csrf}<input type="hidden" name="name" value="${name}">${mode ? html`<input type="hidden" name="mode" value="${mode}">` : ''}<input type="hidden" name="confirm" value="yes">
<button type="submit" class="danger">Remove</button> <a class="button secondary" href="${view.base}">Cancel</a>
</form>`;
}

function matrix(summaries: ToolSummary[]): Html {
  const rows = summaries.flatMap((s) => {
    if (s.ok) return [html`<tr><td><code>${s.tool}</code></td><td class="ok">can serve</td><td></td></tr>`];
    if (s.missing.length === 0) return [html`<tr><td><code>${s.tool}</code></td><td class="bad">could not check</td><td>${s.errors[0] ?? ''}</td></tr>`];
    const partly = s.searchable?.length ? ` (can search ${s.searchable.join(', ')})` : '';
    return s.missing.map(
      (m) => html`<tr><td><code>${s.tool}</code>${m.resource ? ` ${m.resource}` : ''}</td><td class="bad">needs a permission${partly}</td>
<td>Set <strong>${m.permission}</strong> to Read${m.stripePermission ? html` <span class="muted mono">(Stripe: ${m.stripePermission})</span>` : ''}</td></tr>`,
    );
  });
  const optional = summaries.flatMap((s) =>
    s.optional.map(
      (o) => html`<tr><td><code>${s.tool}</code></td><td>${o.permission}: Read <span class="muted mono">(${o.stripePermission})</span></td>
<td>${o.status === 'missing' ? `not set: without it, ${o.without}` : o.status === 'ok' ? 'set' : 'not checked (the tool could not run)'}</td></tr>`,
    ),
  );
  return html`<table class="stack"><thead><tr><th>Tool</th><th>Result</th><th>What to set to Read</th></tr></thead><tbody>${rows}</tbody></table>
${optional.length ? html`<h3>Optional permissions</h3><p class="muted">The tool answers without them, with less.</p><table class="stack"><tbody>${optional}</tbody></table>` : ''}`;
}

export function testBody(view: View, report: TestReport, shown: readonly Note[]): Html {
  const parts = report.tests.map(({ mode, record, result }) => {
    if (!result.ok) return html`<section class="card"><h2>${mode} key <code>${record.keyHint}</code></h2>${notice('error', `Failed: ${result.error}`)}</section>`;
    const { verification: v, summaries } = result;
    const served = summaries.filter((s) => s.ok).length;
    const blocked = summaries.filter((s) => s.missing.length > 0).length;
    return html`<section class="card"><h2>${mode} key <code>${record.keyHint}</code></h2>
${notice('ok', `Verified: Stripe accepts the key. ${v.accountId ? `Account: ${accountText(v)}.` : (v.accountNote ?? '')}`)}
<p>Can serve ${served} of ${summaries.length} tools.${blocked ? ` ${blocked} need more Read permissions: in the Stripe Dashboard open Developers → API keys → this restricted key → Edit, and set what the table says to Read.` : ' Every tool can be served.'}</p>
${matrix(summaries)}
</section>`;
  });
  return html`<h1>Test of ${report.name}</h1>
${notes(shown)}
<p class="muted">Tested at ${report.at.replace(/\.\d+Z$/, 'Z')}; fetch opens the kinds of object the list tools can read.</p>
${parts}
${postButton(view, '/test', { name: report.name }, 'Test again', '')} <a class="button secondary" href="${view.base}">Back to connections</a>`;
}
