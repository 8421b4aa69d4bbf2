import { randomUUID } from 'node:crypto';

/** The S3 operations that produce events. */
export type S3EventReason =
  'PutObject' | 'PostObject' | 'CopyObject' | 'CompleteMultipartUpload' | 'DeleteObject' | 'DeleteObjects';

/** AWS's `deletion-type`: a delete without a version id in a versioned bucket leaves a delete marker. */
export type S3DeletionType = 'Permanently Deleted' | 'Delete Marker Created';

/** An S3 event as EventBridge delivers it (`detail-type` "Object Created" / "Object Deleted"). */
export interface S3EventBridgeEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': 'Object Created' | 'Object Deleted';
  readonly source: 'aws.s3';
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: {
    readonly version: '0';
    readonly bucket: { readonly name: string };
    readonly object: {
      readonly key: string;
      readonly size?: number;
      readonly etag?: string;
      readonly sequencer: string;
      readonly 'version-id'?: string;
    };
    readonly 'request-id': string;
    readonly requester: string;
    readonly 'source-ip-address': string;
    readonly reason: S3EventReason;
    readonly 'deletion-type'?: S3DeletionType;
  };
}

export const LOCAL_ACCOUNT = '000000000000';
export const LOCAL_REGION = 'us-east-1';

/**
 * Encodes a key the way S3 puts it in event notifications: form-URL-encoding, so a space becomes `+`.
 * @example encodeEventKey('my photos/a+b.jpg') // 'my+photos/a%2Bb.jpg'
 */
export function encodeEventKey(key: string): string {
  return encodeURIComponent(key)
    .replace(/%2F/g, '/')
    .replace(/%20/g, '+')
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export interface S3Change {
  readonly bucket: string;
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

/** Builds the EventBridge-shaped event of one S3 change. */
export function s3Event(change: S3Change, now = new Date()): S3EventBridgeEvent {
  const created =
    change.reason === 'PutObject' ||
    change.reason === 'PostObject' ||
    change.reason === 'CopyObject' ||
    change.reason === 'CompleteMultipartUpload';
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': created ? 'Object Created' : 'Object Deleted',
    source: 'aws.s3',
    account: LOCAL_ACCOUNT,
    time: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: LOCAL_REGION,
    resources: [`arn:aws:s3:::${change.bucket}`],
    detail: {
      version: '0',
      bucket: { name: change.bucket },
      object: {
        key: encodeEventKey(change.key),
        ...(created ? { size: change.size ?? 0, etag: (change.etag ?? '').replace(/"/g, '') } : {}),
        ...(change.versionId === undefined ? {} : { 'version-id': change.versionId }),
        sequencer: change.sequencer,
      },
      'request-id': change.requestId ?? randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase(),
      requester: LOCAL_ACCOUNT,
      'source-ip-address': change.sourceIp ?? '127.0.0.1',
      reason: change.reason,
      // The local source bucket is versioned as on AWS: a plain DELETE creates a delete marker (which the
      // Object Deleted rule matches); deleting a version, or in an unversioned bucket, is permanent.
      ...(created ? {} : { 'deletion-type': change.deletionType ?? 'Delete Marker Created' }),
    },
  };
}
