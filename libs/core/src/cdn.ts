import type { CdnSpec } from '@imgpipe/pipeline';

/** What the CDN does with a request for a variant URL. */
export type CdnDecision = 'serve' | 'render' | 'not-found';

/**
 * The CDN's rule for `<cdn>/<variant key>?v=<version>`, given what the derived bucket holds: serve the
 * stored object when its recorded version (`cdn.versionMetadata`) is the one asked for; a stored object
 * of another version means the asked-for bytes are gone (404, never the new bytes under the old
 * version); no object at all goes to the on-miss render origin. Objects written before versions were
 * recorded, and unversioned requests, are served as stored.
 * @example variantRequestDecision('abc', { 'imgpipe-version': 'abc' }, DEFAULT_CDN) // 'serve'
 */
export function variantRequestDecision(
  requestedVersion: string | undefined,
  storedMetadata: Readonly<Record<string, string>> | undefined,
  cdn: Pick<CdnSpec, 'versionMetadata'>,
): CdnDecision {
  if (!storedMetadata) return 'render';
  const stored = storedMetadata[cdn.versionMetadata];
  if (requestedVersion === undefined || stored === undefined || stored === requestedVersion) return 'serve';
  return 'not-found';
}
