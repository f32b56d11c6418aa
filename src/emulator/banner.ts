import type { EmulatorHandle } from './types.js';

/** A few human lines describing a running emulator (used by the `emulator` CLI subcommand). */
export function formatEmulatorBanner(handle: Pick<EmulatorHandle, 'url' | 'keys'>): string {
  return [
    `Stripe API emulator listening on ${handle.url} (loopback only; synthetic data, nothing is real)`,
    `  test-mode key: ${handle.keys.test}   (any sk_test_…/rk_test_… key also reads the test dataset)`,
    `  live-mode key: ${handle.keys.live}   (any sk_live_…/rk_live_… key also reads the live dataset)`,
    '',
    'Point the MCP server at it:',
    `  STRIPE_API_BASE=${handle.url} STRIPE_API_KEY=${handle.keys.test} npx stripe-readonly-mcp`,
    'Or try it by hand:',
    `  curl '${handle.url}/v1/customers?limit=3' -u ${handle.keys.test}:`,
  ].join('\n');
}
