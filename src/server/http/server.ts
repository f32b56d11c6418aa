/**
 * `serve --http`: Streamable HTTP at /mcp, stateless (the SDK's createMcpHandler builds a server per request, for
 * 2026-07-28 clients and, through its stateless fallback, 2025-era ones), behind our own gate. Every request to
 * anything but /healthz goes through, in order: drain check, Host, Origin, then for /mcp the bearer token, the
 * caller's rate limit, the concurrency cap and the body cap. Only then does the SDK see it, with the caller's
 * grants attached; the server built for the request routes through a ScopedRouter that enforces them.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
  buildOAuthProtectedResourceMetadata,
  createMcpHandler,
  getOAuthProtectedResourceMetadataUrl,
  type AuthInfo,
  type McpHttpHandler,
} from '@modelcontextprotocol/server';
import { toNodeHandler } from '@modelcontextprotocol/node';
import type { ConnectionRouter } from '../../connections/router.js';
import { createMcpServer } from '../create-server.js';
import type { ToolSelection } from '../../tools/toolsets.js';
import { grantsFromPin, ScopedRouter, type Access, type ServerPin } from './access.js';
import type { Authenticator } from './auth.js';
import type { BuiltInAuthServer } from './authserver/index.js';
import { RateLimiter } from './limits.js';
import { hostAllowed, hostHeaderWellFormed, isLoopbackHostname, urlHostOf, type OriginPolicy } from './net.js';

export const MCP_PATH = '/mcp';
export const HEALTH_PATH = '/healthz';
const PRM_PREFIX = '/.well-known/oauth-protected-resource';

export interface HttpServerOptions {
  host: string;
  port: number;
  /** Hostnames (no port) accepted in `Host`. */
  allowedHosts: string[];
  origins: OriginPolicy;
  /** null: --no-auth (loopback only; checked by the caller). */
  auth: Authenticator | null;
  /** The server's --connection/--mode: without auth, every caller is held to it here too (with auth, by its grants). */
  pin?: ServerPin | undefined;
  /** The URL clients reach /mcp at (the OAuth resource); default http://HOST:PORT/mcp. */
  publicUrl?: string | undefined;
  /** --tools: which tools are served (default all). */
  tools?: ToolSelection | undefined;
  maxBodyBytes: number;
  maxConcurrent: number;
  /** Requests one caller (a token, an OAuth subject, or an address with --no-auth) may have in flight; default maxConcurrent / 8 (at least 1). */
  maxConcurrentPerCaller?: number | undefined;
  /** A request body must have arrived this long after its headers (default 10 s), else 408. */
  bodyTimeoutMs?: number | undefined;
  /** Per token per minute; 0 turns the limit off. */
  rateLimitPerMinute: number;
  headerTimeoutMs: number;
  idleTimeoutMs: number;
  log: (line: string) => void;
  /**
   * The built-in authorization server, made once the URL is known (its origin is the issuer): served under
   * /oauth/ and at /connections, behind the same gate. Needs `auth`.
   */
  builtInAuth?: ((resourceUrl: string) => Promise<BuiltInAuthServer>) | undefined;
}

export interface HttpServerHandle {
  url: string;
  port: number;
  server: Server;
  /** Requests being served now (/mcp only). */
  inFlight(): number;
  /** Stops taking requests, lets those in flight finish (up to graceMs), then closes; true when none was cut off. */
  drain(graceMs: number): Promise<boolean>;
  close(): Promise<void>;
}

const CORS_ALLOW_HEADERS = 'authorization, content-type, accept, mcp-protocol-version, mcp-session-id, mcp-method, mcp-name, last-event-id';
const CORS_EXPOSE_HEADERS = 'mcp-session-id, mcp-protocol-version, www-authenticate, retry-after';

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store', ...headers });
  res.end(text);
}

/** JSON-RPC shaped refusals for /mcp, so MCP clients show the message. */
function rpcError(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { jsonrpc: '2.0', error: { code: -32000, message }, id: null }, headers);
}

