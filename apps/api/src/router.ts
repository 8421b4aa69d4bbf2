import { Router } from '@aws-lambda-powertools/event-handler/http';
import type { ApiRuntime } from '@imgpipe/lambda-kit';
import type { RequestContext } from '@aws-lambda-powertools/event-handler/types';
import {
  CreateUploadRequestSchema,
  ImageIdSchema,
  ListImagesQuerySchema,
  type HealthResponse,
} from '@imgpipe/contracts';
import {
  ApiError,
  callerFromClaims,
  createUpload,
  deleteImage,
  getImage,
  listImages,
  requireScope,
  type ApiDeps,
  type Caller,
} from '@imgpipe/core';
import { API_ROUTES, type RouteId, type RouteSpec } from '@imgpipe/pipeline';
import { errorResponse, json, jsonBody, parseWith, queryOf } from './http';

type Handler = (reqCtx: RequestContext, caller: Caller | undefined, deps: ApiDeps) => Promise<Response>;
type AuthedHandler = (reqCtx: RequestContext, caller: Caller, deps: ApiDeps) => Promise<Response>;

/** A handler of a route with auth: `authorize` has produced its caller. */
function authed(handler: AuthedHandler): Handler {
  return (reqCtx, caller, deps) => {
    if (!caller) throw new ApiError('UNAUTHORIZED', 'Expected a verified token but the route received none');
    return handler(reqCtx, caller, deps);
  };
}

/**
 * The image id in the path. An id that is not the base64url of a key is one answer, 400 `INVALID_ID`,
 * whether its shape fails here or its decoding fails in the use case (`keyOfImageId`).
 */
function idOf(reqCtx: RequestContext): string {
  const id = reqCtx.params['id'];
  const parsed = ImageIdSchema.safeParse(id);
  if (!parsed.success) {
    throw new ApiError(
      'INVALID_ID',
      `Expected an image id in base64url without padding but received "${String(id).slice(0, 60)}"`,
      { cause: parsed.error },
    );
  }
  return parsed.data;
}

/** One handler per route of the definition: the compiler refuses a route without one. */
const HANDLERS: Readonly<Record<RouteId, Handler>> = {
  health: () => Promise.resolve(json(200, { status: 'ok' } satisfies HealthResponse)),
  createUpload: authed(async (reqCtx, caller, deps) => {
    const body = parseWith(CreateUploadRequestSchema, await jsonBody(reqCtx.req), 'upload request');
    return json(201, await createUpload(body, caller, deps));
  }),
  listImages: authed(async (reqCtx, caller, deps) => {
    const query = parseWith(ListImagesQuerySchema, queryOf(reqCtx.req), 'query string', {
      cursor: 'INVALID_CURSOR',
    });
    return json(200, await listImages(query, caller, deps));
  }),
  getImage: authed(async (reqCtx, caller, deps) => json(200, await getImage(idOf(reqCtx), caller, deps))),
  deleteImage: authed(async (reqCtx, caller, deps) =>
    json(202, await deleteImage(idOf(reqCtx), caller, deps)),
  ),
};

/** The JWT claims API Gateway's authorizer verified (payload 2.0: `requestContext.authorizer.jwt.claims`). */
function claimsOf(reqCtx: RequestContext): Record<string, unknown> | undefined {
  if (reqCtx.responseType !== 'ApiGatewayV2') return undefined;
  const authorizer = reqCtx.event.requestContext as {
    authorizer?: { jwt?: { claims?: Record<string, unknown> } };
  };
  return authorizer.authorizer?.jwt?.claims;
}

/** The caller of a route that needs auth (401/403 before any work), `undefined` for health. */
function authorize(route: RouteSpec, reqCtx: RequestContext, deps: ApiDeps): Caller | undefined {
  if (route.auth.type === 'none') return undefined;
  const caller = callerFromClaims(claimsOf(reqCtx), deps.api.scopePrefix);
  requireScope(caller, route.auth.anyScope);
  return caller;
}

/**
 * The api's router (Powertools' HTTP event handler): every route of `API_ROUTES`, each authorized from
 * the verified claims, then one use case of `@imgpipe/core`. Every refusal answers
 * `{"error":{"code","message"}}`; anything unexpected is logged and answers 500 `INTERNAL`.
 */
export function createRouter(runtime: () => ApiRuntime): Router {
  const app = new Router();
  for (const route of API_ROUTES) {
    // API Gateway writes path parameters as `{id}`; the router as `:id`.
    const path = route.path.replace(/\{(\w+)\}/g, ':$1') as `/${string}`;
    app.route(
      async (reqCtx) => {
        const { deps } = runtime();
        return HANDLERS[route.id](reqCtx, authorize(route, reqCtx, deps), deps);
      },
      { method: route.method, path },
    );
  }
  app.errorHandler(ApiError, (err) => Promise.resolve(errorResponse(err)));
  app.notFound(() => Promise.resolve(errorResponse(new ApiError('NOT_FOUND', 'No such route'))));
  app.methodNotAllowed(() =>
    Promise.resolve(errorResponse(new ApiError('METHOD_NOT_ALLOWED', 'The route does not take this method'))),
  );
  app.errorHandler(Error, (err) => {
    runtime().logger.error('Unexpected failure', { error: err });
    return Promise.resolve(errorResponse(new ApiError('INTERNAL', 'Internal error', { cause: err })));
  });
  return app;
}
