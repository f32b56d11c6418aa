/**
 * The contract every list tool keeps, run for each `list_…` tool in TOOLS (so a tool added later is held to it
 * without being named here): paging across pages, the default page, bad arguments refused before Stripe is asked,
 * a restricted key without one of the tool's declared permissions, test and live data kept apart, detail "full",
 * creation-time ranges, and answers that match the output schema the tool advertises. Everything is derived from
 * the tool's definition (name, input schema, `permissions`) and from the requests the tool itself sends: the
 * objects Stripe would list for the tool's own request are read from the emulator's endpoint directly, as the
 * ground truth. A tool's own test file keeps only what is particular to it (its projection, its filters).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromJsonSchema, type JsonSchemaType } from '@modelcontextprotocol/client';
import { TOOLS } from '../../src/tools/index.js';
import type { AnyTool } from '../../src/tools/define-tool.js';
import type { Dataset, RecordedRequest } from '../../src/emulator/index.js';
import { EMULATOR_PERMISSIONS, EXPANSION_PERMISSIONS } from '../../src/emulator/permissions.js';
import { READ_PERMISSION_LABELS, type ReadPermission } from '../../src/stripe/permissions.js';
import { cleanDeep } from '../../src/stripe/sanitize.js';
import { collectAll, startHarness, type Harness, type ToolResult } from '../helpers/harness.js';
import { iso } from '../helpers/expected.js';
import { resourceOf } from '../../src/tools/engine/resource.js';

const LIST_TOOLS = (TOOLS as readonly AnyTool[]).filter((t) => t.name.startsWith('list_'));

/** Small enough that every list pages to its end in a few requests, within the emulator's rate limits. */
const SIZE = { customers: 10 };

type Raw = { id: string; object: string; created: number } & Record<string, unknown>;

/** Every id of a dataset, whatever its collections are (a collection added later is included). */
function allIds(ds: Dataset): Set<string> {
  const out = new Set<string>();
  for (const value of Object.values(ds)) {
    if (!Array.isArray(value)) continue;
    for (const o of value as unknown[]) if (o && typeof o === 'object' && typeof (o as { id?: unknown }).id === 'string') out.add((o as { id: string }).id);
  }
  return out;
}

/** A recorded query back in Stripe's bracket encoding (`created[gte]=1`, `expand[0]=x`). */
function encodeQuery(query: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(query).flatMap(([k, v]) => {
    const key = prefix ? `${prefix}[${k}]` : k;
    if (v !== null && typeof v === 'object') return encodeQuery(v as Record<string, unknown>, key);
    return [`${encodeURIComponent(key)}=${encodeURIComponent(String(v))}`];
  });
}

/** The list endpoint a tool's call read: its first successful GET of a collection (`/v1/x`, no id). */
function listRequestOf(sent: RecordedRequest[]): RecordedRequest {
  const request = sent.find((r) => r.method === 'GET' && r.status === 200 && /^\/v1\/[a-z_]+$/.test(r.path));
  if (!request) throw new Error(`no list request among ${sent.map((r) => r.path).join(', ')}`);
  return request;
}

/** Argument names of the tool's input schema. */
const argumentsOf = (tool: AnyTool): string[] => Object.keys(tool.input.shape as Record<string, unknown>);

/** `x_after` / `x_before` pairs the tool takes (created, arrival, due, …). */
const dateRanges = (tool: AnyTool): string[] =>
  argumentsOf(tool)
    .filter((a) => a.endsWith('_after') && argumentsOf(tool).includes(`${a.slice(0, -'_after'.length)}_before`))
    .map((a) => a.slice(0, -'_after'.length));

/** Every permission the emulator knows, for a key that lacks exactly one. */
const ALL_PERMISSIONS = [...new Set([...Object.keys(READ_PERMISSION_LABELS), ...Object.values(EMULATOR_PERMISSIONS), ...Object.values(EXPANSION_PERMISSIONS)])];
const restrictedKey = (tool: AnyTool, without: string) => `rk_test_contract_${tool.name}_without_${without}`.replace(/[^A-Za-z0-9_]/g, '_');
const onlyNeedsKey = (tool: AnyTool) => `rk_test_contract_${tool.name}_needs_only`;
const connectionOf = (key: string) => key.slice('rk_test_'.length).replace(/_/g, '-');

let h: Harness;
/** Its own emulator and server: one connection per restricted key (calls name theirs). */
let restricted: Harness;
let schemas: Map<string, JsonSchemaType>;
const ids: Record<'test' | 'live', Set<string>> = { test: new Set(), live: new Set() };

beforeAll(async () => {
  const keys: Record<string, { mode: 'test'; permissions: string[] }> = {};
  for (const tool of LIST_TOOLS) {
    for (const p of tool.permissions.needs) keys[restrictedKey(tool, p)] = { mode: 'test', permissions: ALL_PERMISSIONS.filter((x) => x !== p) };
    keys[onlyNeedsKey(tool)] = { mode: 'test', permissions: [...tool.permissions.needs] };
  }
  h = await startHarness({ emulator: { size: SIZE } });
  restricted = await startHarness({
    emulator: { size: SIZE, keys },
    connections: (e) => Object.keys(keys).map((key) => ({ name: connectionOf(key), keys: { test: key }, apiBase: e.url })),
  });
  schemas = new Map((await h.client.listTools()).tools.map((t) => [t.name, t.outputSchema as JsonSchemaType]));
  ids.test = allIds(h.emulator.dataset('test'));
  ids.live = allIds(h.emulator.dataset('live'));
});
afterAll(async () => {
  await h?.close();
  await restricted?.close();
});

