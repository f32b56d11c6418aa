/**
 * Indexed, pre-sorted collections and the list/search scan. A list request costs O(log n) to find its window
 * (created range and cursor by binary search) plus a scan that stops after `limit + 1` matches; equality filters
 * marked `index` start the scan from a per-value sub-list built once on first use.
 */
import type Stripe from 'stripe';
import type { Dataset } from './types.js';
import { RESOURCES } from './resources.js';
import type { AnyObject, CollectionName, ResourceDef } from './resources.js';

/** Stripe's list order: newest first, ties by id descending. Negative when a comes first. */
export function listOrder(a: { created: number; id: string }, b: { created: number; id: string }): number {
  if (a.created !== b.created) return b.created - a.created;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

export class Collection {
  readonly items: AnyObject[];
  readonly byId = new Map<string, AnyObject>();
  private readonly indexes = new Map<string, Map<string, AnyObject[]>>();

  constructor(items: AnyObject[]) {
    // The generator already sorts; re-sorting a sorted array is cheap and guards against hand-built datasets.
    let sorted = true;
    for (let i = 1; i < items.length && sorted; i++) if (listOrder(items[i - 1] as AnyObject, items[i] as AnyObject) > 0) sorted = false;
    this.items = sorted ? items : [...items].sort(listOrder);
    for (const o of this.items) this.byId.set(o.id, o);
  }

  /** Sub-list (still in list order) of objects whose `get` value equals each key. Built once per filter name. */
  index(name: string, get: (o: AnyObject) => string | null | undefined, caseInsensitive = false): Map<string, AnyObject[]> {
    let idx = this.indexes.get(name);
    if (!idx) {
      idx = new Map();
      for (const o of this.items) {
        let v = get(o);
        if (v === null || v === undefined) continue;
        if (caseInsensitive) v = v.toLowerCase();
        let arr = idx.get(v);
        if (!arr) {
          arr = [];
          idx.set(v, arr);
        }
        arr.push(o);
      }
      this.indexes.set(name, idx);
    }
    return idx;
  }
}

/** First index i in `arr` (list order) whose created ≤ max. */
function firstCreatedAtMost(arr: AnyObject[], max: number): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((arr[mid] as AnyObject).created > max) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index i in `arr` (list order) whose created < min (i.e. end of the window created ≥ min). */
function firstCreatedBelow(arr: AnyObject[], min: number): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((arr[mid] as AnyObject).created >= min) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose element comes strictly after `cursor` in list order. */
function firstAfter(arr: AnyObject[], cursor: { created: number; id: string }): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (listOrder(arr[mid] as AnyObject, cursor) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose element is not before `cursor` (the cursor itself or later). */
function firstNotBefore(arr: AnyObject[], cursor: { created: number; id: string }): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (listOrder(arr[mid] as AnyObject, cursor) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface ScanQuery {
  base: AnyObject[];
  predicates: Array<(o: AnyObject) => boolean>;
  /** Inclusive bounds on `created`. */
  createdMin?: number;
  createdMax?: number;
  after?: { created: number; id: string };
  before?: { created: number; id: string };
  limit: number;
}

export function scan(q: ScanQuery): { data: AnyObject[]; has_more: boolean } {
  const arr = q.base;
  let lo = q.createdMax !== undefined ? firstCreatedAtMost(arr, q.createdMax) : 0;
  let hi = q.createdMin !== undefined ? firstCreatedBelow(arr, q.createdMin) : arr.length;
  const preds = q.predicates;
  const ok = preds.length === 0 ? () => true : (o: AnyObject) => preds.every((p) => p(o));
  if (q.before) {
    hi = Math.min(hi, firstNotBefore(arr, q.before));
    const out: AnyObject[] = [];
    for (let i = hi - 1; i >= lo && out.length <= q.limit; i--) {
      const o = arr[i] as AnyObject;
      if (ok(o)) out.push(o);
    }
    const has_more = out.length > q.limit;
    if (has_more) out.pop();
    out.reverse();
    return { data: out, has_more };
  }
  if (q.after) lo = Math.max(lo, firstAfter(arr, q.after));
  const out: AnyObject[] = [];
  for (let i = lo; i < hi && out.length <= q.limit; i++) {
    const o = arr[i] as AnyObject;
    if (ok(o)) out.push(o);
  }
  const has_more = out.length > q.limit;
  if (has_more) out.pop();
  return { data: out, has_more };
}

export function countMatches(arr: AnyObject[], pred: (o: AnyObject) => boolean): number {
  let n = 0;
  for (const o of arr) if (pred(o)) n++;
  return n;
}

/** Everything the server needs for one mode. */
export class Store {
  readonly collections: Record<CollectionName, Collection>;
  readonly discounts = new Map<string, Stripe.Discount>();
  readonly coupons = new Map<string, Stripe.Coupon>();
  private invoicePaymentsByInvoice: Map<string, Stripe.InvoicePayment[]> | null = null;

  constructor(readonly ds: Dataset) {
    const c = {} as Record<CollectionName, Collection>;
    for (const r of RESOURCES) c[r.collection] = new Collection(ds[r.collection] as unknown as AnyObject[]);
    this.collections = c;
    for (const d of ds.discounts) this.discounts.set(d.id, d);
    for (const cp of ds.coupons) this.coupons.set(cp.id, cp);
  }

  collectionFor(r: ResourceDef): Collection {
    return this.collections[r.collection];
  }

  /** Resolve an id by its prefix among the listed collections (for `source`-style references). */
  byAnyId(id: string): { obj: AnyObject; resource: ResourceDef } | undefined {
    for (const r of RESOURCES) {
      if (!r.idPrefixes.some((p) => id.startsWith(p))) continue;
      const obj = this.collections[r.collection].byId.get(id);
      if (obj) return { obj, resource: r };
    }
    return undefined;
  }

  invoicePayments(invoiceId: string): Stripe.InvoicePayment[] {
    if (!this.invoicePaymentsByInvoice) {
      const m = new Map<string, Stripe.InvoicePayment[]>();
      for (const p of this.ds.invoicePayments) {
        const inv = typeof p.invoice === 'string' ? p.invoice : p.invoice.id;
        let arr = m.get(inv);
        if (!arr) {
          arr = [];
          m.set(inv, arr);
        }
        arr.push(p);
      }
      this.invoicePaymentsByInvoice = m;
    }
    return this.invoicePaymentsByInvoice.get(invoiceId) ?? [];
  }
}
