/** Keys from the environment: STRIPE_API_KEY, and one per mode as the MCP Bundle passes them (src/connections/env.ts). */
import { describe, expect, it } from 'vitest';
import { connectionFromEnv } from '../../src/connections/env.js';

const test = 'rk_test_51Abcdefghijklmnop';
const live = 'rk_live_51Abcdefghijklmnop';

describe('connectionFromEnv', () => {
  it('takes a key per mode; test is the default mode unless STRIPE_API_KEY says otherwise', () => {
    const both = connectionFromEnv({ STRIPE_API_KEY_TEST: test, STRIPE_API_KEY_LIVE: live });
    expect(both).toMatchObject({ ok: true, connection: { name: 'env', keys: { test, live }, defaultMode: 'test' } });
    expect(connectionFromEnv({ STRIPE_API_KEY_LIVE: live })).toMatchObject({ ok: true, connection: { keys: { live }, defaultMode: 'live' } });
    expect(connectionFromEnv({ STRIPE_API_KEY: live, STRIPE_API_KEY_TEST: test })).toMatchObject({ ok: true, connection: { keys: { test, live }, defaultMode: 'live' } });
    expect(connectionFromEnv({ STRIPE_API_KEY: test, STRIPE_API_KEY_TEST: test })).toMatchObject({ ok: true, connection: { keys: { test } } });
  });

  it('treats empty values and a host placeholder left unfilled as unset', () => {
    expect(connectionFromEnv({ STRIPE_API_KEY_TEST: test, STRIPE_API_KEY_LIVE: '${user_config.live_key}' })).toMatchObject({ ok: true, connection: { keys: { test } } });
    expect((connectionFromEnv({ STRIPE_API_KEY_TEST: test, STRIPE_API_KEY_LIVE: ' ' }) as { connection: { keys: object } }).connection.keys).toEqual({ test });
    expect(connectionFromEnv({ STRIPE_API_KEY_TEST: '${user_config.test_key}' })).toEqual({ ok: false, problem: null });
  });

  it('refuses a key of the other mode, two different keys for one mode, and bad shapes, naming the variable and never the key', () => {
    const swapped = connectionFromEnv({ STRIPE_API_KEY_TEST: live });
    expect(swapped).toMatchObject({ ok: false, problem: expect.stringMatching(/^STRIPE_API_KEY_TEST holds a live-mode key \(rk_live_…mnop\)/) });
    expect(JSON.stringify(swapped)).not.toContain(live);
    expect(connectionFromEnv({ STRIPE_API_KEY: 'rk_test_51Otherkeyabcdefgh', STRIPE_API_KEY_TEST: test })).toMatchObject({ ok: false, problem: expect.stringMatching(/two different test-mode keys/) });
    expect(connectionFromEnv({ STRIPE_API_KEY_LIVE: 'pk_live_51Abcdefghijklmnop' })).toMatchObject({ ok: false, problem: expect.stringMatching(/^STRIPE_API_KEY_LIVE is a publishable key/) });
    expect(connectionFromEnv({ STRIPE_API_KEY_TEST: 'hello' })).toMatchObject({ ok: false, problem: expect.stringMatching(/^STRIPE_API_KEY_TEST does not look like a Stripe API key/) });
    expect(connectionFromEnv({ STRIPE_API_KEY_TEST: 'sk_test_51Abcdefghijklmnop' })).toMatchObject({ ok: true, warning: expect.stringMatching(/^STRIPE_API_KEY_TEST is a secret key/) });
  });
});
