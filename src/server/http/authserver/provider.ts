/**
 * The oidc-provider configuration of the built-in authorization server (OAuth 2.1 as MCP clients speak it):
 * dynamic client registration (RFC 7591) and client ID metadata documents, authorization code with PKCE (S256,
 * the only method oidc-provider 9 implements; required for every client), refresh tokens rotated on every use,
 * revocation (RFC 7009), resource indicators (RFC 8707) accepting only this server's /mcp, and short-lived RFC 9068
 * JWT access tokens the resource side verifies with the same public key. Every endpoint lives under /oauth/;
 * discovery documents are the issuer's well-known paths. Docs: https://github.com/panva/node-oidc-provider/tree/v9.x/docs
 */
import type { IncomingMessage } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type Provider from 'oidc-provider';
import { MODES } from '../../../stripe/keys.js';
import { scopeFor } from '../access.js';
import { isLoopbackHostname } from '../net.js';
import { cookieName, html, layout, notice, securityHeaders } from '../web/index.js';
import { adapterFactory, secretDigest, type AuthServerState, type StateFileStore } from './state.js';
import type { UserStore } from './users.js';

export const OAUTH_PREFIX = '/oauth';
export const ACCESS_TOKEN_TTL_S = 10 * 60;
export const REFRESH_TOKEN_TTL_S = 30 * 24 * 3600;
export const CODE_TTL_S = 60;
export const INTERACTION_TTL_S = 15 * 60;

export interface ProviderOptions {
  issuer: string;
  /** The resource (RFC 8707) every token is bound to: this server's /mcp URL. */
  resource: string;
  state: AuthServerState;
  store: StateFileStore;
  users: UserStore;
  /** Connection names now (for the scopes a client may register with). */
  connectionNames: () => string[];
  log: (line: string) => void;
  /** Who is signed in on this browser (our web session), if anyone: an earlier grant is reused only for them. */
  signedInAs: (req: IncomingMessage) => string | undefined;
  /** In-process tests only: see BuiltInAuthOptions.documentFetch. */
  documentFetch?: DocumentFetch | undefined;
}

/** What loadExistingGrant reads of oidc-provider's request context. */
interface ExistingGrantContext {
  req: IncomingMessage;
  oidc: {
    session?: { accountId?: string; grantIdFor(clientId: string): string | undefined };
    result?: { consent?: { grantId?: string } };
    client: { clientId: string };
    provider: { Grant: { find(id: string): Promise<unknown> } };
  };
}

/** How the authorization server's outgoing requests are made (oidc-provider's `fetch` option). */
export type DocumentFetch = (url: string, init: RequestInit) => Promise<Response>;

/** Every scope a token of ours can carry: each mode, on every connection or one. */
export function allScopes(connections: readonly string[]): string[] {
  return MODES.flatMap((mode) => [scopeFor(mode), ...connections.map((c) => scopeFor(mode, c))]);
}

/**
 * Why no client ID metadata document is fetched from this client_id, or undefined when it may be: only from public
 * https hosts, never a loopback or literal address or a local name (the fetch must not reach this machine's or its
 * network's private services). The reason is shown to the person on the error page.
 */
export function documentRefusal(clientId: string): string | undefined {
  let url: URL;
  try {
    url = new URL(clientId);
  } catch {
    return 'the client_id is not a URL';
  }
  const where = url.host.slice(0, 100);
  if (url.protocol !== 'https:') return `client ID metadata documents are fetched over https only, and this client_id is ${url.protocol.slice(0, 10)}//${where}`;
  // A trailing dot names the same host (localhost. is localhost), so it goes before the checks.
  const host = url.hostname.replace(/^\[|\]$/g, '').replace(/\.+$/, '');
  const local = isLoopbackHostname(host) || isIP(host) !== 0 || !host.includes('.') || host.endsWith('.local') || host.endsWith('.internal');
  return local ? `this server fetches client ID metadata documents only from public host names, and ${where} is not one` : undefined;
}

const ROUTES = {
  authorization: `${OAUTH_PREFIX}/authorize`,
  token: `${OAUTH_PREFIX}/token`,
  registration: `${OAUTH_PREFIX}/register`,
  revocation: `${OAUTH_PREFIX}/revoke`,
  jwks: `${OAUTH_PREFIX}/jwks`,
  end_session: `${OAUTH_PREFIX}/logout`,
  userinfo: `${OAUTH_PREFIX}/userinfo`,
  introspection: `${OAUTH_PREFIX}/introspect`,
  pushed_authorization_request: `${OAUTH_PREFIX}/par`,
  code_verification: `${OAUTH_PREFIX}/device`,
  device_authorization: `${OAUTH_PREFIX}/device/auth`,
  backchannel_authentication: `${OAUTH_PREFIX}/backchannel`,
  challenge: `${OAUTH_PREFIX}/challenge`,
};

