import { randomUUID } from 'node:crypto';
import { encodeS3Key } from './key';
import type { DeletionType, EventBridgeS3Event, S3NotificationEvent, ScheduledEvent } from './schemas';

/**
 * Builders for the events AWS delivers to the functions, with every field AWS sends, so whatever
 * crafts an event (the local stack's router and scheduler, backfill, `reconcile now`, bench, tests)
 * makes exactly what the functions parse in production. Keys go in decoded and are encoded here.
 * Field lists: https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html
 */

/** The account the local stack and crafted events name when none is given. */
export const LOCAL_ACCOUNT = '000000000000';
/** The region the local stack and crafted events name when none is given. */
export const LOCAL_REGION = 'us-east-1';

/** The S3 operations EventBridge names in `detail.reason`, per detail-type. */
export const S3_EVENT_REASONS = {
  created: ['PutObject', 'POST Object', 'CopyObject', 'CompleteMultipartUpload'],
  deleted: ['DeleteObject', 'Lifecycle Expiration'],
} as const;
export type ObjectCreatedReason = (typeof S3_EVENT_REASONS.created)[number];
export type ObjectDeletedReason = (typeof S3_EVENT_REASONS.deleted)[number];

/** The envelope fields every EventBridge event has; all default to something sensible. */
export interface EnvelopeOptions {
  readonly id?: string;
  readonly account?: string;
  readonly region?: string;
  /** Defaults to now; written as EventBridge does, to the second (`2026-11-21T10:00:00Z`). */
  readonly time?: Date;
}

/** Who made the change, as S3 reports it. */
interface RequestOptions {
  /** Defaults to a random 16-character id. */
  readonly requestId?: string;
  /** Defaults to the account. */
  readonly requester?: string;
  /** An IPv4 address; defaults to `127.0.0.1`. */
  readonly sourceIp?: string;
}

export interface ObjectCreatedInput extends EnvelopeOptions, RequestOptions {
  readonly bucket: string;
  /** The decoded key, as stored in S3 (encoded here). */
  readonly key: string;
  readonly size: number;
  /** With or without quotes (S3 sends it without). */
  readonly etag: string;
  readonly sequencer: string;
  readonly versionId?: string;
  /** Defaults to `PutObject`. */
  readonly reason?: ObjectCreatedReason;
}

export interface ObjectDeletedInput extends EnvelopeOptions, RequestOptions {
  readonly bucket: string;
  /** The decoded key, as stored in S3 (encoded here). */
  readonly key: string;
  readonly sequencer: string;
  /** For a delete marker: the marker's version id. */
  readonly versionId?: string;
  /** S3 sends the ETag of the empty object on a delete marker; absent unless given. */
  readonly etag?: string;
  /** Defaults to `DeleteObject`. */
  readonly reason?: ObjectDeletedReason;
  /** Defaults to `Permanently Deleted` (an unversioned bucket, as the local stack's). */
  readonly deletionType?: DeletionType;
}

export interface ScheduledEventInput extends EnvelopeOptions {
  /** The rule's name; the event's `resources` name its ARN (empty when absent, as for a direct invoke). */
  readonly rule?: string;
}

/**
 * An event time as EventBridge writes it: ISO-8601 UTC to the second.
 * @example eventBridgeTime(new Date('2026-11-21T10:00:00.123Z')) // '2026-11-21T10:00:00Z'
 */
