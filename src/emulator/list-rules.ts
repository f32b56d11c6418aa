/**
 * What Stripe leaves out of a list without being asked, and the fields it sends only when expanded.
 *
 * - Subscriptions (docs.stripe.com/api/subscriptions/list, `status`): with no status, "all subscriptions that have
 *   not been canceled" (incomplete_expired included); `canceled` returns every canceled subscription "including those
 *   belonging to deleted customers"; `ended` = canceled or incomplete_expired; `all` = every status. The page names
 *   deleted customers only for `canceled`: the emulator builds for the stricter reading and leaves subscriptions of
 *   deleted customers out of every other status filter.
 * - Test clocks (Stripe's OpenAPI `test_clock` list parameter): customers attached to a test clock are not listed
 *   unless `test_clock` is set; subscriptions attached to one are not listed unless `test_clock` or `customer` is set.
 * - Deleted customers are not listed; retrieving one answers `{ id, object: 'customer', deleted: true }`
 *   (docs.stripe.com/api/customers/delete: "deleted customers can still be retrieved").
 * - Events (docs.stripe.com/api/events/list, `types`): "You may pass either `type` or `types`, but not both".
 * - Coupons: `applies_to` and `currency_options` are sent only when expanded (docs.stripe.com/api/coupons/object:
 *   both "expandable").
 *
 * A seeded customer is deleted when it carries `deleted: true`; the generated business names its deleted customer
 * in `special.deletedCustomer` (left out of `customers`).
 */
import { invalidRequest } from './errors.js';
import type { QueryObject } from './query.js';
import type { AnyObject, ResourceDef } from './resources.js';
import type { Store } from './store.js';

type Predicate = (o: AnyObject) => boolean;

export const SUBSCRIPTION_LIST_STATUSES = ['active', 'all', 'canceled', 'ended', 'incomplete', 'incomplete_expired', 'past_due', 'paused', 'trialing', 'unpaid'];

const refId = (v: unknown): string | null => (typeof v === 'string' ? v : v && typeof v === 'object' && 'id' in v ? String((v as { id: unknown }).id) : null);

/** A customer is deleted when seeded with `deleted: true`, or when it is the generated business's deleted customer. */
export function isDeletedCustomer(store: Store, customer: unknown): boolean {
  const id = refId(customer);
  if (id === null) return false;
  return store.collections.customers.byId.get(id)?.deleted === true || (id !== '' && store.ds.special?.deletedCustomer === id);
}

/** Stripe's answer for a deleted customer retrieved or expanded by id; undefined for any other id. */
export function deletedStub(store: Store, collection: string, id: string): { id: string; object: 'customer'; deleted: true } | undefined {
  return collection === 'customers' && isDeletedCustomer(store, id) ? { id, object: 'customer', deleted: true } : undefined;
}

/** Predicates for one subscription `status` value (already validated against SUBSCRIPTION_LIST_STATUSES). */
function subscriptionStatus(store: Store, status: string | undefined): Predicate[] {
  const preds: Predicate[] = [];
  if (status === undefined) preds.push((o) => o.status !== 'canceled');
  else if (status === 'ended') preds.push((o) => o.status === 'canceled' || o.status === 'incomplete_expired');
  else if (status !== 'all') preds.push((o) => o.status === status);
  if (status !== 'canceled') preds.push((o) => !isDeletedCustomer(store, o.customer));
  return preds;
}

/** Test-clock rule: with `test_clock`, only that clock's objects; without it (and without `exemptWhen`), none attached to one. */
function testClock(q: QueryObject, exempt: boolean): Predicate[] {
  const clock = q.test_clock;
  if (typeof clock === 'string') return [(o) => refId(o.test_clock) === clock];
  return exempt ? [] : [(o) => o.test_clock === null || o.test_clock === undefined];
}

/** The predicates Stripe applies to a list of `def` beyond its explicit filters. `status`/`test_clock` are read here. */
export function implicitListPredicates(store: Store, def: ResourceDef, q: QueryObject): Predicate[] {
  if (def.collection === 'customers') return [(o) => o.deleted !== true, ...testClock(q, false)];
  if (def.collection === 'events' && q.type !== undefined && q.types !== undefined) {
    throw invalidRequest('You may pass either type or types, but not both.', 'types');
  }
  if (def.collection === 'subscriptions') {
    const status = typeof q.status === 'string' ? q.status : undefined;
    return [...subscriptionStatus(store, status), ...testClock(q, typeof q.customer === 'string')];
  }
  return [];
}

/** Filters whose meaning lives here, not in the resource's FilterSpec. */
export function handledByRules(def: ResourceDef, name: string): boolean {
  if (name === 'test_clock') return def.collection === 'customers' || def.collection === 'subscriptions';
  return def.collection === 'subscriptions' && name === 'status';
}

/** Fields of an object type Stripe sends only when the request expands them. */
export const INCLUDABLE: Record<string, readonly string[]> = {
  coupon: ['applies_to', 'currency_options'],
};

/** An object as Stripe sends it un-expanded: includable fields left out, a deleted customer reduced to its stub. */
export function served<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const obj = value as unknown as AnyObject;
  if (obj.object === 'customer' && obj.deleted === true) return { id: obj.id, object: 'customer', deleted: true } as unknown as T;
  const hidden = INCLUDABLE[obj.object];
  if (!hidden || !hidden.some((k) => k in obj)) return value;
  const out: Record<string, unknown> = { ...obj };
  for (const k of hidden) delete out[k];
  return out as T;
}

/** The stored value of an includable field (null when the object has none), or undefined when `field` is not one. */
export function includedField(store: Store, obj: AnyObject, field: string): unknown {
  if (!INCLUDABLE[obj.object]?.includes(field)) return undefined;
  const full = obj.object === 'coupon' ? (store.coupons.get(obj.id) as unknown as Record<string, unknown> | undefined) : undefined;
  return full?.[field] ?? null;
}
