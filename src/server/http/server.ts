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

export async function startHttpServer(router: ConnectionRouter, options: HttpServerOptions): Promise<HttpServerHandle> {
  const log = options.log;
  const note = throttledLog(log);
  const limiter = new RateLimiter(options.rateLimitPerMinute);
  // Filled in with the printed URL's own host once listening: the URL we print is always one we accept.
  const allowedHosts = [...options.allowedHosts];
  let draining = false;
  let active = 0;
  const perCaller = options.maxConcurrentPerCaller ?? defaultPerCallerCap(options.maxConcurrent);
  const bodyTimeoutMs = options.bodyTimeoutMs ?? 10_000;
  /** Requests in flight per caller, from the moment their body starts arriving. */
  const callerInFlight = new Map<string, number>();
  let onIdle: (() => void) | undefined;

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
  const mcpNode = toNodeHandler(mcp, {
    maxRequestBodySize: options.maxBodyBytes,
    onerror: (error) => note('mcp-adapter', `internal error while serving a request: ${error.message}`),
  });

  // Filled in once listening (the port may have been 0).
  let resourceUrl: URL | undefined;
  let prmDocument: Record<string, unknown> | undefined;

  const server = createServer(
    {
      headersTimeout: options.headerTimeoutMs,
      // Receiving a whole request (headers and body) may take this long; answering it is not limited here.
      // Node would end a slow request before our own body deadline answers it with a clear 408: give it more.
      requestTimeout: Math.max(options.headerTimeoutMs, 30_000, options.headerTimeoutMs + bodyTimeoutMs + 5_000),
      keepAliveTimeout: options.idleTimeoutMs,
      // How often Node checks the two timeouts above (its default, 30 s, would make a 10 s limit up to 40 s).
      connectionsCheckingInterval: Math.min(1_000, options.headerTimeoutMs),
    },
    (req, res) => {
      handle(req, res).catch((err: unknown) => {
        note('internal', `internal error: ${(err as Error).message}`);
        if (!res.headersSent) rpcError(res, 500, 'Internal server error');
        else res.destroy();
      });
    },
  );
  server.keepAliveTimeout = options.idleTimeoutMs;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path === HEALTH_PATH && (req.method === 'GET' || req.method === 'HEAD')) {
      // No Host check here: load balancers probe by IP, and the answer says nothing but "up".
      sendJson(res, draining ? 503 : 200, { status: draining ? 'draining' : 'ok' }, draining ? { connection: 'close' } : {});
      return;
    }
    if (draining) {
      rpcError(res, 503, 'The server is shutting down; try again (another replica will answer).', { connection: 'close', 'retry-after': '1' });
      return;
    }
    if (!hostHeaderWellFormed(req.headers.host)) {
      note('host-malformed', `400 for a malformed Host ${JSON.stringify(req.headers.host ?? '').slice(0, 80)} from ${remoteOf(req)}`);
      rpcError(res, 400, `Bad Request: the Host header ${JSON.stringify(req.headers.host ?? '').slice(0, 200)} is not a host name with an optional port.`, { connection: 'close' });
      return;
    }
    const host = hostAllowed(req.headers.host, allowedHosts);
    if (!host.ok) {
      note('host', `403 for Host ${JSON.stringify(req.headers.host ?? '')} from ${remoteOf(req)}: accepted are ${allowedHosts.join(', ')} (add --allowed-host)`);
      rpcError(res, 403, `Forbidden: Host ${JSON.stringify(req.headers.host ?? '')} is not accepted by this server (DNS rebinding protection).`);
      return;
    }
    const origin = req.headers.origin;
    if (!options.origins.allows(origin)) {
      note('origin', `403 for Origin ${JSON.stringify(origin)} from ${remoteOf(req)} (add --allowed-origin to accept it)`);
      rpcError(res, 403, `Forbidden: Origin ${JSON.stringify(origin)} is not accepted by this server.`);
      return;
    }
    const cors: Record<string, string> = origin ? { 'access-control-allow-origin': origin, vary: 'Origin', 'access-control-expose-headers': CORS_EXPOSE_HEADERS } : {};

    if (req.method === 'OPTIONS' && origin) {
      res.writeHead(204, {
        ...cors,
        'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS',
        'access-control-allow-headers': CORS_ALLOW_HEADERS,
        'access-control-max-age': '600',
      });
      res.end();
      return;
    }

    const oauth = options.auth?.oauth;
    if (oauth && path.startsWith(PRM_PREFIX) && prmDocument) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: 'method_not_allowed' }, { allow: 'GET, HEAD', ...cors });
      return sendJson(res, 200, prmDocument, { ...cors, 'access-control-allow-origin': '*' });
    }
    if (oauth?.metadata && path === '/.well-known/oauth-authorization-server') {
      // For 2025-03-26 clients that look for the authorization server on the resource's own origin.
      return sendJson(res, 200, oauth.metadata, { ...cors, 'access-control-allow-origin': '*' });
    }
    if (path !== MCP_PATH) {
      sendJson(res, 404, { error: 'not_found', message: `Nothing here. The MCP endpoint is ${MCP_PATH}; health checks go to ${HEALTH_PATH}.` }, cors);
      return;
    }

    // Who is calling, and what may they read.
    let authInfo: AuthInfo | undefined;
    let bucket: string;
    if (options.auth) {
      const outcome = await options.auth.authenticate(req.headers.authorization);
      if (!outcome.ok) {
        if (!outcome.missing) note(`auth:${outcome.response.status}`, `${outcome.response.status} for ${remoteOf(req)}: ${outcome.reason}`);
        await sendWebResponse(res, outcome.response, cors);
        return;
      }
      authInfo = outcome.authInfo;
      bucket = outcome.access.bucket;
    } else {
      bucket = `addr:${remoteOf(req)}`;
    }

    const wait = limiter.take(bucket);
    if (wait > 0) {
      note('rate', `429 for ${bucket.replace(/^(token|oauth|addr):/, '$1 ')}: over ${options.rateLimitPerMinute} requests per minute`);
      const who = bucket.startsWith('addr:') ? 'each client address' : 'each token';
      rpcError(res, 429, `Too many requests: ${who} may make ${options.rateLimitPerMinute} requests per minute here. Retry after ${wait} s.`, { ...cors, 'retry-after': String(wait) });
      return;
    }
    const who = bucket.startsWith('addr:') ? 'each client address' : 'each token';
    const mine = callerInFlight.get(bucket) ?? 0;
    if (mine >= perCaller) {
      note('caller-busy', `429 for ${bucket.replace(/^(token|oauth|addr):/, '$1 ')}: ${mine} requests in flight (the per-caller cap is ${perCaller})`);
      refuseAndClose(req, res, 429, `Too many requests at once: ${who} may have ${perCaller} requests in flight here. Retry once one has finished.`, { ...cors, 'retry-after': '1' });
      return;
    }
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > options.maxBodyBytes) {
      refuseAndClose(req, res, 413, `Request body too large: ${declared} bytes, the limit is ${options.maxBodyBytes}.`, cors);
      return;
    }
    callerInFlight.set(bucket, mine + 1);
    let released = false;
    res.on('close', () => {
      if (released) return;
      released = true;
      const n = (callerInFlight.get(bucket) ?? 1) - 1;
      if (n <= 0) callerInFlight.delete(bucket);
      else callerInFlight.set(bucket, n);
    });

    // The body first, within its deadline and size, holding no --max-concurrent slot: a caller trickling bodies
    // ties up only its own per-caller share, never everyone's slots.
    let parsedBody: unknown;
    if (req.method === 'POST') {
      const body = await readBody(req, options.maxBodyBytes, bodyTimeoutMs);
      if (body.kind === 'aborted') return;
      if (body.kind === 'timeout') {
        note('body-timeout', `408 for ${remoteOf(req)}: the request body did not arrive within ${bodyTimeoutMs / 1000} s`);
        refuseAndClose(req, res, 408, `Request Timeout: the request body did not arrive within ${bodyTimeoutMs / 1000} s.`, cors);
        return;
      }
      if (body.kind === 'too-large') {
        refuseAndClose(req, res, 413, `Request body too large: the limit is ${options.maxBodyBytes} bytes.`, cors);
        return;
      }
      try {
        parsedBody = JSON.parse(body.text);
      } catch {
        sendJson(res, 400, { jsonrpc: '2.0', error: { code: -32700, message: 'Parse error: the request body is not one JSON value.' }, id: null }, cors);
        return;
      }
    }
    if (active >= options.maxConcurrent) {
      note('busy', `503: ${active} requests in flight (--max-concurrent ${options.maxConcurrent})`);
      rpcError(res, 503, 'The server is busy; retry in a moment.', { ...cors, 'retry-after': '1' });
      return;
    }

    active++;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      active--;
      if (active === 0) onIdle?.();
    };
    res.on('close', finish);
    for (const [k, v] of Object.entries(cors)) res.setHeader(k, v);
    if (authInfo) (req as IncomingMessage & { auth?: AuthInfo }).auth = authInfo;
    try {
      await mcpNode(req as Parameters<typeof mcpNode>[0], res as unknown as Parameters<typeof mcpNode>[1], parsedBody);
    } catch (err) {
      finish();
      throw err;
    }
  }

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

  await new Promise<void>((resolve, reject) => {
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
    server.listen(options.port, options.host);
  });
  const address = server.address() as AddressInfo;
  const localHost = address.address === '0.0.0.0' || address.address === '::' ? '127.0.0.1' : urlHostOf(address.address);
  const url = `http://${localHost}:${address.port}${MCP_PATH}`;
  if (!allowedHosts.includes(localHost)) allowedHosts.push(localHost);

  const oauth = options.auth?.oauth;
  if (oauth?.metadata) {
    resourceUrl = new URL(options.publicUrl ?? url);
    prmDocument = {
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

  async function closeAll(): Promise<void> {
    limiter.close();
    await mcp.close().catch(() => {});
    server.closeAllConnections();
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  return {
    url,
    port: address.port,
    server,
    inFlight: () => active,
    async drain(graceMs: number): Promise<boolean> {
      draining = true;
      server.close();
      server.closeIdleConnections();
      let clean = true;
      if (active > 0) {
        clean = await new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => resolve(false), graceMs);
          onIdle = () => {
            clearTimeout(timer);
            resolve(true);
          };
        });
      }
      await closeAll();
      return clean;
    },
    close: closeAll,
  };
}

/** The RFC 9728 metadata URL for a resource URL (what 401 challenges advertise). */
export function resourceMetadataUrlFor(resourceUrl: string): string {
  return getOAuthProtectedResourceMetadataUrl(new URL(resourceUrl));
}
