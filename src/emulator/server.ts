/**
 * A loopback HTTP server that answers like api.stripe.com for the read endpoints the project uses, so the real
 * `stripe` package cannot tell it from Stripe: same query encoding, list/search envelopes, error JSON, statuses
 * and headers.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { defaultAccount, defaultAnchor, generateDataset } from './dataset/index.js';
import { seededDataset } from './seed.js';
import {
  ApiError,
  expiredApiKey,
  faultError,
  invalidApiKey,
  invalidInteger,
  invalidRequest,
  noApiKey,
  permissionDenied,
  publishableKey,
  resourceMissing,
  unknownParameter,
  unrecognizedUrl,
} from './errors.js';
import { EMULATOR_PERMISSIONS, EXPANSION_PERMISSIONS, hasPermission, writePermission } from './permissions.js';
import { parseStripeQuery } from './query.js';
import { createRateLimiter } from './rate-limit.js';
import type { QueryObject, QueryValue } from './query.js';
import { COMMON_LIST_PARAMS, RESOURCE_BY_PATH, RESOURCES } from './resources.js';
import type { AnyObject, FilterSpec, ResourceDef } from './resources.js';
import { SearchSyntaxError, compileSearch } from './search-query.js';
import type { SearchResource } from '../stripe/search-query.js';
import { Store, countMatches, scan } from './store.js';
import { deletedStub, handledByRules, implicitListPredicates, includedField, served } from './list-rules.js';
import type { Dataset, DatasetSize, EmulatorHandle, EmulatorKeySpec, EmulatorOptions, FaultSpec, Mode, RecordedRequest } from './types.js';

export const EMULATOR_API_VERSION = '2026-10-28.endive';
/** Well-known keys the emulator always accepts (deliberately not shaped like real keys). */
export const EMULATOR_TEST_KEY = 'rk_test_emulator_demo';
export const EMULATOR_LIVE_KEY = 'rk_live_emulator_demo';

const WELL_FORMED_KEY = /^(sk|rk)_(test|live)_[A-Za-z0-9_]{8,}$/;

interface AuthOk {
  key: string;
  mode: Mode;
  granted: 'all' | ReadonlySet<string>;
}

interface Ctx {
  auth: AuthOk;
  store: Store;
  accountId: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Parameter helpers

function asString(v: QueryValue | undefined, param: string): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw invalidRequest(`Invalid string: ${JSON.stringify(v)}`, param);
  return v;
}

function parseInteger(v: QueryValue, param: string): number {
  if (typeof v !== 'string' || !/^-?\d+$/.test(v.trim())) throw invalidInteger(typeof v === 'string' ? v : JSON.stringify(v), param);
  return Number(v.trim());
}

function parseLimit(v: QueryValue | undefined): number {
  if (v === undefined || v === '') return 10;
  const n = parseInteger(v, 'limit');
  if (n < 1) throw invalidRequest('This value must be greater than or equal to 1.', 'limit');
  if (n > 100) throw invalidRequest('This value must be less than or equal to 100.', 'limit');
  return n;
}

function parseBool(v: QueryValue, param: string): boolean {
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw invalidRequest(`Invalid boolean: ${typeof v === 'string' ? v : JSON.stringify(v)}`, param);
}

interface Range {
  min?: number;
  max?: number;
}

function parseRange(v: QueryValue, param: string): Range {
  if (typeof v === 'string') {
    const n = parseInteger(v, param);
    return { min: n, max: n };
  }
  if (Array.isArray(v)) throw invalidRequest(`Invalid ${param}: must be an integer or a hash with gt, gte, lt, lte`, param);
  const r: Range = {};
  for (const [k, raw] of Object.entries(v)) {
    const name = `${param}[${k}]`;
    if (k !== 'gt' && k !== 'gte' && k !== 'lt' && k !== 'lte') throw unknownParameter(name);
    const n = parseInteger(raw, name);
    if (k === 'gt') r.min = Math.max(r.min ?? -Infinity, n + 1);
    if (k === 'gte') r.min = Math.max(r.min ?? -Infinity, n);
    if (k === 'lt') r.max = Math.min(r.max ?? Infinity, n - 1);
    if (k === 'lte') r.max = Math.min(r.max ?? Infinity, n);
  }
  return r;
}

