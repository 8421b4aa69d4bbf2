/**
 * The CDN in front of the derived bucket. Variant URLs are versioned, so an overwrite needs nothing
 * from it; only a deletion must make the CDN forget what it holds for an image.
 */
export interface CdnCache {
  /**
   * Forgets `paths` (CDN paths, `*` only last). Idempotent per `reference`: a retry with the same
   * reference starts no second invalidation.
   */
  invalidate(paths: readonly string[], reference: string): Promise<void>;
}

/**
 * The CDN path that covers every variant of a source key, encoded as the API builds variant URLs
 * (each segment percent-encoded, `/` kept); a `*` in the key is encoded so only the last one is a
 * wildcard.
 * @example variantsPath('u/alice/my cat.jpg') // '/u/alice/my%20cat.jpg/*'
 */
export function variantsPath(sourceKey: string): string {
  const encoded = sourceKey
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/\*/g, '%2A'))
    .join('/');
  return `/${encoded}/*`;
}

/**
 * The reference of one deletion of a key (its S3 sequencer orders it): the same deletion retried
 * gets the same reference, a later deletion of a re-uploaded key a new one.
 * @example deletionReference('photos/cat.jpg', '0055AED6DCD90281E5') // 'photos/cat.jpg@0055AED6DCD90281E5'
 */
export function deletionReference(sourceKey: string, seqKey: string): string {
  return `${sourceKey}@${seqKey}`;
}