async function sendWebResponse(res: ServerResponse, response: Response, extra: Record<string, string>): Promise<void> {
  const headers: Record<string, string> = { ...extra };
  response.headers.forEach((value, key) => {
    headers[key] = value;
  });
  const body = Buffer.from(await response.arrayBuffer());
  headers['content-length'] = String(body.length);
  res.writeHead(response.status, headers);
  res.end(body);
}

/** At most one line per kind per interval, with a count of what was left out: refusals cannot flood the log. */
function throttledLog(log: (line: string) => void, intervalMs = 5_000) {
  const last = new Map<string, { at: number; suppressed: number }>();
  return (kind: string, line: string) => {
    const now = Date.now();
    if (last.size > 256) last.clear(); // kinds are few; this only bounds what a flood of odd requests could add
    const entry = last.get(kind);
    if (entry && now - entry.at < intervalMs) {
      entry.suppressed++;
      return;
    }
    const suffix = entry && entry.suppressed > 0 ? ` (${entry.suppressed} more like it not shown)` : '';
    last.set(kind, { at: now, suppressed: 0 });
    log(`${line}${suffix}`);
  };
}

export function defaultPerCallerCap(maxConcurrent: number): number {
  return Math.max(1, Math.ceil(maxConcurrent / 8));
}

type BodyRead = { kind: 'ok'; text: string } | { kind: 'too-large' } | { kind: 'timeout' } | { kind: 'aborted' };

/** The whole body, read before any --max-concurrent slot is taken: at most maxBytes, and within timeoutMs. */
function readBody(req: IncomingMessage, maxBytes: number, timeoutMs: number): Promise<BodyRead> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (result: BodyRead) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const timer = setTimeout(() => finish({ kind: 'timeout' }), timeoutMs);
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) finish({ kind: 'too-large' });
      else if (!settled) chunks.push(chunk);
    });
    req.on('end', () => finish({ kind: 'ok', text: Buffer.concat(chunks).toString('utf8') }));
    req.on('error', () => finish({ kind: 'aborted' }));
    req.on('close', () => finish({ kind: 'aborted' }));
  });
}

/** Answers, then closes the connection (the rest of a body we will not read must not be taken as a next request). */
function refuseAndClose(req: IncomingMessage, res: ServerResponse, status: number, message: string, headers: Record<string, string>): void {
  res.on('finish', () => req.socket.destroy());
  rpcError(res, status, message, { ...headers, connection: 'close' });
}

function remoteOf(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? 'unknown';
}

interface ServerState {
  draining: boolean;
  active: number;
  onIdle: (() => void) | undefined;
  /** Requests in flight per caller, from the moment their body starts arriving. */
  callerInFlight: Map<string, number>;
  /** Filled in with the printed URL's own host once listening: the URL we print is always one we accept. */
  allowedHosts: string[];
  /** Filled in once listening (the port may have been 0). */
  prmDocument: Record<string, unknown> | undefined;
  builtIn: BuiltInAuthServer | undefined;
}

/** The MCP handler: a server per request, routed through the caller's grants (or the server's pin without auth). */
function mcpHandlerFor(router: ConnectionRouter, options: HttpServerOptions, note: ReturnType<typeof throttledLog>) {
  // Without auth there is no caller's grant: the server's own pin is the grant (the router enforces it as well).
  const openAccess: Access = {
    grants: grantsFromPin(options.pin?.connection, options.pin?.mode),
    principal: 'this server',
    bucket: 'none',
    howToWiden: (mode) => `It was started with --mode ${options.pin?.mode ?? ''}; ${mode}-mode data needs a server started without it.`,
  };
  const openRouter = new ScopedRouter(router, openAccess);
  const mcp: McpHttpHandler = createMcpHandler(
    (ctx) => {
      const access = ctx.authInfo?.extra?.access as Access | undefined;
      return createMcpServer(access ? new ScopedRouter(router, access) : openRouter, undefined, options.tools ? { tools: options.tools } : {});
    },
    {
      maxRequestBodySize: options.maxBodyBytes,
      onerror: (error) => note(`mcp:${error.message.slice(0, 40)}`, `request refused by the MCP layer: ${error.message}`),
    },
  );
  const node = toNodeHandler(mcp, {
    maxRequestBodySize: options.maxBodyBytes,
    onerror: (error) => note('mcp-adapter', `internal error while serving a request: ${error.message}`),
  });
  return { mcp, node };
}

