import { describe, expect, it } from 'vitest';
import { STRIPE_REQUEST_TIMEOUT_MS, stripeRequestTimeoutMs } from '../../src/stripe/timeout-setting.js';
import { SetupError } from '../../src/stripe/errors.js';

describe('STRIPE_MCP_STRIPE_TIMEOUT', () => {
  it('defaults to 10 s and takes seconds, decimals allowed', () => {
    expect(stripeRequestTimeoutMs({})).toBe(STRIPE_REQUEST_TIMEOUT_MS);
    expect(STRIPE_REQUEST_TIMEOUT_MS).toBe(10_000);
    expect(stripeRequestTimeoutMs({ STRIPE_MCP_STRIPE_TIMEOUT: '20' })).toBe(20_000);
    expect(stripeRequestTimeoutMs({ STRIPE_MCP_STRIPE_TIMEOUT: ' 2.5 ' })).toBe(2_500);
  });

  it('refuses a value that is not seconds in range, saying what to write', () => {
    for (const raw of ['0', '10s', '-1', '301', 'abc', '1e3']) {
      expect(() => stripeRequestTimeoutMs({ STRIPE_MCP_STRIPE_TIMEOUT: raw })).toThrow(SetupError);
      expect(() => stripeRequestTimeoutMs({ STRIPE_MCP_STRIPE_TIMEOUT: raw })).toThrow(/seconds one request to Stripe may take, from 0.1 to 300/);
    }
  });
});
