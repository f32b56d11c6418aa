import type { ConnectionRouter, RouteRequest, RoutedStripe } from '../../connections/router.js';
import { SetupError } from '../../stripe/errors.js';
import { MODES, type Mode } from '../../stripe/keys.js';

/** One thing a caller may read: a mode, on one connection or (connection null) on every connection. */
export interface Grant {
  connection: string | null;
  mode: Mode;
}

/**
 * What one HTTP caller may read, decided when its token is verified and enforced on every tool call by
 * {@link ScopedRouter}: static tokens carry it in their record, OAuth tokens in their scopes.
 */
export interface Access {
  grants: Grant[];
  /** Who, for messages and logs: `token "alice"`, `OAuth client "chatgpt"`, `unauthenticated (--no-auth)`. */
  principal: string;
  /** How more can be granted, said when a call is refused (e.g. which scope or which `tokens create` flags). */
  howToWiden: (mode: Mode, connection: string | undefined) => string;
  /** The rate-limit bucket: one per token (per subject for OAuth), one per client address without auth. */
  bucket: string;
}

/** The OAuth scopes: `stripe.test.read` / `stripe.live.read` for every connection, `…:NAME` for one. */
export const scopeFor = (mode: Mode, connection?: string | null): string => `stripe.${mode}.read${connection ? `:${connection}` : ''}`;

/** Reads the grants out of OAuth scopes; scopes that are not ours are ignored. */
export function grantsFromScopes(scopes: readonly string[]): Grant[] {
  const grants: Grant[] = [];
  for (const scope of scopes) {
    const m = /^stripe\.(test|live)\.read(?::([A-Za-z0-9][A-Za-z0-9_.-]{0,39}))?$/.exec(scope);
    if (m) grants.push({ mode: m[1] as Mode, connection: m[2] ?? null });
  }
  return grants;
}

export function grantsFromPin(connection: string | undefined, mode: Mode | undefined): Grant[] {
  return (mode ? [mode] : [...MODES]).map((m) => ({ mode: m, connection: connection ?? null }));
}

/** Modes the grants allow on `connection` (undefined: modes allowed on every connection). */
export function modesFor(grants: readonly Grant[], connection: string | undefined): Mode[] {
  return MODES.filter((mode) => grants.some((g) => g.mode === mode && (g.connection === null || g.connection === connection)));
}

/** Named connections the grants reach when no grant covers every connection. */
function namedConnections(grants: readonly Grant[]): string[] | null {
  if (grants.some((g) => g.connection === null)) return null;
  return [...new Set(grants.map((g) => g.connection as string))];
}

/** Says what the grants allow, e.g. "test mode on every connection" or "live mode on acme". */
export function describeGrants(grants: readonly Grant[]): string {
  if (grants.length === 0) return 'nothing';
  const parts: string[] = [];
  for (const connection of [null, ...new Set(grants.filter((g) => g.connection !== null).map((g) => g.connection))]) {
    const modes = MODES.filter((m) => grants.some((g) => g.connection === connection && g.mode === m));
    if (modes.length === 0) continue;
    parts.push(`${modes.join(' and ')} mode${modes.length > 1 ? 's' : ''} on ${connection === null ? 'every connection' : `connection "${connection}"`}`);
  }
  return parts.join('; ');
}

/**
 * The part of `wanted` (a token's grants) that `allowed` (what its person may read now) covers: a grant on every
 * connection is cut down to the connections allowed.
 */
export function narrowGrants(wanted: readonly Grant[], allowed: readonly Grant[]): Grant[] {
  const out = new Map<string, Grant>();
  const add = (g: Grant) => out.set(`${g.mode}\u0000${g.connection ?? ''}`, g);
  for (const g of wanted) {
    if (allowed.some((a) => a.mode === g.mode && a.connection === null)) add(g);
    else if (g.connection !== null) {
      if (allowed.some((a) => a.mode === g.mode && a.connection === g.connection)) add(g);
    } else for (const a of allowed) if (a.mode === g.mode) add(a);
  }
  return [...out.values()];
}

/** The server's own pin (`serve --http --connection X --mode Y`): a caller's grants are cut down to it. */
export interface ServerPin {
  connection?: string | undefined;
  mode?: Mode | undefined;
}

/** The grants that survive the server's pin; none left means the token is of no use on this server (403). */
export function applyPin(grants: readonly Grant[], pin: ServerPin): Grant[] {
  const out: Grant[] = [];
  for (const g of grants) {
    if (pin.mode && g.mode !== pin.mode) continue;
    if (pin.connection && g.connection !== null && g.connection !== pin.connection) continue;
    out.push(pin.connection ? { mode: g.mode, connection: pin.connection } : g);
  }
  return out;
}

/**
 * A router that only lets a call through to a connection and mode the caller was granted, whatever the tool
 * arguments say. The mode is decided here, before the underlying router reads any key: when the caller may
 * read only one mode, that mode is used even if the connection's default is the other one.
 */
export class ScopedRouter implements ConnectionRouter {
  constructor(
    private readonly base: ConnectionRouter,
    private readonly access: Access,
  ) {}

  connectionNames(): string[] {
    const names = this.base.connectionNames();
    const named = namedConnections(this.access.grants);
    return named === null ? names : names.filter((n) => named.includes(n));
  }

  async resolve(request: RouteRequest): Promise<RoutedStripe> {
    const { grants, principal } = this.access;
    const named = namedConnections(grants);
    let connection = request.connection;
    if (connection !== undefined && modesFor(grants, connection).length === 0) {
      throw new SetupError(
        `${capitalise(principal)} may not read connection "${connection}": it may read ${describeGrants(grants)}. Nothing was read. ` +
          `Leave out "connection"${named && named.length > 0 ? ` or use ${named.map((n) => `"${n}"`).join(', ')}` : ''}.`,
      );
    }
    if (connection === undefined && named !== null) {
      if (named.length === 1) connection = named[0];
      else {
        throw new SetupError(`${capitalise(principal)} may read several connections (${named.join(', ')}): name one with "connection".`);
      }
    }
    const allowed = modesFor(grants, connection);
    let mode = request.mode;
    if (mode !== undefined && !allowed.includes(mode)) {
      throw new SetupError(
        `${capitalise(principal)} may not read ${mode}-mode data${connection ? ` of connection "${connection}"` : ''}: it may read ${describeGrants(grants)}. ` +
          `Nothing was read. Call again without "mode" (or with mode "${allowed[0] ?? 'test'}"). ${this.access.howToWiden(mode, connection)}`,
      );
    }
    if (mode === undefined && allowed.length === 1) mode = allowed[0];
    const routed = await this.base.resolve({ connection, mode });
    // Defence in depth: the underlying router chose the connection (its default) or the mode; check the outcome too.
    if (!modesFor(grants, routed.connection).includes(routed.mode)) {
      throw new SetupError(
        `${capitalise(principal)} may not read ${routed.mode}-mode data of connection "${routed.connection}": it may read ${describeGrants(grants)}. ` +
          `Nothing was read. Name a connection and mode it may read.`,
      );
    }
    return routed;
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
