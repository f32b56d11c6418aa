import type Stripe from 'stripe';
import { createStripeClient } from '../stripe/client.js';
import { SetupError } from '../stripe/errors.js';
import type { Mode } from '../stripe/keys.js';

/** A Stripe client bound to one connection and one mode: every tool call runs on exactly one. */
export interface RoutedStripe {
  connection: string;
  mode: Mode;
  stripe: Stripe;
}

export interface RouteRequest {
  connection?: string | undefined;
  mode?: Mode | undefined;
}

/** Picks the key for a call. Tools never see keys, only the routed client. */
export interface ConnectionRouter {
  /** Names a model may pass as `connection`, in a stable order (listed in the tools' input schemas). */
  connectionNames(): string[];
  resolve(request: RouteRequest): Promise<RoutedStripe>;
}

/** One configured connection: a name and at most one key per mode. */
export interface ConnectionKeys {
  name: string;
  keys: Partial<Record<Mode, string>>;
  defaultMode?: Mode;
  /** Where this connection's Stripe API lives (an emulator for the demo); defaults to api.stripe.com. */
  apiBase?: string | undefined;
}

export const NO_KEY_MESSAGE =
  'No Stripe key is configured, so there is nothing to read yet. Add a connection with a restricted key (rk_test_… or rk_live_…, ' +
  'created in the Stripe Dashboard under Developers → API keys with Read access): run `stripe-readonly-mcp connections add NAME` in a terminal ' +
  '(the key goes to the OS keychain or an encrypted file, never into a config file) and restart this server; or set STRIPE_API_KEY in the "env" of this ' +
  'server in your MCP client config; or start the server with --demo to try it on built-in demo data.';

/**
 * Routes calls among a fixed set of connections. Clients are created lazily, once per connection and mode,
 * so a key is only put to use when a call asks for its mode.
 */
export class StaticRouter implements ConnectionRouter {
  private readonly clients = new Map<string, Promise<Stripe>>();

  constructor(
    private readonly connections: ConnectionKeys[],
    /** What a call hears when nothing is configured (e.g. why STRIPE_API_KEY was not usable). */
    private readonly emptyMessage = NO_KEY_MESSAGE,
  ) {}

  connectionNames(): string[] {
    return this.connections.map((c) => c.name);
  }

  async resolve(request: RouteRequest): Promise<RoutedStripe> {
    const connection = this.pickConnection(request.connection);
    const available = (Object.keys(connection.keys) as Mode[]).filter((m) => connection.keys[m]);
    const mode = request.mode ?? connection.defaultMode ?? (available.includes('test') ? 'test' : available[0] ?? 'test');
    const apiKey = connection.keys[mode];
    if (!apiKey) {
      throw new SetupError(
        `Connection "${connection.name}" has no ${mode}-mode key (it has: ${available.join(', ') || 'none'}). ` +
          `Call again with mode "${available[0] ?? 'test'}", or configure a ${mode} key (${mode === 'live' ? 'rk_live_…' : 'rk_test_…'}) for it.`,
      );
    }
    const cacheKey = `${connection.name}\u0000${mode}`;
    let client = this.clients.get(cacheKey);
    if (!client) {
      client = createStripeClient({ apiKey, mode, apiBase: connection.apiBase });
      this.clients.set(cacheKey, client);
    }
    return { connection: connection.name, mode, stripe: await client };
  }

  private pickConnection(name: string | undefined): ConnectionKeys {
    if (this.connections.length === 0) throw new SetupError(this.emptyMessage);
    if (name === undefined) {
      const only = this.connections[0];
      if (this.connections.length === 1 && only) return only;
      throw new SetupError(`Several connections are configured (${this.connectionNames().join(', ')}); name one with "connection".`);
    }
    const found = this.connections.find((c) => c.name === name);
    if (!found) {
      throw new SetupError(`There is no connection named "${name}". Configured: ${this.connectionNames().join(', ')}.`);
    }
    return found;
  }
}
