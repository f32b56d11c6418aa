import { describeKey, keyHint, type Mode } from '../stripe/keys.js';
import { apiBaseFromEnv } from '../stripe/client.js';
import type { ConnectionKeys } from './router.js';

export const ENV_CONNECTION = 'env';

/** Keys from the environment: STRIPE_API_KEY (either mode), or one per mode (what the MCP Bundle passes). */
export const ENV_KEY = 'STRIPE_API_KEY';
export const ENV_MODE_KEY: Record<Mode, string> = { test: 'STRIPE_API_KEY_TEST', live: 'STRIPE_API_KEY_LIVE' };

/** Pins serve and call to one mode, as --mode does. */
export const MODE_ENV = 'STRIPE_MCP_MODE';

export type EnvKeyResult =
  | { ok: true; connection: ConnectionKeys; warning?: string }
  | { ok: false; problem: string }
  | { ok: false; problem: null };

/**
 * An environment value, or nothing for an empty one and for a host's placeholder left unfilled: an MCP Bundle host
 * substitutes `${user_config.live_key}` only when the user filled that field, and passes the text itself otherwise.
 */
export function envValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = env[name]?.trim();
  if (!raw || /^\$\{user_config\.[^}]*\}$/.test(raw)) return undefined;
  return raw;
}

/** Which variables hold the env connection's keys, for messages ("from STRIPE_API_KEY_LIVE"). */
export function envKeySource(env: NodeJS.ProcessEnv, mode: Mode): string {
  return envValue(env, ENV_MODE_KEY[mode]) ? ENV_MODE_KEY[mode] : ENV_KEY;
}

/**
 * STRIPE_API_KEY, STRIPE_API_KEY_TEST and STRIPE_API_KEY_LIVE as one connection named "env" (containers, trials, the
 * MCP Bundle), touching no store. Every key is checked for shape here, and each per-mode variable must hold a key of
 * its mode, so a wrong key is reported at start-up and on every call, never sent to Stripe.
 */
export function connectionFromEnv(env: NodeJS.ProcessEnv = process.env): EnvKeyResult {
  const keys: Partial<Record<Mode, string>> = {};
  const secret: string[] = [];
  let defaultMode: Mode | undefined;
  const given: Array<[string, Mode | undefined]> = [
    [ENV_KEY, undefined],
    [ENV_MODE_KEY.test, 'test'],
    [ENV_MODE_KEY.live, 'live'],
  ];
  for (const [name, wantMode] of given) {
    const raw = envValue(env, name);
    if (!raw) continue;
    const shape = describeKey(raw);
    if (!shape) {
      return { ok: false, problem: `${name} does not look like a Stripe API key (${keyHint(raw)}). Expected rk_test_…, rk_live_…, sk_test_… or sk_live_….` };
    }
    if (shape.kind === 'publishable') {
      return { ok: false, problem: `${name} is a publishable key (pk_…), which cannot read account data. Use a restricted key (rk_…) with Read access.` };
    }
    if (wantMode && shape.mode !== wantMode) {
      return { ok: false, problem: `${name} holds a ${shape.mode}-mode key (${keyHint(raw)}): it takes a ${wantMode}-mode key (${wantMode === 'test' ? 'rk_test_…' : 'rk_live_…'}), so test and live never mix.` };
    }
    const existing = keys[shape.mode];
    if (existing !== undefined && existing !== raw) {
      return { ok: false, problem: `${ENV_KEY} and ${ENV_MODE_KEY[shape.mode]} hold two different ${shape.mode}-mode keys: set one of them.` };
    }
    keys[shape.mode] = raw;
    if (name === ENV_KEY) defaultMode = shape.mode;
    if (shape.kind === 'secret') secret.push(name);
  }
  if (!keys.test && !keys.live) return { ok: false, problem: null };
  const connection: ConnectionKeys = { name: ENV_CONNECTION, keys, defaultMode: defaultMode ?? (keys.test ? 'test' : 'live'), apiBase: apiBaseFromEnv(env) };
  return secret.length
    ? {
        ok: true,
        connection,
        warning:
          `${secret.join(' and ')} ${secret.length === 1 ? 'is a secret key' : 'are secret keys'} (sk_…): ${secret.length === 1 ? 'it' : 'they'} can write as well as read. This server only ever sends GET requests, but a restricted key (rk_…) with Read access limits the damage if the key leaks.`,
      }
    : { ok: true, connection };
}
