/**
 * The OAuth 2.1 resource-server side: finds the authorization server's metadata and JWKS from its issuer URL,
 * keeps the keys fresh, and turns a JWT access token into the caller's grants. Nothing here ever forwards a
 * client's token anywhere: it is only checked.
 */
import type { OAuthMetadata } from '@modelcontextprotocol/server';
import { isLoopbackHostname } from './net.js';
import type { Grant } from './access.js';
import { checkClaims, decodeJwt, JwtError, scopesOf, selectKey, verifySignature, type Jwk } from './jwt.js';

export class OAuthSetupError extends Error {
  override name = 'OAuthSetupError';
}

export interface OAuthConfig {
  issuer: string;
  audience: string;
  /** Seconds of clock skew tolerated (default 60). */
  leewaySeconds?: number;
  fetch?: typeof fetch;
}

export interface VerifiedJwt {
  subject: string;
  clientId: string;
  scopes: string[];
  expiresAt: number;
  /** For our own issuer: what the person the token was issued to may read now (the token reaches no more). */
  subjectGrants?: Grant[] | undefined;
}

/** Our own authorization server's side, in process: its metadata and public keys are known, nothing is fetched. */
export interface LocalIssuer {
  issuer: string;
  audience: string;
  metadata: OAuthMetadata;
  keys: Jwk[];
  /** The person's grants now, for tokens of this client (undefined: removed or revoked, and the token is refused). */
  subjectGrants: (subject: string, clientId: string) => Promise<Grant[] | undefined>;
}

const FETCH_TIMEOUT_MS = 5_000;
/** An unknown `kid` makes us fetch the JWKS again, at most this often (key rotation; attackers cannot force more). */
const REFETCH_MIN_INTERVAL_MS = 30_000;
/** Keys are re-read in the background after this long even when nothing is unknown. */
const MAX_KEY_AGE_MS = 15 * 60_000;

/** `https://` everywhere, `http://` only on loopback (tests, a local authorization server). */
export function checkIssuerUrl(raw: string, what = '--oauth-issuer'): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new OAuthSetupError(`${what} must be the authorization server's issuer URL (e.g. https://auth.example.com), got "${raw}".`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHostname(url.hostname))) {
    throw new OAuthSetupError(`${what} must be an https:// URL (http:// is accepted only on loopback), got "${raw}".`);
  }
  if (url.search || url.hash) throw new OAuthSetupError(`${what} must not have a query or fragment, got "${raw}".`);
  return url;
}

/** RFC 8414 §3.1 and OpenID Connect Discovery, in the order MCP clients try them. */
export function discoveryUrls(issuer: URL): string[] {
  const path = issuer.pathname.replace(/\/$/, '');
  const origin = issuer.origin;
  if (!path) return [`${origin}/.well-known/oauth-authorization-server`, `${origin}/.well-known/openid-configuration`];
  return [
    `${origin}/.well-known/oauth-authorization-server${path}`,
    `${origin}/.well-known/openid-configuration${path}`,
    `${origin}${path}/.well-known/openid-configuration`,
  ];
}

export class OAuthResourceServer {
  readonly issuer: string;
  readonly audience: string;
  private readonly fetchFn: typeof fetch;
  private readonly leeway: number;
  metadata: OAuthMetadata | undefined;
  private jwksUri: string | undefined;
  private keys: Jwk[] = [];
  private fetchedAt = 0;
  private inflight: Promise<void> | undefined;
  private subjectGrants: LocalIssuer['subjectGrants'] | undefined;

  /** The built-in authorization server's verifier: same checks, keys given rather than fetched. */
  static local(local: LocalIssuer): OAuthResourceServer {
    const server = new OAuthResourceServer({ issuer: local.issuer, audience: local.audience, fetch: () => Promise.reject(new Error('the built-in issuer is never fetched')) });
    server.metadata = local.metadata;
    server.keys = local.keys;
    server.fetchedAt = Number.POSITIVE_INFINITY;
    server.subjectGrants = local.subjectGrants;
    return server;
  }

  constructor(config: OAuthConfig) {
    checkIssuerUrl(config.issuer);
    this.issuer = config.issuer;
    this.audience = config.audience;
    this.leeway = config.leewaySeconds ?? 60;
    this.fetchFn = config.fetch ?? fetch;
  }

