/**
 * Server-rendered HTML: the `html` tagged template escapes every value it is given, so text from a user, a
 * connection name or a Stripe error can never become markup. Only `Html` values (other templates, `layout`'s
 * parts) pass through as they are; there is deliberately no way to mark a plain string as safe.
 */
import { createHash } from 'node:crypto';

/** A piece of markup produced by `html` (or `layout`): already escaped, safe to put into another template. */
export class Html {
  /** Only this module holds the token: markup is made by `html` from escaped parts, nowhere else. */
  constructor(token: symbol, readonly text: string) {
    if (token !== TRUSTED) throw new TypeError('Html is made by the html`` template only');
  }
  toString(): string {
    return this.text;
  }
}
const TRUSTED = Symbol('escaped markup');
const trusted = (text: string): Html => new Html(TRUSTED, text);

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/** Escapes text for element content and for quoted attribute values alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => ESCAPES[c]!);
}

/** Values a template takes: text and numbers are escaped, Html is kept, arrays are joined, null/undefined/false vanish. */
export type HtmlValue = Html | string | number | boolean | null | undefined | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return trusted(out);
}

/**
 * The one stylesheet, inline: the Content-Security-Policy allows exactly this text by its hash, so no other
 * style (and no script at all) runs. Small-screen first: one column, large tap targets.
 */
export const STYLESHEET = `
:root{color-scheme:light dark;--fg:#1a1a1a;--bg:#fff;--muted:#5b5b5b;--line:#d4d4d4;--accent:#3b3bb3;--ok:#17652f;--bad:#a3161d;--warn:#7a4b00}
@media (prefers-color-scheme:dark){:root{--fg:#eee;--bg:#151515;--muted:#aaa;--line:#444;--accent:#9ea0ff;--ok:#7ad58f;--bad:#ff8a8f;--warn:#f0c060}}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header,main,footer{max-width:46rem;margin:0 auto;padding:0 1rem}
header{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:baseline;justify-content:space-between;border-bottom:1px solid var(--line);padding-top:.75rem;padding-bottom:.5rem}
header .who{color:var(--muted);font-size:.9rem}
h1{font-size:1.4rem;margin:1rem 0 .5rem}h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
a{color:var(--accent)}
.card{border:1px solid var(--line);border-radius:.5rem;padding:.75rem 1rem;margin:.75rem 0}
.notice{border-left:4px solid var(--accent);padding:.5rem .75rem;margin:1rem 0;background:color-mix(in srgb,var(--accent) 8%,transparent)}
.notice.ok{border-color:var(--ok)}.notice.error{border-color:var(--bad)}.notice.warn{border-color:var(--warn)}
.muted{color:var(--muted)}.ok{color:var(--ok)}.bad{color:var(--bad)}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.92em;overflow-wrap:anywhere}
label{display:block;margin:.75rem 0 .25rem;font-weight:600}
input[type=text],input[type=password],select,textarea{width:100%;font:inherit;padding:.55rem .6rem;border:1px solid var(--line);border-radius:.35rem;background:var(--bg);color:var(--fg)}
.check label{display:inline;font-weight:400}
button,.button{display:inline-block;font:inherit;padding:.5rem 1rem;margin:.5rem .5rem 0 0;border-radius:.35rem;border:1px solid var(--accent);background:var(--accent);color:var(--bg);cursor:pointer;text-decoration:none;min-height:2.5rem}
button.secondary,.button.secondary{background:transparent;color:var(--accent)}
button.danger{background:var(--bad);border-color:var(--bad)}
form.inline{display:inline}
table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
@media (max-width:34rem){table.stack thead{display:none}table.stack tr{display:block;border-bottom:1px solid var(--line);padding:.35rem 0}table.stack td{display:block;border:0;padding:.1rem .25rem}}
`.trim();

/** `sha256-…` of the stylesheet, for the Content-Security-Policy's style-src. */
export const STYLESHEET_HASH = `sha256-${createHash('sha256').update(STYLESHEET).digest('base64')}`;

export interface LayoutOptions {
  title: string;
  body: Html;
  /** Shown in the header: the signed-in person. */
  user?: string | undefined;
  /** Where the header's "Sign out" link goes (a page with the sign-out form), beside the signed-in person. */
  signOut?: string | undefined;
}

/** A whole page: no script, the one hashed stylesheet, readable on a phone (viewport meta, one column). */
export function layout(options: LayoutOptions): Html {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${options.title} · stripe-readonly-mcp</title>
<style>${trusted(STYLESHEET)}</style>
</head>
<body>
<header><strong>stripe-readonly-mcp</strong>${options.user ? html`<span class="who">Signed in as ${options.user}${options.signOut ? html` · <a href="${options.signOut}">Sign out</a>` : ''}</span>` : ''}</header>
<main>
${options.body}
</main>
</body>
</html>
`;
}

/** A message box: `kind` says how it reads (ok, error, warn, or plain information). */
export function notice(kind: 'ok' | 'error' | 'warn' | 'info', text: HtmlValue): Html {
  return html`<div class="notice ${kind}" role="${kind === 'error' ? 'alert' : 'status'}">${text}</div>`;
}
