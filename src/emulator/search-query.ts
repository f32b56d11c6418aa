/**
 * Evaluates Stripe Search queries over emulator objects. What a query may say (fields, operators, values) is
 * src/stripe/search-query.ts, Stripe's own tables, shared with the `search` tool; this file only reads the
 * fields from objects and matches them the way docs.stripe.com/search describes:
 *   token   exact match, case-insensitive;
 *   string  exact match = the value contains all of the query's words in the same order ("one two three" matches
 *           "one two three four"), case-insensitive; `~` = substring, case-insensitive;
 *   numeric exact match and > < >= <=.
 */
import { SEARCH_FIELDS, checkSearchQuery, searchFieldsOf, type SearchClause, type SearchResource } from '../stripe/search-query.js';

export { SearchSyntaxError, parseSearchQuery, checkSearchQuery } from '../stripe/search-query.js';
export type { SearchQuery, SearchClause, SearchOperator } from '../stripe/search-query.js';

/** How the emulator reads each query field of a resource from its objects (metadata: the metadata object). */
export type SearchGetters<T> = Record<string, (o: T) => unknown>;

/**
 * A query field read from an object by its own path (`payment_method_details.card.brand`): Stripe names its query
 * fields after the object's fields. A reference gives its id whether expanded or not.
 */
function fieldAtPath(field: string): (o: unknown) => unknown {
  const path = field.split('.');
  return (o) => {
    let v: unknown = o;
    for (const key of path) {
      if (v === null || typeof v !== 'object') return null;
      v = (v as Record<string, unknown>)[key];
    }
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && typeof (v as { id?: unknown }).id === 'string') return (v as { id: string }).id;
    return v ?? null;
  };
}

/**
 * A resource's getters, from Stripe's field table (src/stripe/search-query.ts), the one list of its query fields:
 * each field is read at its own path unless `special` says how (a field whose value is worked out, like charges'
 * `refunded`). A special getter for a field Stripe does not have is refused when the emulator loads.
 */
export function searchGetters<T>(resource: SearchResource, special: SearchGetters<T> = {}): SearchGetters<T> {
  const fields = Object.keys(SEARCH_FIELDS[resource]);
  const unknown = Object.keys(special).filter((f) => !fields.includes(f));
  if (unknown.length) throw new Error(`emulator search getters for ${resource}: ${unknown.join(', ')} ${unknown.length === 1 ? 'is not a query field' : 'are not query fields'} of Stripe's`);
  return Object.fromEntries(fields.map((f) => [f, special[f] ?? (fieldAtPath(f) as (o: T) => unknown)]));
}

function isEmpty(v: unknown): boolean {
  return v === null || v === undefined || v === '';
}

const words = (s: string): string[] => s.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);

/** True when `have` contains the words of `want`, consecutively and in order. */
function containsPhrase(have: string, want: string): boolean {
  const h = words(have);
  const w = words(want);
  if (w.length === 0) return have.toLowerCase() === want.toLowerCase();
  for (let i = 0; i + w.length <= h.length; i++) if (w.every((x, j) => h[i + j] === x)) return true;
  return false;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined);

/** Throws SearchSyntaxError (Stripe's 400) for a query Stripe refuses; otherwise returns the predicate. */
export function compileSearch<T>(queryText: string, resource: SearchResource, getters: SearchGetters<T>): (o: T) => boolean {
  const q = checkSearchQuery(resource, queryText);
  const tests = q.clauses.map((c) => compileClause(c, resource, getters));
  if (q.combinator === 'OR') return (o) => tests.some((t) => t(o));
  return (o) => tests.every((t) => t(o));
}

function compileClause<T>(c: SearchClause, resource: SearchResource, getters: SearchGetters<T>): (o: T) => boolean {
  const type = searchFieldsOf(resource)[c.field]!.type;
  const get = getters[c.field]!;
  const read =
    c.metadataKey === undefined
      ? get
      : (o: T): unknown => ((get(o) ?? {}) as Record<string, string | undefined>)[c.metadataKey as string];
  let test: (o: T) => boolean;
  const want = c.value;
  if (want === null) {
    test = (o) => isEmpty(read(o));
  } else if (type === 'numeric') {
    const n = Number(want);
    const op = c.operator;
    test = (o) => {
      const v = read(o);
      if (typeof v !== 'number') return false;
      return op === '>' ? v > n : op === '<' ? v < n : op === '>=' ? v >= n : op === '<=' ? v <= n : v === n;
    };
  } else if (c.operator === '~') {
    const needle = want.toLowerCase();
    test = (o) => text(read(o))?.toLowerCase().includes(needle) ?? false;
  } else if (type === 'string') {
    test = (o) => {
      const v = text(read(o));
      return v !== undefined && containsPhrase(v, want);
    };
  } else {
    const lower = want.toLowerCase();
    test = (o) => text(read(o))?.toLowerCase() === lower;
  }
  return c.negated ? (o) => !test(o) : test;
}
