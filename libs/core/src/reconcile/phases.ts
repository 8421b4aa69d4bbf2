import { derivedKey, ownerPrefixOf, ownerStatusKey } from '@imgpipe/pipeline';
import type { ObjectEvent } from '../events';
import { syncMetadata } from '../metadata';
import type { DeleteTarget, StoredObject } from '../ports';
import { resizeObject } from '../resize';
import type { ImageRow } from '../row';
import { RECONCILE_BASE_SEQUENCER, seqKey, sequencerAfter } from '../sequencer';
import { nowOf } from '../deps';
import { tombstoneExpiry } from '../tombstone';
import { removeVariants, VARIANT_METADATA, variantSeqKeyOf } from '../variant-files';
import type { ReconcileDeps, ReconcileReport } from './types';
import { CDN_RESERVED_KEYS } from '@imgpipe/pipeline';

/**
 * The sequencer reconcile repairs with. No row: all zeros, which every real event beats. A row
 * describing another version (a lost event) or a tombstone of a key that exists again: just after
 * the row's, so the repair applies yet any later real event still wins.
 */
function repairSequencer(
  row: ImageRow | undefined,
  object: StoredObject,
): { sequencer: string; newVersion: boolean } {
  if (!row) return { sequencer: RECONCILE_BASE_SEQUENCER, newVersion: true };
  if (row.status === 'deleted' || row.etag !== object.etag) {
    return { sequencer: sequencerAfter(row.sequencer), newVersion: true };
  }
  return { sequencer: row.sequencer, newVersion: false };
}

/**
 * The sequencer to repair a new version with, from its variant files (one HEAD per preset, on repairs
 * only): the files only move forward, so a repair at `fallback` could not replace files a real event's
 * resize stored with a newer sequencer and never recorded (it crashed, then its event was exhausted).
 * - The newest file comes from this very object (`source-etag` is its ETag): repair at that file's
 *   sequencer, the real one.
 * - It comes from another object: a version this object replaced, whose row write and this object's
 *   events were lost. Repair just after it, so the repair can replace those files while this object's
 *   real event, should it still come, is newer still. Should this object itself have been replaced
 *   since it was listed, the repair's download (If-Match on its ETag) refuses it as stale.
 */
async function filesSequencer(deps: ReconcileDeps, object: StoredObject, fallback: string): Promise<string> {
  const { presets, derivedBucket } = deps.config;
  const files = await Promise.all(
    presets.map((p) => deps.objects.head(derivedBucket, derivedKey(object.key, p))),
  );
  let newest: { seqKey: string; sequencer: string; sourceEtag: string | undefined } | undefined;
  for (const file of files) {
    const theirs = file && variantSeqKeyOf(file);
    const sequencer = file?.metadata?.[VARIANT_METADATA.sourceSequencer];
    if (theirs === undefined || sequencer === undefined) continue;
    if (!newest || theirs > newest.seqKey)
      newest = { seqKey: theirs, sequencer, sourceEtag: file?.metadata?.[VARIANT_METADATA.sourceEtag] };
  }
  if (!newest || newest.seqKey <= seqKey(fallback)) return fallback;
  return newest.sourceEtag === object.etag ? newest.sequencer : sequencerAfter(newest.sequencer);
}

async function variantsMissing(
  deps: ReconcileDeps,
  key: string,
): Promise<{ missing: boolean; extra: DeleteTarget[] }> {
  const expected = new Set(deps.config.presets.map((p) => derivedKey(key, p)));
  const page = await deps.objects.list(deps.config.derivedBucket, { prefix: `${key}/`, delimiter: '/' });
  const present = new Set(page.objects.map((o) => o.key));
  return {
    missing: [...expected].some((k) => !present.has(k)),
    // Conditioned on the listed ETag: a file written since the listing stays.
    extra: page.objects.filter((o) => !expected.has(o.key)).map((o) => ({ key: o.key, etag: o.etag })),
  };
}

