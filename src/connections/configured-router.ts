import type Stripe from 'stripe';
import { apiBaseFromEnv, createStripeClient } from '../stripe/client.js';
import { SetupError } from '../stripe/errors.js';
import { describeKey, keyHint, type Mode } from '../stripe/keys.js';
import { connectionFromEnv, ENV_CONNECTION, ENV_MODE_KEY, envKeySource } from './env.js';
import { CLI } from '../program-name.js';
import { noSuchConnection, noSuchMode, refOf } from './lookup.js';
import { modesOf, readMetadata, storedDefault, type Metadata } from './metadata.js';
import { resolveHome, type HomePaths } from './paths.js';
import type { ConnectionKeys, ConnectionRouter, RouteRequest, RoutedStripe } from './router.js';
import { NO_KEY_MESSAGE } from './router.js';
import type { SecretStore } from './secret-store.js';
import { Stores } from './stores.js';
import type { StoreKind } from './metadata.js';

/**
 * Defence in depth before any request: the key read for a mode must carry that mode's prefix. (The tools also
 * refuse objects whose livemode contradicts the mode, but refunds and balance transactions carry no livemode.)
 */
function assertKeyMode(apiKey: string, connection: string, mode: Mode): void {
  const shape = describeKey(apiKey);
  if (shape && shape.kind !== 'publishable' && shape.mode === mode) return;
  throw new SetupError(
    `Refused: the key stored as the ${mode} key of connection "${connection}" is ${shape ? `a ${shape.mode}-mode ${shape.kind} key (${keyHint(apiKey)})` : 'not a Stripe API key'}, ` +
      `so nothing was sent: test and live data never mix. Replace it with: ${CLI} connections rotate ${connection} --mode ${mode}`,
  );
}

/** `serve --connection NAME --mode test`: only that connection and mode are ever served, only that key read. */
export interface Pin {
  connection?: string | undefined;
  mode?: Mode | undefined;
}

export interface ConfiguredRouterOptions {
  env?: NodeJS.ProcessEnv;
  pin?: Pin;
  /** Tests substitute stores (e.g. to see which keys are read). */
  storeOf?: (kind: StoreKind) => SecretStore;
}

/**
 * Routes calls to the stored connections (connections.json + the key stores) and to STRIPE_API_KEY's "env".
 * Keys are read lazily, only for the connection and mode a call needs, and the metadata is re-read on every
 * call so a rotated key is picked up without a restart. Pinned, it never reads any other key.
 */
export class ConfiguredRouter implements ConnectionRouter {
  private readonly env: NodeJS.ProcessEnv;
  readonly paths: HomePaths;
  private readonly storeOf: (kind: StoreKind) => SecretStore;
  private readonly pin: Pin;
  private readonly apiBase: string | undefined;
  private readonly clients = new Map<string, Promise<Stripe>>();
  private envConnection: ConnectionKeys | undefined;
  /** Why STRIPE_API_KEY is set but unusable. */
  private envProblem: string | undefined;
  /** Why connections.json could not be read at start-up. */
  loadProblem: string | undefined;
  private names: string[] = [];
  private metadataAtStart: Metadata | undefined;

  private constructor(options: ConfiguredRouterOptions) {
    this.env = options.env ?? process.env;
    this.paths = resolveHome(this.env);
    const stores = new Stores(this.paths, this.env);
    this.storeOf = options.storeOf ?? ((kind) => stores.of(kind));
    this.pin = options.pin ?? {};
    this.apiBase = apiBaseFromEnv(this.env);
  }

  /** Reads the metadata (never a key) so the tools' schemas can list the connection names. */
  static async create(options: ConfiguredRouterOptions = {}): Promise<ConfiguredRouter> {
    const router = new ConfiguredRouter(options);
    await router.load();
    return router;
  }

  private async load(): Promise<void> {
    const fromEnv = connectionFromEnv(this.env);
    if (fromEnv.ok) this.envConnection = fromEnv.connection;
    else if (fromEnv.problem) this.envProblem = fromEnv.problem;
    try {
      this.metadataAtStart = await readMetadata(this.paths);
    } catch (err) {
      this.loadProblem = (err as Error).message;
    }
    const stored = Object.keys(this.metadataAtStart?.connections ?? {});
    const all = [...(this.envConnection ? [ENV_CONNECTION] : []), ...stored.filter((n) => n !== ENV_CONNECTION)];
    this.names = this.pin.connection ? [this.pin.connection] : all;
  }

  connectionNames(): string[] {
    return [...this.names];
  }

