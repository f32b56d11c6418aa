/**
 * A real OAuth 2.1 / OpenID Connect authorization server for the tests: oidc-provider (panva), on loopback, issuing
 * RFC 9068 JWT access tokens through the client-credentials grant with RFC 8707 resource indicators. The audience
 * is whatever resource the client asks for, as with any real server; the scopes are ours.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export const CLIENT_SECRET = 'test-client-secret-0123456789abcdef';
export const OUR_SCOPES = ['stripe.test.read', 'stripe.live.read', 'stripe.test.read:acme', 'stripe.live.read:acme', 'stripe.test.read:globex', 'other.scope'];

export interface AuthServer {
  issuer: string;
  /** The signing keys (private), so a second server can sign with the same key under another issuer name. */
  jwks: { keys: object[] };
  /** Client credentials grant: a JWT access token for `resource` with `scope`. */
  token(options: { scope: string; resource: string; clientId?: string }): Promise<string>;
  close(): Promise<void>;
}

function signingKey(): object {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'RS256', use: 'sig' };
}

export async function startAuthServer(options: { jwks?: { keys: object[] }; shortLivedClient?: string } = {}): Promise<AuthServer> {
  const jwks = options.jwks ?? { keys: [signingKey()] };
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = (client_id: string) => ({
    client_id,
    client_secret: CLIENT_SECRET,
    grant_types: ['client_credentials'],
    redirect_uris: [],
    response_types: [],
    token_endpoint_auth_method: 'client_secret_basic',
    scope: OUR_SCOPES.join(' '),
  });
  const provider = new Provider(issuer, {
    clients: [client('claude-connector'), client('chatgpt-connector'), client('short-lived')],
    jwks,
    scopes: OUR_SCOPES,
    ttl: { ClientCredentials: (_ctx: unknown, token: { resourceServer?: { accessTokenTTL?: number } }) => token.resourceServer?.accessTokenTTL ?? 300 },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: async (_ctx: unknown, _client: unknown, oneOf?: string) => oneOf,
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx: unknown, resource: string, c: { clientId: string }) => ({
          scope: OUR_SCOPES.join(' '),
          audience: resource,
          accessTokenFormat: 'jwt',
          accessTokenTTL: c.clientId === (options.shortLivedClient ?? 'short-lived') ? 3 : 300,
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
  });
  // oidc-provider reports every refused grant as an event; the tests look at outcomes, not at its log.
  provider.on('server_error', () => {});
  server.on('request', provider.callback());
  return {
    issuer,
    jwks,
    async token({ scope, resource, clientId = 'claude-connector' }) {
      const res = await fetch(`${issuer}/token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${clientId}:${CLIENT_SECRET}`).toString('base64')}`,
        },
        body: new URLSearchParams({ grant_type: 'client_credentials', scope, resource }),
      });
      const body = (await res.json()) as { access_token?: string; error?: string; error_description?: string };
      if (!body.access_token) throw new Error(`token request failed: ${res.status} ${body.error}: ${body.error_description}`);
      return body.access_token;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
