import { decodeProtectedHeader, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { RouteAuth } from '@imgpipe/pipeline';

/** What API Gateway's JWT authorizer is configured with (`jwt_configuration`). */
export interface JwtAuthorizerConfig {
  readonly issuer: string;
  /** A token's `aud` (or, only when it has no `aud`, its `client_id`) must be one of these. */
  readonly audience: readonly string[];
  readonly keys: JWTVerifyGetKey;
}

/** An authorized request: the claims and scopes payload 2.0 puts under `requestContext.authorizer.jwt`. */
export interface Authorized {
  readonly ok: true;
  readonly claims: Readonly<Record<string, string>>;
  readonly scopes: readonly string[] | null;
}

/** A refused request: 401 for a missing or invalid token, 403 for a valid token without the route's scope. */
export interface Refused {
  readonly ok: false;
  readonly status: 401 | 403;
  readonly code: 'UNAUTHORIZED' | 'FORBIDDEN';
  readonly message: string;
  /** API Gateway's `www-authenticate` header, which says why. */
  readonly wwwAuthenticate: string;
}

export type AuthorizerResult = Authorized | Refused;

function unauthorized(description: string): Refused {
  return {
    ok: false,
    status: 401,
    code: 'UNAUTHORIZED',
    message: description,
    wwwAuthenticate: `Bearer scope="" error="invalid_token" error_description="${description}"`,
  };
}

/** Payload 2.0 hands claims to the function as strings; arrays in API Gateway's `[a b]` form. */
function stringClaims(payload: JWTPayload): Record<string, string> {
  return Object.fromEntries(
    Object.entries(payload).map(([name, value]) => [
      name,
      Array.isArray(value)
        ? `[${value.map(String).join(' ')}]`
        : typeof value === 'object'
          ? JSON.stringify(value)
          : String(value),
    ]),
  );
}

function tokenScopes(payload: JWTPayload): string[] {
  const raw = payload['scope'] ?? payload['scp'];
  if (typeof raw === 'string') return raw.split(' ').filter(Boolean);
  if (Array.isArray(raw)) return raw.filter((s): s is string => typeof s === 'string');
  return [];
}

/**
 * Authorizes one request the way API Gateway's HTTP API JWT authorizer does: the identity source is the
 * `Authorization` header (the token alone or prefixed with `Bearer`); the signature is checked against the
 * issuer's keys (RSA only), then `iss`, `aud` (or `client_id` when there is no `aud`), `exp`, `nbf`,
 * `iat`, and finally that the token carries at least one of the route's scopes.
 * @example await authorizeJwt(req.headers.authorization, route.auth, { issuer, audience: ['imgpipe-local'], keys })
 */
export async function authorizeJwt(
  authorization: string | undefined,
  auth: RouteAuth,
  config: JwtAuthorizerConfig,
  now: Date = new Date(),
): Promise<AuthorizerResult | undefined> {
  if (auth.type === 'none') return undefined;
  const token = authorization?.trim().replace(/^Bearer(\s+|$)/i, '');
  if (!token) return unauthorized('the token is missing');
  try {
    const header = decodeProtectedHeader(token);
    if (typeof header.alg !== 'string' || !/^RS(256|384|512)$/.test(header.alg)) {
      return unauthorized('the token is not signed with a supported algorithm');
    }
  } catch {
    return unauthorized('the token is not a JWT');
  }
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, config.keys, {
      issuer: config.issuer,
      currentDate: now,
      algorithms: ['RS256', 'RS384', 'RS512'],
    }));
  } catch (error) {
    if (error instanceof errors.JWTExpired) return unauthorized('the token has expired');
    if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'iss')
      return unauthorized('the token does not have a valid issuer');
    if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'nbf')
      return unauthorized('the token is not valid yet');
    if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'iat')
      return unauthorized('the token was issued in the future');
    return unauthorized('the token signature is invalid');
  }
  const iat = payload.iat;
  if (typeof iat === 'number' && iat > Math.floor(now.getTime() / 1000) + 1)
    return unauthorized('the token was issued in the future');
  const audiences = payload.aud === undefined ? [payload['client_id']] : [payload.aud].flat();
  if (!audiences.some((a) => typeof a === 'string' && config.audience.includes(a))) {
    return unauthorized('the token does not have a valid audience');
  }
  const scopes = tokenScopes(payload);
  if (!auth.anyScope.some((s) => scopes.includes(s))) {
    return {
      ok: false,
      status: 403,
      code: 'FORBIDDEN',
      message: `the token has none of the route's scopes (${auth.anyScope.join(', ')})`,
      wwwAuthenticate: `Bearer scope="${auth.anyScope.join(' ')}" error="insufficient_scope" error_description="the token does not have the required scope"`,
    };
  }
  return { ok: true, claims: stringClaims(payload), scopes: scopes.length ? scopes : null };
}
