/**
 * JWT validation with hand-made tokens, for what a well-behaved authorization server never sends: every
 * asymmetric algorithm we accept, `alg: none`, HMAC signed with the public key, missing or odd claims, clock skew.
 * (Tokens from a real authorization server are in auth.test.ts.)
 */
import { createHmac, generateKeyPairSync, sign, constants, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkClaims, decodeJwt, scopesOf, selectKey, verifySignature, type Jwk } from '../../src/server/http/jwt.js';
import { grantsFromScopes } from '../../src/server/http/access.js';

const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

function makeKey(kind: 'rsa' | 'ec256' | 'ec384' | 'ed25519'): { privateKey: KeyObject; jwk: Jwk } {
  const pair =
    kind === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : kind === 'ed25519'
        ? generateKeyPairSync('ed25519')
        : generateKeyPairSync('ec', { namedCurve: kind === 'ec256' ? 'P-256' : 'P-384' });
  return { privateKey: pair.privateKey, jwk: { ...(pair.publicKey.export({ format: 'jwk' }) as Jwk), kid: kind } };
}

function jwt(alg: string, key: KeyObject, claims: Record<string, unknown>, kid?: string): string {
  const input = `${b64({ alg, typ: 'at+jwt', ...(kid ? { kid } : {}) })}.${b64(claims)}`;
  const hash = alg === 'EdDSA' ? null : `sha${alg.slice(2)}`;
  let sig: Buffer;
  if (alg.startsWith('PS')) sig = sign(hash, Buffer.from(input), { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(alg.slice(2)) / 8 });
  else if (alg.startsWith('ES')) sig = sign(hash, Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
  else sig = sign(hash, Buffer.from(input), key);
  return `${input}.${sig.toString('base64url')}`;
}

const now = Math.floor(Date.now() / 1000);
const good = { iss: 'https://as.example', aud: 'https://mcp.example/mcp', exp: now + 300, scope: 'stripe.test.read' };
const expect_ = { issuer: 'https://as.example', audience: 'https://mcp.example/mcp' };

describe('signatures', () => {
  const rsa = makeKey('rsa');
  const ec256 = makeKey('ec256');
  const ec384 = makeKey('ec384');
  const ed = makeKey('ed25519');
  const keys = [rsa.jwk, ec256.jwk, ec384.jwk, ed.jwk];

  it.each([
    ['RS256', rsa],
    ['RS512', rsa],
    ['PS256', rsa],
    ['ES256', ec256],
    ['ES384', ec384],
    ['EdDSA', ed],
  ] as const)('accepts %s', (alg, key) => {
    const token = decodeJwt(jwt(alg, key.privateKey, good, key.jwk.kid));
    const found = selectKey(keys, token.header);
    expect(found).toBe(key.jwk);
    expect(() => verifySignature(token, found!)).not.toThrow();
  });

  it('refuses a signature by another key with the same kid', () => {
    const other = makeKey('rsa');
    const token = decodeJwt(jwt('RS256', other.privateKey, good, 'rsa'));
    expect(() => verifySignature(token, selectKey(keys, token.header)!)).toThrow(/signature is not valid/);
  });

  it('refuses alg none and HMAC signed with the public key (algorithm confusion)', () => {
    const none = decodeJwt(`${b64({ alg: 'none', kid: 'rsa' })}.${b64(good)}.`);
    expect(selectKey(keys, none.header)).toBeUndefined();
    expect(() => verifySignature(none, rsa.jwk)).toThrow(/not accepted/);
    const input = `${b64({ alg: 'HS256', kid: 'rsa' })}.${b64(good)}`;
    const hmac = createHmac('sha256', JSON.stringify(rsa.jwk)).update(input).digest('base64url');
    const confused = decodeJwt(`${input}.${hmac}`);
    expect(selectKey(keys, confused.header)).toBeUndefined();
    expect(() => verifySignature(confused, rsa.jwk)).toThrow(/not accepted/);
  });

  it('will not check an RSA algorithm with an EC key', () => {
    const token = decodeJwt(jwt('ES256', ec256.privateKey, good, 'ec256'));
    expect(() => verifySignature({ ...token, header: { ...token.header, alg: 'RS256' } }, ec256.jwk)).toThrow(/does not fit/);
  });

  it('picks the only fitting key when there is no kid', () => {
    const token = decodeJwt(jwt('ES384', ec384.privateKey, good));
    expect(selectKey(keys, token.header)).toBe(ec384.jwk);
    expect(selectKey([rsa.jwk, makeKey('rsa').jwk], decodeJwt(jwt('RS256', rsa.privateKey, good)).header)).toBeUndefined();
  });

  it('refuses what is not a JWT', () => {
    for (const t of ['abc', 'a.b', 'a.b.c.d', '!!.??.x', `${b64('[1]')}.${b64(good)}.x`]) expect(() => decodeJwt(t)).toThrow(/not a JWT/);
  });
});

describe('claims', () => {
  it('accepts the expected issuer, an audience among several, and a time within the leeway', () => {
    expect(checkClaims({ ...good, aud: ['x', 'https://mcp.example/mcp'] }, expect_)).toEqual({ expiresAt: good.exp });
    expect(() => checkClaims({ ...good, exp: now - 30 }, expect_)).not.toThrow();
    expect(() => checkClaims({ ...good, nbf: now + 30 }, expect_)).not.toThrow();
  });

  it.each([
    [{ iss: 'https://as.example/' }, /another issuer/],
    [{ iss: undefined }, /another issuer/],
    [{ aud: 'https://mcp.example/mcp/' }, /another audience/],
    [{ aud: ['a', 'b'] }, /another audience/],
    [{ aud: undefined }, /another audience/],
    [{ exp: undefined }, /no expiry/],
    [{ exp: '9999999999' }, /no expiry/],
    [{ exp: now - 120 }, /expired/],
    [{ nbf: now + 600 }, /not valid yet/],
    [{ nbf: 'soon' }, /unreadable nbf/],
  ])('refuses %j', (change, message) => {
    expect(() => checkClaims({ ...good, ...change }, expect_)).toThrow(message);
  });

  it('reads scopes from scope or scp, and only ours become grants', () => {
    expect(scopesOf({ scope: 'a  stripe.live.read' })).toEqual(['a', 'stripe.live.read']);
    expect(scopesOf({ scp: ['stripe.test.read', 7] })).toEqual(['stripe.test.read']);
    expect(grantsFromScopes(['stripe.test.read', 'stripe.live.read:acme', 'stripe.live.write', 'stripe.test.read:', 'stripe.test.read:a b', 'openid'])).toEqual([
      { mode: 'test', connection: null },
      { mode: 'live', connection: 'acme' },
    ]);
  });
});
