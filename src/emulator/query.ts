/** Decoding of Stripe-style form/query encoding: `a[b]=1&c[0]=x&c[1]=y&d[]=z` → `{ a: { b: '1' }, c: ['x', 'y'], d: ['z'] }`. */

export type QueryValue = string | QueryValue[] | { [key: string]: QueryValue };
export type QueryObject = { [key: string]: QueryValue };

export function parseStripeQuery(search: string): QueryObject {
  const root: Record<string, unknown> = {};
  const params = new URLSearchParams(search.startsWith('?') ? search.slice(1) : search);
  for (const [rawKey, value] of params) {
    const m = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(rawKey);
    const segs = m ? [m[1] as string, ...[...(m[2] ?? '').matchAll(/\[([^[\]]*)\]/g)].map((x) => x[1] as string)] : [rawKey];
    let cur: Record<string, unknown> = root;
    for (let i = 0; i < segs.length; i++) {
      let seg = segs[i] as string;
      const last = i === segs.length - 1;
      if (seg === '') {
        // `x[]`: append at the next free numeric slot.
        let n = 0;
        while (Object.prototype.hasOwnProperty.call(cur, String(n))) n++;
        seg = String(n);
      }
      if (last) {
        cur[seg] = value;
      } else {
        const next = cur[seg];
        if (typeof next !== 'object' || next === null) {
          const fresh: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
          cur[seg] = fresh;
          cur = fresh;
        } else {
          cur = next as Record<string, unknown>;
        }
      }
    }
  }
  return normalise(root) as QueryObject;
}

/** Objects whose keys are all non-negative integers become arrays (ordered by index). */
function normalise(v: unknown): QueryValue {
  if (typeof v === 'string') return v;
  const obj = v as Record<string, unknown>;
  const keys = Object.keys(obj);
  const out: Record<string, QueryValue> = {};
  for (const k of keys) out[k] = normalise(obj[k]);
  if (keys.length > 0 && keys.every((k) => /^\d+$/.test(k))) {
    return keys
      .map(Number)
      .sort((a, b) => a - b)
      .map((k) => out[String(k)] as QueryValue);
  }
  return out;
}
