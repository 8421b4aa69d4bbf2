import { nowOf, telemetryOf, timed, type UseCaseDeps } from './deps';
import type { ObjectEvent } from './events';
import { deletionReference, variantsPath } from './cdn-cache';
import type { Outcome } from './outcome';
import type { VariantFields } from './ports';
import type { ImageRow, PartWriteOutcome, SourceVersion } from './row';
import { orderAgainstRow, prepareSource, recordFailure, type AlreadyApplied } from './source';
import { layTombstone } from './tombstone';
import { removeVariants, storeVariants } from './variant-files';

/**
 * Resize's answer to one object event: render and store the variants of a created object, or
 * remove every variant of a deleted one. Idempotent and safe out of order (see docs/architecture.md).
 * Permanent failures are recorded and returned; transient ones throw.
 * @example await resizeObject(event, deps) // { action: 'applied', ready: true, ... }
 */
export async function resizeObject(
  event: ObjectEvent,
  deps: UseCaseDeps,
  options: ResizeOptions = {},
): Promise<Outcome> {
  return event.kind === 'deleted' ? removeDeletedVariants(event, deps) : renderVariants(event, deps, options);
}

export interface ResizeOptions {
  /** Render even when the row says this version's variants exist (reconcile found some missing). */
  readonly force?: boolean;
}

/** resize's part is on the row for this version under the current presets, or a failure (which wins) is. */
function alreadyApplied(presetsHash: string, force: boolean | undefined): AlreadyApplied {
  return (row, v) =>
    row.status === 'failed' || (!force && row.variantsSeqKey === v.seqKey && row.presetsHash === presetsHash);
}

async function renderVariants(
  event: ObjectEvent,
  deps: UseCaseDeps,
  options: ResizeOptions,
): Promise<Outcome> {
  const { config, objects, images } = deps;
  const telemetry = telemetryOf(deps);
  const applied = alreadyApplied(config.presetsHash, options.force);
  // 1. Guard, check limits, download the exact version (`If-Match` on the event's ETag: an object
  // replaced or deleted since is never rendered). The row is read first only for reconcile's `force`;
  // otherwise the row write decides stale and duplicate events (see `recordVariants`).
  const prepared = await prepareSource(
    event,
    deps,
    'variants',
    applied,
    options.force ? 'first' : 'when-needed',
  );
  if (prepared.done) return prepared.outcome;
  const { version, bytes, row: read } = prepared;

  // 2. Render; an input that can never succeed is recorded on the row.
  let rendered;
  try {
    rendered = await timed(telemetry, 'render', () =>
      images.renderVariants(bytes, { presets: config.presets, limits: config.limits }),
    );
  } catch (err) {
    return recordFailure(deps, version, 'variants', err);
  }

  // 3. Store the files before the row names them.
  // A file never replaces a newer version's (`storeVariants`): finding one proves this version stale.
  const { variants, bytesOut, newer } = await timed(telemetry, 'upload', () =>
    storeVariants(
      objects,
      config.derivedBucket,
      version,
      rendered.variants,
      config.cdn,
      new Set(read?.variants?.map((v) => v.key)),
    ),
  );
  telemetry.bytesOut(bytesOut);
  const takeBack = () =>
    // Only our own files, each deleted only while it is still the file the HEAD saw: a newer writer's
    // file (its metadata names its own sequencer, or it replaced ours after the HEAD) stays.
    removeVariants(objects, config.derivedBucket, version.objectKey, (k) => k === version.seqKey);
  if (newer) {
    await takeBack();
    return { action: 'stale', reason: 'a newer version has stored its variants' };
  }

  // 4. Record them on the row, conditioned on the version.
  const now = nowOf(deps).toISOString();
  const fields = { variants, presetsHash: config.presetsHash };
  const recorded = await timed(telemetry, 'record', () =>
    recordVariants(version, fields, now, deps, applied, read),
  );
  if ('decided' in recorded) {
    // The row decided as a read first would have: stale, or this version's part (or a failure) is there.
    // Files of a stale version, or of a version that failed (a failed row has no variants), go.
    if (recorded.takeBack) await takeBack();
    return recorded.decided;
  }
  const { written, before } = recorded;
  if (written === 'stale') {
    // A newer version, a deletion or a failure won the race: take back what we wrote.
    await takeBack();
    return { action: 'stale', reason: 'the row moved on while rendering' };
  }
  if (written === 'duplicate')
    return { action: 'duplicate', reason: 'a concurrent delivery recorded this version' };
  // 5. Files of presets that no longer exist go (never a newer writer's). With unchanged presets every
  // older variant was just overwritten under the same key, so the listing and heads are skipped; files
  // a crashed attempt left under old presets are reconcile's to remove.
  if (before?.presetsHash !== undefined && before.presetsHash !== config.presetsHash) {
    const current = new Set(variants.map((v) => v.key));
    await removeVariants(objects, config.derivedBucket, version.objectKey, (k, key) =>
      current.has(key) ? false : !k || k <= version.seqKey,
    );
  }
  // 6. Whichever writer finishes second makes the row ready (the first, which moved the row, cannot), in
  // its own write when it had read the other part on the row.
  const ready =
    written === 'finished' ||
    (written !== 'moved' && (await deps.table.finalize(version.objectKey, version.seqKey, now)));
  return { action: 'applied', ready, bytesIn: bytes.length, bytesOut };
}

