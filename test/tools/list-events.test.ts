/** list_events: "what changed recently?": type, the object it concerns, when; Stripe keeps 30 days of them. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seed, startEmulator } from '../../src/emulator/index.js';
import { createStripeClient } from '../../src/stripe/client.js';
import { startHarness, TEST_ANCHOR, type Harness } from '../helpers/harness.js';
import { ids, iso } from '../helpers/expected.js';

const NOW = Math.floor(TEST_ANCHOR.getTime() / 1000);
const DAY = 86_400;
const customer = seed.customer({ created: NOW - 40 * DAY });
const subscription = { id: 'sub_1EventSubjectAbCdEfGhIjKl', object: 'subscription', status: 'active', created: NOW - 5 * DAY };
const events = [
  seed.event({ type: 'customer.created', object: customer as never, created: NOW - 31 * DAY, request: 'req_OlderThan30Days' }),
  seed.event({ type: 'customer.updated', object: customer as never, created: NOW - 20 * DAY, previous_attributes: { email: 'old@example.com', name: 'Old' }, request: 'req_AbCdEfGhIjKlMn' }),
  seed.event({ type: 'customer.subscription.created', object: subscription, created: NOW - 5 * DAY }),
  seed.event({ type: 'customer.subscription.updated', object: subscription, created: NOW - 2 * DAY, previous_attributes: { status: 'trialing' } }),
  seed.event({ type: 'invoice.paid', object: { id: 'in_1EventInvoiceAbCdEfGhIjKl', object: 'invoice', created: NOW - DAY }, created: NOW - DAY }),
];
const kept = events.filter((e) => e.created >= NOW - 30 * DAY).sort((a, b) => b.created - a.created);

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ emulator: { objects: { test: { customers: [customer], events } } } });
});
afterAll(async () => h?.close());

describe('list_events', () => {
  it('lists the last 30 days newest first: type, the object it concerns, what changed, and says Stripe keeps no more', async () => {
    const r = await h.call('list_events', {});
    expect(ids(r.structured.data)).toEqual(ids(kept));
    expect(r.structured.note).toContain('Stripe keeps events for 30 days');
    expect(r.structured.data[3]).toEqual({
      id: kept[3]!.id, type: 'customer.updated', object_type: 'customer', object_id: customer.id, changed: ['email', 'name'],
      created: iso(NOW - 20 * DAY), request_id: 'req_AbCdEfGhIjKlMn', pending_webhooks: 0,
    });
    const old = await h.call('fetch', { id: events[0]!.id });
    expect(old.isError).toBe(true);
    expect(old.text).toMatch(/^Not found/);
  });

  it('filters by a group (type with a wildcard) and by names (types) on Stripe\'s side, and by object while paging', async () => {
    const before = h.emulator.requests.length;
    const group = await h.call('list_events', { type: 'customer.subscription.*' });
    expect(group.structured.data.map((e: { type: string }) => e.type)).toEqual(['customer.subscription.updated', 'customer.subscription.created']);
    const named = await h.call('list_events', { types: ['invoice.paid', 'customer.updated'] });
    expect(named.structured.data.map((e: { type: string }) => e.type)).toEqual(['invoice.paid', 'customer.updated']);
    const sent = h.emulator.requests.slice(before).map((q) => q.query);
    expect(sent[0]).toMatchObject({ type: 'customer.subscription.*' });
    expect(sent[1]).toMatchObject({ types: ['invoice.paid', 'customer.updated'] });
    const about = await h.call('list_events', { object_id: subscription.id });
    expect(ids(about.structured.data)).toEqual(ids(kept.filter((e) => (e.data.object as { id: string }).id === subscription.id)));
  });

  it('refuses, unsent, type with types, more than 20 types, and a wildcard among types', async () => {
    const before = h.emulator.requests.length;
    const both = await h.call('list_events', { type: 'invoice.paid', types: ['invoice.paid'] });
    expect(both.text).toMatch(/type or types, not both/);
    const many = await h.call('list_events', { types: Array.from({ length: 21 }, (_, i) => `a.e${i}`) });
    expect(many.isError).toBe(true);
    const wild = await h.call('list_events', { types: ['customer.*'] });
    expect(wild.text).toMatch(/no wildcard/);
    expect(h.emulator.requests.length).toBe(before);
  });
});

describe("the emulator's /v1/events is as strict as Stripe", () => {
  it('refuses type with types, and more than 20 types; needs Events: Read', async () => {
    const emulator = await startEmulator({ anchor: TEST_ANCHOR, keys: { rk_test_noeventsread0001: { mode: 'test', permissions: ['rak_customer_read'] } } });
    try {
      const stripe = await createStripeClient({ apiKey: emulator.keys.test, mode: 'test', apiBase: emulator.url });
      await expect(stripe.events.list({ type: 'a.b', types: ['a.b'] })).rejects.toMatchObject({ statusCode: 400, param: 'types' });
      await expect(stripe.events.list({ types: Array.from({ length: 21 }, (_, i) => `a.e${i}`) })).rejects.toMatchObject({ statusCode: 400 });
      const restricted = await createStripeClient({ apiKey: 'rk_test_noeventsread0001', mode: 'test', apiBase: emulator.url });
      await expect(restricted.events.list({ limit: 1 })).rejects.toMatchObject({ statusCode: 403, message: expect.stringContaining("'rak_event_read'") });
      const page = await stripe.events.list({ limit: 100, created: { lt: Math.floor(TEST_ANCHOR.getTime() / 1000) - 30 * DAY } });
      expect(page.data).toEqual([]);
    } finally {
      await emulator.close();
    }
  });
});
