/**
 * `serve --http`: reads and checks every flag before anything starts, refuses unsafe combinations with the reason
 * (--no-auth off loopback, an http:// issuer on the network), then runs the HTTP server until SIGTERM/SIGINT,
 * when it drains: requests in flight finish, new ones are refused, and the process exits.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { parseArgs } from 'node:util';
import type { Pin } from '../connections/configured-router.js';
import { CLI } from '../program-name.js';
import { resolveHome } from '../connections/paths.js';
import type { ConnectionRouter } from '../connections/router.js';
import { logLine } from '../server/log.js';
import { SetupError } from '../stripe/errors.js';
import { describeGrants, grantsFromPin } from '../server/http/access.js';
import { Authenticator } from '../server/http/auth.js';
import { defaultAllowedHosts, isLoopbackAddress, isLoopbackHostname, normaliseAllowedHost, OriginPolicy } from '../server/http/net.js';
import { checkIssuerUrl, OAuthResourceServer, OAuthSetupError } from '../server/http/oauth.js';
import { defaultPerCallerCap, startHttpServer, type HttpServerHandle } from '../server/http/server.js';
import { redactTokens, TokenVerifierStore } from '../server/http/token-store.js';
import type { ConnectionsParts } from '../server/http/authserver/index.js';
import { TOOLS } from '../tools/index.js';
import { ConnectionManager } from '../connections/manager.js';
import { restrictedKeyHowTo, toolProbes } from './tool-probes.js';
import { PACKAGE_VERSION } from '../version.js';
import { connectionFlag, parseMode } from './argv.js';
import { toolSelection } from './setup.js';
import type { ToolSelection } from '../tools/toolsets.js';
import { UsageError } from './output.js';

export const SERVE_HTTP_USAGE = `Usage:
  ${CLI} serve --http [options]     Streamable HTTP at /mcp (2026-07-28 and 2025-era clients), /healthz for load balancers

Where and who:
  --host ADDR              Address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)
  --port N                 Port (default 3333; 0 picks a free one)
  --allowed-host NAME      Also accept this Host header (repeatable), e.g. the name behind your TLS proxy
  --allowed-origin ORIGIN  Also accept this browser Origin (repeatable): https://app.example.com, or a bare host name
  --public-url URL         The URL clients use to reach /mcp (the OAuth resource; default: --oauth-audience if a URL)

Authentication (on unless --no-auth):
  built-in sign-in         On by default: ChatGPT, Claude and other OAuth clients register themselves, people
                           added with "${CLI} users add NAME" sign in and choose what the app may read
                           (endpoints under /oauth/, the issuer is --public-url's origin)
  static tokens            Always accepted: ${CLI} tokens create NAME [--connection NAME] [--mode test|live]
  --oauth-issuer URL       Use this external authorization server instead of the built-in one (JWTs checked against its JWKS)
  --oauth-audience AUD     The audience (aud) those tokens must carry, usually this server's public URL
  --no-oauth-server        No built-in sign-in: static tokens only (or --oauth-issuer)
  --no-auth                No authentication: accepted only with a loopback --host

What callers may read:
  --connection NAME        Serve only this connection
  --mode test|live         Serve only this mode (the other mode's key is never read)
  --demo                   Serve the built-in demo data instead of your connections
  --tools LIST             Serve only these tools and sets, e.g. metrics,lookup,list_charges (default: all; see --help)

Limits:
  --max-body-bytes N       Largest request body (default 1048576); larger ones get 413
  --max-concurrent N       Requests served at once (default 128); beyond that 503 with Retry-After
  --max-concurrent-per-token N
                           Requests one token (OAuth subject; client address with --no-auth) may have in flight,
                           bodies still arriving included (default: --max-concurrent / 8); beyond that 429
  --body-timeout S         Seconds a client may take to send its request body (default 10); then 408. Bodies are
                           read before a --max-concurrent slot is taken, so slow senders hold none
  --rate-limit N           Requests per minute per token (default 600; 0 = off); beyond that 429 with Retry-After
  --header-timeout S       Seconds a client may take to send its request headers (default 10)
  --idle-timeout S         Seconds an idle keep-alive connection stays open (default 65: above common load-balancer idle timeouts)
  --shutdown-timeout S     On SIGTERM, seconds in-flight requests get to finish (default 25)

Requests to Stripe keep to the account's limits whatever --rate-limit says (STRIPE_MCP_STRIPE_RATE_LIMITS: see --help);
each replica counts its own, so give each a share of the limit when several serve one account.`;

export interface HttpSetup {
  router: ConnectionRouter;
  close: () => Promise<void>;
}

export interface ServeHttpConfig {
  host: string;
  port: number;
  allowedHosts: string[];
  allowedOrigins: string[];
  noAuth: boolean;
  oauthIssuer: string | undefined;
  oauthAudience: string | undefined;
  /** The built-in authorization server (on unless --oauth-issuer, --no-oauth-server or --no-auth). */
  oauthServer: boolean;
  publicUrl: string | undefined;
  demo: boolean;
  pin: Pin;
  /** --tools / STRIPE_MCP_TOOLS. */
  tools: ToolSelection;
  maxBodyBytes: number;
  maxConcurrent: number;
  maxConcurrentPerCaller: number;
  bodyTimeoutMs: number;
  rateLimit: number;
  headerTimeoutMs: number;
  idleTimeoutMs: number;
  shutdownTimeoutMs: number;
}