/** Raw objects of one list request, every page, straight from the emulator's endpoint (the ground truth). */
async function rawList(request: RecordedRequest, pages = Infinity): Promise<Raw[]> {
  const { limit: _limit, starting_after: _after, ending_before: _before, ...query } = request.query;
  const out: Raw[] = [];
  let after: string | undefined;
  for (let page = 0; page < pages; page++) {
    const qs = encodeQuery({ ...query, limit: 100, ...(after ? { starting_after: after } : {}) }).join('&');
    const res = await fetch(`${h.emulator.url}${request.path}?${qs}`, { headers: { Authorization: `Bearer ${h.emulator.keys.test}` } });
    const body = (await res.json()) as { data: Raw[]; has_more: boolean };
    if (res.status !== 200) throw new Error(`${request.path}: ${JSON.stringify(body)}`);
    out.push(...body.data);
    if (!body.has_more) break;
    after = body.data[body.data.length - 1]!.id;
  }
  return out;
}

/** Calls the tool and remembers the requests it sent. */
async function callRecorded(name: string, args: Record<string, unknown>): Promise<{ result: ToolResult; sent: RecordedRequest[] }> {
  const before = h.emulator.requests.length;
  const result = await h.call(name, args);
  return { result, sent: h.emulator.requests.slice(before) };
}

async function expectMatchesOutputSchema(name: string, result: ToolResult): Promise<void> {
  expect(result.isError, `${name}: ${result.text}`).toBe(false);
  const validated = await fromJsonSchema(schemas.get(name)!)['~standard'].validate(result.structured);
  expect('issues' in validated ? validated.issues : [], `${name} answer matches its advertised output schema`).toEqual([]);
  expect(JSON.parse(result.text), `${name}: the text is the structured answer`).toEqual(result.structured);
}

// Guards against a contract that passes by running nothing: every per-tool block below iterates over these.
it('runs for every list tool, each declaring the permissions a restricted key is checked against', () => {
  expect(LIST_TOOLS.length).toBeGreaterThan(0);
  for (const tool of LIST_TOOLS) expect(tool.permissions.needs.length, `${tool.name} declares what it needs`).toBeGreaterThan(0);
});

