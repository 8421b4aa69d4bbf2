import type { ImageMetadata } from '@imgpipe/image';
import type { ObjectEvent } from './events';
import type { MetadataFields } from './ports';
import type { PartWriteOutcome, SourceVersion } from './row';
import { nowOf, telemetryOf, timed, type UseCaseDeps } from './deps';
import type { Outcome } from './outcome';
import { orderAgainstRow, prepareSource, recordFailure, type AlreadyApplied } from './source';
import { layTombstone } from './tombstone';

/** Splits the image library's metadata into the row's top-level fields and its `metadata` map. */
export function metadataFields(meta: ImageMetadata): MetadataFields {
  const { format, width, height, ...rest } = meta;
  const metadata = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
  return { format, width, height, metadata };
}

/** metadata-sync's part is on the row for this version already, or a failure (which wins) is. */
const alreadyApplied: AlreadyApplied = (row, v) => row.status === 'failed' || row.metaSeqKey === v.seqKey;

/**
 * metadata-sync's answer to one object event: write the row's metadata for a created object
 * (`ready`, or `failed` with `error.code`), or turn the row into a tombstone for a deleted one.
 * It reads no row on its common path (a fresh event: the download, then one conditional write that
 * decides stale and duplicate events); a refused write, a download that ends the event and a failed
 * extraction read the row then, and it decides as it would have first.
 * @example await syncMetadata(event, deps) // { action: 'applied', ready: false, ... }
 */
export async function syncMetadata(event: ObjectEvent, deps: UseCaseDeps): Promise<Outcome> {
  if (event.kind === 'deleted') return tombstone(event, deps);
  const { config, table, images } = deps;
  const telemetry = telemetryOf(deps);
  const prepared = await prepareSource(event, deps, 'metadata', alreadyApplied, 'when-needed');
  if (prepared.done) return prepared.outcome;
  const { version, bytes } = prepared;
  let meta: ImageMetadata;
  try {
    meta = await timed(telemetry, 'extract', () =>
      images.extractMetadata(bytes, { limits: config.limits, gps: config.storeGps }),
    );
  } catch (err) {
    // A stale or duplicate event ends as it would have before the extraction; a current one records it.
    const ordered = await orderAgainstRow(await table.get(version.objectKey), version, deps, alreadyApplied);
    return ordered ?? recordFailure(deps, version, 'metadata', err);
  }
  const now = nowOf(deps).toISOString();
  const fields = metadataFields(meta);
  const written = await timed(telemetry, 'record', () => writePart(version, fields, now, deps));
  if (typeof written !== 'string') return written;
  if (written === 'stale' || written === 'duplicate')
    return { action: written, reason: written === 'stale' ? 'the row moved on' : 'already recorded' };
  // Whichever writer finishes second makes the row ready (the first, which moved the row, cannot), in
  // its own write when it had read the other part on the row.
  const ready =
    written === 'finished' ||
    (written !== 'moved' && (await table.finalize(version.objectKey, version.seqKey, now)));
  return { action: 'applied', ready, bytesIn: bytes.length, bytesOut: 0 };
}

/**
 * The part written without a row read; a refused write is decided by the row read then (stale, or a
 * duplicate that finalises a crashed attempt's row), as the read first would have. A row that is
 * neither (it changed between the write and the read) gets the writes that know the row.
 */
async function writePart(
  version: SourceVersion,
  fields: MetadataFields,
  now: string,
  deps: UseCaseDeps,
): Promise<PartWriteOutcome | Outcome> {
  const written = await deps.table.writeMetadataUnread(version, fields, now);
  if (written.written !== 'refused') return written.written;
  const ordered = await orderAgainstRow(written.row, version, deps, alreadyApplied);
  return ordered ?? deps.table.writeMetadata(version, fields, now, written.row);
}

async function tombstone(event: ObjectEvent, deps: UseCaseDeps): Promise<Outcome> {
  const laid = await layTombstone(event, deps);
  if (laid.done) return laid.outcome;
  return { action: 'deleted', tombstone: laid.tombstone, variantsRemoved: 0 };
}