function intFlag(value: string | undefined, flag: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, got "${value}".`);
  return n;
}

function httpUrl(value: string, flag: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${flag} must be a URL such as https://mcp.example.com/mcp, got "${value}".`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UsageError(`${flag} must be an http:// or https:// URL, got "${value}".`);
  return url.href;
}

function noAuthRefused(host: string, resolved?: string[]): UsageError {
  return new UsageError(
    `Refusing to start: --no-auth is only allowed on a loopback address (127.0.0.1, ::1 or localhost), and --host is ${host}` +
      `${resolved ? `: ${host} resolves to ${resolved.join(', ')}` : ''}. ` +
      `Without authentication anyone who can reach ${host === '0.0.0.0' || host === '::' ? 'this machine' : host} could read your Stripe data. ` +
      `Create a token (${CLI} tokens create NAME) and send it as "Authorization: Bearer …", or use --oauth-issuer and --oauth-audience.`,
  );
}

export type LookupAll = (host: string) => Promise<string[]>;

const lookupAll: LookupAll = async (host) => (await dnsLookup(host, { all: true, verbatim: true })).map((a) => a.address);

/**
 * The address to listen on for --host: an address as given (brackets dropped), a name resolved once. With
 * --no-auth every address the name resolves to must be loopback (a name is only a name: evil.localhost may map
 * to 0.0.0.0), and the server listens on the address that was checked, so a second lookup cannot differ.
 */
export async function checkListenHost(host: string, noAuth: boolean, lookup: LookupAll = lookupAll): Promise<string> {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  let addresses: string[];
  if (isIP(bare)) {
    addresses = [bare];
  } else {
    try {
      addresses = await lookup(bare);
    } catch (err) {
      throw new UsageError(`--host ${host} does not resolve to an address (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): pass an address such as 127.0.0.1, or a name this machine resolves.`);
    }
    if (addresses.length === 0) throw new UsageError(`--host ${host} does not resolve to an address: pass an address such as 127.0.0.1.`);
  }
  if (noAuth && !addresses.every(isLoopbackAddress)) throw noAuthRefused(host, addresses);
  return addresses[0]!;
}

const SERVE_HTTP_OPTIONS = {
  http: { type: 'boolean' },
  host: { type: 'string' },
  port: { type: 'string' },
  'allowed-host': { type: 'string', multiple: true },
  'allowed-origin': { type: 'string', multiple: true },
  'no-auth': { type: 'boolean' },
  'no-oauth-server': { type: 'boolean' },
  'oauth-issuer': { type: 'string' },
  'oauth-audience': { type: 'string' },
  'public-url': { type: 'string' },
  connection: { type: 'string' },
  mode: { type: 'string' },
  demo: { type: 'boolean' },
  tools: { type: 'string', multiple: true },
  'max-body-bytes': { type: 'string' },
  'max-concurrent': { type: 'string' },
  'max-concurrent-per-token': { type: 'string' },
  'body-timeout': { type: 'string' },
  'rate-limit': { type: 'string' },
  'header-timeout': { type: 'string' },
  'idle-timeout': { type: 'string' },
  'shutdown-timeout': { type: 'string' },
} as const;