export async function startHttpServer(router: ConnectionRouter, options: HttpServerOptions): Promise<HttpServerHandle> {
  const note = throttledLog(options.log);
  const limiter = new RateLimiter(options.rateLimitPerMinute);
  const state: ServerState = { draining: false, active: 0, onIdle: undefined, callerInFlight: new Map(), allowedHosts: [...options.allowedHosts], prmDocument: undefined, builtIn: undefined };
  const { mcp, node: mcpNode } = mcpHandlerFor(router, options, note);
  const ctx: RequestContext = { options, state, note, limiter, mcpNode, bodyTimeoutMs: options.bodyTimeoutMs ?? 10_000, perCaller: options.maxConcurrentPerCaller ?? defaultPerCallerCap(options.maxConcurrent) };

  const server = createServer(
    {
      headersTimeout: options.headerTimeoutMs,
      // Receiving a whole request (headers and body) may take this long; answering it is not limited here.
      // Node would end a slow request before our own body deadline answers it with a clear 408: give it more.
      requestTimeout: Math.max(options.headerTimeoutMs, 30_000, options.headerTimeoutMs + ctx.bodyTimeoutMs + 5_000),
      keepAliveTimeout: options.idleTimeoutMs,
      // How often Node checks the two timeouts above (its default, 30 s, would make a 10 s limit up to 40 s).
      connectionsCheckingInterval: Math.min(1_000, options.headerTimeoutMs),
    },
    (req, res) => {
      handle(ctx, req, res).catch((err: unknown) => {
        note('internal', `internal error: ${(err as Error).message}`);
        if (!res.headersSent) rpcError(res, 500, 'Internal server error');
        else res.destroy();
      });
    },
  );
  server.keepAliveTimeout = options.idleTimeoutMs;
  const sockets = trackSockets(server);
  await listen(server, options.port, options.host);

  const address = server.address() as AddressInfo;
  const localHost = address.address === '0.0.0.0' || address.address === '::' ? '127.0.0.1' : urlHostOf(address.address);
  const url = `http://${localHost}:${address.port}${MCP_PATH}`;
  if (!state.allowedHosts.includes(localHost)) state.allowedHosts.push(localHost);

  async function closeAll(): Promise<void> {
    limiter.close();
    await mcp.close().catch(() => {});
    server.closeAllConnections();
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  try {
    await configureOAuth(options, state, new URL(options.publicUrl ?? url));
  } catch (err) {
    await closeAll();
    throw err;
  }
  return {
    url,
    port: address.port,
    server,
    inFlight: () => state.active,
    drain: (graceMs) => drain(server, state, graceMs, closeAll),
    close: closeAll,
  };
}

function trackSockets(server: Server): Set<Socket> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // A malformed request or a timed-out header answers 400/408 and closes; nothing to log per client.
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (socket.writable && !socket.writableEnded) {
      const status = err.code === 'ERR_HTTP_REQUEST_TIMEOUT' || err.code === 'ERR_HTTP_HEADERS_TIMEOUT' ? '408 Request Timeout' : err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
      socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
    }
    socket.destroy();
  });
  return sockets;
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(err);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/** Once the URL is known: the built-in authorization server (if any), then the RFC 9728 document pointing at the issuer. */
async function configureOAuth(options: HttpServerOptions, state: ServerState, resourceUrl: URL): Promise<void> {
  if (options.auth && options.builtInAuth) {
    state.builtIn = await options.builtInAuth(resourceUrl.href);
    options.auth.useOAuth(state.builtIn.resourceServer);
  }
  const oauth = options.auth?.oauth;
  if (!oauth?.metadata) return;
  state.prmDocument = {
    ...buildOAuthProtectedResourceMetadata({
      oauthMetadata: oauth.metadata,
      resourceServerUrl: resourceUrl,
      scopesSupported: options.auth!.scopes,
      resourceName: 'Stripe (read-only)',
      dangerouslyAllowInsecureIssuerUrl: isLoopbackHostname(new URL(oauth.issuer).hostname),
    }),
    bearer_methods_supported: ['header'],
  };
  options.auth!.resourceMetadataUrl = resourceMetadataUrlFor(resourceUrl.href);
}