function parseExpand(v: QueryValue | undefined): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw invalidRequest('Invalid array', 'expand');
  return v.map((x, i) => {
    if (typeof x !== 'string') throw invalidRequest(`Invalid string: ${JSON.stringify(x)}`, `expand[${i}]`);
    return x;
  });
}

function inRange(v: number | null | undefined, r: Range): boolean {
  if (typeof v !== 'number') return false;
  return (r.min === undefined || v >= r.min) && (r.max === undefined || v <= r.max);
}

// ---------------------------------------------------------------------------------------------------------------
// Expansion

type Resolver = (ctx: Ctx, id: string) => unknown;

/** Expandable references to an emulated resource: property → the resource's path (and so its permission). */
const EXPANDED_RESOURCES: Record<string, string> = {
  customer: '/v1/customers',
  payment_intent: '/v1/payment_intents',
  charge: '/v1/charges',
  latest_charge: '/v1/charges',
  balance_transaction: '/v1/balance_transactions',
  failure_balance_transaction: '/v1/balance_transactions',
  invoice: '/v1/invoices',
  latest_invoice: '/v1/invoices',
  subscription: '/v1/subscriptions',
  product: '/v1/products',
  default_price: '/v1/prices',
  price: '/v1/prices',
  original_payout: '/v1/payouts',
  reversed_by: '/v1/payouts',
};

function fromResource(path: string): Resolver {
  const def = RESOURCE_BY_PATH.get(path) as ResourceDef;
  return (ctx, id) => served(ctx.store.collectionFor(def).byId.get(id)) ?? deletedStub(ctx.store, def.collection, id) ?? id;
}

const EXPANDERS: Record<string, Resolver> = {
  ...Object.fromEntries(Object.entries(EXPANDED_RESOURCES).map(([property, path]) => [property, fromResource(path)])),
  // Polymorphic: the permission is that of the object it points to.
  source: (ctx, id) => {
    const hit = ctx.store.byAnyId(id);
    if (!hit) return id;
    requirePermission(ctx, EMULATOR_PERMISSIONS[hit.resource.path] as string);
    return served(hit.obj);
  },
  discounts: (ctx, id) => ctx.store.discounts.get(id) ?? id,
  coupon: (ctx, id) => served(ctx.store.coupons.get(id)) ?? id,
};

/**
 * The permission expanding `property` needs: the resource it points to is read, so a restricted key needs Read on
 * it as on the endpoint (docs.stripe.com/api/expanding_objects; ../shared/stripe/facts.md). Undefined for
 * `source` (checked by what it points to), for discounts (part of the subscription, invoice or customer they sit
 * on) and for references whose permission name we do not know.
 */
function expansionPermission(property: string): string | undefined {
  const path = EXPANDED_RESOURCES[property];
  return path ? EMULATOR_PERMISSIONS[path] : EXPANSION_PERMISSIONS[property];
}

/** Expandable on Stripe, but the emulator holds no such objects: the id stays as it is. */
const EXPANDABLE_WITHOUT_DATA = new Set([
  'application',
  'application_fee',
  'default_payment_method',
  'default_source',
  'destination',
  'latest_revision',
  'on_behalf_of',
  'payment_method',
  'pending_setup_intent',
  'promotion_code',
  'review',
  'schedule',
  'source_transfer',
  'test_clock',
  'transfer',
  'account_tax_ids',
  'customer_account',
]);

function cannotExpand(prop: string, hint?: string): ApiError {
  return invalidRequest(`This property cannot be expanded (${prop}).${hint ? ` ${hint}` : ''}`);
}

