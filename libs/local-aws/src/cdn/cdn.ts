import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GetObjectCommand, NoSuchKey, type S3Client } from '@aws-sdk/client-s3';
import { type CdnSpec, errorCacheControl } from '@imgpipe/pipeline';
import type { EdgeRoute } from '../edge/extensions';
import { httpApiEvent, httpApiResponse, type HttpResponse } from '../gateway/payload';
import { send } from '../gateway/body';
import type { InvocationOutcome } from '../runtime/types';
import { EdgeCache, sharedMaxAge } from './cache';

/** The local CDN's prefix on the edge: `http://127.0.0.1:4566/_cdn/<variant key>?v=<version>`. */
export const CDN_PREFIX = '/_cdn';

/** What CloudFront's viewer-response version check answers instead of another version's bytes. */
const NOT_FOUND_BODY = '{"error":{"code":"NOT_FOUND","message":"No such variant version"}}';

export interface LocalCdnOptions {
  readonly cdn: CdnSpec;
  readonly derivedBucket: string;
  /** Reads the derived bucket as the CDN's origin access does. */
  readonly s3: S3Client;
  /** The `render` function's workers (the failover origin). */
  readonly render: { invoke(event: unknown): Promise<InvocationOutcome> };
  readonly accountId: string;
  readonly cache?: EdgeCache;
  /** Called for each request: whether the cache answered and which origin did otherwise (tests, bench). */
  readonly onRequest?: (info: { path: string; status: number; origin: 'cache' | 's3' | 'render' }) => void;
}

function notFound(cdn: CdnSpec): HttpResponse {
  return {
    status: 404,
    headers: { 'content-type': 'application/json', 'cache-control': errorCacheControl(cdn) },
    body: Buffer.from(NOT_FOUND_BODY),
  };
}

/** The S3 origin: the variant object with its stored headers, or undefined when it is missing. */
async function fromBucket(options: LocalCdnOptions, key: string): Promise<HttpResponse | undefined> {
  try {
    const object = await options.s3.send(new GetObjectCommand({ Bucket: options.derivedBucket, Key: key }));
    const body = Buffer.from(
      await (object.Body?.transformToByteArray() ?? Promise.resolve(new Uint8Array())),
    );
    const headers: Record<string, string> = {
      'content-type': object.ContentType ?? 'application/octet-stream',
    };
    if (object.CacheControl) headers['cache-control'] = object.CacheControl;
    if (object.ETag) headers['etag'] = object.ETag;
    if (object.LastModified) headers['last-modified'] = object.LastModified.toUTCString();
    for (const [name, value] of Object.entries(object.Metadata ?? {})) headers[`x-amz-meta-${name}`] = value;
    return { status: 200, headers, body };
  } catch (error) {
    if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NotFound') return undefined;
    throw error;
  }
}

/**
 * The deployed CDN's semantics on the edge under `/_cdn`: the derived bucket as origin, failing over to
 * the real `render` bundle (a Function URL payload 2.0 event) when a variant is missing; a cache keyed by
 * path + the version parameter honouring the origin's `s-maxage`; the viewer-response version check (a
 * response whose stored version is not the one asked for becomes a 404, so a versioned URL never serves
 * other bytes); ETag + If-None-Match → 304; 403 from an origin becomes a 404.
 */
export function createLocalCdn(options: LocalCdnOptions): EdgeRoute & { readonly cache: EdgeCache } {
  const cache = options.cache ?? new EdgeCache();
  const versionHeader = `x-amz-meta-${options.cdn.versionMetadata}`;

  const origin = async (
    req: IncomingMessage,
    rawPath: string,
    key: string,
    version: string | undefined,
  ): Promise<{ response: HttpResponse; from: 's3' | 'render' }> => {
    const stored = await fromBucket(options, key);
    if (stored) return { response: stored, from: 's3' };
    // CloudFront forwards only the cache key's query string to the origin.
    const query =
      version === undefined ? '' : `?${options.cdn.versionParameter}=${encodeURIComponent(version)}`;
    const event = httpApiEvent(req, {
      url: `${rawPath}${query}`,
      routeKey: '$default',
      apiId: createHash('sha256').update('render').digest('hex').slice(0, 32),
      accountId: options.accountId,
      body: Buffer.alloc(0),
    });
    const outcome = await options.render.invoke({
      ...event,
      requestContext: { ...event.requestContext, http: { ...event.requestContext.http, method: 'GET' } },
    });
    if (!outcome.ok) {
      return {
        response: {
          status: 502,
          headers: { 'content-type': 'text/plain' },
          body: Buffer.from('Bad Gateway'),
        },
        from: 'render',
      };
    }
    const response = httpApiResponse(outcome.value);
    return { response: response.status === 403 ? notFound(options.cdn) : response, from: 'render' };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = req.method ?? 'GET';
    const url = (req.url ?? '/').slice(CDN_PREFIX.length) || '/';
    const q = url.indexOf('?');
    const rawPath = q < 0 ? url : url.slice(0, q);
    const version =
      new URLSearchParams(q < 0 ? '' : url.slice(q + 1)).get(options.cdn.versionParameter) ?? undefined;
    if (method !== 'GET' && method !== 'HEAD') {
      send(res, { status: 403, headers: { 'content-type': 'text/plain' }, body: Buffer.from('Forbidden') });
      return;
    }
    let key: string;
    try {
      key = decodeURIComponent(rawPath.replace(/^\/+/, ''));
    } catch {
      send(res, notFound(options.cdn), method === 'HEAD');
      return;
    }
    const cacheKey = `/${key}?${version ?? ''}`;
    let response = cache.get(cacheKey);
    let from: 'cache' | 's3' | 'render' = 'cache';
    if (!response) {
      const answered = await origin(req, rawPath, key, version);
      response = answered.response;
      from = answered.from;
      const ttl =
        response.status === 200
          ? sharedMaxAge(String(response.headers['cache-control'] ?? ''))
          : response.status === 404
            ? options.cdn.errorCachingSeconds
            : 0;
      cache.put(cacheKey, response, ttl);
    }
    // The viewer-response function: the stored version must be the one asked for.
    if (response.status === 200 && (version === undefined || response.headers[versionHeader] !== version)) {
      response = notFound(options.cdn);
    }
    const etag = response.headers['etag'];
    if (response.status === 200 && etag !== undefined && req.headers['if-none-match'] === etag) {
      const { 'content-type': _type, ...headers } = response.headers;
      response = { status: 304, headers, body: Buffer.alloc(0) };
    }
    send(res, response, method === 'HEAD');
    options.onRequest?.({ path: `/${key}`, status: response.status, origin: from });
  };

  return { prefix: CDN_PREFIX, handle, cache };
}