describe.each(LIST_TOOLS.map((tool) => [tool.name, tool] as const))('%s keeps the list-tool contract', (name, tool) => {
  let truth: Raw[];
  let listRequest: RecordedRequest;
  beforeAll(async () => {
    const { result, sent } = await callRecorded(name, { limit: 1 });
    expect(result.isError, result.text).toBe(false);
    listRequest = listRequestOf(sent);
    truth = await rawList(listRequest);
  });

  it('pages across pages to the end: the objects Stripe lists for its request, newest first, no gaps or duplicates', async () => {
    expect(truth.length, `the emulator has ${name} data to page through`).toBeGreaterThanOrEqual(2);
    const limit = Math.min(100, Math.max(1, Math.ceil(truth.length / 3)));
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page <= truth.length; page++) {
      const r = await h.call(name, { limit, ...(cursor ? { cursor } : {}) });
      expect(r.isError, r.text).toBe(false);
      const data = r.structured.data as Array<{ id: string }>;
      expect(r.structured.count, name).toBe(data.length);
      expect(data.length, name).toBeLessThanOrEqual(limit);
      seen.push(...data.map((o) => o.id));
      if (!r.structured.has_more) {
        expect(r.structured.next_cursor, name).toBeNull();
        break;
      }
      expect(data.length, name).toBe(limit);
      expect(r.structured.next_cursor, name).toBe(data[data.length - 1]!.id);
      cursor = r.structured.next_cursor;
    }
    expect(seen, name).toEqual(truth.map((o) => o.id));
    const created = truth.map((o) => o.created);
    expect(created, 'newest first').toEqual([...created].sort((a, b) => b - a));
  });

  it('answers one default page sized for a model, and max_results lists past one page', async () => {
    const r = await h.call(name, {});
    expect(r.isError, r.text).toBe(false);
    const expected = truth.slice(0, 20).map((o) => o.id);
    expect(r.structured.data.map((o: { id: string }) => o.id)).toEqual(expected);
    expect(r.structured).toMatchObject({ count: expected.length, has_more: truth.length > 20, next_cursor: truth.length > 20 ? expected[19] : null });
    const all = await h.call(name, { max_results: truth.length + 5 });
    expect(all.isError, all.text).toBe(false);
    expect(all.structured.data.map((o: { id: string }) => o.id)).toEqual(truth.map((o) => o.id));
    expect(all.structured).toMatchObject({ has_more: false, next_cursor: null });
  });

  it('refuses bad arguments clearly, before asking Stripe, and keeps serving', async () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ limit: 0 }, /limit/],
      [{ limit: 101 }, /limit/],
      [{ limit: 2.5 }, /limit/],
      [{ max_results: 0 }, /max_results/],
      [{ cursor: 'not a cursor' }, /cursor/],
      [{ colour: 'red' }, /colour/],
      [{ mode: 'production' }, /mode/],
    ];
    for (const field of dateRanges(tool)) {
      const [after, before] = [`${field}_after`, `${field}_before`];
      cases.push(
        [{ [after]: '2026-13-45' }, new RegExp(`${after}.*2026-13-45`)],
        [{ [after]: '2026-06-01', [before]: '2026-05-01' }, new RegExp(`${after} .* must be earlier than ${before}`)],
        [{ [after]: Date.parse('2026-05-01T00:00:00Z') }, /milliseconds/],
      );
    }
    const before = h.emulator.requests.length;
    for (const [args, message] of cases) {
      const r = await h.call(name, args);
      expect(r.isError, `${name} ${JSON.stringify(args)}`).toBe(true);
      expect(r.text, `${name} ${JSON.stringify(args)}`).toMatch(message);
    }
    expect(h.emulator.requests.length, 'nothing was sent to Stripe').toBe(before);
    expect((await h.call(name, { limit: 1 })).isError).toBe(false);
  });

  it.each(tool.permissions.needs.map((p) => [p] as const))('without %s, a restricted key is told which Dashboard permission to set to Read', async (permission) => {
    const key = restrictedKey(tool, permission);
    const r = await restricted.call(name, { connection: connectionOf(key) });
    expect(r.isError, `${name} without ${permission}`).toBe(true);
    expect(r.text).toContain(`set "${READ_PERMISSION_LABELS[permission as ReadPermission]}" to Read`);
    expect(r.text).toContain(`'${permission}'`);
    expect(r.text).not.toContain(key);
  });

  it('answers a restricted key holding only the permissions it declares it needs', async () => {
    const r = await restricted.call(name, { connection: connectionOf(onlyNeedsKey(tool)), limit: 3 });
    expect(r.isError, `${name} with ${tool.permissions.needs.join(', ')}: ${r.text}`).toBe(false);
    expect(r.structured.data.length).toBeGreaterThan(0);
  });

  it.each(['test', 'live'] as const)('reads %s-mode data only, with the key of that mode, and says so', async (mode) => {
    const other = mode === 'test' ? 'live' : 'test';
    const { result, sent } = await callRecorded(name, { mode, limit: 10 });
    expect(result.isError, result.text).toBe(false);
    expect(result.structured).toMatchObject({ connection: 'demo', mode });
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((q) => q.mode === mode)).toBe(true);
    expect(result.structured.data.length).toBeGreaterThan(0);
    // An id the account chose (a coupon's, a custom product's: declared `customIds`, no Stripe prefix) may exist in
    // both modes, as on Stripe; every generated id is one mode's.
    const chosenByAccount = (id: string) => tool.returns?.customIds === true && !tool.returns.idPrefixes.some((p: string) => id.startsWith(p));
    for (const o of result.structured.data as Array<{ id: string }>) {
      expect(ids[mode].has(o.id), `${o.id} is ${mode} data`).toBe(true);
      if (!chosenByAccount(o.id)) expect(ids[other].has(o.id), `${o.id} is not ${other} data`).toBe(false);
    }
  });

  it('with detail "full", returns the objects exactly as Stripe sent them, and says amounts are minor units', async () => {
    const { result, sent } = await callRecorded(name, { limit: 5, detail: 'full' });
    expect(result.isError, result.text).toBe(false);
    const raw = (await rawList(listRequestOf(sent), 1)).slice(0, 5);
    expect(result.structured.data).toEqual(cleanDeep(raw));
    expect(result.structured.amounts).toMatch(/minor units/);
  });

  it.runIf(dateRanges(tool).includes('created'))('filters on creation time: after inclusive (ISO), before exclusive (Unix seconds)', async () => {
    const times = [...new Set(truth.map((o) => o.created))].sort((a, b) => a - b);
    expect(times.length).toBeGreaterThan(2);
    const from = times[1]!;
    const to = times[times.length - 1]!;
    const got = await collectAll(h, name, { created_after: iso(from), created_before: to });
    const wanted = truth.filter((o) => o.created >= from && o.created < to).map((o) => o.id);
    expect(wanted.length).toBeGreaterThan(0);
    expect(got.map((o) => o.id)).toEqual(wanted);
  });

  it('answers match the output schema it advertises: a page, detail "full", and (through aggregate) a grouped count', async () => {
    await expectMatchesOutputSchema(name, await h.call(name, { limit: 5 }));
    await expectMatchesOutputSchema(name, await h.call(name, { limit: 5, detail: 'full' }));
    const grouped = await h.call('aggregate', { resource: resourceOf(tool.returns!.object), group_by: ['month'], metrics: ['count'] });
    await expectMatchesOutputSchema('aggregate', grouped);
    expect(grouped.structured.aggregate.rows.length).toBeGreaterThan(0);
  });
});
