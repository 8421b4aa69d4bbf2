import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import fixture from './fixtures/http-api-get-image.json';

type Claims = APIGatewayProxyEventV2WithJWTAuthorizer['requestContext']['authorizer']['jwt']['claims'];

export interface RequestOptions {
  readonly query?: string;
  readonly body?: string;
  /** JWT claims API Gateway verified; `null`: a route without auth (no authorizer in the event). */
  readonly claims?: Claims | null;
  readonly routeKey?: string;
  readonly pathParameters?: Record<string, string>;
}

/**
 * An API Gateway HTTP API event (payload 2.0) as API Gateway sends it after its JWT authorizer,
 * built from a real event's fixture: method, path and query, body, claims.
 */
export function httpApiEvent(
  method: string,
  path: string,
  options: RequestOptions = {},
): APIGatewayProxyEventV2WithJWTAuthorizer {
  const base = structuredClone(fixture) as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;
  const claims = options.claims === undefined ? base.requestContext.authorizer.jwt.claims : options.claims;
  const event: APIGatewayProxyEventV2WithJWTAuthorizer = {
    ...base,
    routeKey: options.routeKey ?? `${method} ${path}`,
    rawPath: path,
    rawQueryString: options.query ?? '',
    headers: {
      ...base.headers,
      ...(options.body !== undefined
        ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(options.body)) }
        : {}),
    },
    requestContext: {
      ...base.requestContext,
      routeKey: options.routeKey ?? `${method} ${path}`,
      http: { ...base.requestContext.http, method, path },
      authorizer: {
        ...base.requestContext.authorizer,
        jwt: { ...base.requestContext.authorizer.jwt, claims: claims ?? {} },
      },
    },
    ...(options.body !== undefined ? { body: options.body } : {}),
    ...(options.pathParameters ? { pathParameters: options.pathParameters } : {}),
  };
  if (options.claims === null) {
    delete (event.requestContext as { authorizer?: unknown }).authorizer;
  }
  if (!options.pathParameters) delete (event as { pathParameters?: unknown }).pathParameters;
  return event;
}
