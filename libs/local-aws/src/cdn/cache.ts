import type { HttpResponse } from '../gateway/payload';

interface Entry {
  readonly response: HttpResponse;
  readonly expiresAt: number;
}

/** `s-maxage` (else `max-age`) of a Cache-Control value, in seconds; 0 when absent or `no-cache`/`no-store`. */
export function sharedMaxAge(cacheControl: string | undefined): number {
  if (!cacheControl || /no-(cache|store)|private/i.test(cacheControl)) return 0;
  const shared = /s-maxage=(\d+)/i.exec(cacheControl)?.[1];
  const browser = /(?:^|[\s,])max-age=(\d+)/i.exec(cacheControl)?.[1];
  return Number(shared ?? browser ?? 0);
}

/**
 * The CDN's edge cache: origin responses by cache key (path + the version parameter), each kept for its
 * `s-maxage` (errors for the error-caching time). Invalidation drops every key under a path prefix, as
 * resize's `/<key>/*` invalidation does on CloudFront.
 */
export class EdgeCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly clock: () => number = Date.now) {}

  get(cacheKey: string): HttpResponse | undefined {
    const entry = this.entries.get(cacheKey);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.clock()) {
      this.entries.delete(cacheKey);
      return undefined;
    }
    return entry.response;
  }

  put(cacheKey: string, response: HttpResponse, ttlSeconds: number): void {
    if (ttlSeconds <= 0) return;
    this.entries.set(cacheKey, { response, expiresAt: this.clock() + ttlSeconds * 1000 });
  }

  /** Drops every entry whose path starts with `pathPrefix`; returns how many. */
  invalidate(pathPrefix: string): number {
    let dropped = 0;
    for (const key of [...this.entries.keys()]) {
      if (key.startsWith(pathPrefix)) {
        this.entries.delete(key);
        dropped += 1;
      }
    }
    return dropped;
  }

  get size(): number {
    return this.entries.size;
  }
}
