import { PACKAGE_VERSION } from '../version.js';

export const HELP = `stripe-readonly-mcp ${PACKAGE_VERSION}: a read-only Stripe MCP server. It can only issue GET requests to Stripe.

Usage:
  stripe-readonly-mcp [serve] [--demo]          Serve MCP over stdio (what MCP clients launch)
  stripe-readonly-mcp call TOOL [JSON] [--demo] [--json]
                                                Run one tool and print the result as a table (or JSON)
  stripe-readonly-mcp tools                     List the tools and what they return
  stripe-readonly-mcp emulator [--port 12111] [--seed 42]
                                                Run the built-in Stripe API emulator on 127.0.0.1
  stripe-readonly-mcp --help | --version

Options:
  --demo        Use built-in demo data (an in-process Stripe emulator, connection "demo", test mode)
  --json        With call: print the result as JSON instead of a table
  --port N      With emulator: port to listen on (default 12111; 0 picks a free one)
  --seed N      With emulator: dataset seed (default 42)

Environment:
  STRIPE_API_KEY   A Stripe key for the connection "env": a restricted key (rk_test_… / rk_live_…) with Read
                   access is recommended; secret keys (sk_…) work but can write, publishable keys (pk_…) cannot read.
  STRIPE_API_BASE  Where the Stripe API is (default https://api.stripe.com), e.g. http://127.0.0.1:12111 for the emulator

Examples:
  stripe-readonly-mcp call list_customers '{"limit":5}' --demo
  stripe-readonly-mcp call list_charges '{"status":"failed","created_after":"2026-05-01"}' --demo
  STRIPE_API_KEY=rk_test_… stripe-readonly-mcp call get_balance
`;