type ServeHttpFlags = ReturnType<typeof parseArgs<{ args: string[]; allowPositionals: true; strict: true; options: typeof SERVE_HTTP_OPTIONS }>>['values'];

/** The flags as given; `serve` is the only word allowed besides them. */
function readServeHttpFlags(argv: string[]): ServeHttpFlags {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, strict: true, options: SERVE_HTTP_OPTIONS });
  const extra = positionals[0] === 'serve' ? positionals.slice(1) : positionals;
  if (positionals.length > 0 && positionals[0] !== 'serve') throw new UsageError(`--http goes with serve (got: ${positionals.join(' ')}).`);
  if (extra.length > 0) throw new UsageError(`serve takes no arguments (got: ${extra.join(' ')}).`);
  return values;
}

/** --host, as an address to listen on: [::1] is how a URL writes ::1; the address itself is what we listen on. */
function hostFlag(flags: ServeHttpFlags): string {
  const host = (flags.host ?? '127.0.0.1').trim().replace(/^\[(.*)\]$/, '$1');
  if (!host) throw new UsageError('--host needs an address, e.g. 127.0.0.1 or 0.0.0.0.');
  return host;
}

/** --no-auth, --oauth-issuer and --oauth-audience: which of them go together, and where --no-auth may be used. */
function authFlags(flags: ServeHttpFlags, host: string): Pick<ServeHttpConfig, 'noAuth' | 'oauthIssuer' | 'oauthAudience'> {
  const noAuth = flags['no-auth'] === true;
  const issuer = flags['oauth-issuer'];
  const audience = flags['oauth-audience'];
  // A quick refusal for what is plainly not loopback; names are resolved (and each address checked) at start.
  if (noAuth && !isLoopbackHostname(host)) throw noAuthRefused(host);
  if (noAuth && (issuer || audience)) throw new UsageError('--no-auth turns authentication off; it cannot go with --oauth-issuer/--oauth-audience.');
  if ((issuer === undefined) !== (audience === undefined)) {
    throw new UsageError('--oauth-issuer and --oauth-audience go together: the issuer whose tokens are accepted, and the audience (aud) those tokens must name.');
  }
  if (issuer !== undefined) {
    try {
      checkIssuerUrl(issuer);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
  }
  if (audience !== undefined && audience.trim() === '') throw new UsageError('--oauth-audience needs a value (usually this server\'s public URL, e.g. https://mcp.example.com/mcp).');
  return { noAuth, oauthIssuer: issuer, oauthAudience: audience };
}

/** --public-url, else an --oauth-audience that is a URL. */
function publicUrlFlag(flags: ServeHttpFlags, audience: string | undefined): string | undefined {
  if (flags['public-url'] !== undefined) return httpUrl(flags['public-url'], '--public-url');
  if (audience !== undefined && /^https?:\/\//.test(audience)) return httpUrl(audience, '--oauth-audience');
  return undefined;
}

/** --allowed-origin and --allowed-host, each checked; the Host names accepted include the listen host's and the public URL's. */
function networkFlags(flags: ServeHttpFlags, host: string, publicUrl: string | undefined): Pick<ServeHttpConfig, 'allowedHosts' | 'allowedOrigins'> {
  const allowedOrigins = flags['allowed-origin'] ?? [];
  for (const origin of allowedOrigins) {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(origin)) {
      try {
        new URL(origin);
      } catch {
        throw new UsageError(`--allowed-origin "${origin}" is not an origin (e.g. https://app.example.com or app.example.com).`);
      }
    } else if (!/^[A-Za-z0-9.[\]:-]+$/.test(origin)) {
      throw new UsageError(`--allowed-origin "${origin}" is not an origin (e.g. https://app.example.com or app.example.com).`);
    }
  }
  const allowedHosts = [...defaultAllowedHosts(host)];
  for (const h of flags['allowed-host'] ?? []) {
    if (!/^[A-Za-z0-9.[\]:-]+$/.test(h)) throw new UsageError(`--allowed-host "${h}" is not a host name (e.g. mcp.example.com).`);
    allowedHosts.push(normaliseAllowedHost(h));
  }
  if (publicUrl) allowedHosts.push(normaliseAllowedHost(new URL(publicUrl).host));
  return { allowedHosts: [...new Set(allowedHosts)], allowedOrigins };
}

/** Whether the built-in sign-in runs; it sends passwords, so never over plain http off this machine. */
function builtInSignInFlag(flags: ServeHttpFlags, auth: Pick<ServeHttpConfig, 'noAuth' | 'oauthIssuer'>, publicUrl: string | undefined): boolean {
  const oauthServer = !auth.noAuth && auth.oauthIssuer === undefined && flags['no-oauth-server'] !== true;
  if (oauthServer && publicUrl && new URL(publicUrl).protocol !== 'https:' && !isLoopbackHostname(new URL(publicUrl).hostname)) {
    throw new UsageError(
      `--public-url ${publicUrl} is plain http on the network: the built-in sign-in sends passwords and tokens, so it needs https ` +
        '(put a TLS proxy or tunnel in front and pass its https:// URL), or turn it off with --no-oauth-server.',
    );
  }
  return oauthServer;
}

/** --demo, --connection, --mode and --tools: what callers may read. */
function readScopeFlags(flags: ServeHttpFlags): Pick<ServeHttpConfig, 'demo' | 'pin' | 'tools'> {
  const demo = flags.demo === true;
  const pin: Pin = { connection: flags.connection, mode: parseMode(flags.mode) };
  connectionFlag(pin.connection);
  if (demo && (pin.connection || pin.mode)) throw new UsageError('--demo serves the connection "demo" in test mode only: leave out --connection and --mode.');
  return { demo, pin, tools: toolSelection(flags.tools, TOOLS) };
}

/** The port and the limits, each a whole number in its range (timeouts given in seconds, kept in ms). */
type LimitsConfig = Pick<ServeHttpConfig, 'port' | 'maxBodyBytes' | 'maxConcurrent' | 'maxConcurrentPerCaller' | 'bodyTimeoutMs' | 'rateLimit' | 'headerTimeoutMs' | 'idleTimeoutMs' | 'shutdownTimeoutMs'>;

function limitFlags(flags: ServeHttpFlags): LimitsConfig {
  const maxConcurrent = intFlag(flags['max-concurrent'], '--max-concurrent', 128, 1, 100_000);
  return {
    port: intFlag(flags.port, '--port', 3333, 0, 65535),
    maxBodyBytes: intFlag(flags['max-body-bytes'], '--max-body-bytes', 1_048_576, 1024, 64 * 1_048_576),
    maxConcurrent,
    maxConcurrentPerCaller: intFlag(flags['max-concurrent-per-token'], '--max-concurrent-per-token', defaultPerCallerCap(maxConcurrent), 1, maxConcurrent),
    bodyTimeoutMs: intFlag(flags['body-timeout'], '--body-timeout', 10, 1, 600) * 1000,
    rateLimit: intFlag(flags['rate-limit'], '--rate-limit', 600, 0, 10_000_000),
    headerTimeoutMs: intFlag(flags['header-timeout'], '--header-timeout', 10, 1, 600) * 1000,
    idleTimeoutMs: intFlag(flags['idle-timeout'], '--idle-timeout', 65, 1, 3600) * 1000,
    shutdownTimeoutMs: intFlag(flags['shutdown-timeout'], '--shutdown-timeout', 25, 0, 3600) * 1000,
  };
}

/** Reads `serve --http …`; every mistake is a UsageError saying what to write instead. */
export function parseServeHttp(argv: string[]): ServeHttpConfig {
  const flags = readServeHttpFlags(argv);
  const host = hostFlag(flags);
  const auth = authFlags(flags, host);
  const publicUrl = publicUrlFlag(flags, auth.oauthAudience);
  const network = networkFlags(flags, host, publicUrl);
  const oauthServer = builtInSignInFlag(flags, auth, publicUrl);
  const scope = readScopeFlags(flags);
  return { host, ...network, ...auth, oauthServer, publicUrl, ...scope, ...limitFlags(flags) };
}

const log = (line: string) => logLine(redactTokens(line));

/** The /connections page (people allowed to manage connections), on the same stores and checks as `connections …`. */
async function connectionsPageFor(parts: ConnectionsParts) {
  const { connectionsPages } = await import('../server/http/web/connections-page.js');
  return connectionsPages({ ...parts, manager: new ConnectionManager(process.env, { keyHowTo: restrictedKeyHowTo() }), probes: toolProbes() });
}

/** Makes the built-in authorization server once the URL is known; `said` gets the line to log about it. */
function builtInAuthFor(config: ServeHttpConfig, setup: HttpSetup, said: (line: string) => void) {
  return async (resource: string) => {
    // Loaded only here: oidc-provider and the pages are for serve --http with the built-in sign-in.
    const { startBuiltInAuth } = await import('../server/http/authserver/index.js');
    const options = { paths: resolveHome(process.env), resource, pin: config.pin, connectionNames: () => setup.router.connectionNames(), log };
    const server = await startBuiltInAuth(options, config.demo ? undefined : connectionsPageFor);
    const people = (await server.users.list()).length;
    said(
      `built-in sign-in: issuer ${server.issuer} (endpoints under /oauth/), ${people} user${people === 1 ? '' : 's'}` +
        (people === 0 ? ` — add one with "${CLI} users add NAME", then paste ${resource} into ChatGPT or Claude` : ''),
    );
    return server;
  };
}

/** The authenticator (null with --no-auth) and the line that says what it accepts, logged once the server listens. */
async function authenticatorFor(config: ServeHttpConfig): Promise<{ auth: Authenticator | null; authLine: string }> {
  if (config.noAuth) return { auth: null, authLine: 'auth OFF (--no-auth, loopback only)' };
  const tokens = new TokenVerifierStore(resolveHome(process.env));
  let oauth: OAuthResourceServer | undefined;
  if (config.oauthIssuer && config.oauthAudience) {
    oauth = new OAuthResourceServer({ issuer: config.oauthIssuer, audience: config.oauthAudience });
    await oauth.start();
  }
  const auth = new Authenticator({ tokens, oauth, pin: config.pin });
  const count = await tokens.count();
  if (tokens.problem) log(`static tokens: ${tokens.problem}`);
  if (count === 0 && !oauth && !config.oauthServer) {
    log(
      `no static token exists yet and no --oauth-issuer is set: every request is refused (401) until you create one with ` +
        `"${CLI} tokens create NAME" (this server picks it up without a restart).`,
    );
  }
  const authLine = `auth: ${count} static token${count === 1 ? '' : 's'} (${tokens.path})${oauth ? `, OAuth tokens from ${oauth.issuer} for audience ${oauth.audience}` : ''}`;
  return { auth, authLine };
}

/** Why the server could not listen, as the flag to change; other errors as they are. */
function listenError(err: unknown, config: ServeHttpConfig): unknown {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') return new UsageError(`Port ${config.port} on ${config.host} is already in use: pass another --port.`);
  if (code === 'EADDRNOTAVAIL') return new UsageError(`${config.host} is not an address of this machine: pass --host 127.0.0.1 (this machine only) or 0.0.0.0 (every interface).`);
  if (code === 'EACCES') return new UsageError(`Not allowed to listen on port ${config.port}: use a port above 1023, or put a reverse proxy in front.`);
  return err;
}

/** Listens on the checked address; if that fails, the router's connections are closed and the reason said. */
async function listen(
  config: ServeHttpConfig,
  setup: HttpSetup,
  bindAddress: string,
  auth: Authenticator | null,
  builtInAuth: ReturnType<typeof builtInAuthFor> | undefined,
): Promise<HttpServerHandle> {
  try {
    return await startHttpServer(setup.router, {
      host: bindAddress,
      port: config.port,
      allowedHosts: config.allowedHosts,
      origins: OriginPolicy.withLocalhost(config.allowedOrigins),
      auth,
      pin: config.pin,
      tools: config.tools,
      publicUrl: config.publicUrl,
      maxBodyBytes: config.maxBodyBytes,
      maxConcurrent: config.maxConcurrent,
      maxConcurrentPerCaller: config.maxConcurrentPerCaller,
      bodyTimeoutMs: config.bodyTimeoutMs,
      rateLimitPerMinute: config.rateLimit,
      headerTimeoutMs: config.headerTimeoutMs,
      idleTimeoutMs: config.idleTimeoutMs,
      log,
      builtInAuth,
    });
  } catch (err) {
    await setup.close().catch(() => {});
    throw listenError(err, config);
  }
}

/** What the running server accepts and what to add, in the log; the last line is the one scripts wait for. */
function announce(config: ServeHttpConfig, handle: HttpServerHandle, authLine: string, signInLine: string | undefined): void {
  log(authLine);
  if (signInLine) log(signInLine);
  if (config.oauthServer && !config.publicUrl && !isLoopbackHostname(config.host)) {
    log('the built-in sign-in names this server by its loopback URL: pass --public-url https://… (your TLS proxy or tunnel) so apps elsewhere can use it.');
  }
  if (config.pin.connection || config.pin.mode) log(`every caller is limited to ${describeGrants(grantsFromPin(config.pin.connection, config.pin.mode))}`);
  log(`accepted Host names: ${config.allowedHosts.join(', ')}; Origins: none sent, or ${OriginPolicy.withLocalhost(config.allowedOrigins).describe()}`);
  if (!isLoopbackHostname(config.host) && !config.allowedHosts.some((h) => !['localhost', '127.0.0.1', '[::1]'].includes(h))) {
    log(`listening on ${config.host}: requests must carry a Host this server accepts; add --allowed-host with the name clients use (e.g. --allowed-host mcp.example.com).`);
  }
  if (!isLoopbackHostname(config.host)) log('serve TLS in front of this server (a reverse proxy): it speaks plain HTTP.');
  // Last, once everything above is said: scripts and tests wait for this line.
  log(`${PACKAGE_VERSION} serving ${config.tools.names?.size ?? TOOLS.length} read-only tools over HTTP at ${handle.url}${config.demo ? ' on demo data' : ''}${config.tools.asked ? ` (${config.tools.asked})` : ''}`);
}

/** On SIGTERM/SIGINT: refuse new requests, let those in flight finish (up to --shutdown-timeout), exit; a second signal exits at once. */
function drainOnSignals(config: ServeHttpConfig, handle: HttpServerHandle, setup: HttpSetup): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      log(`${signal} again: exiting now.`);
      process.exit(1);
    }
    stopping = true;
    const n = handle.inFlight();
    log(`${signal}: refusing new requests${n > 0 ? `, letting ${n} in flight finish (up to ${config.shutdownTimeoutMs / 1000} s)` : ''}.`);
    handle.drain(config.shutdownTimeoutMs).then(
      async (clean) => {
        await setup.close().catch(() => {});
        if (!clean) log(`requests still running after ${config.shutdownTimeoutMs / 1000} s were cut off.`);
        log('stopped.');
        process.exit(clean ? 0 : 1);
      },
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

/** Starts the server as configured; resolves once it listens. The process then runs until a signal. */
export async function serveHttp(config: ServeHttpConfig, setupFor: (demo: boolean, pin: Pin) => Promise<HttpSetup>): Promise<HttpServerHandle> {
  const { auth, authLine } = await authenticatorFor(config);
  const bindAddress = await checkListenHost(config.host, config.noAuth);
  const setup = await setupFor(config.demo, config.pin);
  let signInLine: string | undefined;
  const builtInAuth = config.oauthServer ? builtInAuthFor(config, setup, (line) => (signInLine = line)) : undefined;
  const handle = await listen(config, setup, bindAddress, auth, builtInAuth);
  const bound = (handle.server.address() as { address: string } | null)?.address ?? 'unknown';
  if (config.noAuth && !isLoopbackAddress(bound)) {
    // Cannot happen after the check above; if it ever did, auth-less on the network must not stay up.
    await handle.close();
    await setup.close().catch(() => {});
    throw noAuthRefused(config.host, [bound]);
  }
  announce(config, handle, authLine, signInLine);
  drainOnSignals(config, handle, setup);
  return handle;
}

/** The `serve --http …` command line, given how `serve` builds its router (stored connections, or the demo). */
export async function serveHttpCommand(argv: string[], setupFor: (demo: boolean, pin: Pin) => Promise<HttpSetup>): Promise<undefined> {
  const config = parseServeHttp(argv);
  try {
    await serveHttp(config, setupFor);
  } catch (err) {
    if (err instanceof OAuthSetupError) throw new SetupError(`Cannot start: ${err.message}`);
    throw err;
  }
  return undefined;
}