async function drain(server: Server, state: ServerState, graceMs: number, closeAll: () => Promise<void>): Promise<boolean> {
  state.draining = true;
  server.close();
  server.closeIdleConnections();
  let clean = true;
  if (state.active > 0) {
    clean = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), graceMs);
      state.onIdle = () => {
        clearTimeout(timer);
        resolve(true);
      };
    });
  }
  await closeAll();
  return clean;
}

interface RequestContext {
  options: HttpServerOptions;
  state: ServerState;
  note: ReturnType<typeof throttledLog>;
  limiter: RateLimiter;
  mcpNode: ReturnType<typeof toNodeHandler>;
  bodyTimeoutMs: number;
  perCaller: number;
}

/** Every request: health, then the gate (drain, Host, Origin, CORS preflight), then what the path names. */
async function handle(ctx: RequestContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { state } = ctx;
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  if (path === HEALTH_PATH && (req.method === 'GET' || req.method === 'HEAD')) {
    // No Host check here: load balancers probe by IP, and the answer says nothing but "up".
    sendJson(res, state.draining ? 503 : 200, { status: state.draining ? 'draining' : 'ok' }, state.draining ? { connection: 'close' } : {});
    return;
  }
  const webPage = state.builtIn?.owns(path) === true;
  const cors = gate(ctx, req, res, webPage);
  if (!cors) return;
  if (servedDiscovery(ctx, req, res, path, cors)) return;
  if (webPage) return state.builtIn!.handle(req, res, path);
  if (path !== MCP_PATH) {
    sendJson(res, 404, { error: 'not_found', message: `Nothing here. The MCP endpoint is ${MCP_PATH}; health checks go to ${HEALTH_PATH}.` }, cors);
    return;
  }
  await serveMcp(ctx, req, res, cors);
}

/**
 * Drain, Host and Origin checks (the same for /mcp, the sign-in pages and the OAuth endpoints) and CORS
 * preflights; the CORS headers to answer with, or undefined when the request was answered here. The pages also
 * accept `Origin: null`, which browsers send for their own form posts under the pages' no-referrer policy (the
 * pages' CSRF tokens and Sec-Fetch-Site check refuse another site's posts).
 */