function expandPath(ctx: Ctx, value: unknown, segs: string[]): unknown {
  if (Array.isArray(value)) return value.map((v) => expandPath(ctx, v, segs));
  if (value === null || typeof value !== 'object') return value;
  const [head, ...rest] = segs as [string, ...string[]];
  const obj = value as Record<string, unknown>;
  if (head === 'payments' && obj.object === 'invoice') {
    requirePermission(ctx, EMULATOR_PERMISSIONS['/v1/invoices'] as string);
    const payments = ctx.store.invoicePayments(obj.id as string);
    let list: unknown = { object: 'list', data: payments, has_more: false, url: `/v1/invoice_payments?invoice=${obj.id as string}` };
    if (rest.length) list = expandPath(ctx, list, rest);
    return { ...obj, payments: list };
  }
  const included = includedField(ctx.store, obj as AnyObject, head);
  if (included !== undefined) return { ...obj, [head]: rest.length ? expandPath(ctx, included, rest) : included };
  if (!Object.prototype.hasOwnProperty.call(obj, head)) throw cannotExpand(head);
  const expander = EXPANDERS[head];
  const expandable = expander !== undefined || EXPANDABLE_WITHOUT_DATA.has(head);
  if (rest.length === 0 && !expandable) throw cannotExpand(head);
  let child = obj[head];
  // Checked for every reference asked for, set or not (null, or an empty list of ids): stricter than a check only
  // of objects found. An object Stripe embeds whole (a subscription item's price) is not an expansion.
  const permission = expansionPermission(head);
  if (permission && (child === null || typeof child === 'string' || Array.isArray(child))) requirePermission(ctx, permission);
  if (expander) {
    if (typeof child === 'string') child = expander(ctx, child);
    else if (Array.isArray(child)) child = child.map((c) => (typeof c === 'string' ? expander(ctx, c) : c));
  }
  if (rest.length) child = expandPath(ctx, child, rest);
  return { ...obj, [head]: child };
}

function applyExpansions(ctx: Ctx, obj: unknown, paths: string[]): unknown {
  let out = obj;
  for (const p of paths) {
    const segs = p.split('.');
    // Four levels at most, `data` of a list counting as one (docs.stripe.com/api/expanding_objects: "Expansions have a
    // maximum depth of four levels"; docs.stripe.com/expand: on lists, data.invoice.subscription.default_source is the deepest).
    if (segs.length > 4) throw invalidRequest(`You cannot expand more than 4 levels of a property. Property: ${p}`, 'expand');
    if (segs.some((s) => s === '')) throw cannotExpand(p);
    out = expandPath(ctx, out, segs);
  }
  return out;
}

function requirePermission(ctx: Ctx, permission: string): void {
  if (!hasPermission(ctx.auth.granted, permission)) throw permissionDenied(ctx.auth.key, ctx.accountId, permission);
}

// ---------------------------------------------------------------------------------------------------------------
// Endpoints

function checkAllowed(q: QueryObject, allowed: Iterable<string>): void {
  const set = new Set(allowed);
  for (const k of Object.keys(q)) if (!set.has(k)) throw unknownParameter(k);
}

function buildFilter(name: string, spec: FilterSpec, v: QueryValue, path: string[], ds: Dataset): { pred?: (o: AnyObject) => boolean; index?: { name: string; value: string } } {
  const param = path.join('');
  switch (spec.kind) {
    case 'none': {
      asString(v, param);
      return { pred: () => false };
    }
    case 'eq': {
      const s = asString(v, param) as string;
      const want = spec.caseInsensitive ? s.toLowerCase() : s;
      if (spec.index) return { index: { name, value: want } };
      return { pred: (o) => {
        const got = spec.get(o, ds);
        return got !== null && got !== undefined && (spec.caseInsensitive ? got.toLowerCase() : got) === want;
      } };
    }
    case 'enum': {
      const s = asString(v, param) as string;
      if (!spec.values.includes(s)) throw invalidRequest(`Invalid ${param}: must be one of ${spec.values.slice(0, -1).join(', ')}, or ${spec.values[spec.values.length - 1]}`, param);
      if (spec.index) return { index: { name, value: s } };
      return { pred: (o) => spec.get(o) === s };
    }
    case 'some': {
      const s = asString(v, param) as string;
      return { pred: (o) => spec.get(o).includes(s) };
    }
    case 'bool': {
      const b = parseBool(v, param);
      return { pred: (o) => spec.get(o) === b };
    }
    case 'range': {
      const r = parseRange(v, param);
      return { pred: (o) => inRange(spec.get(o), r) };
    }
    case 'in': {
      if (!Array.isArray(v)) throw invalidRequest('Invalid array', param);
      if (spec.max !== undefined && v.length > spec.max) throw invalidRequest(`Invalid array: ${param} must have at most ${spec.max} items`, param);
      const vals = new Set(v.map((x, i) => asString(x, `${param}[${i}]`) as string));
      return { pred: (o) => vals.has(spec.get(o) ?? '\u0000') };
    }
    case 'object': {
      if (typeof v === 'string' || Array.isArray(v)) throw invalidRequest(`Invalid object`, param);
      const preds: Array<(o: AnyObject) => boolean> = [];
      for (const [k, sub] of Object.entries(v)) {
        const subSpec = spec.fields[k];
        if (!subSpec) throw unknownParameter(`${param}[${k}]`);
        const f = buildFilter(`${name}.${k}`, subSpec, sub, [...path, `[${k}]`], ds);
        if (f.pred) preds.push(f.pred);
      }
      return { pred: (o) => preds.every((p) => p(o)) };
    }
    case 'custom':
      return { pred: spec.build(v, param) };
  }
}

