import { nowOf, telemetryOf, timed, type UseCaseDeps } from './deps';
import { classifyFailure, DerivedKeyTooLongError, SourceTooLargeError, type FailureRecord } from './errors';
import type { ObjectEvent } from './events';
import { guardEvent, versionOf } from './guard';
import type { Outcome } from './outcome';
import type { ImageRow, SourceVersion, Writer } from './row';
import { removeVariants, S3_MAX_KEY_BYTES, variantKeyTooLong } from './variant-files';

/**
 * The source object as both Object Created use cases meet it: guarded, ordered against its row,
 * checked against the limits and downloaded (`prepareSource`); or refused for good (`recordFailure`).
 */

export type Prepared =
  | { readonly done: true; readonly outcome: Outcome }
  | {
      readonly done: false;
      readonly version: SourceVersion;
      readonly bytes: Buffer;
      /** The row as it was before this work (absent for a new key). */
      readonly row?: ImageRow;
    };

/** True when the row already holds this writer's result for `version` (or a failure, which wins). */
export type AlreadyApplied = (row: ImageRow, version: SourceVersion) => boolean;

/**
 * The common first half of both Object Created use cases: guard, order against the row, refuse
 * what is too large before downloading, then stream the exact version the event names into memory.
 */
export async function prepareSource(
  event: ObjectEvent,
  deps: UseCaseDeps,
  writer: Writer,
  alreadyApplied: AlreadyApplied,
): Promise<Prepared> {
  const ignored = guardEvent(event, deps.config);
  if (ignored) return { done: true, outcome: ignored };
  const version = versionOf(event);
  const row = await deps.table.get(version.objectKey);
  if (row && row.seqKey > version.seqKey) {
    return { done: true, outcome: { action: 'stale', reason: `row is at a newer ${row.status} version` } };
  }
  if (row && row.seqKey === version.seqKey && alreadyApplied(row, version)) {
    // A retry of an attempt that recorded its part but failed before finalising: nobody else will
    // finalise (the other writer already tried, too early), so do it now. The update is conditional.
    if (row.status === 'pending')
      await deps.table.finalize(version.objectKey, version.seqKey, nowOf(deps).toISOString());
    return { done: true, outcome: { action: 'duplicate', reason: 'this version is already on the row' } };
  }
  const tooLong =
    writer === 'variants' ? variantKeyTooLong(version.objectKey, deps.config.presets) : undefined;
  if (tooLong) {
    const error = new DerivedKeyTooLongError(
      `Expected variant keys of at most ${S3_MAX_KEY_BYTES} bytes but "${tooLong.name}" would need ${tooLong.bytes} (source key of ${Buffer.byteLength(version.objectKey)} bytes)`,
    );
    return { done: true, outcome: await recordFailure(deps, version, writer, error) };
  }
  const { maxBytes } = deps.config.limits;
  if (version.bytes !== undefined && version.bytes > maxBytes) {
    const error = new SourceTooLargeError(
      `Expected at most ${maxBytes} bytes but the object has ${version.bytes}`,
    );
    return { done: true, outcome: await recordFailure(deps, version, writer, error) };
  }
  let bytes: Buffer | undefined;
  try {
    bytes = await timed(telemetryOf(deps), 'download', () =>
      deps.objects.getBytes(version.bucket, version.objectKey, {
        maxBytes,
        ...(version.etag ? { ifMatch: version.etag } : {}),
      }),
    );
  } catch (err) {
    if (err instanceof SourceTooLargeError) {
      return { done: true, outcome: await recordFailure(deps, version, writer, err) };
    }
    throw err;
  }
  if (!bytes) {
    return { done: true, outcome: { action: 'stale', reason: 'the source object changed or is gone' } };
  }
  telemetryOf(deps).bytesIn(bytes.length);
  return { done: false, version, bytes, ...(row ? { row } : {}) };
}

/**
 * Records a permanent failure on the row (`status: failed`, `error`). When resize's failure is
 * applied, variants of older versions are removed: a failed row has no variants.
 * Rethrows transient errors untouched so the platform retries.
 */
export async function recordFailure(
  deps: UseCaseDeps,
  version: SourceVersion,
  writer: Writer,
  err: unknown,
): Promise<Outcome> {
  const failure = classifyFailure(err);
  if (failure.retryable) throw err;
  const error: FailureRecord = { code: failure.code, message: failure.message };
  const result = await deps.table.writeFailure(version, writer, error, nowOf(deps).toISOString());
  if (result === 'applied' && writer === 'variants') {
    await removeVariants(
      deps.objects,
      deps.config.derivedBucket,
      version.objectKey,
      (k) => !k || k <= version.seqKey,
    );
  }
  return { action: 'failed', error, recorded: result !== 'stale' };
}
