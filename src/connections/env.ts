import { describeKey, keyHint } from '../stripe/keys.js';
import { apiBaseFromEnv } from '../stripe/client.js';
import type { ConnectionKeys } from './router.js';

export const ENV_CONNECTION = 'env';

export type EnvKeyResult =
  | { ok: true; connection: ConnectionKeys; warning?: string }
  | { ok: false; problem: string }
  | { ok: false; problem: null };

/**
 * STRIPE_API_KEY as a one-key connection named "env" (containers, trials). The key is checked for shape
 * here so a wrong key is reported at start-up and on every call, never sent to Stripe.
 */
export function connectionFromEnv(env: NodeJS.ProcessEnv = process.env): EnvKeyResult {
  const raw = env.STRIPE_API_KEY?.trim();
  if (!raw) return { ok: false, problem: null };
  const shape = describeKey(raw);
  if (!shape) {
    return {
      ok: false,
      problem: `STRIPE_API_KEY does not look like a Stripe API key (${keyHint(raw)}). Expected rk_test_…, rk_live_…, sk_test_… or sk_live_….`,
    };
  }
  if (shape.kind === 'publishable') {
    return {
      ok: false,
      problem: 'STRIPE_API_KEY is a publishable key (pk_…), which cannot read account data. Use a restricted key (rk_…) with Read access.',
    };
  }
  const connection: ConnectionKeys = { name: ENV_CONNECTION, keys: { [shape.mode]: raw }, defaultMode: shape.mode, apiBase: apiBaseFromEnv(env) };
  return shape.kind === 'secret'
    ? {
        ok: true,
        connection,
        warning:
          'STRIPE_API_KEY is a secret key (sk_…): it can write as well as read. This server only ever sends GET requests, but a restricted key (rk_…) with Read access limits the damage if the key leaks.',
      }
    : { ok: true, connection };
}