interface ListFilters {
  predicates: Array<(o: AnyObject) => boolean>;
  /** Equality filters a per-value index can serve. */
  indexed: Array<{ name: string; value: string }>;
}

/** The resource's own filters the query sets, validated; those whose meaning lives in list-rules.ts only validated. */
function listFilters(def: ResourceDef, q: QueryObject, ds: Dataset): ListFilters {
  const out: ListFilters = { predicates: [], indexed: [] };
  for (const [name, spec] of Object.entries(def.filters)) {
    const v = q[name];
    if (v === undefined) continue;
    const f = buildFilter(name, spec, v, [name], ds);
    // Validated here, applied by implicitListPredicates (list-rules.ts).
    if (handledByRules(def, name)) continue;
    if (f.pred) out.predicates.push(f.pred);
    if (f.index) out.indexed.push(f.index);
  }
  return out;
}

/** Starts from the smallest index; the other indexed filters become predicates (added to `predicates`). */
function indexedBase(coll: ReturnType<Store['collectionFor']>, def: ResourceDef, filters: ListFilters, ds: Dataset): AnyObject[] {
  let base = coll.items;
  let chosen: { name: string; value: string } | undefined;
  for (const ix of filters.indexed) {
    const spec = def.filters[ix.name.split('.')[0] as string] as FilterSpec & { kind: 'eq' | 'enum' };
    const get = spec.kind === 'eq' ? (o: AnyObject) => spec.get(o, ds) : spec.get;
    const sub = coll.index(ix.name, get, spec.kind === 'eq' ? spec.caseInsensitive === true : false).get(ix.value) ?? [];
    if (!chosen || sub.length < base.length) {
      if (chosen) filters.predicates.push(makeIndexPredicate(def, chosen, ds));
      base = sub;
      chosen = ix;
    } else {
      filters.predicates.push(makeIndexPredicate(def, ix, ds));
    }
  }
  return base;
}

/** The objects `starting_after` / `ending_before` name (one of them at most), which must exist. */
function cursorBounds(coll: ReturnType<Store['collectionFor']>, def: ResourceDef, q: QueryObject): { after?: AnyObject; before?: AnyObject } {
  const startingAfter = asString(q.starting_after, 'starting_after');
  const endingBefore = asString(q.ending_before, 'ending_before');
  if (startingAfter && endingBefore) throw invalidRequest('You may only specify one of these parameters: ending_before, starting_after.', 'ending_before');
  const find = (id: string, param: string): AnyObject => {
    const obj = coll.byId.get(id);
    if (!obj) throw resourceMissing(def.objectName, id, param);
    return obj;
  };
  return {
    ...(startingAfter !== undefined ? { after: find(startingAfter, 'starting_after') } : {}),
    ...(endingBefore !== undefined ? { before: find(endingBefore, 'ending_before') } : {}),
  };
}

function list(ctx: Ctx, def: ResourceDef, q: QueryObject): unknown {
  checkAllowed(q, [...COMMON_LIST_PARAMS, ...Object.keys(def.filters)]);
  const limit = parseLimit(q.limit);
  const expand = parseExpand(q.expand);
  const coll = ctx.store.collectionFor(def);
  const ds = ctx.store.ds;
  const created = q.created !== undefined ? parseRange(q.created, 'created') : undefined;
  const filters = listFilters(def, q, ds);
  const bounds = cursorBounds(coll, def, q);
  filters.predicates.push(...implicitListPredicates(ctx.store, def, q));
  const base = indexedBase(coll, def, filters, ds);
  const result = scan({
    base,
    predicates: filters.predicates,
    ...(created?.min !== undefined ? { createdMin: created.min } : {}),
    ...(created?.max !== undefined ? { createdMax: created.max } : {}),
    ...bounds,
    limit,
  });
  for (const p of expand) {
    if (!p.startsWith('data.')) throw cannotExpand(p, `You may want to try expanding 'data.${p}' instead.`);
  }
  const body = { object: 'list', data: result.data.map(served), has_more: result.has_more, url: def.path };
  return expand.length ? applyExpansions(ctx, body, expand) : body;
}