function gate(ctx: RequestContext, req: IncomingMessage, res: ServerResponse, webPage: boolean): Record<string, string> | undefined {
  const { state, note, options } = ctx;
  if (state.draining) {
    rpcError(res, 503, 'The server is shutting down; try again (another replica will answer).', { connection: 'close', 'retry-after': '1' });
    return undefined;
  }
  if (!hostHeaderWellFormed(req.headers.host)) {
    note('host-malformed', `400 for a malformed Host ${JSON.stringify(req.headers.host ?? '').slice(0, 80)} from ${remoteOf(req)}`);
    rpcError(res, 400, `Bad Request: the Host header ${JSON.stringify(req.headers.host ?? '').slice(0, 200)} is not a host name with an optional port.`, { connection: 'close' });
    return undefined;
  }
  if (!hostAllowed(req.headers.host, state.allowedHosts).ok) {
    note('host', `403 for Host ${JSON.stringify(req.headers.host ?? '')} from ${remoteOf(req)}: accepted are ${state.allowedHosts.join(', ')} (add --allowed-host)`);
    rpcError(res, 403, `Forbidden: Host ${JSON.stringify(req.headers.host ?? '')} is not accepted by this server (DNS rebinding protection).`);
    return undefined;
  }
  const origin = req.headers.origin;
  const ownOrigin = webPage && (origin === 'null' || origin === state.builtIn?.issuer);
  if (!ownOrigin && !options.origins.allows(origin)) {
    note('origin', `403 for Origin ${JSON.stringify(origin)} from ${remoteOf(req)} (add --allowed-origin to accept it)`);
    rpcError(res, 403, `Forbidden: Origin ${JSON.stringify(origin)} is not accepted by this server.`);
    return undefined;
  }
  const cors: Record<string, string> = origin && !ownOrigin ? { 'access-control-allow-origin': origin, vary: 'Origin', 'access-control-expose-headers': CORS_EXPOSE_HEADERS } : {};
  if (req.method === 'OPTIONS' && origin && !webPage) {
    res.writeHead(204, {
      ...cors,
      'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS',
      'access-control-allow-headers': CORS_ALLOW_HEADERS,
      'access-control-max-age': '600',
    });
    res.end();
    return undefined;
  }
  return cors;
}

/** RFC 9728 metadata, and for an external issuer its RFC 8414 metadata on our origin (the built-in one serves its own). */
function servedDiscovery(ctx: RequestContext, req: IncomingMessage, res: ServerResponse, path: string, cors: Record<string, string>): boolean {
  const oauth = ctx.options.auth?.oauth;
  if (oauth && path.startsWith(PRM_PREFIX) && ctx.state.prmDocument) {
    if (req.method !== 'GET' && req.method !== 'HEAD') sendJson(res, 405, { error: 'method_not_allowed' }, { allow: 'GET, HEAD', ...cors });
    else sendJson(res, 200, ctx.state.prmDocument, { ...cors, 'access-control-allow-origin': '*' });
    return true;
  }
  if (!ctx.state.builtIn && oauth?.metadata && path === '/.well-known/oauth-authorization-server') {
    // For 2025-03-26 clients that look for the authorization server on the resource's own origin.
    sendJson(res, 200, oauth.metadata, { ...cors, 'access-control-allow-origin': '*' });
    return true;
  }
  return false;
}

/** Who is calling, and may they now: the bearer token, the per-minute limit, the per-caller cap and the declared size. */
async function admit(ctx: RequestContext, req: IncomingMessage, res: ServerResponse, cors: Record<string, string>): Promise<{ bucket: string; authInfo: AuthInfo | undefined } | undefined> {
  const { options, note, perCaller } = ctx;
  let authInfo: AuthInfo | undefined;
  let bucket: string;
  if (options.auth) {
    const outcome = await options.auth.authenticate(req.headers.authorization);
    if (!outcome.ok) {
      if (!outcome.missing) note(`auth:${outcome.response.status}`, `${outcome.response.status} for ${remoteOf(req)}: ${outcome.reason}`);
      await sendWebResponse(res, outcome.response, cors);
      return undefined;
    }
    authInfo = outcome.authInfo;
    bucket = outcome.access.bucket;
  } else {
    bucket = `addr:${remoteOf(req)}`;
  }
  const who = bucket.startsWith('addr:') ? 'each client address' : 'each token';
  const wait = ctx.limiter.take(bucket);
  if (wait > 0) {
    note('rate', `429 for ${bucket.replace(/^(token|oauth|addr):/, '$1 ')}: over ${options.rateLimitPerMinute} requests per minute`);
    rpcError(res, 429, `Too many requests: ${who} may make ${options.rateLimitPerMinute} requests per minute here. Retry after ${wait} s.`, { ...cors, 'retry-after': String(wait) });
    return undefined;
  }
  const mine = ctx.state.callerInFlight.get(bucket) ?? 0;
  if (mine >= perCaller) {
    note('caller-busy', `429 for ${bucket.replace(/^(token|oauth|addr):/, '$1 ')}: ${mine} requests in flight (the per-caller cap is ${perCaller})`);
    refuseAndClose(req, res, 429, `Too many requests at once: ${who} may have ${perCaller} requests in flight here. Retry once one has finished.`, { ...cors, 'retry-after': '1' });
    return undefined;
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > options.maxBodyBytes) {
    refuseAndClose(req, res, 413, `Request body too large: ${declared} bytes, the limit is ${options.maxBodyBytes}.`, cors);
    return undefined;
  }
  // Counted here, with no await since the check: concurrent requests of one caller cannot all pass it.
  ctx.state.callerInFlight.set(bucket, mine + 1);
  return { bucket, authInfo };
}