  /** Reads the issuer's metadata and keys; throws OAuthSetupError saying what is wrong (the server does not start). */
  async start(): Promise<void> {
    const problems: string[] = [];
    for (const url of discoveryUrls(new URL(this.issuer))) {
      let body: unknown;
      try {
        const res = await this.fetchFn(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), headers: { accept: 'application/json' } });
        if (!res.ok) {
          problems.push(`${url}: HTTP ${res.status}`);
          continue;
        }
        body = await res.json();
      } catch (err) {
        const cause = (err as { cause?: { code?: string; message?: string } }).cause;
        problems.push(`${url}: ${cause?.code ?? cause?.message ?? (err as Error).message}`);
        continue;
      }
      const meta = body as Partial<OAuthMetadata> & { jwks_uri?: unknown };
      if (meta.issuer !== this.issuer) {
        throw new OAuthSetupError(
          `The authorization server at ${url} calls itself ${JSON.stringify(meta.issuer)}, not ${JSON.stringify(this.issuer)}. ` +
            `Tokens carry its own name in "iss": pass exactly that as --oauth-issuer.`,
        );
      }
      if (typeof meta.jwks_uri !== 'string') {
        throw new OAuthSetupError(`The authorization server's metadata (${url}) has no jwks_uri, so its token signatures cannot be checked.`);
      }
      checkIssuerUrl(meta.jwks_uri, `Its jwks_uri`);
      this.metadata = meta as OAuthMetadata;
      this.jwksUri = meta.jwks_uri;
      await this.fetchKeys();
      if (this.keys.length === 0) throw new OAuthSetupError(`The authorization server's JWKS (${this.jwksUri}) holds no signing key.`);
      return;
    }
    throw new OAuthSetupError(`Could not read the authorization server's metadata for ${this.issuer}: ${problems.join('; ')}`);
  }

  private async fetchKeys(): Promise<void> {
    const uri = this.jwksUri;
    if (!uri) return;
    const res = await this.fetchFn(uri, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), headers: { accept: 'application/json' } });
    if (!res.ok) throw new OAuthSetupError(`The authorization server's JWKS (${uri}) answered HTTP ${res.status}.`);
    const body = (await res.json()) as { keys?: unknown };
    if (!Array.isArray(body.keys)) throw new OAuthSetupError(`The authorization server's JWKS (${uri}) is not a JWK set.`);
    // Only public keys: a JWK with private parts is refused rather than trusted.
    this.keys = body.keys.filter((k): k is Jwk => k !== null && typeof k === 'object' && typeof (k as Jwk).kty === 'string' && (k as Jwk).d === undefined);
    this.fetchedAt = Date.now();
  }

  /** Re-reads the keys (shared by concurrent callers); failures keep the keys we have. */
  private refreshKeys(): Promise<void> {
    this.inflight ??= this.fetchKeys()
      .catch(() => {
        this.fetchedAt = Date.now(); // back off; the old keys stay
      })
      .finally(() => {
        this.inflight = undefined;
      });
    return this.inflight;
  }

  /** Verifies a JWT access token; throws JwtError with the reason (for the 401 and the log, never the token). */
  async verify(token: string): Promise<VerifiedJwt> {
    const jwt = decodeJwt(token);
    if (Date.now() - this.fetchedAt > MAX_KEY_AGE_MS) void this.refreshKeys();
    let key = selectKey(this.keys, jwt.header);
    if (!key && Date.now() - this.fetchedAt > REFETCH_MIN_INTERVAL_MS) {
      await this.refreshKeys();
      key = selectKey(this.keys, jwt.header);
    }
    if (!key) throw new JwtError('the token was not signed by a key of the issuer');
    verifySignature(jwt, key);
    const { expiresAt } = checkClaims(jwt.claims, { issuer: this.issuer, audience: this.audience, leewaySeconds: this.leeway });
    const c = jwt.claims;
    const clientId = typeof c.client_id === 'string' ? c.client_id : typeof c.azp === 'string' ? c.azp : typeof c.sub === 'string' ? c.sub : 'unknown';
    const subject = typeof c.sub === 'string' ? c.sub : clientId;
    if (!this.subjectGrants) return { subject, clientId, scopes: scopesOf(c), expiresAt };
    const subjectGrants = await this.subjectGrants(subject, clientId);
    if (!subjectGrants) throw new JwtError('it was revoked, or the person it was issued to may no longer sign in here');
    return { subject, clientId, scopes: scopesOf(c), expiresAt, subjectGrants };
  }
}
