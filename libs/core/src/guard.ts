import type { PipelineConfig } from './config';
import { InvalidEventError } from './errors';
import type { ObjectEvent } from './events';
import type { Outcome } from './outcome';
import type { SourceVersion } from './row';
import { seqKey } from './sequencer';

/**
 * The first step of every use case: the recursion guard and key filter. Only objects of the source
 * bucket that pass the key filter are worked on; writes to the derived bucket can never trigger
 * work, even if a rule is misconfigured. Returns the `ignored` outcome, or undefined to go on.
 */
export function guardEvent(event: ObjectEvent, config: PipelineConfig): Outcome | undefined {
  if (event.bucket === config.derivedBucket) return { action: 'ignored', reason: 'derived-bucket' };
  if (event.bucket !== config.sourceBucket) return { action: 'ignored', reason: 'foreign-bucket' };
  if (!event.key.startsWith(config.keyPrefix)) return { action: 'ignored', reason: 'key-filter' };
  if (config.keySuffixes.length > 0 && !config.keySuffixes.some((s) => event.key.endsWith(s))) {
    return { action: 'ignored', reason: 'key-filter' };
  }
  return undefined;
}

/** The source version an event describes (what every row write is conditioned on). */
export function versionOf(event: ObjectEvent): SourceVersion {
  if (event.kind === 'created' && event.etag === undefined) {
    throw new InvalidEventError(
      `Expected an etag on the Object Created event for "${event.key}" but it has none`,
    );
  }
  return {
    objectKey: event.key,
    bucket: event.bucket,
    sequencer: event.sequencer,
    seqKey: seqKey(event.sequencer),
    ...(event.etag !== undefined ? { etag: event.etag } : {}),
    ...(event.size !== undefined ? { bytes: event.size } : {}),
    ...(event.versionId !== undefined ? { versionId: event.versionId } : {}),
  };
}
