/**
 * The connections page over HTTP, as a browser uses it (cookie session, forms, 303s), against the emulator with a
 * real ConnectionManager and the encrypted file store: add, list, test, rotate, remove, clients; and every bad
 * input answered clearly with nothing changed. A canary key shows in no page, redirect or log line.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileStore } from '../../../src/connections/file-store.js';
import { readMetadata } from '../../../src/connections/metadata.js';
import { contentSecurityPolicy } from '../../../src/server/http/web/index.js';
import { canaryKey } from '../../helpers/spawn.js';
import { expectNoKey, storeEnv } from '../../connections/helpers.js';
import { OWNER, SESSION_COOKIE, startPageServer, type PageServer } from './page-server.js';

const PARTIAL = ['rak_customer_read', 'rak_charge_read', 'rak_balance_read', 'rak_product_read', 'rak_account_read'];
const keys = {
  test: canaryKey('test'),
  live: canaryKey('live'),
  rotated: canaryKey('test'),
  revoked: canaryKey('test'),
  partial: canaryKey('test'),
  secret: `sk_test_CANARY${randomBytes(8).toString('hex')}`,
  noAccount: canaryKey('test'),
};

let s: PageServer;
/** Every page and Location header served, for the canary check. */
const seen: string[] = [];

beforeAll(async () => {
  s = await startPageServer({
    emulator: {
      keys: {
        [keys.revoked]: { mode: 'test', revoked: true },
        [keys.partial]: { mode: 'test', permissions: PARTIAL },
        [keys.noAccount]: { mode: 'test', permissions: PARTIAL.filter((p) => p !== 'rak_account_read') },
      },
    },
    clients: [{ id: 'client_chatgpt1', name: 'ChatGPT', redirectHosts: ['chatgpt.com'], users: ['owner'], scopes: ['stripe.test.read:acme'] }],
  });
});
afterAll(async () => {
  await s?.close();
});

interface Page {
  status: number;
  text: string;
  location: string | null;
  headers: Headers;
}

