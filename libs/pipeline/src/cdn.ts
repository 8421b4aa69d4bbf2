/**
 * How variants are cached. The API hands out only versioned URLs, `<cdn>/<variant key>?v=<version>`, whose
 * version is a hash of the variant's bytes: an overwrite or a preset change gives new URLs, so nothing
 * needs invalidating for freshness. The CDN caches a version for long; browsers keep it for less, because
 * a deletion can reach the CDN (one invalidation) but never a browser cache.
 */
export interface CdnSpec {
  /** The one query parameter in the CDN's cache key (every other parameter is dropped). */
  readonly versionParameter: string;
  /** Variant object metadata (`x-amz-meta-<name>`) naming the version, so the CDN can check `?v=`. */
  readonly versionMetadata: string;
  /** `max-age` for browsers; shorter than `cdnMaxAgeSeconds`. */
  readonly browserMaxAgeSeconds: number;
  /** `s-maxage`: how long the CDN keeps a version. */
  readonly cdnMaxAgeSeconds: number;
  /** How long the CDN caches a 404 (a missing variant may be rendered moments later). */
  readonly errorCachingSeconds: number;
}

export const DEFAULT_CDN: CdnSpec = {
  versionParameter: 'v',
  versionMetadata: 'imgpipe-version',
  browserMaxAgeSeconds: 60 * 60,
  cdnMaxAgeSeconds: 365 * 24 * 60 * 60,
  errorCachingSeconds: 10,
};

/**
 * The `Cache-Control` of every variant (written by resize and reconcile, answered by render). No
 * `immutable`: a deleted image must stop being served once a browser's shorter max-age ends.
 * @example variantCacheControl(DEFAULT_CDN) // 'public, max-age=3600, s-maxage=31536000'
 */
export function variantCacheControl(cdn: CdnSpec): string {
  return `public, max-age=${cdn.browserMaxAgeSeconds}, s-maxage=${cdn.cdnMaxAgeSeconds}`;
}

/** `Cache-Control` of a CDN 404 (missing variant, deleted image, wrong version). */
export function errorCacheControl(cdn: CdnSpec): string {
  return `public, max-age=${cdn.errorCachingSeconds}`;
}

/**
 * Derived-bucket objects that belong to the CDN, not to an image: the body CloudFront answers a
 * missing variant with (its 403 becomes a 404). Infra writes them; reconcile never removes them.
 */
export const CDN_NOT_FOUND_KEY = '_cdn/not-found.json';
export const CDN_RESERVED_KEYS: readonly string[] = [CDN_NOT_FOUND_KEY];
