/**
 * What a list tool can count and sum, declared next to each resource's compact projection and named like its
 * fields, so the aggregate tool's `group_by: ["status"]` and `metrics: ["sum:amount"]` mean what the listed objects show.
 * Accessors read Stripe's raw objects (money stays in integer minor units: sums are exact and cheap).
 */

import type Stripe from 'stripe';

type Accessor<T, V> = (object: T) => V | null | undefined;

export interface Facets<T> {
  /** The currency every money field of an object is in (null: the object has none). */
  currency: Accessor<T, string>;
  /** Fields that make sense to group by: name → value as a string (ids, statuses, codes, "true"/"false"). */
  groups: Record<string, Accessor<T, string>>;
  /** Money fields in integer minor units of `currency`. */
  money: Record<string, Accessor<T, number>>;
  /** Unix-second dates time buckets can use; `created` first (the default). */
  dates: Record<string, Accessor<T, number>>;
  /** Money fields that the projection does not show as such, with what they mean (named in the tool schema). */
  derived?: Record<string, string>;
  /** Sums shown when metrics are not given. */
  defaultSums: string[];
  /** The price behind the `price` group, when the objects carry it whole (a subscription's item): rows are named without a request. */
  carriedPrice?: Accessor<T, Stripe.Price>;
}

export function defineFacets<T>(facets: Facets<T>): Facets<T> {
  return facets;
}

/** Booleans group as "true" / "false", like they read in the compact projection. */
export function flag(value: boolean | null | undefined): string | null {
  return value === null || value === undefined ? null : value ? 'true' : 'false';
}
