/**
 * Paging on the server: max_results up to 10,000, progress notifications a real client receives, cancellation
 * that stops paging at once, the ~150k-character guard, and date slices read in parallel within the rate limit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import { startHarness, type Harness } from '../helpers/harness.js';
import { ids, major } from '../helpers/expected.js';
import { StaticRouter } from '../../src/connections/router.js';
import { createMcpServer } from '../../src/server/create-server.js';
import { defineTool } from '../../src/tools/define-tool.js';
import type { RecordedRequest } from '../../src/emulator/index.js';

const LIMIT = 150_000;

/** The most requests that reached the emulator within any one second (or any `windowMs`). */
function busiestSecond(requests: RecordedRequest[], windowMs = 1000): number {
  const times = requests.map((r) => r.at).sort((a, b) => a - b);
  let best = 0;
  for (let lo = 0, hi = 0; hi < times.length; hi++) {
    while (times[hi]! - times[lo]! >= windowMs) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

function sumsByCurrency<T>(objects: T[], currency: (o: T) => string, amount: (o: T) => number): Map<string, { count: number; sum: bigint }> {
  const out = new Map<string, { count: number; sum: bigint }>();
  for (const o of objects) {
    const entry = out.get(currency(o)) ?? { count: 0, sum: 0n };
    entry.count++;
    entry.sum += BigInt(amount(o));
    out.set(currency(o), entry);
  }
  return out;
}

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

describe('max_results', () => {
  it('lists more than one page in one call, in list order, as far as it fits', async () => {
    const customers = h.emulator.dataset('test').customers.filter((c) => !c.test_clock); // Stripe leaves test-clock customers out
    const before = h.emulator.requests.length;
    const r = await h.call('list_customers', { max_results: 150 });
    expect(r.isError, r.text).toBe(false);
    expect(r.structured).toMatchObject({ count: 150, scanned: 150, has_more: true, next_cursor: customers[149]!.id });
    expect(ids(r.structured.data)).toEqual(ids(customers.slice(0, 150)));
    const sent = h.emulator.requests.slice(before).filter((q) => q.path === '/v1/customers');
    expect(sent.map((q) => q.query.limit)).toEqual(['100', '50']);
    expect(r.text.length).toBeLessThan(LIMIT);
    // The cursor continues exactly after them.
    const rest = await h.call('list_customers', { max_results: 1000, cursor: r.structured.next_cursor });
    expect(ids(rest.structured.data)).toEqual(ids(customers.slice(150)));
    expect(rest.structured).toMatchObject({ has_more: false, next_cursor: null, scanned: customers.length - 150 });
  });

  it('keeps reading past a filter read while paging until max_results match', async () => {
    const charges = h.emulator.dataset('test').charges;
    const failed = charges.filter((c) => c.status === 'failed');
    const r = await h.call('list_charges', { status: 'failed', max_results: 120 });
    expect(ids(r.structured.data)).toEqual(ids(failed.slice(0, 120)));
    expect(r.structured.matched).toBe(120);
    expect(r.structured.scanned).toBe(charges.findIndex((c) => c.id === failed[119]!.id) + 1);
  });

  it('pages search to max_results within the search rate', async () => {
    const succeeded = h.emulator.dataset('test').charges.filter((c) => c.status === 'succeeded');
    const before = h.emulator.requests.length;
    const r = await h.call('search', { resource: 'charges', query: "status:'succeeded'", max_results: 130 });
    expect(r.isError, r.text).toBe(false);
    expect(ids(r.structured.data)).toEqual(ids(succeeded.slice(0, 130)));
    expect(r.structured).toMatchObject({ count: 130, scanned: 130, has_more: true });
    const sent = h.emulator.requests.slice(before).filter((q) => q.path === '/v1/charges/search');
    expect(sent.map((q) => q.query.limit)).toEqual(['100', '30']);
    const next = await h.call('search', { resource: 'charges', query: "status:'succeeded'", limit: 5, page: r.structured.next_page });
    expect(ids(next.structured.data)).toEqual(ids(succeeded.slice(130, 135)));
  });
});

describe('answers too large for a client', () => {
  it('become a summary with exact totals and the size that fits, never a cut list', async () => {
    const charges = h.emulator.dataset('test').charges;
    const r = await h.call('list_charges', { max_results: 1000 });
    expect(r.isError, r.text).toBe(false);
    expect(r.text.length).toBeLessThan(10_000);
    expect(r.structured).toMatchObject({ count: 0, data: [], scanned: 1000, matched: 1000, has_more: true, next_cursor: charges[999]!.id });
    const summary = r.structured.summary;
    expect(summary.reason).toBe('too_large');
    expect(summary.characters).toBeGreaterThan(LIMIT);
    expect(summary.message).toMatch(/none are listed/);
    expect(summary.message).toMatch(/call aggregate \(e\.g\. \{"resource":"charges","group_by":\["month"\]/);
    expect(summary.message).toMatch(new RegExp(`at most ${summary.max_results_that_fit} with max_results`));
    const first = charges.slice(0, 1000);
    const expected = sumsByCurrency(first, (c) => c.currency, (c) => c.amount_captured - c.amount_refunded);
    expect(summary.totals.map((t: Record<string, unknown>) => [t.currency, t.count, t['sum:net_of_refunds']])).toEqual(
      [...expected.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([c, s]) => [c, s.count, major(s.sum, c)]),
    );
    expect(summary.newest_created).toBe(new Date(first[0]!.created * 1000).toISOString().replace('.000Z', 'Z'));
    // What it says fits does fit.
    const fits = await h.call('list_charges', { max_results: summary.max_results_that_fit });
    expect(fits.structured.count).toBe(summary.max_results_that_fit);
    expect(fits.structured.summary).toBeUndefined();
    expect(fits.text.length).toBeLessThan(LIMIT);
  });

  it('covers one page of full objects too, and aggregation tables with too many rows', async () => {
    const full = await h.call('list_invoices', { limit: 100, detail: 'full' });
    expect(full.text.length).toBeLessThan(LIMIT);
    if (full.structured.summary) expect(full.structured.summary.message).toMatch(/at most \d+ with limit/);
    else expect(full.structured.count).toBe(100);

    const rows = await h.call('aggregate', { resource: 'charges', group_by: ['customer', 'day'], metrics: ['count', 'sum:amount'] });
    expect(rows.isError, rows.text).toBe(false);
    expect(rows.text.length).toBeLessThan(LIMIT);
    expect(rows.structured.summary).toMatchObject({ reason: 'too_many_rows' });
    expect(rows.structured.summary.message).toMatch(/top/);
    expect(rows.structured.aggregate.rows).toEqual([]);
    expect(rows.structured.aggregate.rows_total).toBeGreaterThan(1000);
    expect(rows.structured.aggregate.totals.length).toBe(4); // usd, eur, jpy, kwd still there
  });

  it('is refused by the server wrapper for any other tool whose answer grew too large', async () => {
    const huge = defineTool({
      name: 'huge',
      toolset: 'lookup',
      title: 'Huge answer',
      permissions: { needs: [], mayUse: [] },
      description: 'Test tool',
      input: z.strictObject({}),
      output: z.object({ text: z.string() }),
      handler: async () => ({ text: 'x'.repeat(LIMIT + 10) }),
    });
    const server = createMcpServer(new StaticRouter([{ name: 'demo', keys: { test: h.emulator.keys.test }, apiBase: h.emulator.url }]), [huge]);
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    const client = new Client({ name: 'huge-test', version: '1.0.0' });
    await client.connect(clientSide);
    const result = await client.callTool({ name: 'huge', arguments: {} });
    expect(result.isError).toBe(true);
    const text = (result.content as Array<{ text: string }>)[0]!.text;
    expect(text).toMatch(/150,000/);
    expect(text).toMatch(/the aggregate tool for totals/);
    await client.close();
    await server.close();
  });
});

describe('max_results of 10,000', () => {
  let big: Harness;
  beforeAll(async () => {
    big = await startHarness({ emulator: { size: { balanceTransactions: 12_000 } } });
  });
  afterAll(async () => big?.close());

  it('pages 10,000 objects on the server and summarises them exactly, then continues after them', async () => {
    const txns = big.emulator.dataset('test').balanceTransactions;
    expect(txns.length).toBe(12_000);
    const r = await big.call('list_balance_transactions', { max_results: 10_000 });
    expect(r.isError, r.text).toBe(false);
    expect(r.structured).toMatchObject({ scanned: 10_000, matched: 10_000, count: 0, has_more: true, next_cursor: txns[9_999]!.id });
    const expected = sumsByCurrency(txns.slice(0, 10_000), (t) => t.currency, (t) => t.net);
    expect(r.structured.summary.totals.map((t: Record<string, unknown>) => [t.currency, t.count, t['sum:net']])).toEqual(
      [...expected.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([c, s]) => [c, s.count, major(s.sum, c)]),
    );
    const sent = big.emulator.requests.filter((q) => q.path === '/v1/balance_transactions');
    expect(sent).toHaveLength(100);
    expect(busiestSecond(sent)).toBeLessThanOrEqual(25);

    const rest = await big.call('list_balance_transactions', { max_results: 10_000, cursor: r.structured.next_cursor });
    expect(rest.structured).toMatchObject({ scanned: 2_000, has_more: false, next_cursor: null });
  }, 60_000);
});

describe('progress and cancellation', () => {
  it('sends progress notifications to a client that asks for them, counting objects read', async () => {
    h.emulator.setLatency(30);
    try {
      const updates: Array<{ progress: number; message?: string }> = [];
      const result = await h.client.callTool(
        { name: 'aggregate', arguments: { resource: 'balance_transactions', group_by: ['month'] } },
        { onprogress: (p) => updates.push({ progress: p.progress, ...(p.message ? { message: p.message } : {}) }) },
      );
      expect(result.isError).toBeFalsy();
      const scanned = (result.structuredContent as { scanned: number }).scanned;
      expect(updates.length).toBeGreaterThanOrEqual(3);
      expect(updates[0]!.progress).toBe(100);
      expect(updates[0]!.message).toBe('Read 100 balance transactions');
      for (let i = 1; i < updates.length; i++) expect(updates[i]!.progress).toBeGreaterThan(updates[i - 1]!.progress);
      expect(updates[updates.length - 1]!.progress).toBeLessThanOrEqual(scanned);
    } finally {
      h.emulator.setLatency(0);
    }
  });

  it('sends none when the client did not ask', async () => {
    const server = createMcpServer(new StaticRouter([{ name: 'demo', keys: { test: h.emulator.keys.test }, apiBase: h.emulator.url }]));
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    const client = new Client({ name: 'quiet', version: '1.0.0' });
    await client.connect(clientSide);
    const seen: string[] = [];
    const original = clientSide.onmessage!;
    clientSide.onmessage = (message, extra) => {
      if ('method' in message) seen.push(message.method);
      original(message, extra);
    };
    const result = await client.callTool({ name: 'list_charges', arguments: { max_results: 150 } });
    expect(result.isError).toBeFalsy();
    expect(seen).not.toContain('notifications/progress');
    await client.close();
    await server.close();
  });

  it('stops paging at once when the client cancels', async () => {
    h.emulator.setLatency(40);
    try {
      const path = '/v1/balance_transactions';
      const before = h.emulator.requests.filter((q) => q.path === path).length;
      const controller = new AbortController();
      const call = h.client.callTool(
        { name: 'aggregate', arguments: { resource: 'balance_transactions', group_by: ['month'] } },
        {
          signal: controller.signal,
          onprogress: () => controller.abort(), // after the first page
        },
      );
      await expect(call).rejects.toThrow();
      const atCancel = h.emulator.requests.filter((q) => q.path === path).length - before;
      await new Promise((resolve) => setTimeout(resolve, 600));
      const later = h.emulator.requests.filter((q) => q.path === path).length - before;
      // At most the request already on the wire when the cancellation arrived; the whole ledger is 29 pages.
      expect(later - atCancel).toBeLessThanOrEqual(1);
      expect(later).toBeLessThanOrEqual(3);
      // The server is fine afterwards.
      const again = await h.call('list_balance_transactions', { limit: 1 });
      expect(again.isError).toBe(false);
    } finally {
      h.emulator.setLatency(0);
    }
  });
});

describe('date slices read in parallel', () => {
  it("answers the same as cursor paging, several times faster, and within the endpoint's limit (live mode, 250 ms per request)", async () => {
    const live = h.emulator.dataset('live').balanceTransactions;
    const start = new Date(live[live.length - 1]!.created * 1000).toISOString().slice(0, 10);
    const args = { mode: 'live', resource: 'balance_transactions', group_by: ['month'], metrics: ['count', 'sum:net'] };
    await h.call('list_balance_transactions', { mode: 'live', limit: 1 }); // the live client exists before timing
    // Slow enough that one reader stays well below the endpoint's 25/s: parallel slices can only win up to it.
    h.emulator.setLatency(250);
    try {
      const mark = h.emulator.requests.length;
      let t = performance.now();
      const sequential = await h.call('aggregate', args);
      const sequentialMs = performance.now() - t;
      const middle = h.emulator.requests.length;
      t = performance.now();
      const sliced = await h.call('aggregate', { ...args, filters: { created_after: start } });
      const slicedMs = performance.now() - t;
      const slicedRequests = h.emulator.requests.slice(middle).filter((q) => q.path === '/v1/balance_transactions');
      expect(sequential.isError, sequential.text).toBe(false);
      expect(sliced.isError, sliced.text).toBe(false);
      expect(sliced.structured.scanned).toBe(live.length);
      expect(sliced.structured.aggregate.rows.filter((r: { count: number }) => r.count > 0)).toEqual(sequential.structured.aggregate.rows);
      // Slices: created ranges that tile the range, each read with its own cursor.
      expect(slicedRequests.some((q) => (q.query.created as Record<string, string> | undefined)?.lt !== undefined)).toBe(true);
      // ≥ 3× in bench/aggregate.mjs on a quiet machine; here other test files share the two cores.
      expect(slicedMs * 2, `sliced ${slicedMs.toFixed(0)} ms, sequential ${sequentialMs.toFixed(0)} ms`).toBeLessThan(sequentialMs);
      const sent = h.emulator.requests.slice(mark).filter((q) => q.mode === 'live');
      expect(busiestSecond(sent), 'live requests to the endpoint in the busiest second').toBeLessThanOrEqual(25);
      expect(sent.filter((q) => q.status === 429)).toEqual([]);
    } finally {
      h.emulator.setLatency(0);
    }
  });

  it('stays under the test-mode limit of 25 requests a second', async () => {
    const mark = h.emulator.requests.length;
    const r = await h.call('aggregate', { resource: 'charges', filters: { created_after: '2025-01-01' }, group_by: ['month'], metrics: ['count'] });
    expect(r.isError, r.text).toBe(false);
    expect(r.structured.scanned).toBe(h.emulator.dataset('test').charges.length);
    const sent = h.emulator.requests.slice(mark);
    expect(sent.length).toBeGreaterThan(20);
    expect(busiestSecond(sent)).toBeLessThanOrEqual(25);
    expect(sent.filter((q) => q.status === 429)).toEqual([]);
    // Each charge was read once: the slices neither overlap nor leave gaps.
    const total = (r.structured.aggregate.rows as Array<{ count: number }>).reduce((s, row) => s + row.count, 0);
    expect(total).toBe(h.emulator.dataset('test').charges.length);
  });

  it('keeps to the limits STRIPE_MCP_STRIPE_RATE_LIMITS sets, e.g. lowered to leave room for the account\'s own integration', async () => {
    const saved = process.env.STRIPE_MCP_STRIPE_RATE_LIMITS;
    process.env.STRIPE_MCP_STRIPE_RATE_LIMITS = 'test=10';
    const lowered = await startHarness(); // its Stripe client is made after the setting, as at a server start
    try {
      const r = await lowered.call('aggregate', { resource: 'charges', filters: { created_after: '2025-01-01' }, group_by: ['month'], metrics: ['count'] });
      expect(r.isError, r.text).toBe(false);
      expect(r.structured.scanned).toBe(lowered.emulator.dataset('test').charges.length);
      expect(lowered.emulator.requests.length).toBeGreaterThan(20);
      // Paging takes at most 80 % of the limit (8) in any second; with Stripe's usual test limit the same call
      // sends 20. A request counts until a second after its answer, so however late it arrives, no second of
      // arrivals at the emulator holds more.
      expect(busiestSecond(lowered.emulator.requests), 'requests in the busiest second').toBeLessThanOrEqual(8);
    } finally {
      if (saved === undefined) delete process.env.STRIPE_MCP_STRIPE_RATE_LIMITS;
      else process.env.STRIPE_MCP_STRIPE_RATE_LIMITS = saved;
      await lowered.close();
    }
  });
});
