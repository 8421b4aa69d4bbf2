// CloudFront Function (cloudfront-js-2.0), viewer response of the variants' behaviour.
//
// Variant URLs are `<key>?v=<version>` and the cache key is the path plus `v`, but S3 ignores `v`: after
// an overwrite, a miss on an old URL would fetch the new bytes and cache them under the old version.
// The stored object names its version in its metadata (resize writes it; render answers with the
// same header), so a response whose version is not the one asked for, or a request without a version,
// becomes a 404 that caches briefly, its body replaced (runtime 2.0 lets a viewer-response function
// replace it) so no byte of the other version leaves. 304s pass: the viewer already holds what this
// URL served before.
// The placeholders are replaced at synthesis from the pipeline definition (`CdnSpec`).
const VERSION_PARAMETER = '__VERSION_PARAMETER__';
const VERSION_HEADER = '__VERSION_HEADER__';
const NOT_FOUND_CACHE_CONTROL = '__NOT_FOUND_CACHE_CONTROL__';
const NOT_FOUND_BODY = '{"error":{"code":"NOT_FOUND","message":"No such variant version"}}';

// eslint-disable-next-line @typescript-eslint/no-unused-vars -- CloudFront calls `handler` by name.
function handler(event) {
  const response = event.response;
  if (response.statusCode < 200 || response.statusCode >= 300) return response;
  const asked = event.request.querystring[VERSION_PARAMETER];
  const stored = response.headers[VERSION_HEADER];
  if (asked && stored && asked.value === stored.value) return response;
  response.statusCode = 404;
  response.statusDescription = 'Not Found';
  response.headers['cache-control'] = { value: NOT_FOUND_CACHE_CONTROL };
  // The headers must describe the new body (CloudFront's advice when a function replaces it).
  response.headers['content-type'] = { value: 'application/json' };
  response.headers['content-length'] = { value: String(NOT_FOUND_BODY.length) };
  delete response.headers['content-encoding'];
  delete response.headers['etag'];
  delete response.headers['last-modified'];
  delete response.headers[VERSION_HEADER];
  response.body = { encoding: 'text', data: NOT_FOUND_BODY };
  return response;
}
