import { LambdaFunctionUrlSchema } from '@aws-lambda-powertools/parser/schemas';
import { derivedKey, errorCacheControl, variantCacheControl } from '@imgpipe/pipeline';
import { InvalidEventError } from './errors';
import { nowOf, type UseCaseDeps } from './deps';
import { variantVersion } from './variant-files';

/** What the CDN asks the render origin for: a variant key and, on a versioned URL, its version. */
export interface RenderRequest {
  readonly method: string;
  readonly key: string;
  readonly version?: string;
}

/** The render origin's answer, with the CDN's headers (the handler base64-encodes `body`). */
export interface RenderResponse {
  readonly status: 200 | 404 | 405;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

/** A Function URL response is at most 6 MB; base64 grows the body by a third. */
const MAX_RENDERED_BYTES = 4 * 1024 * 1024;

/**
 * The request of a Function URL event (payload 2.0): the variant key from `rawPath` (percent-decoded,
 * without the leading `/`) and the version parameter. INVALID_EVENT when it is no Function URL event.
 * @example parseRenderRequest(event, 'v') // { method: 'GET', key: 'photos/cat.jpg/thumb.webp', version: 'ungWv48Bz-pBQUDe' }
 */
export function parseRenderRequest(event: unknown, versionParameter: string): RenderRequest {
  const parsed = LambdaFunctionUrlSchema.safeParse(event);
  if (!parsed.success) {
    throw new InvalidEventError('Expected a Function URL event (payload 2.0)', { cause: parsed.error });
  }
  const { rawPath, rawQueryString, requestContext } = parsed.data;
  let key: string;
  try {
    key = rawPath.replace(/^\/+/, '').split('/').map(decodeURIComponent).join('/');
  } catch (cause) {
    throw new InvalidEventError(
      `Expected a percent-encoded variant path but received "${rawPath.slice(0, 80)}"`,
      {
        cause,
      },
    );
  }
  const version = new URLSearchParams(rawQueryString).get(versionParameter) ?? undefined;
  return { method: requestContext.http.method, key, ...(version ? { version } : {}) };
}

/**
 * The CDN's on-miss origin: renders one missing variant of a `ready` image and returns its bytes with
 * the headers the derived bucket would have served. Writes nothing (resize stays the only writer).
 * 404 for a key that is no variant of a ready image, and for a version other than what renders now:
 * a versioned URL never serves other bytes. An unversioned request is answered `no-cache`.
 * @example await renderOnMiss({ method: 'GET', key: 'photos/cat.jpg/thumb.webp' }, deps)
 */
export async function renderOnMiss(request: RenderRequest, deps: UseCaseDeps): Promise<RenderResponse> {
  const { config } = deps;
  const notFound: RenderResponse = {
    status: 404,
    headers: { 'content-type': 'text/plain', 'cache-control': errorCacheControl(config.cdn) },
    body: Buffer.from('Not Found'),
  };
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return {
      status: 405,
      headers: { allow: 'GET, HEAD', 'content-type': 'text/plain' },
      body: Buffer.from('Method Not Allowed'),
    };
  }
  const slash = request.key.lastIndexOf('/');
  const sourceKey = slash > 0 ? request.key.slice(0, slash) : '';
  const preset = config.presets.find((p) => sourceKey && derivedKey(sourceKey, p) === request.key);
  if (!preset) return notFound;
  const row = await deps.table.get(sourceKey);
  if (row?.status !== 'ready' || !row.etag) return notFound;
  const source = await deps.objects.getBytes(config.sourceBucket, sourceKey, {
    maxBytes: config.limits.maxBytes,
    ifMatch: row.etag,
  });
  if (!source) return notFound;
  // Every preset, as resize renders them: the cascade makes each variant from the others' rasters, so
  // only the same job gives the same bytes, hence the same version as the URL resize's row handed out.
  const rendered = await deps.images.renderVariants(source, {
    presets: config.presets,
    limits: config.limits,
  });
  const variant = rendered.variants.find((v) => v.name === preset.name);
  if (!variant || variant.data.length > MAX_RENDERED_BYTES) return notFound;
  const version = variantVersion(variant.data);
  if (request.version !== undefined && request.version !== version) return notFound;
  return {
    status: 200,
    headers: {
      'content-type': variant.contentType,
      'cache-control': request.version === undefined ? 'no-cache' : variantCacheControl(config.cdn),
      etag: `"${version}"`,
      'last-modified': nowOf(deps).toUTCString(),
      [`x-amz-meta-${config.cdn.versionMetadata}`]: version,
    },
    body: request.method === 'HEAD' ? Buffer.alloc(0) : variant.data,
  };
}