function makeIndexPredicate(def: ResourceDef, ix: { name: string; value: string }, ds: Dataset): (o: AnyObject) => boolean {
  const spec = def.filters[ix.name] as FilterSpec & { kind: 'eq' | 'enum' };
  if (spec.kind === 'eq') {
    return (o) => {
      const got = spec.get(o, ds);
      return got !== null && got !== undefined && (spec.caseInsensitive ? got.toLowerCase() : got) === ix.value;
    };
  }
  return (o) => spec.get(o) === ix.value;
}

function retrieve(ctx: Ctx, def: ResourceDef, id: string, q: QueryObject): unknown {
  checkAllowed(q, ['expand']);
  const expand = parseExpand(q.expand);
  const obj = ctx.store.collectionFor(def).byId.get(id) ?? deletedStub(ctx.store, def.collection, id);
  if (!obj) throw resourceMissing(def.objectName, id);
  return expand.length ? applyExpansions(ctx, served(obj), expand) : served(obj);
}

interface PageToken {
  h: string;
  c: number;
  i: string;
}

function queryHash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36);
}

function search(ctx: Ctx, def: ResourceDef, q: QueryObject): unknown {
  checkAllowed(q, ['expand', 'limit', 'page', 'query']);
  const limit = parseLimit(q.limit);
  const expandAll = parseExpand(q.expand);
  const queryText = asString(q.query, 'query');
  if (queryText === undefined || queryText.trim() === '') throw invalidRequest('Missing required param: query.', 'query', 'parameter_missing');
  let pred: (o: AnyObject) => boolean;
  try {
    pred = compileSearch(queryText, def.searchName as SearchResource, def.search ?? {});
  } catch (e) {
    if (e instanceof SearchSyntaxError) throw invalidRequest(e.message, 'query');
    throw e;
  }
  const matches = pred;
  pred = (o) => o.deleted !== true && matches(o); // deleted customers are not found (list-rules.ts)
  const hash = queryHash(`${def.path}|${queryText}`);
  let after: { created: number; id: string } | undefined;
  const page = asString(q.page, 'page');
  if (page !== undefined && page !== '') {
    let tok: PageToken | undefined;
    try {
      tok = JSON.parse(Buffer.from(page, 'base64url').toString('utf8')) as PageToken;
    } catch {
      tok = undefined;
    }
    if (!tok || tok.h !== hash || typeof tok.c !== 'number' || typeof tok.i !== 'string') {
      throw invalidRequest('Invalid page: the page token is malformed or belongs to a different query.', 'page');
    }
    after = { created: tok.c, id: tok.i };
  }
  const coll = ctx.store.collectionFor(def);
  const result = scan({ base: coll.items, predicates: [pred], ...(after ? { after } : {}), limit });
  const last = result.data[result.data.length - 1];
  const nextPage = result.has_more && last ? Buffer.from(JSON.stringify({ h: hash, c: last.created, i: last.id } satisfies PageToken)).toString('base64url') : null;
  const wantTotal = expandAll.includes('total_count');
  const expand = expandAll.filter((p) => p !== 'total_count');
  for (const p of expand) {
    if (!p.startsWith('data.')) throw cannotExpand(p, `You may want to try expanding 'data.${p}' instead.`);
  }
  const body: Record<string, unknown> = {
    object: 'search_result',
    data: result.data.map(served),
    has_more: result.has_more,
    next_page: nextPage,
    url: `${def.path}/search`,
  };
  if (wantTotal) body.total_count = countMatches(coll.items, pred);
  return expand.length ? applyExpansions(ctx, body, expand) : body;
}

function singleton(ctx: Ctx, obj: unknown, q: QueryObject): unknown {
  checkAllowed(q, ['expand']);
  const expand = parseExpand(q.expand);
  return expand.length ? applyExpansions(ctx, obj, expand) : obj;
}

// ---------------------------------------------------------------------------------------------------------------
// Writes: recorded, answered as Stripe would, never applied.

