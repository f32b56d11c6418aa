/**
 * JWT access-token validation (RFC 9068 / RFC 7519) with node:crypto only: the signature against the issuer's
 * JWKS, then `iss`, `aud`, `exp` and `nbf`. Asymmetric algorithms only; the key's type must fit the algorithm
 * the token names, so a token cannot pick a weaker check (no `none`, no HMAC with a public key as the secret).
 */
import { constants, createPublicKey, verify, type JsonWebKey, type KeyObject } from 'node:crypto';

export class JwtError extends Error {
  override name = 'JwtError';
}

type Alg = 'RS256' | 'RS384' | 'RS512' | 'PS256' | 'PS384' | 'PS512' | 'ES256' | 'ES384' | 'ES512' | 'EdDSA';

const ALGS: Record<Alg, { hash: string | null; kty: string; crv?: string; pss?: number; ec?: boolean }> = {
  RS256: { hash: 'sha256', kty: 'RSA' },
  RS384: { hash: 'sha384', kty: 'RSA' },
  RS512: { hash: 'sha512', kty: 'RSA' },
  PS256: { hash: 'sha256', kty: 'RSA', pss: 32 },
  PS384: { hash: 'sha384', kty: 'RSA', pss: 48 },
  PS512: { hash: 'sha512', kty: 'RSA', pss: 64 },
  ES256: { hash: 'sha256', kty: 'EC', crv: 'P-256', ec: true },
  ES384: { hash: 'sha384', kty: 'EC', crv: 'P-384', ec: true },
  ES512: { hash: 'sha512', kty: 'EC', crv: 'P-521', ec: true },
  EdDSA: { hash: null, kty: 'OKP', crv: 'Ed25519' },
};

export interface Jwk extends JsonWebKey {
  kid?: string;
  alg?: string;
  use?: string;
}

export interface JwtClaims {
  iss?: unknown;
  sub?: unknown;
  aud?: unknown;
  exp?: unknown;
  nbf?: unknown;
  iat?: unknown;
  scope?: unknown;
  scp?: unknown;
  client_id?: unknown;
  azp?: unknown;
  [claim: string]: unknown;
}

export interface DecodedJwt {
  header: { alg?: unknown; kid?: unknown; typ?: unknown };
  claims: JwtClaims;
  signingInput: Buffer;
  signature: Buffer;
}

const B64URL = /^[A-Za-z0-9_-]*$/;

export function decodeJwt(token: string): DecodedJwt {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((p) => B64URL.test(p)) || !parts[0] || !parts[1]) throw new JwtError('the token is not a JWT');
  const json = (part: string) => {
    try {
      const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
      if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('not an object');
      return value as Record<string, unknown>;
    } catch {
      throw new JwtError('the token is not a JWT');
    }
  };
  return {
    header: json(parts[0]),
    claims: json(parts[1]) as JwtClaims,
    signingInput: Buffer.from(`${parts[0]}.${parts[1]}`, 'ascii'),
    signature: Buffer.from(parts[2]!, 'base64url'),
  };
}

/** Picks the JWKS key for a token header: by `kid`, else the only key that fits the algorithm. */
export function selectKey(keys: readonly Jwk[], header: DecodedJwt['header']): Jwk | undefined {
  const alg = typeof header.alg === 'string' ? (header.alg as Alg) : undefined;
  const spec = alg ? ALGS[alg] : undefined;
  if (!spec) return undefined;
  const fits = (k: Jwk) => k.kty === spec.kty && (!spec.crv || k.crv === spec.crv) && (k.use === undefined || k.use === 'sig') && (k.alg === undefined || k.alg === alg);
  if (typeof header.kid === 'string') return keys.find((k) => k.kid === header.kid && fits(k));
  const candidates = keys.filter(fits);
  return candidates.length === 1 ? candidates[0] : undefined;
}

const keyCache = new WeakMap<Jwk, KeyObject>();

/** Verifies the signature with one key; throws JwtError when it does not hold. */
export function verifySignature(jwt: DecodedJwt, jwk: Jwk): void {
  const alg = jwt.header.alg;
  if (typeof alg !== 'string' || !(alg in ALGS)) throw new JwtError(`the token's algorithm ${JSON.stringify(alg)} is not accepted (asymmetric signatures only)`);
  const spec = ALGS[alg as Alg];
  if (jwk.kty !== spec.kty || (spec.crv && jwk.crv !== spec.crv)) throw new JwtError('the signing key does not fit the token algorithm');
  let key = keyCache.get(jwk);
  if (!key) {
    try {
      key = createPublicKey({ key: jwk, format: 'jwk' });
    } catch {
      throw new JwtError('the issuer published a key that cannot be used');
    }
    keyCache.set(jwk, key);
  }
  let ok = false;
  try {
    if (spec.pss) ok = verify(spec.hash, jwt.signingInput, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: spec.pss }, jwt.signature);
    else if (spec.ec) ok = verify(spec.hash, jwt.signingInput, { key, dsaEncoding: 'ieee-p1363' }, jwt.signature);
    else ok = verify(spec.hash, jwt.signingInput, key, jwt.signature);
  } catch {
    ok = false;
  }
  if (!ok) throw new JwtError('the token signature is not valid');
}

export interface ClaimExpectations {
  issuer: string;
  audience: string;
  /** Seconds of clock difference tolerated on exp and nbf (default 60). */
  leewaySeconds?: number;
  now?: number;
}

/** Checks iss, aud, exp (required) and nbf; throws JwtError naming the first that fails. */
export function checkClaims(claims: JwtClaims, expect: ClaimExpectations): { expiresAt: number } {
  const now = expect.now ?? Math.floor(Date.now() / 1000);
  const leeway = expect.leewaySeconds ?? 60;
  if (claims.iss !== expect.issuer) throw new JwtError('the token was issued by another issuer');
  const aud = typeof claims.aud === 'string' ? [claims.aud] : Array.isArray(claims.aud) ? claims.aud : [];
  if (!aud.some((a) => a === expect.audience)) throw new JwtError('the token was issued for another audience');
  if (typeof claims.exp !== 'number' || !Number.isFinite(claims.exp)) throw new JwtError('the token has no expiry (exp)');
  if (claims.exp <= now - leeway) throw new JwtError('the token has expired');
  if (claims.nbf !== undefined) {
    if (typeof claims.nbf !== 'number' || !Number.isFinite(claims.nbf)) throw new JwtError('the token has an unreadable nbf');
    if (claims.nbf > now + leeway) throw new JwtError('the token is not valid yet (nbf)');
  }
  return { expiresAt: claims.exp };
}

/** Scopes from `scope` (RFC 9068, space-separated) or `scp` (an array or string, as some issuers send). */
export function scopesOf(claims: JwtClaims): string[] {
  const raw = claims.scope ?? claims.scp;
  if (typeof raw === 'string') return raw.split(' ').filter(Boolean);
  if (Array.isArray(raw)) return raw.filter((s): s is string => typeof s === 'string');
  return [];
}
