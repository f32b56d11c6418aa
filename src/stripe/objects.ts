import type Stripe from 'stripe';
import type { Mode } from './keys.js';
import type { ReadPermission } from './permissions.js';

/**
 * One kind of Stripe object a tool returns: how to recognise its id, read one, shrink it, name it and link to it.
 * Each list tool declares its kind beside its name (`returns` in src/tools/define-tool.ts); fetch, the plain-text
 * search and Dashboard links work from those declarations (src/tools/index.ts collects them), never from a list here.
 */
export interface ObjectKind {
  /** Stripe's `object` value, e.g. "customer"; a kind Stripe also sends under an older name lists it too ("plan"). */
  object: string;
  aliases?: readonly string[];
  /** Singular, for people: "customer", "payment intent". */
  label: string;
  /** Prefixes of the ids Stripe issues for it (`cus_`); empty when ids carry none (coupons). */
  idPrefixes: readonly string[];
  /**
   * The account may choose the id (products, prices, coupons: docs.stripe.com/api/products/create `id`,
   * /api/plans/create `id`, /api/coupons/create `id`): fetch tries an id with no known prefix as each such kind.
   */
  customIds?: boolean;
  /** Path under dashboard.stripe.com/(test/) (Stripe shows charges and payment intents under payments/). */
  dashboardPath: string;
  /** How fetch reads one by id. */
  retrieve: (stripe: Stripe, id: string) => Promise<{ id: string; livemode?: boolean }>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  compact: (object: any) => Record<string, unknown>;
  /** A short human title from the compact object. */
  title: (compact: Record<string, unknown>) => string;
}

/** A declared kind with what retrieving one needs: the permission of the tool that declares it. */
export interface KnownKind extends ObjectKind {
  permission: ReadPermission;
}

/** "Charge · 12.50 USD · succeeded": the title of kinds that have an amount and a status. */
export const amountTitle = (label: string) => (c: Record<string, unknown>) =>
  [label, c.amount && c.currency ? `${c.amount} ${String(c.currency).toUpperCase()}` : null, c.status].filter(Boolean).join(' · ');

/**
 * Any id Stripe can issue. Most carry a prefix (`cus_…`), but products, prices, coupons and plans can be created with
 * an id the account chose (`gold-plan`; docs.stripe.com/api/products/create `id`, /api/coupons/create `id`,
 * /api/plans/create `id`), so the only rules are: 1–255 characters, no whitespace, control characters or `/`, and
 * not a bare `.`/`..` (it would change the request path).
 */
export const STRIPE_ID = /^(?!\.\.?$)[^\s/\u0000-\u001f\u007f]{1,255}$/u;

/** The kind whose id prefix `id` carries, or null. */
export function kindOfId<K extends ObjectKind>(kinds: readonly K[], id: string): K | null {
  return kinds.find((k) => k.idPrefixes.some((prefix) => id.startsWith(prefix))) ?? null;
}

/** The kind of an object Stripe returned, by its `object` field (custom ids carry no prefix to go by). */
export function kindOfObject<K extends ObjectKind>(kinds: readonly K[], object: { id: string; object?: string }): K | null {
  const name = object.object;
  return (name ? kinds.find((k) => k.object === name || k.aliases?.includes(name)) : undefined) ?? kindOfId(kinds, object.id);
}

/** A link a person can open: dashboard.stripe.com, with test/ in test mode. */
export function dashboardUrl(id: string, mode: Mode, kind: ObjectKind | null): string | null {
  if (!kind) return null;
  return `https://dashboard.stripe.com/${mode === 'test' ? 'test/' : ''}${kind.dashboardPath}/${encodeURIComponent(id)}`;
}