/** Checks one source object against its row and variants and repairs what differs. */
export async function reconcileObject(
  deps: ReconcileDeps,
  object: StoredObject,
  row: ImageRow | undefined,
  report: ReconcileReport,
): Promise<void> {
  const { config } = deps;
  const repair = repairSequencer(row, object);
  const { newVersion } = repair;
  const sequencer = newVersion ? await filesSequencer(deps, object, repair.sequencer) : repair.sequencer;
  const event: ObjectEvent = {
    kind: 'created',
    bucket: config.sourceBucket,
    key: object.key,
    size: object.size,
    etag: object.etag,
    sequencer,
    eventTime: nowOf(deps).toISOString(),
    source: 'reconcile',
  };
  if (row && !newVersion && row.status === 'failed') {
    // Permanent: nothing to re-render. Variants resize wrote before metadata-sync found the input
    // unusable (metadata-sync may not write the derived bucket) are removed here.
    const failedAt = row.seqKey;
    report.orphansRemoved += await removeVariants(
      deps.objects,
      config.derivedBucket,
      object.key,
      (k) => !k || k <= failedAt,
    );
    return;
  }
  const rowKey = row?.seqKey;
  const needsMeta = newVersion || row?.metaSeqKey !== rowKey;
  let needsVariants = newVersion || row?.variantsSeqKey !== rowKey || row?.presetsHash !== config.presetsHash;
  let force = false;
  if (!needsVariants) {
    const { missing, extra } = await variantsMissing(deps, object.key);
    if (extra.length > 0) {
      const { refused } = await deps.objects.deleteMany(config.derivedBucket, extra);
      report.orphansRemoved += extra.length - refused.length;
    }
    if (missing) {
      needsVariants = true;
      force = true;
    }
  }
  if (needsMeta) {
    const outcome = await syncMetadata(event, deps);
    if (outcome.action === 'applied' || outcome.action === 'failed') report.rowsRepaired += 1;
  }
  if (needsVariants) {
    const outcome = await resizeObject(event, deps, { force });
    if (outcome.action === 'applied') report.rendered += 1;
  }
  if (!needsMeta && !needsVariants && row?.status === 'pending' && rowKey) {
    if (await deps.table.finalize(object.key, rowKey, nowOf(deps).toISOString())) report.rowsRepaired += 1;
  }
}

/** One page of the source bucket. Returns the continuation token, or undefined at the end. */
export async function sourcePage(deps: ReconcileDeps, token: string | undefined, report: ReconcileReport) {
  const page = await deps.objects.list(deps.config.sourceBucket, {
    maxKeys: deps.config.reconcilePageSize,
    ...(token ? { continuationToken: token } : {}),
  });
  const rows = await deps.table.batchGet(page.objects.map((o) => o.key));
  for (const object of page.objects) {
    report.scanned += 1;
    await reconcileObject(deps, object, rows.get(object.key), report);
  }
  return page.nextToken;
}

/** One page of the derived bucket: variants whose source object is gone are orphans. */
export async function derivedPage(deps: ReconcileDeps, token: string | undefined, report: ReconcileReport) {
  const { config, objects } = deps;
  const page = await objects.list(config.derivedBucket, {
    maxKeys: config.reconcilePageSize,
    ...(token ? { continuationToken: token } : {}),
  });
  const bySource = new Map<string, DeleteTarget[]>();
  for (const object of page.objects) {
    report.scanned += 1;
    // The CDN's own objects (its 404 body) have no source and are no orphans.
    if (CDN_RESERVED_KEYS.includes(object.key)) continue;
    const slash = object.key.lastIndexOf('/');
    const source = slash > 0 ? object.key.slice(0, slash) : '';
    // Conditioned on the listed ETag: a file written since the listing (its source is back) stays.
    bySource.set(source, [...(bySource.get(source) ?? []), { key: object.key, etag: object.etag }]);
  }
  const orphans: DeleteTarget[] = [];
  for (const [source, keys] of bySource) {
    const exists = source !== '' && (await objects.head(config.sourceBucket, source)) !== undefined;
    if (!exists) orphans.push(...keys);
  }
  if (orphans.length > 0) {
    const { refused } = await objects.deleteMany(config.derivedBucket, orphans);
    report.orphansRemoved += orphans.length - refused.length;
  }
  return page.nextToken;
}

/** True when a row lacks the listing indexes' keys (written before them) or carries stale ones. */
function lacksIndexKeys(row: ImageRow): boolean {
  const owner = ownerPrefixOf(row.objectKey);
  return row.ownerPrefix !== owner || row.ownerStatus !== ownerStatusKey(owner, row.status);
}

/**
 * One page of rows: a live row whose source is gone becomes a tombstone; a row without the listing
 * indexes' keys gets them (the one-off backfill, resumable through reconcile's checkpoint).
 */
export async function rowsPage(deps: ReconcileDeps, cursor: string | undefined, report: ReconcileReport) {
  const { config, objects, table } = deps;
  const page = await table.scan({ limit: config.reconcilePageSize, ...(cursor ? { cursor } : {}) });
  for (const row of page.rows) {
    report.scanned += 1;
    if (lacksIndexKeys(row) && (await table.writeIndexKeys(row.objectKey, row.status)))
      report.rowsRepaired += 1;
    if (row.status === 'deleted') continue;
    if ((await objects.head(config.sourceBucket, row.objectKey)) !== undefined) continue;
    const sequencer = sequencerAfter(row.sequencer);
    const now = nowOf(deps);
    const result = await table.writeTombstone(
      { objectKey: row.objectKey, bucket: row.bucket, sequencer, seqKey: seqKey(sequencer) },
      now.toISOString(),
      tombstoneExpiry(now, config.tombstoneTtlDays),
    );
    if (result === 'applied') {
      report.tombstoned += 1;
      report.orphansRemoved += await removeVariants(
        objects,
        config.derivedBucket,
        row.objectKey,
        (k) => !k || k <= seqKey(sequencer),
      );
    }
  }
  return page.cursor;
}
