import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PipelineDefinition } from '@imgpipe/pipeline';
import type { EdgeRoute } from '../edge/extensions';
import { authorizeJwt, type JwtAuthorizerConfig } from '../gateway/authorizer';
import { gatewayMessage, httpApiEvent, httpApiResponse, type HttpResponse } from '../gateway/payload';
import { matchRoute } from '../gateway/routes';
import { MAX_REQUEST_BYTES, send } from '../gateway/body';
import { readBodyWithin } from '../edge/http-util';
import type { FunctionPool } from './function-pool';
import { TokenBucket } from './throttle';

/** The local HTTP API's prefix on the edge: `http://127.0.0.1:4566/_api/v1/...`. */
export const API_PREFIX = '/_api';

export interface HttpApiOptions {
  readonly pipeline: PipelineDefinition;
  /** The `api` function's workers. */
  readonly pool: Pick<FunctionPool, 'invoke'>;
  /** Resolved per request: the issuer's URL contains the edge's port, known only once it listens. */
  readonly authorizer: () => JwtAuthorizerConfig;
  readonly accountId: string;
  /** API Gateway's API id (the first label of its domain). */
  readonly apiId: string;
  /** Browser origins allowed by the API's CORS configuration; none: no CORS headers at all (the default). */
  readonly corsOrigins?: readonly string[];
  /** Called once per request with its route key (or undefined) and status (tests, bench and the terminal). */
  readonly onRequest?: (info: { routeKey: string | undefined; status: number; ms: number }) => void;
}

/** The contract's refusal body (`{"error":{"code","message"}}`) for what the authorizer refuses. */
function refusal(status: 401 | 403, code: string, message: string, wwwAuthenticate: string): HttpResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', 'www-authenticate': wwwAuthenticate },
    body: Buffer.from(JSON.stringify({ error: { code, message } })),
  };
}

function corsHeaders(origin: string | undefined, allowed: readonly string[]): Record<string, string> {
  if (!origin || !(allowed.includes(origin) || allowed.includes('*'))) return {};
  return { 'access-control-allow-origin': allowed.includes('*') ? '*' : origin, vary: 'origin' };
}

/**
 * API Gateway HTTP API emulation under `/_api`: stage throttling, CORS (as infra configures it), the routes
 * of the pipeline definition, the JWT authorizer (401/403 before the function runs), the payload 2.0 event,
 * the `api` function invoked synchronously, and its result mapped to HTTP as API Gateway maps it.
 */
export function createHttpApi(options: HttpApiOptions): EdgeRoute {
  const bucket = new TokenBucket(options.pipeline.api.throttle);
  const cors = options.corsOrigins ?? [];
  const methods = [...new Set(options.pipeline.api.routes.map((r) => r.method))].join(',');

  const answer = async (req: IncomingMessage): Promise<{ response: HttpResponse; routeKey?: string }> => {
    const url = (req.url ?? '/').slice(API_PREFIX.length) || '/';
    const method = req.method ?? 'GET';
    const origin = req.headers.origin;
    if (cors.length > 0 && method === 'OPTIONS' && req.headers['access-control-request-method']) {
      // A configured CORS answers preflights itself, before routes and the authorizer.
      const allow = corsHeaders(origin, cors);
      const headers: Record<string, string> = Object.keys(allow).length
        ? {
            ...allow,
            'access-control-allow-methods': methods,
            'access-control-allow-headers': 'authorization,content-type',
            'access-control-max-age': '600',
          }
        : {};
      return { response: { status: 204, headers, body: Buffer.alloc(0) } };
    }
    if (!bucket.take()) return { response: gatewayMessage(429, 'Too Many Requests') };
    const q = url.indexOf('?');
    // Matched on the raw path, so an encoded `/` stays inside its segment; the event decodes parameters.
    const rawPath = q < 0 ? url : url.slice(0, q);
    const match = matchRoute(options.pipeline.api.routes, method, rawPath);
    if (!match) return { response: gatewayMessage(404, 'Not Found') };
    const auth = await authorizeJwt(req.headers.authorization, match.route.auth, options.authorizer());
    if (auth && !auth.ok) {
      return {
        response: refusal(auth.status, auth.code, auth.message, auth.wwwAuthenticate),
        routeKey: match.routeKey,
      };
    }
    const body = await readBodyWithin(req, MAX_REQUEST_BYTES);
    if (!body) return { response: gatewayMessage(413, 'Request Entity Too Large'), routeKey: match.routeKey };
    const event = httpApiEvent(req, {
      url,
      routeKey: match.routeKey,
      pathParameters: match.pathParameters,
      ...(auth ? { authorizer: { claims: auth.claims, scopes: auth.scopes } } : {}),
      apiId: options.apiId,
      accountId: options.accountId,
      body,
    });
    const outcome = await options.pool.invoke(event);
    if (!outcome.ok) {
      // A timeout is API Gateway's integration timeout (503); any other failure is a 500.
      return {
        response:
          outcome.error.type === 'Sandbox.Timedout'
            ? gatewayMessage(503, 'Service Unavailable')
            : gatewayMessage(500, 'Internal Server Error'),
        routeKey: match.routeKey,
      };
    }
    try {
      return { response: httpApiResponse(outcome.value), routeKey: match.routeKey };
    } catch {
      return { response: gatewayMessage(500, 'Internal Server Error'), routeKey: match.routeKey };
    }
  };

  return {
    prefix: API_PREFIX,
    handle: async (req: IncomingMessage, res: ServerResponse) => {
      const started = performance.now();
      const { response, routeKey } = await answer(req);
      send(res, response, req.method === 'HEAD', corsHeaders(req.headers.origin, cors));
      options.onRequest?.({ routeKey, status: response.status, ms: performance.now() - started });
    },
  };
}
