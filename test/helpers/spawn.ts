import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package's real entry point, run as `npx stripe-readonly-mcp` runs it. */
export const BIN = fileURLToPath(new URL('../../bin/stripe-readonly-mcp.js', import.meta.url));

/** An empty config folder for this test process: spawned servers never see a developer's real connections. */
const ISOLATED_HOME = mkdtempSync(join(tmpdir(), 'stripe-mcp-test-home-'));

/**
 * A child environment without any Stripe settings inherited from the developer's shell, and with an empty
 * STRIPE_MCP_HOME unless the test names one, so no stored connection (and no real key) is ever used.
 */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !k.startsWith('STRIPE_')) env[k] = v;
  }
  return { ...env, STRIPE_MCP_HOME: ISOLATED_HOME, ...extra };
}

/** A key shaped like a real one that no code should ever print: tests grep every output for it. */
export function canaryKey(mode: 'test' | 'live' = 'test'): string {
  return `rk_${mode}_CANARY${Math.random().toString(36).slice(2, 10)}x${Date.now().toString(36)}`;
}