export function eventBridgeTime(time: Date): string {
  return time.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function envelope(options: EnvelopeOptions) {
  return {
    version: '0',
    id: options.id ?? randomUUID(),
    account: options.account ?? LOCAL_ACCOUNT,
    time: eventBridgeTime(options.time ?? new Date()),
    region: options.region ?? LOCAL_REGION,
  };
}

function request(options: RequestOptions & { readonly account?: string }) {
  return {
    'request-id': options.requestId ?? randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase(),
    requester: options.requester ?? options.account ?? LOCAL_ACCOUNT,
    'source-ip-address': options.sourceIp ?? '127.0.0.1',
  };
}

/**
 * The EventBridge `Object Created` event S3 sends for a new object (or a new version of one).
 * @example objectCreatedEvent({ bucket: 'imgpipe-source', key: 'my cat.jpg', size: 5, etag: 'b194…', sequencer: '0065A1' })
 */
export function objectCreatedEvent(input: ObjectCreatedInput): EventBridgeS3Event {
  const object = { size: input.size, etag: input.etag };
  return s3Event('Object Created', input, object, { reason: input.reason ?? 'PutObject' });
}

/**
 * The EventBridge `Object Deleted` event S3 sends for a deletion, with its `reason` and `deletion-type`.
 * @example objectDeletedEvent({ bucket: 'imgpipe-source', key: 'my cat.jpg', sequencer: '0065A2', deletionType: 'Delete Marker Created' })
 */
export function objectDeletedEvent(input: ObjectDeletedInput): EventBridgeS3Event {
  return s3Event('Object Deleted', input, input.etag !== undefined ? { etag: input.etag } : {}, {
    reason: input.reason ?? 'DeleteObject',
    'deletion-type': input.deletionType ?? 'Permanently Deleted',
  });
}

/** What both S3 events share; `object` adds size and ETag (unquoted here) between the key and the version. */
function s3Event(
  detailType: 'Object Created' | 'Object Deleted',
  input: ObjectDeletedInput | ObjectCreatedInput,
  object: { readonly size?: number; readonly etag?: string },
  outcome: {
    readonly reason: ObjectCreatedReason | ObjectDeletedReason;
    readonly 'deletion-type'?: DeletionType;
  },
): EventBridgeS3Event {
  return {
    ...envelope(input),
    'detail-type': detailType,
    source: 'aws.s3',
    resources: [`arn:aws:s3:::${input.bucket}`],
    detail: {
      version: '0',
      bucket: { name: input.bucket },
      object: {
        key: encodeS3Key(input.key),
        ...object,
        ...(object.etag !== undefined ? { etag: object.etag.replace(/"/g, '') } : {}),
        ...(input.versionId !== undefined ? { 'version-id': input.versionId } : {}),
        sequencer: input.sequencer,
      },
      ...request(input),
      ...outcome,
    },
  };
}

/** The `eventName` suffix of a classic notification record, per `reason`. */
const RECORD_EVENT_NAMES: Readonly<Record<ObjectCreatedReason, string>> = {
  PutObject: 'Put',
  'POST Object': 'Post',
  CopyObject: 'Copy',
  CompleteMultipartUpload: 'CompleteMultipartUpload',
};

/**
 * One record of the classic S3 event notification (`Records[]`, as S3 sends it to Lambda or SQS) for a
 * new object; the functions accept this shape beside EventBridge's.
 * @example { Records: [objectCreatedRecord({ bucket: 'imgpipe-source', key: 'my cat.jpg', size: 5, etag: 'b194…', sequencer: '0065A1' })] }
 */
export function objectCreatedRecord(input: ObjectCreatedInput): S3NotificationEvent['Records'][number] {
  const { id, account, region, time } = envelope(input);
  const who = request(input);
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: region,
    eventTime: new Date(time).toISOString(),
    eventName: `ObjectCreated:${RECORD_EVENT_NAMES[input.reason ?? 'PutObject']}`,
    userIdentity: { principalId: `AWS:${who.requester}` },
    requestParameters: { sourceIPAddress: who['source-ip-address'] },
    responseElements: { 'x-amz-request-id': who['request-id'], 'x-amz-id-2': id },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: 'imgpipe',
      bucket: {
        name: input.bucket,
        ownerIdentity: { principalId: account },
        arn: `arn:aws:s3:::${input.bucket}`,
      },
      object: {
        key: encodeS3Key(input.key),
        size: input.size,
        eTag: input.etag.replace(/"/g, ''),
        ...(input.versionId !== undefined ? { versionId: input.versionId } : {}),
        sequencer: input.sequencer,
      },
    },
  };
}

/**
 * The `Scheduled Event` an EventBridge rule sends its target (reconcile's schedule, "reconcile now").
 * @example scheduledEvent({ rule: 'imgpipe-reconcile', region: 'eu-west-1' })
 */
export function scheduledEvent(input: ScheduledEventInput = {}): ScheduledEvent {
  const base = envelope(input);
  return {
    ...base,
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    resources:
      input.rule === undefined ? [] : [`arn:aws:events:${base.region}:${base.account}:rule/${input.rule}`],
    detail: {},
  };
}
