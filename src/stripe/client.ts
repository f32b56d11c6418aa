import { createHash } from 'node:crypto';
import type Stripe from 'stripe';
import { createReadOnlyHttpClient, type ReadOnlyHttpOptions } from './http.js';
import type { Mode } from './keys.js';
import { STRIPE_RATE_LIMITS, type RateLimits } from './rate-limit.js';
import { stripeRateLimits } from './rate-limit-setting.js';
import { stripeRequestTimeoutMs } from './timeout-setting.js';

/** The API version every request is pinned to: shapes in our projections are written against it. */
export const STRIPE_API_VERSION = '2026-10-28.endive' as const;

/** A client's key, mode and API; backoffBaseMs and firstPageOnly go to the HTTP layer as given (http.ts). */
export interface StripeClientOptions extends Pick<ReadOnlyHttpOptions, 'backoffBaseMs' | 'firstPageOnly'> {
  apiKey: string;
  mode: Mode;
  /** Base URL of the Stripe API or of an emulator/proxy (STRIPE_API_BASE). */
  apiBase?: string;
  /**
   * The Stripe account the key reads (acct_…), when known: clients of one account and mode share its rate limits.
   * Without it, clients share limits when they hold the same key.
   */
  account?: string | null | undefined;
}

let stripeModule: Promise<typeof import('stripe')> | undefined;

/** Loaded on first use: the stripe package is large, and tools/list must not wait for it. */
function loadStripe(): Promise<typeof import('stripe')> {
  stripeModule ??= import('stripe');
  return stripeModule;
}

export function apiBaseFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.STRIPE_API_BASE?.trim() || undefined;
}

/** The limits each client was made with: its HTTP layer keeps to them, and paging on it takes its share of them. */
const clientLimits = new WeakMap<Stripe, RateLimits>();

/** The rate limits a client keeps to (Stripe's usual ones for a client not made here). */
export function rateLimitsOf(stripe: Stripe): RateLimits {
  return clientLimits.get(stripe) ?? STRIPE_RATE_LIMITS;
}

export async function createStripeClient(options: StripeClientOptions): Promise<Stripe> {
  const { default: StripeClass } = await loadStripe();
  const base = new URL(options.apiBase ?? 'https://api.stripe.com');
  if (base.protocol !== 'https:' && base.protocol !== 'http:') {
    throw new Error(`STRIPE_API_BASE must be an http(s) URL, got ${base.protocol}`);
  }
  const protocol = base.protocol === 'https:' ? 'https' : 'http';
  const limits = stripeRateLimits();
  const timeout = stripeRequestTimeoutMs();
  const stripe: Stripe = new StripeClass(options.apiKey, {
    apiVersion: STRIPE_API_VERSION,
    host: base.hostname,
    port: base.port || (protocol === 'https' ? 443 : 80),
    protocol,
    httpClient: createReadOnlyHttpClient(StripeClass.createNodeHttpClient(), {
      mode: options.mode,
      limits,
      account: options.account || `key:${createHash('sha256').update(options.apiKey).digest('hex').slice(0, 16)}`,
      networkRetries: (): number => stripe.getMaxNetworkRetries(),
      ...(options.backoffBaseMs !== undefined ? { backoffBaseMs: options.backoffBaseMs } : {}),
      ...(options.firstPageOnly ? { firstPageOnly: true } : {}),
    }),
    // stripe-node retries connection errors and 5xx; a 429 is retried only by our HTTP layer, which hands it up
    // marked not to be retried again, so the two never stack (http.ts).
    maxNetworkRetries: 2,
    // The whole-attempt deadline (timeout-setting.ts); a timed-out attempt is not retried.
    timeout,
    telemetry: false,
    appInfo: { name: 'stripe-readonly-mcp', url: 'https://www.npmjs.com/package/stripe-readonly-mcp' },
  });
  clientLimits.set(stripe, limits);
  return stripe;
}
