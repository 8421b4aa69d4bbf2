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
  };
  if (CREATED.has(change.reason))
    return objectCreatedEvent({
      ...common,
      size: change.size ?? 0,
      etag: change.etag ?? '',
      reason: change.reason as ObjectCreatedReason,
    });
  // A plain DELETE on AWS's versioned source bucket creates a delete marker, and the Object Deleted
  // rule matches only those; the local buckets keep no versions, so every delete is reported so.
  return objectDeletedEvent({ ...common, reason: 'DeleteObject', deletionType: 'Delete Marker Created' });
}
