import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  importJWK,
  type KeyLike,
  type JSONWebKeySet,
  type JWK,
  type JWTVerifyGetKey,
  SignJWT,
} from 'jose';

/** RS256: API Gateway's JWT authorizer verifies RSA signatures only, and Cognito signs with it. */
const ALG = 'RS256';
/** Tokens the local issuer mints live an hour unless asked otherwise (Cognito's access-token default). */
const DEFAULT_TTL_SECONDS = 3600;

export interface LocalIssuerOptions {
  /** Where the signing key is kept (created on first start, reused after; the data dir's `issuer/`). */
  readonly dir: string;
  /** The `iss` of every token, e.g. `http://127.0.0.1:4566/_imgpipe/oidc`. */
  readonly issuer: string;
  /** The `aud` of every token, also the authorizer's one accepted audience. */
  readonly audience: string;
}

export interface MintRequest {
  readonly sub: string;
  /** Space-separated OAuth scopes (the `scope` claim). */
  readonly scope: string;
  readonly ttlSeconds?: number;
}

export interface MintedToken {
  readonly token: string;
  readonly expiresAt: string;
}

interface StoredKey {
  readonly kid: string;
  readonly privateJwk: JWK;
}

/**
 * The local stack's OpenID issuer: one RS256 key kept in the data dir, its JWKS and discovery document,
 * and tokens for local callers (`npx imgpipe token`). API Gateway's JWT authorizer emulation verifies
 * against the same key set, exactly as the deployed authorizer verifies against the user pool's.
 * @example const issuer = await LocalIssuer.open({ dir, issuer: `${endpoint}/_imgpipe/oidc`, audience: 'imgpipe-local' });
 */
export class LocalIssuer {
  private constructor(
    readonly issuer: string,
    readonly audience: string,
    private readonly kid: string,
    private readonly privateKey: KeyLike,
    private readonly publicJwk: JWK,
  ) {}

  static async open(options: LocalIssuerOptions): Promise<LocalIssuer> {
    const file = join(options.dir, 'signing-key.json');
    let stored: StoredKey;
    if (existsSync(file)) {
      stored = JSON.parse(readFileSync(file, 'utf8')) as StoredKey;
    } else {
      const { privateKey } = await generateKeyPair(ALG, { extractable: true });
      const privateJwk = await exportJWK(privateKey);
      stored = { kid: `local-${Date.now().toString(36)}`, privateJwk };
      mkdirSync(options.dir, { recursive: true });
      writeFileSync(file, JSON.stringify(stored), { mode: 0o600 });
      chmodSync(file, 0o600);
    }
    const privateKey = (await importJWK(stored.privateJwk, ALG)) as KeyLike;
    const { d: _private, ...publicJwk } = stored.privateJwk;
    return new LocalIssuer(options.issuer, options.audience, stored.kid, privateKey, {
      ...publicJwk,
      kid: stored.kid,
      alg: ALG,
      use: 'sig',
    });
  }

  /** The public key set, as `jwks_uri` serves it. */
  jwks(): JSONWebKeySet {
    return { keys: [this.publicJwk] };
  }

  /** The key resolver the authorizer verifies with. */
  keyResolver(): JWTVerifyGetKey {
    return createLocalJWKSet(this.jwks());
  }

  /** The OpenID discovery document (`/.well-known/openid-configuration`), trimmed to what a verifier reads. */
  openIdConfiguration(): Record<string, unknown> {
    return {
      issuer: this.issuer,
      jwks_uri: `${this.issuer}/jwks.json`,
      id_token_signing_alg_values_supported: [ALG],
      scopes_supported: ['images.read', 'images.write', 'images.admin'],
      subject_types_supported: ['public'],
      response_types_supported: ['token'],
    };
  }

  /** Signs an access token for `sub` with `scope`, as an OAuth provider's client-credentials grant would. */
  async mint(request: MintRequest, now: Date = new Date()): Promise<MintedToken> {
    const ttl = request.ttlSeconds ?? DEFAULT_TTL_SECONDS;
    const iat = Math.floor(now.getTime() / 1000);
    const token = await new SignJWT({ scope: request.scope, token_use: 'access' })
      .setProtectedHeader({ alg: ALG, kid: this.kid, typ: 'JWT' })
      .setIssuer(this.issuer)
      .setAudience(this.audience)
      .setSubject(request.sub)
      .setIssuedAt(iat)
      .setNotBefore(iat)
      .setExpirationTime(iat + ttl)
      .setJti(crypto.randomUUID())
      .sign(this.privateKey);
    return { token, expiresAt: new Date((iat + ttl) * 1000).toISOString() };
  }
}
