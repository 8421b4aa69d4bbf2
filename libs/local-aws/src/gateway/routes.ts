import { type RouteSpec, routeKey } from '@imgpipe/pipeline';

/** A request matched to one route, with its path parameters decoded. */
export interface RouteMatch<R extends RouteSpec = RouteSpec> {
  readonly route: R;
  readonly routeKey: string;
  readonly pathParameters: Readonly<Record<string, string>>;
}

/** Why no route matched: 404 when no path fits, 405-like (API Gateway answers 404 too) when only the method differs. */
export type RouteMiss = { readonly miss: 'not-found' };

function segments(path: string): string[] {
  return path.split('/').slice(1);
}

/**
 * Matches a decoded path against the routes the way API Gateway does for HTTP APIs: exact segments, and
 * `{name}` for one whole segment. The most specific route wins (fewer parameters first).
 * @example matchRoute(API_ROUTES, 'GET', '/v1/images/cGhvdG9z') // { route: getImage, pathParameters: { id: 'cGhvdG9z' } }
 */
export function matchRoute<R extends RouteSpec>(
  routes: readonly R[],
  method: string,
  path: string,
): RouteMatch<R> | undefined {
  const wanted = segments(path);
  const candidates = routes
    .filter((r) => r.method === method)
    .map((route) => {
      const parts = segments(route.path);
      if (parts.length !== wanted.length) return undefined;
      const pathParameters: Record<string, string> = {};
      for (const [i, part] of parts.entries()) {
        const value = wanted[i] ?? '';
        const name = /^\{([^}+]+)\}$/.exec(part)?.[1];
        if (name !== undefined) {
          if (!value) return undefined;
          pathParameters[name] = value;
        } else if (part !== value) return undefined;
      }
      return { route, routeKey: routeKey(route), pathParameters };
    })
    .filter((m): m is RouteMatch<R> => m !== undefined)
    .sort((a, b) => Object.keys(a.pathParameters).length - Object.keys(b.pathParameters).length);
  return candidates[0];
}
