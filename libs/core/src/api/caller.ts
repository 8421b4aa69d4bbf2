import { ADMIN_SCOPE, API_SCOPES, userPrefix, type ApiScope } from '@imgpipe/pipeline';
import { ApiError } from './errors';

/** Who calls, from the JWT claims API Gateway's authorizer verified. */
export interface Caller {
  readonly sub: string;
  readonly scopes: ReadonlySet<ApiScope>;
  /** `images.admin`: may see and write every key. */
  readonly admin: boolean;
  /** `u/<sub>/`: where a caller without admin may see and write. */
  readonly prefix: string;
}

const MAX_SUB_LENGTH = 128;
// A subject becomes one path segment of a key: printable, no `/`, nothing S3 or a URL would mangle.
const SUB = /^[A-Za-z0-9._@:+=-]+$/;

function scopesOf(claim: unknown): string[] {
  // API Gateway hands list claims to the function flattened as "[a b]".
  if (typeof claim === 'string')
    return claim
      .replace(/^\[(.*)\]$/, '$1')
      .split(' ')
      .filter((s) => s.length > 0);
  if (Array.isArray(claim)) return claim.filter((s): s is string => typeof s === 'string');
  return [];
}

/**
 * The caller of a request, from `requestContext.authorizer.jwt.claims`. Scopes come from `scope`
 * (space-separated, OAuth 2.0) or `scp` (a string or a list), the two claims API Gateway's JWT
 * authorizer reads, so the function grants exactly what the authorizer checked. `cognito:groups` is
 * not a scope source: groups are identity, not delegated permission. With `scopePrefix` (the issuer's,
 * e.g. `imgpipe/` for Cognito), only scopes under it count, read without it.
 * @example callerFromClaims({ sub: 'alice', scope: 'images.read' }).prefix // 'u/alice/'
 */
export function callerFromClaims(
  claims: Readonly<Record<string, unknown>> | undefined,
  scopePrefix = '',
): Caller {
  const sub = claims?.['sub'];
  if (typeof sub !== 'string' || sub.length === 0) {
    throw new ApiError('UNAUTHORIZED', 'Expected a verified token with a subject (sub) but received none');
  }
  if (sub.length > MAX_SUB_LENGTH || !SUB.test(sub)) {
    throw new ApiError(
      'UNAUTHORIZED',
      `Expected a subject of at most ${MAX_SUB_LENGTH} characters from [A-Za-z0-9._@:+=-] but received "${sub.slice(0, 40)}"`,
    );
  }
  // An issuer may name the API's scopes under a prefix (Cognito: `<resource server>/images.read`).
  const granted = new Set(
    [...scopesOf(claims?.['scope']), ...scopesOf(claims?.['scp'])]
      .filter((s) => s.startsWith(scopePrefix))
      .map((s) => s.slice(scopePrefix.length)),
  );
  const scopes = new Set(API_SCOPES.filter((s) => granted.has(s)));
  return { sub, scopes, admin: scopes.has(ADMIN_SCOPE), prefix: userPrefix(sub) };
}

/** Throws FORBIDDEN unless the caller holds one of `anyScope` (API Gateway's check, repeated). */
export function requireScope(caller: Caller, anyScope: readonly ApiScope[]): void {
  if (!anyScope.some((s) => caller.scopes.has(s))) {
    throw new ApiError(
      'FORBIDDEN',
      `Expected one of the scopes ${anyScope.join(', ')} but the token has none`,
    );
  }
}

/** True when the caller may see or write `key`: an admin, or a key inside the caller's `u/<sub>/`. */
export function mayAccess(caller: Caller, key: string): boolean {
  return caller.admin || (key.startsWith(caller.prefix) && key.length > caller.prefix.length);
}
