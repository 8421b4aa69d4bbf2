import { nowOf, telemetryOf, timed, type UseCaseDeps } from './deps';
import type { ObjectEvent } from './events';
import { deletionReference, variantsPath } from './cdn-cache';
import type { Outcome } from './outcome';
import { prepareSource, recordFailure } from './source';
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

async function renderVariants(
  event: ObjectEvent,
  deps: UseCaseDeps,
  options: ResizeOptions,
): Promise<Outcome> {
  const { config, objects, table, images } = deps;
  const telemetry = telemetryOf(deps);
  // 1. Guard, order against the row, check limits, download the exact version.
  const prepared = await prepareSource(
    event,
    deps,
    'variants',
    (row, v) =>
      row.status === 'failed' ||
      (!options.force && row.variantsSeqKey === v.seqKey && row.presetsHash === config.presetsHash),
  );
  if (prepared.done) return prepared.outcome;
  const { version, bytes, row: before } = prepared;

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
      new Set(before?.variants?.map((v) => v.key)),
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
  const written = await timed(telemetry, 'record', () =>
    table.writeVariants(version, { variants, presetsHash: config.presetsHash }, now, before),
  );
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
    (written !== 'moved' && (await table.finalize(version.objectKey, version.seqKey, now)));
  return { action: 'applied', ready, bytesIn: bytes.length, bytesOut };
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