const TTL = {
  AccessToken: ACCESS_TOKEN_TTL_S,
  AuthorizationCode: CODE_TTL_S,
  RefreshToken: REFRESH_TOKEN_TTL_S,
  Grant: REFRESH_TOKEN_TTL_S,
  Interaction: INTERACTION_TTL_S,
  Session: 24 * 3600,
  IdToken: ACCESS_TOKEN_TTL_S,
};

/** The oidc-provider features: what connectors need, everything else off. */
function features(options: ProviderOptions, errors: Record<'InvalidTarget' | 'InvalidClient', new (description?: string) => Error>) {
  const resourceInfo = {
    audience: options.resource,
    accessTokenFormat: 'jwt',
    accessTokenTTL: ACCESS_TOKEN_TTL_S,
    jwt: { sign: { alg: 'RS256' } },
  };
  return {
    devInteractions: { enabled: false },
    registration: { enabled: true },
    // A client revokes only its own tokens (a public client's wrong guess is silently ignored, per RFC 7009 §2.2).
    revocation: { enabled: true, allowedPolicy: async (_ctx: unknown, client: { clientId: string }, token: { clientId: string }) => token.clientId === client.clientId },
    userinfo: { enabled: false },
    rpInitiatedLogout: { enabled: false },
    // Claude's way of naming itself: client_id is an https URL of its metadata (draft-ietf-oauth-client-id-metadata-document-02).
    clientIdMetadataDocument: {
      enabled: true,
      ack: 'draft-02',
      allowFetch: async (_ctx: unknown, id: string) => {
        const refusal = documentRefusal(id);
        if (refusal) throw new errors.InvalidClient(refusal);
        return true;
      },
    },
    resourceIndicators: {
      enabled: true,
      defaultResource: async () => options.resource,
      useGrantedResource: async () => true,
      getResourceServerInfo: async (_ctx: unknown, resource: string) => {
        if (resource !== options.resource) throw new errors.InvalidTarget(`this server issues tokens only for ${options.resource}`);
        return { ...resourceInfo, scope: allScopes(options.connectionNames()).join(' ') };
      },
    },
  };
}

/**
 * oidc-provider's default reuses the grant its own session remembers for the client, and then answers an
 * authorization with a code and no page at all. That session outlives our sign-out (a shared browser would hand the
 * last person's access to whoever connects the same app next), so a grant is reused only while the person it belongs
 * to is still signed in here; otherwise the interaction runs, and with it our sign-in.
 */
function existingGrantWhileSignedIn(signedInAs: ProviderOptions['signedInAs']) {
  return async (ctx: ExistingGrantContext) => {
    const accountId = ctx.oidc.session?.accountId;
    if (!accountId || signedInAs(ctx.req) !== accountId) return undefined;
    const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session?.grantIdFor(ctx.oidc.client.clientId);
    return grantId ? ctx.oidc.provider.Grant.find(grantId) : undefined;
  };
}

