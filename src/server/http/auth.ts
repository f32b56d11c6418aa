/**
 * Who is calling, and what may they read: the bearer token (a static token or an OAuth JWT) is verified, its
 * grants cut down to what this server serves, and the outcome handed on as `AuthInfo` whose `extra.access` the
 * per-request router enforces. The token itself goes no further than this file: `AuthInfo.token` is blanked,
 * so no tool, log line or Stripe request can ever carry it.
 */
import {
  bearerAuthChallengeResponse,
  OAuthError,
  OAuthErrorCode,
  verifyBearerToken,
  type AuthInfo,
  type OAuthTokenVerifier,
} from '@modelcontextprotocol/server';
import { MODES } from '../../stripe/keys.js';
import { applyPin, describeGrants, grantsFromPin, grantsFromScopes, narrowGrants, scopeFor, type Access, type Grant, type ServerPin } from './access.js';
import { JwtError } from './jwt.js';
import type { OAuthResourceServer } from './oauth.js';
import { looksLikeStaticToken, type TokenVerifierStore } from './token-store.js';

export interface AuthenticatorOptions {
  tokens: TokenVerifierStore;
  oauth?: OAuthResourceServer | undefined;
  pin: ServerPin;
}

export type AuthOutcome =
  | { ok: true; authInfo: AuthInfo; access: Access }
  | { ok: false; response: Response; reason: string; missing: boolean };

const CLI = 'stripe-readonly-mcp';

/**
 * The scopes a client should ask for to use this server: the modes it serves (both unless pinned). The plain
 * scopes, not the per-connection ones: those are for authorization servers that want to narrow a grant.
 */
export function challengeScopes(pin: ServerPin): string[] {
  return (pin.mode ? [pin.mode] : [...MODES]).map((m) => scopeFor(m));
}

export class Authenticator {
  scopes: string[];
  /** RFC 9728 metadata URL advertised in challenges (OAuth only; set once the server knows its URL). */
  resourceMetadataUrl: string | undefined;
  private readonly verifier: OAuthTokenVerifier;

  constructor(private readonly options: AuthenticatorOptions) {
    this.scopes = options.oauth ? challengeScopes(options.pin) : [];
    this.verifier = { verifyAccessToken: (token) => this.verifyToken(token) };
  }

  get oauth(): OAuthResourceServer | undefined {
    return this.options.oauth;
  }

  /** The built-in authorization server's verifier, known only once the server listens (its URL is the issuer). */
  useOAuth(oauth: OAuthResourceServer): void {
    this.options.oauth = oauth;
    this.scopes = challengeScopes(this.options.pin);
  }

  async authenticate(authorization: string | undefined): Promise<AuthOutcome> {
    try {
      const authInfo = await verifyBearerToken(authorization, {
        verifier: this.verifier,
        ...(this.resourceMetadataUrl ? { resourceMetadataUrl: this.resourceMetadataUrl } : {}),
      });
      return { ok: true, authInfo, access: authInfo.extra!.access as Access };
    } catch (err) {
      const response = bearerAuthChallengeResponse(err, {
        requiredScopes: this.scopes,
        ...(this.resourceMetadataUrl ? { resourceMetadataUrl: this.resourceMetadataUrl } : {}),
      });
      return { ok: false, response, reason: err instanceof Error ? err.message : 'unexpected failure', missing: !authorization };
    }
  }

  private async verifyToken(token: string): Promise<AuthInfo> {
    const { oauth, tokens, pin } = this.options;
    let grants: Grant[];
    let access: Omit<Access, 'grants'>;
    let clientId: string;
    let scopes: string[];
    let expiresAt: number;
    if (looksLikeStaticToken(token)) {
      const record = await tokens.lookup(token);
      if (!record) {
        throw new OAuthError(OAuthErrorCode.InvalidToken, tokens.problem ? 'The server cannot read its tokens file' : 'The token is not valid (unknown or revoked)');
      }
      grants = grantsFromPin(record.connection ?? undefined, record.mode ?? undefined);
      clientId = record.name;
      scopes = grants.map((g) => scopeFor(g.mode, g.connection));
      // Static tokens do not expire; the SDK requires a time, so an hour from now (re-checked on every request).
      expiresAt = Math.floor(Date.now() / 1000) + 3600;
      access = {
        principal: `token "${record.name}"`,
        bucket: `token:${record.name}`,
        howToWiden: (mode, connection) =>
          `To read ${mode}-mode data, use a token created with: ${CLI} tokens create NAME --mode ${mode}${connection ? ` --connection ${connection}` : ''}`,
      };
    } else if (oauth) {
      let verified;
      try {
        verified = await oauth.verify(token);
      } catch (err) {
        if (err instanceof JwtError) throw new OAuthError(OAuthErrorCode.InvalidToken, `The token is not valid: ${err.message}`);
        throw err;
      }
      grants = verified.subjectGrants ? narrowGrants(grantsFromScopes(verified.scopes), verified.subjectGrants) : grantsFromScopes(verified.scopes);
      clientId = verified.clientId;
      scopes = verified.scopes;
      expiresAt = verified.expiresAt;
      access = {
        principal: `OAuth client "${verified.clientId}"`,
        bucket: `oauth:${verified.subject}`,
        howToWiden: (mode, connection) =>
          `Reading ${mode}-mode data needs the OAuth scope ${scopeFor(mode)}${connection ? ` (or ${scopeFor(mode, connection)})` : ''}: reconnect the app and grant it.`,
      };
    } else {
      throw new OAuthError(OAuthErrorCode.InvalidToken, 'The token is not valid');
    }
    const usable = applyPin(grants, pin);
    if (usable.length === 0) {
      const what =
        grants.length === 0
          ? `it carries none of the scopes ${challengeScopes({}).join(', ')}`
          : `it grants ${describeGrants(grants)}, and this server serves only ${describeGrants(grantsFromPin(pin.connection, pin.mode))}`;
      throw new OAuthError(OAuthErrorCode.InsufficientScope, `The token may not read anything here: ${what}`);
    }
    return { token: '[redacted]', clientId, scopes, expiresAt, extra: { access: { ...access, grants: usable } satisfies Access } };
  }
}