  /** One line per connection for the server's start-up log: names, modes, hints and where the keys are. */
  describe(): string[] {
    const lines: string[] = [];
    const pinned = (name: string) => !this.pin.connection || this.pin.connection === name;
    if (this.envConnection && pinned(ENV_CONNECTION)) {
      const env = this.envConnection;
      const modes = (['test', 'live'] as const).filter((m) => env.keys[m] && (!this.pin.mode || m === this.pin.mode));
      const parts = modes.map((m) => `${m} mode, key ${keyHint(env.keys[m]!)} from ${envKeySource(this.env, m)}`);
      lines.push(`connection "env": ${parts.join('; ') || 'no key for the pinned mode'}${this.apiBase ? `, API at ${this.apiBase}` : ''}`);
    }
    if (this.envProblem) lines.push(this.envProblem);
    if (this.loadProblem) lines.push(this.loadProblem);
    const metadata = this.metadataAtStart;
    for (const [name, record] of Object.entries(metadata?.connections ?? {})) {
      if (!pinned(name)) continue;
      const modes = modesOf(record).filter((m) => !this.pin.mode || m === this.pin.mode);
      const parts = modes.map((m) => `${m} ${record[m]!.keyHint} (${record[m]!.store === 'keychain' ? 'OS keychain' : 'encrypted file'})`);
      lines.push(`connection "${name}"${this.defaultName(metadata) === name ? ' (default)' : ''}: ${parts.join(', ') || 'no key for the pinned mode'}`);
    }
    if (this.pin.connection || this.pin.mode) {
      lines.push(`pinned to ${this.pin.connection ? `connection "${this.pin.connection}"` : 'every connection'}${this.pin.mode ? `, ${this.pin.mode} mode only` : ''}`);
    }
    return lines;
  }

  private defaultName(metadata: Metadata | undefined): string | undefined {
    if (this.pin.connection) return this.pin.connection;
    if (this.envConnection) return ENV_CONNECTION;
    return metadata ? storedDefault(metadata) : undefined;
  }

  async resolve(request: RouteRequest): Promise<RoutedStripe> {
    const { pin } = this;
    if (pin.connection && request.connection && request.connection !== pin.connection) {
      throw new SetupError(
        `This server is pinned to connection "${pin.connection}" (--connection ${pin.connection}), so it cannot read "${request.connection}". ` +
          `Add a separate server for it (${CLI} config claude --connection ${request.connection}) or leave out "connection".`,
      );
    }
    if (pin.mode && request.mode && request.mode !== pin.mode) {
      throw new SetupError(
        `This server is pinned to ${pin.mode} mode (--mode ${pin.mode}), so ${request.mode}-mode data cannot be read from it. ` +
          `Leave out "mode", or use a server started with --mode ${request.mode} (or none) for ${request.mode} data.`,
      );
    }
    const asked = pin.connection ?? request.connection;
    const wantMode = pin.mode ?? request.mode;

    if (asked === ENV_CONNECTION || (asked === undefined && this.envConnection)) {
      if (!this.envConnection) throw new SetupError(this.envProblem ?? `There is no connection "env": STRIPE_API_KEY is not set for this server.`);
      return this.routeEnv(this.envConnection, wantMode);
    }

    if (this.loadProblem) throw new SetupError(this.loadProblem);
    let metadata: Metadata;
    try {
      metadata = await readMetadata(this.paths);
    } catch (err) {
      throw new SetupError((err as Error).message);
    }
    const names = Object.keys(metadata.connections);
    let name = asked;
    if (name === undefined) {
      name = storedDefault(metadata);
      if (name === undefined) {
        if (names.length === 0) throw new SetupError(this.envProblem ? `${this.envProblem} Fix STRIPE_API_KEY in this server's env and restart it, or start it with --demo.` : NO_KEY_MESSAGE);
        throw new SetupError(
          `Several connections are configured (${names.join(', ')}) and none is the default: name one with "connection", or set a default with: ${CLI} connections default NAME`,
        );
      }
    }
    const record = metadata.connections[name];
    if (!record) throw noSuchConnection(name, metadata);
    const mode = wantMode ?? record.defaultMode ?? 'test';
    const modeRecord = record[mode];
    if (!modeRecord) throw noSuchMode(name, mode, record, 'read');

    const ref = refOf(name, mode, modeRecord);
    const cacheKey = `${name}\u0000${mode}\u0000${modeRecord.keyId}`;
    let client = this.clients.get(cacheKey);
    if (!client) {
      client = this.storeOf(modeRecord.store)
        .get(ref)
        .then((apiKey) => {
          assertKeyMode(apiKey, name, mode);
          return createStripeClient({ apiKey, mode, account: modeRecord.accountId, ...(this.apiBase ? { apiBase: this.apiBase } : {}) });
        });
      this.clients.set(cacheKey, client);
      // A key that could not be read (keychain locked) is tried again on the next call, not remembered as failed.
      client.catch(() => this.clients.delete(cacheKey));
    }
    return { connection: name, mode, stripe: await client };
  }

  private async routeEnv(connection: ConnectionKeys, wantMode: Mode | undefined): Promise<RoutedStripe> {
    const keyMode = connection.defaultMode ?? 'test';
    const mode = wantMode ?? keyMode;
    const apiKey = connection.keys[mode];
    if (!apiKey) {
      throw new SetupError(
        `Connection "env" (keys from the environment) has only a ${keyMode}-mode key, so it has no ${mode}-mode key. Call again with mode "${keyMode}", ` +
          `set ${ENV_MODE_KEY[mode]} in this server's environment, or store both keys under one connection: ${CLI} connections add NAME --mode ${mode}`,
      );
    }
    const cacheKey = `${ENV_CONNECTION}\u0000${mode}`;
    let client = this.clients.get(cacheKey);
    if (!client) {
      client = createStripeClient({ apiKey, mode, ...(connection.apiBase ? { apiBase: connection.apiBase } : {}) });
      this.clients.set(cacheKey, client);
    }
    return { connection: ENV_CONNECTION, mode, stripe: await client };
  }
}
