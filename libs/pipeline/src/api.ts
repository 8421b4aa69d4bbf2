/**
 * The image API as data: its scopes, its routes (what infra's API Gateway and the local stack's emulation
 * are built from, and what the `api` function routes), and the rule that confines a caller to its own keys.
 */

/** OAuth scopes of the image API (the JWT `scope` claim, space-separated). */
export const API_SCOPES = ['images.read', 'images.write', 'images.admin'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/** `images.admin` lifts the `u/<sub>/` confinement and satisfies every route's scope requirement. */
export const ADMIN_SCOPE: ApiScope = 'images.admin';

export const API_METHODS = ['GET', 'POST', 'DELETE'] as const;
export type ApiMethod = (typeof API_METHODS)[number];

/** How API Gateway authorizes a route: `none` (only health) or a JWT holding any one of `anyScope`. */
export type RouteAuth =
  { readonly type: 'none' } | { readonly type: 'jwt'; readonly anyScope: readonly ApiScope[] };

export interface RouteSpec {
  /** Stable name of the route (handler table, metrics, logs). */
  readonly id: string;
  readonly method: ApiMethod;
  /** API Gateway route path: `{name}` is a path parameter. Starts with `/v1/`. */
  readonly path: string;
  readonly auth: RouteAuth;
}

const read = { type: 'jwt', anyScope: ['images.read', 'images.admin'] } as const;
const write = { type: 'jwt', anyScope: ['images.write', 'images.admin'] } as const;

/**
 * The routes of the image API (docs/contract.md "The image API"). `anyScope` has API Gateway's JWT
 * authorizer semantics: the token must carry at least one of the listed scopes. The route key on API
 * Gateway is `${method} ${path}`.
 */
export const API_ROUTES = [
  { id: 'health', method: 'GET', path: '/v1/health', auth: { type: 'none' } },
  { id: 'createUpload', method: 'POST', path: '/v1/uploads', auth: write },
  { id: 'listImages', method: 'GET', path: '/v1/images', auth: read },
  { id: 'getImage', method: 'GET', path: '/v1/images/{id}', auth: read },
  { id: 'deleteImage', method: 'DELETE', path: '/v1/images/{id}', auth: write },
] as const satisfies readonly RouteSpec[];
export type RouteId = (typeof API_ROUTES)[number]['id'];

/**
 * API Gateway's route key of a route.
 * @example routeKey(API_ROUTES[0]) // 'GET /v1/health'
 */
export function routeKey(route: Pick<RouteSpec, 'method' | 'path'>): string {
  return `${route.method} ${route.path}`;
}

/** Stage throttling of the HTTP API (requests per second, burst). */
export interface ApiThrottleSpec {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

export const DEFAULT_API_THROTTLE: ApiThrottleSpec = { rateLimit: 50, burstLimit: 100 };

/** Every key a caller without `images.admin` may see or write starts with `u/<sub>/`. */
export const USER_PREFIX_ROOT = 'u/';

/**
 * The key prefix of the user `sub` (the JWT subject). The caller checks that `sub` is a single path
 * segment (non-empty, no `/`); see `@imgpipe/core`.
 * @example userPrefix('3f1c…') // 'u/3f1c…/'
 */
export function userPrefix(sub: string): string {
  return `${USER_PREFIX_ROOT}${sub}/`;
}

/** The owner partition of every key outside `u/<sub>/` (shared, administrators' keys). */
export const SHARED_OWNER = '*';

/**
 * The owner partition a key is listed under (the `byOwner` index): `u/<sub>/` for a key in a user's
 * area, `*` for every other key. A row carries it as `ownerPrefix`.
 * @example ownerPrefixOf('u/alice/cat.jpg') // 'u/alice/'
 * @example ownerPrefixOf('photos/cat.jpg') // '*'
 */
export function ownerPrefixOf(key: string): string {
  if (!key.startsWith(USER_PREFIX_ROOT)) return SHARED_OWNER;
  const end = key.indexOf('/', USER_PREFIX_ROOT.length);
  // `u/` alone, `u//x` and `u/name` (no object below the user's folder) are not in any user's area.
  if (end <= USER_PREFIX_ROOT.length || end === key.length - 1) return SHARED_OWNER;
  return key.slice(0, end + 1);
}