/** The body, within its deadline and size, as JSON; undefined when the request was answered (or went away). */
async function readJsonBody(ctx: RequestContext, req: IncomingMessage, res: ServerResponse, cors: Record<string, string>): Promise<{ body: unknown } | undefined> {
  const { options, note, bodyTimeoutMs } = ctx;
  if (req.method !== 'POST') return { body: undefined };
  const body = await readBody(req, options.maxBodyBytes, bodyTimeoutMs);
  if (body.kind === 'aborted') return undefined;
  if (body.kind === 'timeout') {
    note('body-timeout', `408 for ${remoteOf(req)}: the request body did not arrive within ${bodyTimeoutMs / 1000} s`);
    refuseAndClose(req, res, 408, `Request Timeout: the request body did not arrive within ${bodyTimeoutMs / 1000} s.`, cors);
    return undefined;
  }
  if (body.kind === 'too-large') {
    refuseAndClose(req, res, 413, `Request body too large: the limit is ${options.maxBodyBytes} bytes.`, cors);
    return undefined;
  }
  try {
    return { body: JSON.parse(body.text) };
  } catch {
    sendJson(res, 400, { jsonrpc: '2.0', error: { code: -32700, message: 'Parse error: the request body is not one JSON value.' }, id: null }, cors);
    return undefined;
  }
}

/** /mcp: admitted, body read holding only the caller's own share, then a --max-concurrent slot, then the SDK. */
async function serveMcp(ctx: RequestContext, req: IncomingMessage, res: ServerResponse, cors: Record<string, string>): Promise<void> {
  const { state, options, note } = ctx;
  const admitted = await admit(ctx, req, res, cors);
  if (!admitted) return;
  const { bucket, authInfo } = admitted;
  let released = false;
  res.on('close', () => {
    if (released) return;
    released = true;
    const n = (state.callerInFlight.get(bucket) ?? 1) - 1;
    if (n <= 0) state.callerInFlight.delete(bucket);
    else state.callerInFlight.set(bucket, n);
  });
  // The body first, holding no --max-concurrent slot: a caller trickling bodies ties up only its own share.
  const parsed = await readJsonBody(ctx, req, res, cors);
  if (!parsed) return;
  if (state.active >= options.maxConcurrent) {
    note('busy', `503: ${state.active} requests in flight (--max-concurrent ${options.maxConcurrent})`);
    rpcError(res, 503, 'The server is busy; retry in a moment.', { ...cors, 'retry-after': '1' });
    return;
  }
  state.active++;
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    state.active--;
    if (state.active === 0) state.onIdle?.();
  };
  res.on('close', finish);
  for (const [k, v] of Object.entries(cors)) res.setHeader(k, v);
  if (authInfo) (req as IncomingMessage & { auth?: AuthInfo }).auth = authInfo;
  try {
    await ctx.mcpNode(req as Parameters<typeof ctx.mcpNode>[0], res as unknown as Parameters<typeof ctx.mcpNode>[1], parsed.body);
  } catch (err) {
    finish();
    throw err;
  }
}

/** The RFC 9728 metadata URL for a resource URL (what 401 challenges advertise). */
export function resourceMetadataUrlFor(resourceUrl: string): string {
  return getOAuthProtectedResourceMetadataUrl(new URL(resourceUrl));
}