function write(ctx: Ctx, method: string, path: string, body: QueryObject): { status: number; body: unknown } {
  const m = /^(\/v1\/[a-z_]+)(?:\/([^/]+))?(?:\/([a-z_]+))?$/.exec(path);
  const def = m ? RESOURCE_BY_PATH.get(m[1] as string) : undefined;
  if (!m || !def) throw unrecognizedUrl(method, path);
  requirePermission(ctx, writePermission(EMULATOR_PERMISSIONS[def.path] as string));
  const id = m[2];
  if (id === undefined) {
    if (method !== 'POST') throw unrecognizedUrl(method, path);
    if (def.collection === 'customers') {
      const now = Math.floor(Date.now() / 1000);
      const str = (k: string): string | null => (typeof body[k] === 'string' ? (body[k] as string) : null);
      return {
        status: 200,
        body: {
          id: `cus_${randomToken(14)}`,
          object: 'customer',
          address: null,
          balance: 0,
          created: now,
          currency: null,
          default_source: null,
          delinquent: false,
          description: str('description'),
          discount: null,
          email: str('email'),
          invoice_prefix: randomToken(8).toUpperCase(),
          invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
          livemode: ctx.auth.mode === 'live',
          metadata: typeof body.metadata === 'object' && !Array.isArray(body.metadata) ? body.metadata : {},
          name: str('name'),
          next_invoice_sequence: 1,
          phone: str('phone'),
          preferred_locales: [],
          shipping: null,
          tax_exempt: 'none',
          test_clock: null,
        },
      };
    }
    throw invalidRequest(`The emulator received this ${method} ${path} (recorded) but creates only customers; nothing was changed.`);
  }
  const obj = ctx.store.collectionFor(def).byId.get(id);
  if (!obj) throw resourceMissing(def.objectName, id);
  if (method === 'DELETE') return { status: 200, body: { id, object: def.objectName, deleted: true } };
  return { status: 200, body: obj };
}

// ---------------------------------------------------------------------------------------------------------------

function randomToken(n: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(n);
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[(bytes[i] as number) % 62];
  return s;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function extractKey(req: IncomingMessage): string | null {
  const h = req.headers.authorization;
  if (!h) return null;
  const bearer = /^Bearer\s+(.+)$/i.exec(h);
  if (bearer) return (bearer[1] as string).trim();
  const basic = /^Basic\s+(.+)$/i.exec(h);
  if (basic) {
    const decoded = Buffer.from((basic[1] as string).trim(), 'base64').toString('utf8');
    const user = decoded.split(':')[0] ?? '';
    return user;
  }
  return h.trim();
}

function authenticate(key: string | null, keys: Record<string, EmulatorKeySpec>): AuthOk | ApiError {
  if (key === null || key === '') return noApiKey();
  const spec = keys[key];
  if (spec) {
    if (spec.revoked) return invalidApiKey(key);
    if (spec.expired) return expiredApiKey(key);
    const perms = spec.permissions ?? 'all';
    return { key, mode: spec.mode, granted: perms === 'all' ? 'all' : new Set(perms) };
  }
  if (/^pk_(test|live)_/.test(key)) return publishableKey();
  const m = WELL_FORMED_KEY.exec(key);
  if (!m) return invalidApiKey(key);
  return { key, mode: m[2] === 'live' ? 'live' : 'test', granted: 'all' };
}

/** What one running emulator holds between requests. */
interface EmulatorState {
  keys: Record<string, EmulatorKeySpec>;
  latency: number;
  faults: Array<{ status: FaultSpec['status']; remaining: number; pathPrefix: string; headers: Record<string, string> }>;
  requests: RecordedRequest[];
  rateLimiter: ReturnType<typeof createRateLimiter>;
  storeFor: (mode: Mode) => Store;
  accountId: string;
}

/**
 * The generated business is a function of seed, anchor, mode and size alone, and nothing changes it once made (it serves
 * GET only, and builds expanded objects as new ones), so emulators in one process share it: a test file starts its own
 * emulator, and generating one (about 15,000 objects) costs 0.2–0.3 s of CPU each time. Its lists are frozen, so code
 * that tried to add to one would fail loudly instead of changing what another emulator serves. A few are kept: an
 * anchor is a day, so a long-running process sees a new one daily.
 */
const GENERATED_STORES = new Map<string, Store>();
const GENERATED_STORES_KEPT = 6;

function generatedStore(seed: number, anchor: Date, mode: Mode, size: Partial<DatasetSize> | undefined): Store {
  const key = JSON.stringify([seed, anchor.getTime(), mode, size ?? {}]);
  let store = GENERATED_STORES.get(key);
  if (!store) {
    const ds = generateDataset({ seed, anchor, mode, ...(size ? { size } : {}) });
    for (const value of Object.values(ds)) if (Array.isArray(value)) Object.freeze(value);
    store = new Store(ds);
    if (GENERATED_STORES.size >= GENERATED_STORES_KEPT) GENERATED_STORES.delete(GENERATED_STORES.keys().next().value!);
    GENERATED_STORES.set(key, store);
  }
  return store;
}

/** Each mode's store, built on first use: the hand-written objects given for it, else the generated business. */
function storesOf(options: EmulatorOptions): (mode: Mode) => Store {
  const seed = options.seed ?? 42;
  const anchor = options.anchor ?? defaultAnchor();
  const stores: Partial<Record<Mode, Store>> = {};
  return (mode) => {
    let s = stores[mode];
    if (!s) {
      const objects = options.objects?.[mode];
      s = objects
        ? new Store(seededDataset(objects, { mode, seed, now: Math.floor(anchor.getTime() / 1000), account: defaultAccount(seed, anchor) }))
        : generatedStore(seed, anchor, mode, options.size);
      stores[mode] = s;
    }
    return s;
  };
}

async function send(state: EmulatorState, res: ServerResponse, rec: RecordedRequest, status: number, payload: unknown, extra: Record<string, string>): Promise<void> {
  if (state.latency > 0) await new Promise((r) => setTimeout(r, state.latency));
  rec.status = status;
  const text = JSON.stringify(payload, null, 2);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-cache, no-store',
    ...extra,
  });
  res.end(text);
}

