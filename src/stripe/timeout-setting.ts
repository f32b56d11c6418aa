/**
 * How long one request to Stripe may take, connection to the last byte of the answer. A person waits for the
 * answer, so a Stripe (or network) that does not answer is reported within seconds, not minutes: a timed-out
 * request is not retried (answer.ts), so this is also the longest a silent Stripe keeps a call waiting.
 * Stripe answers a list page in well under a second (docs.stripe.com/rate-limits, /pagination); 10 s leaves room
 * for a slow network and a large expanded page. STRIPE_MCP_STRIPE_TIMEOUT (seconds) changes it.
 */
import { SetupError } from './errors.js';

export const TIMEOUT_ENV = 'STRIPE_MCP_STRIPE_TIMEOUT';

/** The per-request time-out (ms) when STRIPE_MCP_STRIPE_TIMEOUT is not set. */
export const STRIPE_REQUEST_TIMEOUT_MS = 10_000;

const MIN_SECONDS = 0.1;
const MAX_SECONDS = 300;

/** The time-out in effect (ms). Throws SetupError on a bad value. */
export function stripeRequestTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[TIMEOUT_ENV]?.trim();
  if (!raw) return STRIPE_REQUEST_TIMEOUT_MS;
  const seconds = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : NaN;
  if (!(seconds >= MIN_SECONDS && seconds <= MAX_SECONDS)) {
    throw new SetupError(`${TIMEOUT_ENV}="${raw}" is not understood: give the seconds one request to Stripe may take, from ${MIN_SECONDS} to ${MAX_SECONDS} (e.g. 20). Unset it for the default of ${STRIPE_REQUEST_TIMEOUT_MS / 1000} s.`);
  }
  return Math.round(seconds * 1000);
}
