import type { ImageMetadata } from '@imgpipe/image';
import type { ObjectEvent } from './events';
import type { MetadataFields } from './ports';
import { nowOf, telemetryOf, timed, type UseCaseDeps } from './deps';
import type { Outcome } from './outcome';
import { prepareSource, recordFailure } from './source';
import { layTombstone } from './tombstone';

/** Splits the image library's metadata into the row's top-level fields and its `metadata` map. */
export function metadataFields(meta: ImageMetadata): MetadataFields {
  const { format, width, height, ...rest } = meta;
  const metadata = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
  return { format, width, height, metadata };
}

/**
 * metadata-sync's answer to one object event: write the row's metadata for a created object
 * (`ready`, or `failed` with `error.code`), or turn the row into a tombstone for a deleted one.
 * @example await syncMetadata(event, deps) // { action: 'applied', ready: false, ... }
 */
export async function syncMetadata(event: ObjectEvent, deps: UseCaseDeps): Promise<Outcome> {
  if (event.kind === 'deleted') return tombstone(event, deps);
  const { config, table, images } = deps;
  const telemetry = telemetryOf(deps);
  const prepared = await prepareSource(
    event,
    deps,
    'metadata',
    (row, v) => row.status === 'failed' || row.metaSeqKey === v.seqKey,
  );
  if (prepared.done) return prepared.outcome;
  const { version, bytes, row: before } = prepared;
  let meta: ImageMetadata;
  try {
    meta = await timed(telemetry, 'extract', () =>
      images.extractMetadata(bytes, { limits: config.limits, gps: config.storeGps }),
    );
  } catch (err) {
    return recordFailure(deps, version, 'metadata', err);
  }
  const now = nowOf(deps).toISOString();
  const written = await timed(telemetry, 'record', () =>
    table.writeMetadata(version, metadataFields(meta), now, before),
  );
  if (written === 'stale' || written === 'duplicate')
    return { action: written, reason: written === 'stale' ? 'the row moved on' : 'already recorded' };
  // Whichever writer finishes second makes the row ready (the first, which moved the row, cannot), in
  // its own write when it had read the other part on the row.
  const ready =
    written === 'finished' ||
    (written !== 'moved' && (await table.finalize(version.objectKey, version.seqKey, now)));
  return { action: 'applied', ready, bytesIn: bytes.length, bytesOut: 0 };
}

async function tombstone(event: ObjectEvent, deps: UseCaseDeps): Promise<Outcome> {
  const laid = await layTombstone(event, deps);
  if (laid.done) return laid.outcome;
  return { action: 'deleted', tombstone: laid.tombstone, variantsRemoved: 0 };
}
