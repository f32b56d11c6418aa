import type Stripe from 'stripe';
import { createStripeClient } from '../stripe/client.js';
import { describeError, SetupError } from '../stripe/errors.js';
import { keyHint, type Mode } from '../stripe/keys.js';
import { dashboardLabel, deniedPermission } from '../stripe/permissions.js';

export const ACCOUNT_INFO_UNAVAILABLE = 'Connected, but account info not available';

export interface Verification {
  accountId: string | null;
  businessName: string | null;
  currency: string | null;
  /** Set when the account could not be read: what it means and what to do. */
  accountNote?: string;
  /** ISO 8601. */
  verifiedAt: string;
}

/** A key Stripe did not accept, or whose answers contradict its prefix. */
export class VerificationError extends SetupError {
  override name = 'VerificationError';
}

function stripeErrorType(err: unknown): string | undefined {
  const type = (err as { type?: unknown })?.type;
  return typeof type === 'string' ? type : undefined;
}

/**
 * Proves a key works before it is saved, with GET requests only (through the read-only client): it must
 * authenticate (GET /v1/balance, else /v1/customers?limit=1), the data must be of the mode its prefix says,
 * and the account's name and currency are read as a best effort (GET /v1/account).
 */
export async function verifyKey(key: string, mode: Mode, options: { apiBase?: string | undefined; stripe?: Stripe } = {}): Promise<Verification> {
  const stripe = options.stripe ?? (await createStripeClient({ apiKey: key, mode, ...(options.apiBase ? { apiBase: options.apiBase } : {}) }));
  const fail = (err: unknown): never => {
    throw new VerificationError(describeError(err, { tool: 'verification', mode }));
  };

  let livemode: boolean | undefined;
  try {
    livemode = (await stripe.balance.retrieve()).livemode;
  } catch (err) {
    if (stripeErrorType(err) !== 'StripePermissionError') fail(err);
    // No Balance read: a 403 still proves the key authenticates. Try Customers for a livemode to compare.
    try {
      const customers = await stripe.customers.list({ limit: 1 });
      livemode = customers.data[0]?.livemode;
    } catch (err2) {
      if (stripeErrorType(err2) !== 'StripePermissionError') fail(err2);
    }
  }
  if (livemode !== undefined && livemode !== (mode === 'live')) {
    throw new VerificationError(
      `This key's prefix says ${mode} mode (${keyHint(key)}), but Stripe answered with ${livemode ? 'live' : 'test'}-mode data. ` +
        'Something between here and Stripe is wrong (a proxy, or STRIPE_API_BASE); the key was not saved.',
    );
  }

  const verifiedAt = new Date().toISOString();
  try {
    const account = await stripe.accounts.retrieveCurrent();
    return {
      accountId: account.id ?? null,
      businessName: account.business_profile?.name || account.settings?.dashboard?.display_name || null,
      currency: account.default_currency ?? null,
      verifiedAt,
    };
  } catch (err) {
    // The resource Stripe named (its 403 says which permission; Account unless it named another).
    const rak = deniedPermission(err);
    const resource = (rak && dashboardLabel(rak)) ?? 'Account';
    const why =
      stripeErrorType(err) === 'StripePermissionError'
        ? `the key does not have ${resource}: Read${rak ? ` (Stripe asked for '${rak}')` : ''}. That is fine for every tool; add ${resource}: Read to the key to see the business name and currency here.`
        : describeError(err, { tool: 'verification', mode });
    return { accountId: null, businessName: null, currency: null, accountNote: `${ACCOUNT_INFO_UNAVAILABLE}: ${why}`, verifiedAt };
  }
}
