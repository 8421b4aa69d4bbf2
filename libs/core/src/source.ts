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
      /** The row as it was before this work (absent for a new key, and always with `'when-needed'`). */
      readonly row?: ImageRow;
    };

/** True when the row already holds this writer's result for `version` (or a failure, which wins). */
export type AlreadyApplied = (row: ImageRow, version: SourceVersion) => boolean;

/**
 * When the row is read. `'first'` (resize under reconcile's `force`): always, side by side with the
 * download. `'when-needed'` (both writers' common path): only when the event will not reach the writer's
 * own conditional write (refused before the download, a download that failed or found the object
 * changed); on the common path that write decides stale and duplicate events instead.
 */
export type RowRead = 'first' | 'when-needed';

/** The download's result, settled: bytes (undefined when the version changed) or why it failed. */
type Download =
  { readonly ok: true; readonly bytes: Buffer | undefined } | { readonly ok: false; readonly error: unknown };

/**
 * The common first half of both Object Created use cases: guard, refuse what is too large before
 * downloading, then read the row and stream the exact version the event names into memory, side by side
 * (one round trip instead of two). The row still decides first: a stale or duplicate event ends with
 * its outcome whatever the download did (its bytes, or its error, are dropped), so the only cost of the
 * overlap is a wasted GET for an event that is stale or delivered twice. With `rowRead: 'when-needed'`
 * the row is read only on the paths that end before the write, and still decides first there.
 */
export async function prepareSource(
  event: ObjectEvent,
  deps: UseCaseDeps,
  writer: Writer,
  alreadyApplied: AlreadyApplied,
  rowRead: RowRead = 'first',
): Promise<Prepared> {
  const ignored = guardEvent(event, deps.config);
  if (ignored) return { done: true, outcome: ignored };
  const version = versionOf(event);
  const refusal = refuseBeforeDownload(version, deps, writer);
  const { maxBytes } = deps.config.limits;
  // Started before the row is read; settled into a value so a download nobody needs never rejects unheard.
  const download: Promise<Download> | undefined = refusal
    ? undefined
    : timed(telemetryOf(deps), 'download', () =>
        deps.objects.getBytes(version.bucket, version.objectKey, {
          maxBytes,
          ...(version.etag ? { ifMatch: version.etag } : {}),
        }),
      ).then(
        (bytes) => ({ ok: true, bytes }),
        (error: unknown) => ({ ok: false, error }),
      );
  const readFirst = rowRead === 'first' || !download;
  const row = readFirst ? await deps.table.get(version.objectKey) : undefined;
  if (readFirst) {
    const ordered = await orderAgainstRow(row, version, deps, alreadyApplied);
    if (ordered) return { done: true, outcome: ordered };
  }
  if (refusal || !download) {
    return { done: true, outcome: await recordFailure(deps, version, writer, refusal) };
  }
  const downloaded = await download;
  if (!readFirst && (!downloaded.ok || !downloaded.bytes)) {
    // The event ends here: the row decides first, as it does when it was read first.
    const ordered = await orderAgainstRow(
      await deps.table.get(version.objectKey),
      version,
      deps,
      alreadyApplied,
    );
    if (ordered) return { done: true, outcome: ordered };
  }
  if (!downloaded.ok) {
    if (downloaded.error instanceof SourceTooLargeError) {
      return { done: true, outcome: await recordFailure(deps, version, writer, downloaded.error) };
    }
    throw downloaded.error;
  }
  const { bytes } = downloaded;
  if (!bytes) {
    return { done: true, outcome: { action: 'stale', reason: 'the source object changed or is gone' } };
  }
  telemetryOf(deps).bytesIn(bytes.length);
  return { done: false, version, bytes, ...(row ? { row } : {}) };
}

/**
 * The row's verdict on an event for `version`, or undefined when the event goes on: stale when the row
 * is at a newer version (a deletion's tombstone included); a duplicate when the row already holds this
 * writer's part (or a failure). A duplicate of an attempt that recorded its part but failed before
 * finalising finalises now: nobody else will (the other writer already tried, too early). The update is
 * conditional.
 */
export async function orderAgainstRow(
  row: ImageRow | undefined,
  version: SourceVersion,
  deps: UseCaseDeps,
  alreadyApplied: AlreadyApplied,
): Promise<Outcome | undefined> {
  if (row && row.seqKey > version.seqKey) {
    return { action: 'stale', reason: `row is at a newer ${row.status} version` };
  }
  if (row && row.seqKey === version.seqKey && alreadyApplied(row, version)) {
    if (row.status === 'pending')
      await deps.table.finalize(version.objectKey, version.seqKey, nowOf(deps).toISOString());
    return { action: 'duplicate', reason: 'this version is already on the row' };
  }
  return undefined;
}

/** What the event alone says is refused for good (variant keys too long, a declared size over the limit). */
function refuseBeforeDownload(
  version: SourceVersion,
  deps: UseCaseDeps,
  writer: Writer,
): DerivedKeyTooLongError | SourceTooLargeError | undefined {
  const tooLong =
    writer === 'variants' ? variantKeyTooLong(version.objectKey, deps.config.presets) : undefined;
  if (tooLong) {
    return new DerivedKeyTooLongError(
      `Expected variant keys of at most ${S3_MAX_KEY_BYTES} bytes but "${tooLong.name}" would need ${tooLong.bytes} (source key of ${Buffer.byteLength(version.objectKey)} bytes)`,
    );
  }
  const { maxBytes } = deps.config.limits;
  if (version.bytes !== undefined && version.bytes > maxBytes) {
    return new SourceTooLargeError(`Expected at most ${maxBytes} bytes but the object has ${version.bytes}`);
  }
  return undefined;
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