export async function createProvider(options: ProviderOptions): Promise<Provider> {
  // Loaded here only: `serve --http` with the built-in sign-in is the only path that needs it.
  const { default: ProviderClass, errors } = await import('oidc-provider');
  const secure = new URL(options.issuer).protocol === 'https:';
  const cookieOptions = { signed: true, httpOnly: true, sameSite: 'lax', secure, path: '/' };
  const provider = new ProviderClass(options.issuer, {
    adapter: adapterFactory(options.store),
    clients: [],
    jwks: { keys: options.state.signingKeys },
    // Behind TLS the cookies sent with Path=/ take the __Host- prefix, as ours do (web/cookies.ts); the resume cookie
    // cannot: oidc-provider scopes it to the authorization endpoint's path.
    cookies: {
      keys: options.state.cookieKeys,
      long: cookieOptions,
      short: cookieOptions,
      names: { session: cookieName('srmcp_op_session', { secure }), interaction: cookieName('srmcp_op_interaction', { secure }), resume: 'srmcp_op_resume' },
    },
    // oidc-provider checks a client's registered `scope` against these; connections added later are consented
    // to through the resource server's scopes below, which are read on every request.
    scopes: ['offline_access', ...allScopes(options.connectionNames())],
    claims: { openid: ['sub'] },
    findAccount: async (_ctx: unknown, id: string) => {
      const user = await options.users.get(id);
      return user ? { accountId: user.name, claims: async () => ({ sub: user.name }) } : undefined;
    },
    responseTypes: ['code'],
    // Public clients (PKCE, no secret) and secret-holding ones; no method that signs with the secret (client_secret_jwt),
    // since secrets are stored as digests (see compareClientSecret below). ID tokens are RS256 only (oidc-provider's default).
    clientAuthMethods: ['none', 'client_secret_post', 'client_secret_basic'],
    pkce: { required: () => true },
    clientDefaults: { grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], token_endpoint_auth_method: 'none', id_token_signed_response_alg: 'RS256' },
    // Exact redirect_uri matching, and it must be sent (no "the only one registered" shortcut).
    allowOmittingSingleRegisteredRedirectUri: false,
    loadExistingGrant: existingGrantWhileSignedIn(options.signedInAs),
    issueRefreshToken: async (_ctx: unknown, client: { grantTypeAllowed(g: string): boolean }) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: true,
    // A connector keeps its access after the person's browser session ends (until the refresh token expires or is revoked).
    expiresWithSession: async () => false,
    ttl: TTL,
    routes: ROUTES,
    // Client ID metadata documents are this configuration's only outgoing requests (no request objects, no
    // jwks_uri client authentication, no sector identifiers, no back-channel logout).
    ...(options.documentFetch ? { fetch: options.documentFetch } : {}),
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `${OAUTH_PREFIX}/interaction/${interaction.uid}` },
    features: features(options, { InvalidTarget: errors.InvalidTarget!, InvalidClient: errors.InvalidClient! }),
    renderError: async (ctx: { type: string; body: string; set(h: Record<string, string>): void; oidc?: { params?: Record<string, unknown> } }, out: Record<string, unknown>) => {
      ctx.set(securityHeaders());
      ctx.type = 'html';
      // oidc-provider takes a client_id on plain http for a registered client's id, and finds none ("client is invalid").
      const clientId = String(ctx.oidc?.params?.client_id ?? '');
      const description = out.error === 'invalid_client' && /^http:\/\//i.test(clientId) ? documentRefusal(clientId) : out.error_description;
      const body = html`<h1>Sign-in could not go on</h1>${notice('error', `${String(out.error ?? 'error')}: ${String(description ?? '')}`)}<p>Go back to the app you came from and connect again.</p>`;
      ctx.body = layout({ title: 'Sign-in error', body }).text;
    },
  });
  provider.proxy = true;
  // Stored client secrets are digests (state.ts): the secret a client sends is compared as one, in constant time.
  // The only other use oidc-provider makes of a secret, HMAC-signed JWTs (client_secret_jwt, HS256), is not offered.
  const clientModel = (provider.Client as unknown as { prototype: unknown }).prototype as { compareClientSecret(actual: string): Promise<boolean> | boolean; clientSecret?: string };
  clientModel.compareClientSecret = function compareDigest(this: { clientSecret?: string }, actual: string) {
    const stored = Buffer.from(this.clientSecret ?? '');
    const given = Buffer.from(secretDigest(String(actual)));
    return stored.length === given.length && timingSafeEqual(stored, given);
  };
  // Refused requests are answered to the client; here they are only counted per kind (no token, code or secret is logged).
  for (const event of ['server_error', 'grant.error', 'authorization.error', 'registration_create.error', 'revocation.error']) {
    provider.on(event, (...args: unknown[]) => {
      const err = args.find((a): a is Error => a instanceof Error);
      if (event === 'server_error') options.log(`sign-in server error: ${err?.message ?? 'unknown'}`);
    });
  }
  return provider;
}

/**
 * What oidc-provider sees of a request: the public host and scheme (it builds every URL it hands out from them),
 * whatever a proxy or the client put in Forwarded headers. Only called after the Host check passed.
 */
export function canonicaliseForProvider(req: IncomingMessage, issuer: URL): void {
  req.headers.host = issuer.host;
  req.headers['x-forwarded-proto'] = issuer.protocol.replace(':', '');
  delete req.headers['x-forwarded-host'];
  delete req.headers['x-forwarded-port'];
  delete req.headers['x-forwarded-for'];
  delete req.headers.forwarded;
}
