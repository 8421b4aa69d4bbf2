import { errorCacheControl, type CdnSpec } from '@imgpipe/pipeline';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The S3 response header of a user metadata entry (`x-amz-meta-<name>`), as CloudFront names it. */
export function versionHeader(cdn: Pick<CdnSpec, 'versionMetadata'>): string {
  return `x-amz-meta-${cdn.versionMetadata}`;
}

/**
 * The source of the CDN's version check (`version-check.js`, a CloudFront Function) with the
 * definition's parameter, header and 404 caching filled in.
 * @example versionCheckCode(DEFAULT_CDN) // 'var VERSION_PARAMETER = \'v\'; ...'
 */
export function versionCheckCode(cdn: CdnSpec): string {
  const source = readFileSync(join(__dirname, 'version-check.js'), 'utf8');
  return source
    .replace('__VERSION_PARAMETER__', cdn.versionParameter)
    .replace('__VERSION_HEADER__', versionHeader(cdn))
    .replace('__NOT_FOUND_CACHE_CONTROL__', errorCacheControl(cdn));
}
