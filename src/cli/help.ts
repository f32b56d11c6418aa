import { TOOLSETS } from '../tools/toolsets.js';
import { PACKAGE_VERSION } from '../version.js';

export const HELP = `stripe-readonly-mcp ${PACKAGE_VERSION}: a read-only Stripe MCP server. It can only issue GET requests to Stripe.

Usage:
  stripe-readonly-mcp [serve] [--connection NAME] [--mode test|live] [--demo] [--tools LIST]
                                                Serve MCP over stdio (what MCP clients launch)
  stripe-readonly-mcp serve --http [--host 127.0.0.1] [--port 3333] [--oauth-issuer URL --oauth-audience AUD]
                     [--allowed-host NAME] [--allowed-origin ORIGIN] [--no-auth] [--connection NAME] [--mode test|live]
                     [--tools LIST]
                                                Serve MCP over Streamable HTTP at /mcp for remote clients, with
                                                the built-in sign-in (OAuth), bearer tokens or an external
                                                OAuth issuer (all flags: serve --http --help)
  stripe-readonly-mcp call TOOL [JSON] [--connection NAME] [--mode test|live] [--demo] [--json]
                                                Run one tool and print the result as a table (or JSON)
  stripe-readonly-mcp tools [NAME]              List the tools and what they return; with NAME: its arguments
                                                (types, defaults) and an example

  stripe-readonly-mcp connections add NAME [--mode test|live] [--key-stdin] [--allow-secret-key] [--default]
                                                Verify a key with Stripe and store it (asked for, hidden)
  stripe-readonly-mcp connections list [--json] Names, modes, key hints, account, currency, default, key store
  stripe-readonly-mcp connections test NAME [--mode test|live]
                                                Verify again; which tools the key can serve, what to set to Read
  stripe-readonly-mcp connections rotate NAME --mode test|live [--key-stdin] [--allow-secret-key]
                                                Replace a key: the new one is verified and stored first
  stripe-readonly-mcp connections remove NAME [--mode test|live] [--yes]
  stripe-readonly-mcp connections default NAME [--mode test|live]
  stripe-readonly-mcp tokens create NAME [--connection NAME] [--mode test|live]
                                                A bearer token for serve --http: printed once, only its hash is kept
  stripe-readonly-mcp tokens list [--json] | tokens revoke NAME
  stripe-readonly-mcp users add NAME [--connection NAME] [--mode test|live] [--manage] [--password-stdin]
                                                A person who may sign in to serve --http and connect ChatGPT/Claude
  stripe-readonly-mcp users list [--json] | users remove NAME | users password NAME | users link NAME [--url URL]
  stripe-readonly-mcp doctor [--offline]        Node, folder and permissions, key store and why, each connection
  stripe-readonly-mcp config claude|cursor|vscode|claude-code [--connection NAME] [--mode test|live] [--tools LIST]
                                                Print the MCP client config to paste (it holds no key)

  stripe-readonly-mcp emulator [--port 12111] [--seed 42]
                                                Run the built-in Stripe API emulator on 127.0.0.1
  stripe-readonly-mcp --help | --version

Options:
  --connection NAME  With serve/call: pin to this connection (other connections are refused)
  --mode test|live   With serve/call: pin to this mode (the other mode's key is never read); with
                     connections: which key (default: detected from the key's prefix)
  --key-stdin        Read the key from standard input instead of a hidden prompt (never pass a key as an argument)
  --allow-secret-key Accept a secret key (sk_…); a restricted key (rk_…) with Read access is recommended
  --default          With connections add: make this the default connection, and this key's mode its default
  --tools LIST       With serve/config: serve only these tools and sets (comma-separated; default all), so the
                     client's context holds only what you ask about. Sets:
${Object.entries(TOOLSETS)
  .map(([name, what]) => `                       ${name.padEnd(9)} ${what}`)
  .join('\n')}
                     aggregate comes with any list tool, over the lists served.
                     E.g. --tools metrics,lookup or --tools payments,get_balance. Others are not listed; a call
                     to one says how to enable it
  --demo             Use built-in demo data (an in-process Stripe emulator, connection "demo", test mode)
  --json             With call: print the result as JSON; with connections list/test: machine-readable output
  --port N           With emulator: port to listen on (default 12111; 0 picks a free one)
  --seed N           With emulator: dataset seed (default 42)

Tables fit the terminal's width (not a terminal: $COLUMNS, else 120 columns); columns that do not fit are named.
Exit codes: 0 done, 1 failed (Stripe, network, key, configuration), 2 usage error (command, flag or argument), 130 cancelled.

Which key a call uses: its "connection" argument (default: "env" when STRIPE_API_KEY is set, else the default
connection, else the only one) and its "mode" argument (default: the connection's default mode, else test).

Environment:
  STRIPE_API_KEY        A key served as the connection "env", touching no store (containers, trials): a restricted
                        key (rk_test_… / rk_live_…) with Read access is recommended; sk_… can write, pk_… cannot read.
  STRIPE_API_KEY_TEST, STRIPE_API_KEY_LIVE
                        One key per mode for the connection "env" (what the MCP Bundle passes); each must be a key of that mode
  STRIPE_MCP_MODE       test | live: pins serve and call to that mode, as --mode does
  STRIPE_MCP_TOOLS      The tools and sets serve offers, as --tools does (e.g. metrics,lookup)
  STRIPE_API_BASE       Where the Stripe API is (default https://api.stripe.com), e.g. http://127.0.0.1:12111 for the emulator
  STRIPE_MCP_HOME       Folder for connections.json (and the encrypted key file); default: the OS config folder
  STRIPE_MCP_KEYSTORE   auto (default: the OS keychain if it works, else the encrypted file) | keychain | file
  STRIPE_MCP_MASTER_KEY The encrypted file's master key, 32 bytes in base64 (containers); default: keychain or a 0600 file
  STRIPE_MCP_STRIPE_RATE_LIMITS
                        Requests per second the account may make, if not Stripe's usual
                        live=100,test=25,endpoint=25,search=20 (live/test: the mode's global limit; endpoint: each
                        endpoint's own): e.g. live=300,endpoint=50 where Stripe raised yours, live=40 to leave room
                        for your own integration
  STRIPE_MCP_STRIPE_TIMEOUT
                        Seconds one request to Stripe may take, connection to last byte (default 10); a request
                        that times out is reported at once, not retried

Examples:
  stripe-readonly-mcp call list_customers '{"limit":5}' --demo
  stripe-readonly-mcp call aggregate '{"resource":"charges","filters":{"status":"failed"},"group_by":["decline_code"]}' --demo
  stripe-readonly-mcp connections add acme                  # asks for rk_test_… (hidden); add --mode live later
  stripe-readonly-mcp call list_charges '{"status":"failed","created_after":"2026-05-01"}' --connection acme
  stripe-readonly-mcp config claude --connection acme
  STRIPE_API_KEY=rk_test_… stripe-readonly-mcp call get_balance
`;
