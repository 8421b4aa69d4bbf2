import {
  type EventBridgeS3Event,
  objectCreatedEvent,
  objectDeletedEvent,
  type ObjectCreatedReason,
} from '@imgpipe/core';

/**
 * The engine's one place that turns an S3 change into an event; the event itself is built by
 * `@imgpipe/core`'s builders, the same ones backfill, the CLI and the tests use.
 */

/** The S3 operations that produce events, as the edge names them. */
export type S3EventReason =
  'PutObject' | 'POST Object' | 'CopyObject' | 'CompleteMultipartUpload' | 'DeleteObject' | 'DeleteObjects';

/** AWS's `deletion-type`: a delete without a version id in a versioned bucket leaves a delete marker. */
export type S3DeletionType = 'Permanently Deleted' | 'Delete Marker Created';

/** An S3 event as EventBridge delivers it (`detail-type` "Object Created" / "Object Deleted"). */
export type S3EventBridgeEvent = EventBridgeS3Event;

export interface S3Change {
  readonly bucket: string;
  /** The decoded key. */
  readonly key: string;
  readonly reason: S3EventReason;
  readonly sequencer: string;
  readonly size?: number;
  readonly etag?: string;
  readonly requestId?: string;
  readonly sourceIp?: string;
  /** The version written or deleted (or the delete marker's), in a versioned bucket. */
  readonly versionId?: string;
  /** For deletions; absent means a plain DELETE in a versioned bucket: 'Delete Marker Created'. */
  readonly deletionType?: S3DeletionType;
}

const CREATED: ReadonlySet<S3EventReason> = new Set<S3EventReason>([
  'PutObject',
  'POST Object',
  'CopyObject',
  'CompleteMultipartUpload',
]);

/** Builds the EventBridge event of one S3 change (a multi-object delete is one `DeleteObject` per key, as S3 reports it). */
export function s3Event(change: S3Change, now = new Date()): S3EventBridgeEvent {
  const common = {
    bucket: change.bucket,
    key: change.key,
    sequencer: change.sequencer,
    time: now,
    ...(change.requestId ? { requestId: change.requestId } : {}),
    ...(change.sourceIp ? { sourceIp: change.sourceIp } : {}),
    ...(change.versionId === undefined ? {} : { versionId: change.versionId }),
  };
  if (CREATED.has(change.reason))
    return objectCreatedEvent({
      ...common,
      size: change.size ?? 0,
      etag: change.etag ?? '',
      reason: change.reason as ObjectCreatedReason,
    });
  // The local source bucket is versioned as on AWS: a plain DELETE creates a delete marker (which the
  // Object Deleted rule matches); deleting a version, or in an unversioned bucket, is permanent.
  return objectDeletedEvent({
    ...common,
    reason: 'DeleteObject',
    deletionType: change.deletionType ?? 'Delete Marker Created',
  });
}