/** One request, answered as Stripe would: recorded, then faults, authentication, rate limits, and the endpoint. */
async function handleRequest(state: EmulatorState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase();
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
  const query = parseStripeQuery(url.search);
  const rawBody = method === 'GET' || method === 'HEAD' ? '' : await readBody(req);
  const auth = authenticate(extractKey(req), state.keys);
  const mode = auth instanceof ApiError ? null : auth.mode;
  const version = typeof req.headers['stripe-version'] === 'string' ? req.headers['stripe-version'] : undefined;
  const rec: RecordedRequest = { method, path, query, mode, at: Date.now(), ...(rawBody ? { body: rawBody } : {}), ...(version ? { stripeVersion: version } : {}) };
  state.requests.push(rec);
  const requestId = `req_${randomToken(14)}`;
  const headers: Record<string, string> = {
    'Request-Id': requestId,
    'Stripe-Version': version ?? EMULATOR_API_VERSION,
  };
  const idem = req.headers['idempotency-key'];
  if (typeof idem === 'string') headers['Idempotency-Key'] = idem;
  const fail = (e: ApiError, extra: Record<string, string> = {}): Promise<void> => {
    const body = { ...e.body };
    if (mode) body.request_log_url = `https://dashboard.stripe.com/${mode === 'test' ? 'test/' : ''}logs/${requestId}?t=${Math.floor(rec.at / 1000)}`;
    return send(state, res, rec, e.status, { error: body }, { ...headers, ...extra });
  };
  const fault = state.faults.find((f) => f.remaining > 0 && path.startsWith(f.pathPrefix));
  if (fault) {
    fault.remaining--;
    return fail(faultError(fault.status), fault.headers);
  }
  if (auth instanceof ApiError) return fail(auth);
  const limited = state.rateLimiter.admit(state.accountId, auth.mode, method, path, rec.at);
  if (limited) return fail(limited.error, { 'Stripe-Rate-Limited-Reason': limited.reason });
  try {
    const ctx: Ctx = { auth, store: state.storeFor(auth.mode), accountId: state.accountId };
    if (method !== 'GET') {
      const out = write(ctx, method, path, method === 'POST' ? parseStripeQuery(rawBody) : {});
      return send(state, res, rec, out.status, out.body, headers);
    }
    return send(state, res, rec, 200, route(ctx, path, query), headers);
  } catch (e) {
    if (e instanceof ApiError) return fail(e);
    return fail(new ApiError(500, { type: 'api_error', message: `Emulator error: ${e instanceof Error ? e.message : String(e)}` }));
  }
}