/** A browser tab: one session cookie, no automatic redirects (so each 303 can be looked at). */
function tab(sid = randomBytes(12).toString('base64url')) {
  const send = async (path: string, init: RequestInit = {}): Promise<Page> => {
    const res = await fetch(`${s.url}${path}`, { ...init, redirect: 'manual', headers: { cookie: `${SESSION_COOKIE}=${sid}`, ...(init.headers as Record<string, string>) } });
    const page = { status: res.status, text: await res.text(), location: res.headers.get('location'), headers: res.headers };
    seen.push(page.text, page.location ?? '');
    return page;
  };
  let csrf = '';
  const get = async (path: string) => {
    const page = await send(path);
    csrf = /name="csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? csrf;
    return page;
  };
  const post = (path: string, fields: Record<string, string>, options: { csrf?: string | false; headers?: Record<string, string> } = {}) => {
    const body = new URLSearchParams({ ...fields, ...(options.csrf === false ? {} : { csrf: options.csrf ?? csrf }) });
    return send(path, { method: 'POST', body: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', ...options.headers } });
  };
  /** Posts, expects the 303, and opens the page it points at. */
  const submit = async (path: string, fields: Record<string, string>) => {
    const posted = await post(path, fields);
    expect(posted.status, posted.text).toBe(303);
    return get(posted.location!);
  };
  return { get, post, submit, sid, csrf: () => csrf };
}

const metadataText = () => (existsSync(s.manager.paths.connectionsFile) ? readFileSync(s.manager.paths.connectionsFile, 'utf8') : '');
const keysFileText = () => (existsSync(s.manager.paths.keysFile) ? readFileSync(s.manager.paths.keysFile, 'utf8') : '');
async function storedKey(name: string, mode: 'test' | 'live') {
  const record = (await readMetadata(s.manager.paths)).connections[name]?.[mode];
  return record && new FileStore(s.manager.paths, { env: storeEnv(s.home) }).get({ connection: name, mode, keyId: record.keyId });
}
/** What a person reads: the body's text, tags gone. */
const text = (html: string) => html.replace(/<head>[\s\S]*<\/head>/, '').replace(/<[^>]+>/g, ' ').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&').replace(/\s+/g, ' ').replace(/ ([,.:])/g, '$1');

describe('connections page', () => {
  it('shows an empty list with the add form, under the strict headers', async () => {
    const t = tab();
    const page = await t.get('/connections');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(contentSecurityPolicy());
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(text(page.text)).toContain('No connections yet');
    expect(page.text).toContain('<input type="password" id="key" name="key"');
    expect(page.text).not.toMatch(/<script/i);
    expect(text(page.text)).toContain('ChatGPT');
  });

  it('adds a test key verified with Stripe, shows the account name and currency, and stores the key', async () => {
    const t = tab();
    await t.get('/connections');
    const page = await t.submit('/connections/add', { name: 'acme', key: keys.test });
    const shown = text(page.text);
    expect(shown).toMatch(/Added the test key rk_test_…\w{4} of "acme": Stripe accepted it\. Account: Northwind Cloud \(acct_\w+\), default currency USD\./);
    expect(shown).toMatch(/acme \(default connection\)/);
    expect(page.text).toMatch(/<td>USD<\/td>/);
    expect(await storedKey('acme', 'test')).toBe(keys.test);
    // The message is shown once: a reload shows the list only.
    expect(text((await t.get('/connections')).text)).not.toContain('Stripe accepted it');
    // The live key fills the other slot, from the connection's own "Add a live key" page.
    const addLive = await t.get('/connections/add?name=acme&mode=live');
    expect(addLive.text).toContain('<input type="hidden" name="mode" value="live">');
    const after = await t.submit('/connections/add', { name: 'acme', mode: 'live', key: keys.live });
    expect(text(after.text)).toContain('Added the live key rk_live_');
    expect(await storedKey('acme', 'live')).toBe(keys.live);
  });

  it('refuses every bad key with the CLI\'s reason, saves nothing, and keeps the name for the next try', async () => {
    const t = tab();
    await t.get('/connections');
    const before = { metadata: metadataText(), keys: keysFileText() };
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ name: 'beta', key: 'hello' }, /That does not look like a Stripe API key \(5 characters\)/],
      [{ name: 'beta', key: '' }, /No key was given/],
      [{ name: 'beta', key: `${keys.rotated} ${keys.partial}` }, /spaces or line breaks/],
      [{ name: 'beta', key: `pk_test_${randomBytes(12).toString('hex')}` }, /publishable key \(pk_…\)/],
      [{ name: 'beta', key: keys.secret }, /secret key \(sk_…\): it can change anything.*set these to Read: .*Customers.*tick "Store a secret key \(sk_…\) anyway" and paste it again\./],
      [{ name: 'beta', key: keys.revoked }, /Stripe did not accept the API key: Invalid API Key provided.*Nothing was saved\./],
      [{ name: 'beta', mode: 'live', key: keys.rotated }, /This form adds the live key, but this is a test-mode key \(rk_test_…\w{4}\)/],
      [{ name: 'acme', key: keys.rotated }, /Connection "acme" already has a test key \(rk_test_…\w{4}\)\. Nothing was changed\. To replace it: use Rotate on the test key of "acme" below;/],
      [{ name: 'bad name', key: keys.rotated }, /"bad name" cannot be a connection name/],
      [{ name: 'env', key: keys.rotated }, /"env" is reserved/],
    ];
    for (const [fields, message] of cases) {
      const posted = await t.post('/connections/add', fields);
      expect(posted.status).toBe(303);
      expect(posted.location).toMatch(/^\/connections\/add/);
      if (fields.name === 'beta') expect(posted.location).toContain('name=beta');
      const page = await t.get(posted.location!);
      expect(text(page.text), JSON.stringify(fields.name)).toMatch(message);
      if (fields.name === 'beta') expect(page.text).toContain('value="beta"');
      expect(metadataText()).toBe(before.metadata);
      expect(keysFileText()).toBe(before.keys);
    }
  });

  it('takes a secret key only when the box is ticked, and warns to prefer a restricted key', async () => {
    const t = tab();
    await t.get('/connections');
    const page = await t.submit('/connections/add', { name: 'secretive', key: keys.secret, allow_secret: 'yes' });
    expect(text(page.text)).toMatch(/Added the test key sk_test_…\w{4}.*This is a secret key \(sk_…\), which can write/);
    await t.submit('/connections/remove', { name: 'secretive', confirm: 'yes' });
  });

  it('a key without Account read is stored with the note saying what to add', async () => {
    const t = tab();
    await t.get('/connections');
    const page = await t.submit('/connections/add', { name: 'noacct', key: keys.noAccount });
    expect(text(page.text)).toMatch(/Connected, but account info not available: the key does not have Account: Read/);
    await t.submit('/connections/remove', { name: 'noacct', confirm: 'yes' });
  });

  it('a post without the CSRF token, with another session\'s, or from another site changes nothing', async () => {
    const t = tab();
    const other = tab();
    await t.get('/connections');
    await other.get('/connections');
    const before = metadataText();
    const tries = [
      await t.post('/connections/add', { name: 'gamma', key: keys.rotated }, { csrf: false }),
      await t.post('/connections/add', { name: 'gamma', key: keys.rotated }, { csrf: other.csrf() }),
      await t.post('/connections/add', { name: 'gamma', key: keys.rotated }, { csrf: 'x' }),
      await t.post('/connections/remove', { name: 'acme', confirm: 'yes' }, { csrf: false }),
      await t.post('/connections/clients/revoke', { client: 'client_chatgpt1' }, { csrf: other.csrf() }),
    ];
    for (const refused of tries) {
      expect(refused.status).toBe(403);
      expect(text(refused.text)).toContain('security token is missing or wrong). Nothing was changed.');
    }
    const crossSite = await t.post('/connections/remove', { name: 'acme', confirm: 'yes' }, { headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } });
    expect(crossSite.status).toBe(403);
    expect(text(crossSite.text)).toContain('sent from another site (https://evil.example)');
    expect(metadataText()).toBe(before);
    expect(s.clients.clients).toHaveLength(1);
  });

  it('refuses forms of the wrong kind or size, and other methods, with a clear page', async () => {
    const t = tab();
    await t.get('/connections');
    const big = await t.post('/connections/add', { name: 'big', key: 'x'.repeat(20_000) });
    expect(big.status).toBe(413);
    expect(text(big.text)).toContain('The form is too large');
    const json = await fetch(`${s.url}/connections/add`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json', cookie: `${SESSION_COOKIE}=${t.sid}` } });
    expect(json.status).toBe(415);
    const put = await fetch(`${s.url}/connections`, { method: 'PUT', headers: { cookie: `${SESSION_COOKIE}=${t.sid}` } });
    expect(put.status).toBe(405);
    expect((await t.get('/connections/nope')).status).toBe(404);
  });

  it('is closed to people who may not manage connections', async () => {
    s.user = { name: 'bob', manageConnections: false, grants: [{ connection: 'acme', mode: 'test' }] };
    try {
      const t = tab();
      const page = await t.get('/connections');
      expect(page.status).toBe(403);
      expect(text(page.text)).toContain('bob may not manage connections');
      expect(page.text).not.toContain('acme');
    } finally {
      s.user = OWNER;
    }
  });

  it('tests a connection: the per-tool matrix, and what to set to Read', async () => {
    const t = tab();
    await t.get('/connections');
    const full = text((await t.submit('/connections/test', { name: 'acme' })).text);
    expect(full).toMatch(/test key rk_test_…\w{4} Verified: Stripe accepts the key\. Account: Northwind Cloud/);
    expect(full).toMatch(/Can serve (\d+) of \1 tools\. Every tool can be served\./);
    expect(full).toMatch(/live key rk_live_…\w{4}/);

    await t.submit('/connections/add', { name: 'partial', key: keys.partial });
    const partial = await t.submit('/connections/test', { name: 'partial' });
    const shown = text(partial.text);
    expect(shown).toMatch(/Can serve \d+ of \d+ tools\. \d+ need more Read permissions/);
    expect(shown).toMatch(/list_subscriptions needs a permission Set Subscriptions to Read \(Stripe: rak_subscription_read\)/);
    expect(shown).toMatch(/list_customers can serve/);
    expect(shown).toMatch(/search subscriptions needs a permission \(can search [a-z_, ]*customers/);
    // Unknown connection: clear, nothing tried.
    const unknown = text((await t.submit('/connections/test', { name: 'nope' })).text);
    expect(unknown).toContain('There is no connection named "nope". Configured: acme, partial.');
    await t.submit('/connections/remove', { name: 'partial', confirm: 'yes' });
  }, 60_000);

  it('rotates a key: the new key verified and stored, the old one gone; a bad new key keeps the old', async () => {
    const t = tab();
    await t.get('/connections');
    const form = await t.get('/connections/rotate?name=acme&mode=test');
    expect(text(form.text)).toMatch(/Rotate the test key of acme Now: rk_test_…\w{4}, Northwind Cloud/);
    for (const [key, message] of [
      [keys.revoked, /Stripe did not accept the API key.*Nothing was changed: the old test key is still in use\./],
      [keys.live, /This form replaces the test key, but this is a live-mode key/],
      ['nonsense', /does not look like a Stripe API key/],
    ] as const) {
      const page = await t.submit('/connections/rotate', { name: 'acme', mode: 'test', key });
      expect(text(page.text)).toMatch(message);
      expect(await storedKey('acme', 'test')).toBe(keys.test);
    }
    const page = await t.submit('/connections/rotate', { name: 'acme', mode: 'test', key: keys.rotated });
    expect(text(page.text)).toMatch(/Rotated the test key rk_test_…\w{4} of "acme": Stripe accepted it\..*The old key rk_test_…\w{4} was removed/);
    expect(await storedKey('acme', 'test')).toBe(keys.rotated);
    expect(keysFileText()).not.toBe('');
    const missing = await t.get('/connections/rotate?name=ghost&mode=test');
    expect(missing.status).toBe(404);
    expect(text(missing.text)).toContain('There is no connection named "ghost"');
  });

  it('lists the clients holding tokens and revokes one', async () => {
    const t = tab();
    const list = text((await t.get('/connections')).text);
    expect(list).toMatch(/ChatGPT client_chatgpt1 Redirects to chatgpt\.com\. Allowed by owner: stripe\.test\.read:acme/);
    const gone = await t.submit('/connections/clients/revoke', { client: 'client_nope' });
    expect(text(gone.text)).toContain('There is no client "client_nope" holding tokens');
    const revoked = text((await t.submit('/connections/clients/revoke', { client: 'client_chatgpt1' })).text);
    expect(revoked).toContain('Revoked ChatGPT (client_chatgpt1)');
    expect(revoked).toContain('No client holds a token.');
    expect(s.clients.clients).toHaveLength(0);
  });

  it('removes a mode, then the connection, only after the confirm step', async () => {
    const t = tab();
    await t.get('/connections');
    const confirm = await t.get('/connections/remove?name=acme&mode=live');
    expect(text(confirm.text)).toMatch(/Remove the live key of acme\? This removes the live key rk_live_…\w{4} of "acme" from its store\./);
    const unconfirmed = await t.submit('/connections/remove', { name: 'acme', mode: 'live' });
    expect(text(unconfirmed.text)).toContain('Nothing was removed: confirm on this page first.');
    expect(await storedKey('acme', 'live')).toBe(keys.live);
    const one = text((await t.submit('/connections/remove', { name: 'acme', mode: 'live', confirm: 'yes' })).text);
    expect(one).toMatch(/Removed the live key rk_live_…\w{4} of "acme"\. The key itself still works/);
    expect(await storedKey('acme', 'live')).toBeUndefined();
    const unknown = text((await t.submit('/connections/remove', { name: 'ghost', confirm: 'yes' })).text);
    expect(unknown).toContain('There is no connection named "ghost"');
    const all = text((await t.submit('/connections/remove', { name: 'acme', confirm: 'yes' })).text);
    expect(all).toMatch(/Removed the test key rk_test_…\w{4} of "acme"\. Connection "acme" is gone\./);
    expect(all).toContain('No connections yet');
    expect(Object.keys((await readMetadata(s.manager.paths)).connections)).toEqual([]);
  });

  it('says that STRIPE_API_KEY serves "env", which is not managed here, without showing the key', async () => {
    const envKey = canaryKey('live');
    const other = await startPageServer({ env: { STRIPE_API_KEY: envKey } });
    try {
      const res = await fetch(`${other.url}/connections`, { headers: { cookie: `${SESSION_COOKIE}=x` } });
      const shown = text(await res.text());
      expect(shown).toMatch(/The server also serves the connection "env" \(live key rk_live_…\w{4}\) from its environment \(STRIPE_API_KEY\)\. It is not stored/);
      expectNoKey(envKey, shown);
    } finally {
      await other.close();
    }
  });

  it('never shows or logs a key (canary)', () => {
    expect(seen.length).toBeGreaterThan(40);
    expect(s.logs.some((l) => l.includes('added the test key'))).toBe(true);
    for (const key of Object.values(keys)) expectNoKey(key, ...seen, ...s.logs, metadataText());
  });
});