/** What the row write did (with the row as it was before), or what the row decided instead. */
type Recorded =
  | { readonly written: PartWriteOutcome; readonly before: ImageRow | undefined }
  | { readonly decided: Outcome; readonly takeBack: boolean };

/**
 * Writes resize's part. With the row read first (`read`, reconcile's `force`), as it says. Without it,
 * the common order (metadata-sync wrote first) finishes in one write, `finishVariantsUnread`, which also
 * returns the row as it was; a refused write reads the row and decides as a read first would have
 * (stale, duplicate, a failure won: `action`), else writes as it says (resize first, or a retry).
 */
async function recordVariants(
  version: SourceVersion,
  fields: VariantFields,
  now: string,
  deps: UseCaseDeps,
  applied: AlreadyApplied,
  read: ImageRow | undefined,
): Promise<Recorded> {
  const { table } = deps;
  if (read) return { written: await table.writeVariants(version, fields, now, read), before: read };
  const tried = await table.finishVariantsUnread(version, fields, now);
  if (tried.written === 'finished') return { written: 'finished', before: tried.before };
  const { row } = tried;
  const ordered = await orderAgainstRow(row, version, deps, applied);
  if (ordered) {
    const failed = row?.seqKey === version.seqKey && row.status === 'failed';
    return { decided: ordered, takeBack: ordered.action === 'stale' || failed };
  }
  return { written: await table.writeVariants(version, fields, now, row), before: row };
}

async function removeDeletedVariants(event: ObjectEvent, deps: UseCaseDeps): Promise<Outcome> {
  const laid = await layTombstone(event, deps);
  if (laid.done) return laid.outcome;
  const { version, tombstone } = laid;
  // Only variants of versions up to this deletion go; a newer create's variants stay.
  const variantsRemoved = await timed(telemetryOf(deps), 'delete', () =>
    removeVariants(
      deps.objects,
      deps.config.derivedBucket,
      version.objectKey,
      (k) => !k || k <= version.seqKey,
    ),
  );
  // After the variants are gone, so a CDN miss cannot fetch one back. Retries of this deletion
  // (duplicate tombstone) invalidate again with the same reference: the CDN starts it once.
  const cdn = deps.cdn;
  if (cdn) {
    await timed(telemetryOf(deps), 'invalidate', () =>
      cdn.invalidate([variantsPath(version.objectKey)], deletionReference(version.objectKey, version.seqKey)),
    );
  }
  return { action: 'deleted', tombstone, variantsRemoved };
}