/** Listens on 127.0.0.1 (port 0: any free one) and resolves with the port. */
async function listen(server: ReturnType<typeof createServer>, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
  const storeFor = storesOf(options);
  const state: EmulatorState = {
    keys: { ...(options.keys ?? {}) },
    latency: options.latencyMs ?? 0,
    faults: [],
    requests: [],
    rateLimiter: createRateLimiter(options.rateLimits),
    storeFor,
    accountId: storeFor('test').ds.account.id,
  };
  const server = createServer((req, res) => {
    handleRequest(state, req, res).catch((e: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ error: { type: 'api_error', message: String(e) } }));
      }
    });
  });
  server.keepAliveTimeout = 5_000;
  const port = await listen(server, options.port ?? 0);

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    keys: { test: EMULATOR_TEST_KEY, live: EMULATOR_LIVE_KEY },
    requests: state.requests,
    injectFault(f: FaultSpec): void {
      state.faults.push({ status: f.status, remaining: f.times ?? 1, pathPrefix: f.pathPrefix ?? '', headers: f.headers ?? {} });
    },
    setLatency(ms: number): void {
      state.latency = Math.max(0, ms);
    },
    dataset(mode: Mode): Dataset {
      return storeFor(mode).ds;
    },
    close(): Promise<void> {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function route(ctx: Ctx, path: string, q: QueryObject): unknown {
  if (path === '/v1/balance') {
    requirePermission(ctx, EMULATOR_PERMISSIONS['/v1/balance'] as string);
    return singleton(ctx, ctx.store.ds.balance, q);
  }
  if (path.startsWith('/v1/accounts/')) {
    // Retrieving your own account by id works like /v1/account; the emulator has no connected accounts.
    const id = decodeURIComponent(path.slice('/v1/accounts/'.length));
    requirePermission(ctx, EMULATOR_PERMISSIONS['/v1/account'] as string);
    if (id !== ctx.store.ds.account.id) throw resourceMissing('account', id);
    return singleton(ctx, ctx.store.ds.account, q);
  }
  if (path === '/v1/account') {
    requirePermission(ctx, EMULATOR_PERMISSIONS['/v1/account'] as string);
    return singleton(ctx, ctx.store.ds.account, q);
  }
  const lines = /^\/v1\/invoices\/([^/]+)\/lines$/.exec(path);
  if (lines) return invoiceLines(ctx, decodeURIComponent(lines[1] as string), q);
  const m = /^(\/v1\/[a-z_]+)(?:\/([^/]+))?$/.exec(path);
  const def = m ? RESOURCE_BY_PATH.get(m[1] as string) : undefined;
  if (!m || !def) throw unrecognizedUrl('GET', path);
  requirePermission(ctx, EMULATOR_PERMISSIONS[def.path] as string);
  const sub = m[2];
  if (sub === undefined) return list(ctx, def, q);
  if (sub === 'search') {
    if (!def.search) throw unrecognizedUrl('GET', path);
    return search(ctx, def, q);
  }
  return retrieve(ctx, def, decodeURIComponent(sub), q);
}

/**
 * GET /v1/invoices/{id}/lines: the invoice's full list of line items, paged like any list (limit, starting_after,
 * ending_before, expand; docs.stripe.com/api/invoice-line-item/retrieve), under the Invoices permission.
 */
function invoiceLines(ctx: Ctx, invoiceId: string, q: QueryObject): unknown {
  requirePermission(ctx, EMULATOR_PERMISSIONS['/v1/invoices'] as string);
  checkAllowed(q, ['ending_before', 'expand', 'limit', 'starting_after']);
  const limit = parseLimit(q.limit);
  const expand = parseExpand(q.expand);
  const invoice = ctx.store.collections.invoices.byId.get(invoiceId);
  if (!invoice) throw resourceMissing('invoice', invoiceId);
  const all = (invoice.lines as { data: AnyObject[] }).data;
  const after = asString(q.starting_after, 'starting_after');
  const before = asString(q.ending_before, 'ending_before');
  if (after && before) throw invalidRequest('You may only specify one of these parameters: ending_before, starting_after.', 'ending_before');
  const at = (id: string, param: string) => {
    const i = all.findIndex((l) => l.id === id);
    if (i < 0) throw resourceMissing('line_item', id, param);
    return i;
  };
  let from = after ? at(after, 'starting_after') + 1 : 0;
  let to = before ? at(before, 'ending_before') : all.length;
  if (before) from = Math.max(0, to - limit);
  else to = Math.min(all.length, from + limit);
  const has_more = before ? from > 0 : to < all.length;
  const body = { object: 'list', data: all.slice(from, to), has_more, url: `/v1/invoices/${invoiceId}/lines` };
  return expand.length ? applyExpansions(ctx, body, expand) : body;
}

export { RESOURCES };
