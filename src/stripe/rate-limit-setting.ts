/**
 * How many requests a second Stripe lets this account make: per mode (the global limit), per endpoint, and for the
 * Search API. Stripe's usual limits are the default;
 * STRIPE_MCP_STRIPE_RATE_LIMITS changes them for an account whose limits Stripe raised, or lowers them to leave
 * room for the account's own integration, which shares the same limit. Read when a Stripe client is made.
 */
import { SetupError } from './errors.js';
import { STRIPE_RATE_LIMITS, type RateLimits } from './rate-limit.js';

export const RATE_LIMITS_ENV = 'STRIPE_MCP_STRIPE_RATE_LIMITS';

/** Far above any limit Stripe grants; a bound so a typo cannot turn the limiter off. */
const MAX_PER_SECOND = 10_000;

const EXAMPLE = 'e.g. live=300,endpoint=50 or live=100,test=25,endpoint=25,search=20';

/** The limits in effect: Stripe's usual ones, with any the setting names replaced. Throws SetupError on a bad value. */
export function stripeRateLimits(env: NodeJS.ProcessEnv = process.env): RateLimits {
  const raw = env[RATE_LIMITS_ENV]?.trim();
  if (!raw) return STRIPE_RATE_LIMITS;
  const limits = { ...STRIPE_RATE_LIMITS };
  const seen = new Set<string>();
  for (const part of raw.split(',')) {
    const match = /^\s*(live|test|endpoint|search)\s*=\s*(\d+)\s*$/.exec(part);
    const perSecond = match ? Number(match[2]) : NaN;
    if (!match || perSecond < 1 || perSecond > MAX_PER_SECOND) {
      throw new SetupError(
        `${RATE_LIMITS_ENV}="${raw}" is not understood at "${part.trim()}": give requests per second for live, test (each mode's global limit), endpoint (each endpoint's own) or search, ` +
          `whole numbers from 1 to ${MAX_PER_SECOND.toLocaleString('en-US')}, separated by commas (${EXAMPLE}). Unset it for Stripe's usual limits.`,
      );
    }
    const name = match[1] as keyof RateLimits;
    if (seen.has(name)) throw new SetupError(`${RATE_LIMITS_ENV}="${raw}" names ${name} twice (${EXAMPLE}).`);
    seen.add(name);
    limits[name] = perSecond;
  }
  return limits;
}

/** One line for people: the limits in effect and where they come from. */
export function describeRateLimits(env: NodeJS.ProcessEnv = process.env): string {
  const limits = stripeRateLimits(env);
  const text = `live ${limits.live}/s, test ${limits.test}/s, each endpoint ${limits.endpoint}/s, search ${limits.search}/s`;
  return env[RATE_LIMITS_ENV]?.trim() ? `${text} (from ${RATE_LIMITS_ENV})` : `${text} (Stripe's usual limits; ${RATE_LIMITS_ENV} changes them)`;
}
