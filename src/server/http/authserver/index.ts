/**
 * The built-in authorization server of `serve --http` (on unless --oauth-issuer names another): oidc-provider
 * mounted under /oauth/ on the same node:http server as /mcp, behind the same Host and Origin checks, with our
 * sign-in and consent pages, people from users.json, and state beside connections.json. Its access tokens are
 * JWTs the resource side checks as it checks any issuer's, against the public half of the key kept here.
 */
import { createPublicKey, type JsonWebKey } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { OAuthMetadata } from '@modelcontextprotocol/server';
import type { HomePaths } from '../../../connections/paths.js';
import type { ServerPin } from '../access.js';
import { OAuthResourceServer } from '../oauth.js';
import type { Jwk } from '../jwt.js';
import { AuthPages, SIGNOUT_PATH } from './pages.js';
import { canonicaliseForProvider, createProvider, OAUTH_PREFIX, type DocumentFetch } from './provider.js';
import { useSessions, WebSessions, type WebUser } from './session.js';
import { loadServerState, StateFileStore } from './state.js';
import { UserStore } from './users.js';
import { Csrf } from '../web/csrf.js';

export interface BuiltInAuthOptions {
  paths: HomePaths;
  /** This server's /mcp URL as clients reach it (the resource; its origin is the issuer). */
  resource: string;
  pin: ServerPin;
  connectionNames: () => string[];
  log: (line: string) => void;
  /**
   * For in-process tests only (no flag or environment variable sets it): replaces how a client ID metadata
   * document is fetched. Without it oidc-provider uses globalThis.fetch through its own dispatcher, which resolves
   * the name in DNS, trusts the system's CAs and drops a connection to a special-use address (loopback, private
   * ranges); a test serving the document from loopback must replace exactly that. Everything before and after
   * still runs: our host check on the client_id (documentRefusal in provider.ts), and oidc-provider's checks of the
   * answer (status 200, size, JSON, client_id, no shared secret, https URIs).
   */
  documentFetch?: DocumentFetch | undefined;
}

/** The page handler mounted at /connections for a signed-in person (webpage's connectionsPages). */
export type ConnectionsHandler = (req: IncomingMessage, res: ServerResponse, user: WebUser) => Promise<void>;

/** What the connections page gets from the sign-in: CSRF, the session id, the clients holding tokens, the origin. */
export interface ConnectionsParts {
  csrf: Csrf;
  sessionId(req: IncomingMessage): string | undefined;
  clients: { listClients: StateFileStore['listClients']; revokeClient: StateFileStore['revokeClient'] };
  publicUrl: string;
  /** The page with the sign-out button, linked from the pages' header. */
  signOutPath: string;
  log: (line: string) => void;
}

export interface BuiltInAuthServer {
  issuer: string;
  /** Verifies the tokens this server issues (handed to the Authenticator). */
  resourceServer: OAuthResourceServer;
  /** Paths this server answers: /oauth/…, the well-known discovery documents, /connections. */
  owns(path: string): boolean;
  handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void>;
  users: UserStore;
  sessions: WebSessions;
}

const DISCOVERY = new Set(['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration']);

function publicJwk(privateJwk: Record<string, unknown>): Jwk {
  const pub = createPublicKey({ key: privateJwk as JsonWebKey, format: 'jwk' }).export({ format: 'jwk' }) as Jwk;
  return { ...pub, kid: privateJwk.kid as string, alg: 'RS256', use: 'sig' };
}

/** RFC 8414 metadata as the resource server's 401 and its own discovery point to it: code with PKCE S256 only. */
function authServerMetadata(issuer: string): OAuthMetadata {
  return {
    issuer,
    authorization_endpoint: `${issuer}${OAUTH_PREFIX}/authorize`,
    token_endpoint: `${issuer}${OAUTH_PREFIX}/token`,
    registration_endpoint: `${issuer}${OAUTH_PREFIX}/register`,
    revocation_endpoint: `${issuer}${OAUTH_PREFIX}/revoke`,
    jwks_uri: `${issuer}${OAUTH_PREFIX}/jwks`,
    response_types_supported: ['code'],
    code_challenge_methods_supported: ['S256'],
  } as OAuthMetadata;
}

export async function startBuiltInAuth(options: BuiltInAuthOptions, connectionsPage?: (parts: ConnectionsParts) => Promise<ConnectionsHandler>): Promise<BuiltInAuthServer> {
  const resourceUrl = new URL(options.resource);
  const issuer = resourceUrl.origin;
  const state = await loadServerState(options.paths, issuer);
  const store = new StateFileStore(options.paths);
  const users = new UserStore(options.paths);
  const sessions = new WebSessions(users, resourceUrl.protocol === 'https:');
  useSessions(sessions);
  const provider = await createProvider({ issuer, resource: resourceUrl.href, state, store, users, connectionNames: options.connectionNames, log: options.log, signedInAs: (req) => sessions.userName(req), documentFetch: options.documentFetch });
  const callback = provider.callback();
  const pages = new AuthPages({
    provider,
    users,
    sessions,
    issuer,
    resource: resourceUrl.href,
    pin: options.pin,
    connectionNames: options.connectionNames,
    csrfSecret: state.cookieKeys[0]!,
    log: options.log,
  });

  const metadata = authServerMetadata(issuer);
  const resourceServer = OAuthResourceServer.local({
    issuer,
    audience: resourceUrl.href,
    metadata,
    keys: state.signingKeys.map(publicJwk),
    // A removed person's or a revoked client's tokens stop at once; a narrowed grant narrows what their tokens reach.
    subjectGrants: async (subject, clientId) => ((await store.hasGrant(subject, clientId)) ? (await users.get(subject))?.grants : undefined),
  });
  const connections = await connectionsPage?.({
    csrf: new Csrf(`${state.cookieKeys[0]!}:connections`),
    sessionId: (req) => sessions.sessionId(req),
    clients: { listClients: () => store.listClients(), revokeClient: (id) => store.revokeClient(id) },
    publicUrl: issuer,
    signOutPath: SIGNOUT_PATH,
    log: options.log,
  });

  async function handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (path === '/connections' || path.startsWith('/connections/')) return serveConnections(req, res, path);
    if (await pages.handle(req, res, path)) return;
    canonicaliseForProvider(req, new URL(issuer));
    // RFC 8414 metadata is oidc-provider's discovery document (a superset), served at both well-known names.
    if (path === '/.well-known/oauth-authorization-server') req.url = `/.well-known/openid-configuration${(req.url ?? '').slice(path.length)}`;
    callback(req, res);
    await new Promise<void>((resolve) => res.once('close', resolve));
  }

  async function serveConnections(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const user = await sessions.currentUser(req);
    if (!user) {
      res.writeHead(303, { location: `${OAUTH_PREFIX}/signin?next=${encodeURIComponent(path)}`, 'cache-control': 'no-store', 'content-length': 0 });
      res.end();
      return;
    }
    if (connections) return connections(req, res, user);
    // Without a connections page (the demo): say where connections are managed.
    const { html, layout, notice, sendHtml } = await import('../web/index.js');
    sendHtml(res, 404, layout({ title: 'Connections', body: html`<h1>Connections</h1>${notice('info', 'This server has no connections page (it serves the demo data): use stripe-readonly-mcp connections in a terminal.')}`, user: user.name }));
  }

  return {
    issuer,
    resourceServer,
    owns: (path) => path === OAUTH_PREFIX || path.startsWith(`${OAUTH_PREFIX}/`) || DISCOVERY.has(path) || path === '/connections' || path.startsWith('/connections/'),
    handle,
    users,
    sessions,
  };
}
