import { statSync } from 'node:fs';
import { join } from 'node:path';
import { generateKeyPair, SignJWT } from 'jose';
import { API_ROUTES, type RouteAuth } from '@imgpipe/pipeline';
import { authorizeJwt, type JwtAuthorizerConfig } from '../../src/gateway/authorizer';
import { LocalIssuer } from '../../src/gateway/issuer';
import { tempDir } from '../support/helpers';

const ISSUER = 'http://127.0.0.1:4566/_imgpipe/oidc';
const read: RouteAuth = { type: 'jwt', anyScope: ['images.read', 'images.admin'] };
const now = new Date('2026-11-27T12:00:00Z');

async function setUp(): Promise<{ issuer: LocalIssuer; config: JwtAuthorizerConfig; dir: string }> {
  const dir = tempDir('issuer');
  const issuer = await LocalIssuer.open({ dir, issuer: ISSUER, audience: 'imgpipe-local' });
  return { issuer, dir, config: { issuer: ISSUER, audience: ['imgpipe-local'], keys: issuer.keyResolver() } };
}

describe('LocalIssuer', () => {
  it('keeps one private signing key in its directory and reuses it on the next start', async () => {
    const { issuer, dir } = await setUp();
    expect(statSync(join(dir, 'signing-key.json')).mode & 0o777).toBe(0o600);
    const again = await LocalIssuer.open({ dir, issuer: ISSUER, audience: 'imgpipe-local' });
    expect(again.jwks()).toEqual(issuer.jwks());
    expect(issuer.jwks().keys).toHaveLength(1);
    expect(issuer.jwks().keys[0]).not.toHaveProperty('d');
    expect(issuer.jwks().keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
  });

  it('publishes a discovery document naming its key set', async () => {
    const { issuer } = await setUp();
    expect(issuer.openIdConfiguration()).toMatchObject({ issuer: ISSUER, jwks_uri: `${ISSUER}/jwks.json` });
  });
});

describe('authorizeJwt', () => {
  it('lets a route without auth through without looking at the header', async () => {
    const { config } = await setUp();
    const health = API_ROUTES.find((r) => r.id === 'health')!;
    await expect(authorizeJwt(undefined, health.auth, config, now)).resolves.toBeUndefined();
  });

  it('accepts a minted token with or without the Bearer prefix and hands its claims as strings', async () => {
    const { issuer, config } = await setUp();
    const { token } = await issuer.mint({ sub: 'alice', scope: 'images.read images.write' }, now);
    for (const header of [`Bearer ${token}`, token]) {
      const result = await authorizeJwt(header, read, config, now);
      expect(result).toMatchObject({ ok: true, scopes: ['images.read', 'images.write'] });
      expect(result?.ok && result.claims).toMatchObject({
        sub: 'alice',
        iss: ISSUER,
        aud: 'imgpipe-local',
        scope: 'images.read images.write',
        exp: String(Math.floor(now.getTime() / 1000) + 3600),
      });
    }
  });

  it.each([
    ['no header', undefined, 'the token is missing'],
    ['an empty bearer', 'Bearer ', 'the token is missing'],
    ['garbage', 'Bearer not-a-jwt', 'the token is not a JWT'],
  ])('answers 401 UNAUTHORIZED for %s', async (_name, header, message) => {
    const { config } = await setUp();
    await expect(authorizeJwt(header, read, config, now)).resolves.toMatchObject({
      ok: false,
      status: 401,
      code: 'UNAUTHORIZED',
      message,
    });
  });

  it('answers 401 for an expired token, a token not valid yet, and a token from the future', async () => {
    const { issuer, config } = await setUp();
    const { token } = await issuer.mint({ sub: 'a', scope: 'images.read', ttlSeconds: 60 }, now);
    const later = new Date(now.getTime() + 61_000);
    await expect(authorizeJwt(token, read, config, later)).resolves.toMatchObject({
      status: 401,
      message: 'the token has expired',
    });
    const earlier = new Date(now.getTime() - 60_000);
    await expect(authorizeJwt(token, read, config, earlier)).resolves.toMatchObject({ status: 401 });
  });

  it('answers 401 for another issuer, another audience, and a key the issuer does not publish', async () => {
    const { issuer, config } = await setUp();
    const { token } = await issuer.mint({ sub: 'a', scope: 'images.read' }, now);
    await expect(
      authorizeJwt(token, read, { ...config, issuer: 'https://elsewhere' }, now),
    ).resolves.toMatchObject({
      status: 401,
      message: 'the token does not have a valid issuer',
    });
    await expect(
      authorizeJwt(token, read, { ...config, audience: ['other-client'] }, now),
    ).resolves.toMatchObject({
      status: 401,
      message: 'the token does not have a valid audience',
    });
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT({ scope: 'images.admin' })
      .setProtectedHeader({ alg: 'RS256', kid: issuer.jwks().keys[0]!.kid! })
      .setIssuer(ISSUER)
      .setAudience('imgpipe-local')
      .setSubject('mallory')
      .setIssuedAt(Math.floor(now.getTime() / 1000))
      .setExpirationTime(Math.floor(now.getTime() / 1000) + 60)
      .sign(privateKey);
    await expect(authorizeJwt(forged, read, config, now)).resolves.toMatchObject({
      status: 401,
      message: 'the token signature is invalid',
    });
  });

  it('checks client_id only when the token has no aud, as API Gateway does', async () => {
    const { config } = await setUp();
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const iat = Math.floor(now.getTime() / 1000);
    const token = await new SignJWT({ scope: 'images.read', client_id: 'imgpipe-local' })
      .setProtectedHeader({ alg: 'RS256' })
      .setIssuer(ISSUER)
      .setSubject('svc')
      .setIssuedAt(iat)
      .setExpirationTime(iat + 60)
      .sign(privateKey);
    const result = await authorizeJwt(token, read, { ...config, keys: async () => publicKey }, now);
    expect(result).toMatchObject({ ok: true });
  });

  it('answers 403 FORBIDDEN when a valid token has none of the route scopes', async () => {
    const { issuer, config } = await setUp();
    const { token } = await issuer.mint({ sub: 'a', scope: 'images.write' }, now);
    await expect(authorizeJwt(token, read, config, now)).resolves.toMatchObject({
      ok: false,
      status: 403,
      code: 'FORBIDDEN',
    });
  });
});
