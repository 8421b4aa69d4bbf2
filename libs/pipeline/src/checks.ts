import { API_ROUTES, type ApiThrottleSpec, type RouteSpec } from './api';
import type { CdnSpec } from './cdn';
import { PipelineDefinitionError } from './errors';
import type { LimitsSpec } from './limits';
import {
  DEFAULT_MAX_FILENAME_LENGTH,
  DEFAULT_UPLOAD_EXPIRY_SECONDS,
  MAX_UPLOAD_EXPIRY_SECONDS,
  SVG_CONTENT_TYPE,
  UPLOAD_CONTENT_TYPES,
  type UploadContentType,
  type UploadSpec,
} from './uploads';

/** Throws unless `value` is a positive integer; returns it. */
export function positiveInteger(value: number, what: string): number {
  if (!Number.isInteger(value) || value <= 0) {
    throw new PipelineDefinitionError(`Expected positive integer for ${what} but received ${String(value)}`);
  }
  return value;
}

/**
 * Checks the API's routes: unique route keys under `/v1/`, `GET /v1/health` the only route without
 * auth, and every other route asking for at least one scope.
 */
export function checkRoutes(routes: readonly RouteSpec[] = API_ROUTES): readonly RouteSpec[] {
  const seen = new Set<string>();
  for (const route of routes) {
    const key = `${route.method} ${route.path}`;
    if (!route.path.startsWith('/v1/')) {
      throw new PipelineDefinitionError(`Expected a route path under /v1/ but received "${route.path}"`);
    }
    if (seen.has(key)) throw new PipelineDefinitionError(`Expected unique routes but "${key}" repeats`);
    seen.add(key);
    if (route.auth.type === 'none' && key !== 'GET /v1/health') {
      throw new PipelineDefinitionError(
        `Expected auth on every route but GET /v1/health but "${key}" has none`,
      );
    }
    if (route.auth.type === 'jwt' && route.auth.anyScope.length === 0) {
      throw new PipelineDefinitionError(`Expected at least one scope for "${key}" but received none`);
    }
  }
  return routes;
}

/** Upload rules from defaults, the limits and overrides, checked. */
export function checkUploads(limits: LimitsSpec, options: Partial<UploadSpec> = {}): UploadSpec {
  const allowed: readonly UploadContentType[] = limits.allowSvg
    ? [...UPLOAD_CONTENT_TYPES, SVG_CONTENT_TYPE]
    : UPLOAD_CONTENT_TYPES;
  const uploads: UploadSpec = {
    maxBytes: limits.maxBytes,
    expiresInSeconds: DEFAULT_UPLOAD_EXPIRY_SECONDS,
    contentTypes: allowed,
    maxFilenameLength: DEFAULT_MAX_FILENAME_LENGTH,
    ...options,
  };
  positiveInteger(uploads.maxBytes, 'uploads.maxBytes');
  if (uploads.maxBytes > limits.maxBytes) {
    throw new PipelineDefinitionError(
      `Expected uploads.maxBytes at most limits.maxBytes (${limits.maxBytes}) but received ${uploads.maxBytes}`,
    );
  }
  positiveInteger(uploads.expiresInSeconds, 'uploads.expiresInSeconds');
  if (uploads.expiresInSeconds > MAX_UPLOAD_EXPIRY_SECONDS) {
    throw new PipelineDefinitionError(
      `Expected uploads.expiresInSeconds at most ${MAX_UPLOAD_EXPIRY_SECONDS} but received ${uploads.expiresInSeconds}`,
    );
  }
  positiveInteger(uploads.maxFilenameLength, 'uploads.maxFilenameLength');
  const refused = uploads.contentTypes.filter((t) => !allowed.includes(t));
  if (uploads.contentTypes.length === 0 || refused.length > 0) {
    throw new PipelineDefinitionError(
      `Expected uploads.contentTypes among ${allowed.join(', ')} but received ${JSON.stringify(uploads.contentTypes)}`,
    );
  }
  return uploads;
}

const QUERY_PARAMETER = /^[A-Za-z][A-Za-z0-9_-]{0,31}$/;
const METADATA_NAME = /^[a-z][a-z0-9-]{0,63}$/;

/** CDN cache rules, checked: browsers keep a version for less time than the CDN. */
export function checkCdn(cdn: CdnSpec): CdnSpec {
  if (!QUERY_PARAMETER.test(cdn.versionParameter)) {
    throw new PipelineDefinitionError(
      `Expected a query parameter name for cdn.versionParameter but received "${cdn.versionParameter}"`,
    );
  }
  if (!METADATA_NAME.test(cdn.versionMetadata)) {
    throw new PipelineDefinitionError(
      `Expected a lower-case metadata name for cdn.versionMetadata but received "${cdn.versionMetadata}"`,
    );
  }
  positiveInteger(cdn.browserMaxAgeSeconds, 'cdn.browserMaxAgeSeconds');
  positiveInteger(cdn.cdnMaxAgeSeconds, 'cdn.cdnMaxAgeSeconds');
  positiveInteger(cdn.errorCachingSeconds, 'cdn.errorCachingSeconds');
  if (cdn.browserMaxAgeSeconds >= cdn.cdnMaxAgeSeconds) {
    throw new PipelineDefinitionError(
      `Expected cdn.browserMaxAgeSeconds below cdn.cdnMaxAgeSeconds (${cdn.cdnMaxAgeSeconds}) but received ${cdn.browserMaxAgeSeconds}`,
    );
  }
  return cdn;
}

/** Stage throttling, checked. */
export function checkThrottle(throttle: ApiThrottleSpec): ApiThrottleSpec {
  positiveInteger(throttle.rateLimit, 'api.throttle.rateLimit');
  positiveInteger(throttle.burstLimit, 'api.throttle.burstLimit');
  return throttle;
}
