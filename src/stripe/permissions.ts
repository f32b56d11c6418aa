/**
 * Stripe's restricted-key permissions, by the name its 403 uses (`rak_…_read`), and the Dashboard label of each:
 * the one table of them. A restricted key sets each Dashboard resource to None, Read or Write; a request the key
 * may not make is answered with an invalid request error (403) whose message names the permission that would let
 * it continue (docs.stripe.com/keys/restricted-api-keys). An expanded object is another resource, so it needs its
 * own permission too (docs.stripe.com/api/expanding_objects; ../shared/stripe/facts.md, "Restricted keys and expand").
 *
 * Names as Stripe's Dashboard takes them when it pre-fills a key (`/apikeys/create?permissions[]=…`). Not confirmed
 * in Stripe's own pages: `rak_balance_transaction_source_read` (integrations name it and match it in Stripe's 403
 * for balance transactions) and `rak_account_read` (some integrations say GET /v1/account asks for
 * `rak_connected_account_read` instead; both map to "Account" here).
 */

/**
 * Stripe's read permissions with the label its Dashboard shows for the resource: those tools declare, and those
 * Stripe may put in a 403 that no tool declares, so that an error can still say what to set. A new tool over a
 * resource listed here declares its permission and nothing more.
 */
export const READ_PERMISSION_LABELS = {
  rak_customer_read: 'Customers',
  rak_charge_read: 'Charges',
  rak_payment_intent_read: 'PaymentIntents',
  rak_invoice_read: 'Invoices',
  rak_subscription_read: 'Subscriptions',
  rak_product_read: 'Products',
  // Prices were Plans: the permission kept the old name.
  rak_plan_read: 'Prices',
  rak_price_read: 'Prices',
  rak_coupon_read: 'Coupons',
  // rak_event_read is the name Stripe's 403 gives for GET /v1/events (quoted by integrations, e.g.
  // fivetran.com/docs/connectors/applications/stripe/troubleshooting/rak_event_read_permission). Not confirmed in
  // Stripe's own pages: rak_promotion_code_read (the Dashboard's resource name, as integrations pre-fill it).
  rak_promotion_code_read: 'Promotion codes',
  rak_event_read: 'Events',
  rak_refund_read: 'Refunds',
  rak_dispute_read: 'Disputes',
  rak_payout_read: 'Payouts',
  rak_balance_read: 'Balance',
  rak_balance_transaction_source_read: 'Balance transaction sources',
  rak_account_read: 'Account',
  rak_connected_account_read: 'Account',
  rak_payment_method_read: 'PaymentMethods',
  rak_transfer_read: 'Transfers',
  rak_application_fee_read: 'Application fees',
  rak_review_read: 'Reviews',
  rak_setup_intent_read: 'SetupIntents',
  rak_credit_note_read: 'Credit notes',
} as const;

export type ReadPermission = keyof typeof READ_PERMISSION_LABELS;

/** The Dashboard label for a permission Stripe named; undefined for a name we do not know. */
export function dashboardLabel(permission: string): string | undefined {
  return (READ_PERMISSION_LABELS as Record<string, string>)[permission];
}

/** The permission a Stripe 403 names (`Having the 'rak_…' permission would allow…`), or null for any other error. */
export function deniedPermission(err: unknown): string | null {
  if ((err as { type?: unknown })?.type !== 'StripePermissionError') return null;
  return /'(rak_[a-z_]+)'/.exec(String((err as { message?: unknown }).message ?? ''))?.[1] ?? null;
}

/** A permission a tool reads when the key has it, and what its answer lacks without it. */
export interface OptionalPermission {
  permission: ReadPermission;
  /** Written to finish "Without it, …", e.g. "discounted subscriptions count at list price". */
  without: string;
}

/**
 * What a tool needs of a restricted key, declared beside its name. Errors, `connections test`, the README's key
 * table and the emulator's permission checks are held to it (test/tools/declarations.test.ts).
 */
export interface ToolPermissions {
  /** Every call needs these at Read; without one Stripe answers 403 and the tool answers with what to set. */
  needs: readonly ReadPermission[];
  /** Read when the key allows; without them the tool still answers and says what is missing and what it changes. */
  mayUse: readonly OptionalPermission[];
  /**
   * For tools whose argument picks the resource (search's `resource`, fetch's id): the permission of each choice,
   * needed on top of `needs` by a call that makes that choice.
   */
  byChoice?: {
    /** What picks it, for people: "the resource searched". */
    of: string;
    permissions: Readonly<Record<string, ReadPermission>>;
    /** When the argument is left out (plain-text search), every one of these is read. */
    otherwise?: { of: string; permissions: readonly ReadPermission[] };
  };
}

/** Every permission a declaration can ask for, needed or optional, each once. */
export function declaredPermissions(p: ToolPermissions): ReadPermission[] {
  const all = [...p.needs, ...p.mayUse.map((o) => o.permission), ...Object.values(p.byChoice?.permissions ?? {}), ...(p.byChoice?.otherwise?.permissions ?? [])];
  return [...new Set(all)];
}

/** One line for people: what a tool needs at Read and what it may also use. */
export function describePermissions(p: ToolPermissions): string {
  const needs = [...p.needs.map((n) => READ_PERMISSION_LABELS[n]), ...(p.byChoice ? [p.byChoice.of] : [])];
  const optional = p.mayUse.map((o) => READ_PERMISSION_LABELS[o.permission]);
  return `needs ${needs.join(', ') || 'nothing'} at Read${optional.length ? `; may use ${optional.join(', ')} (optional)` : ''}`;
}
