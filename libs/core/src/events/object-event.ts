import type { z } from 'zod';
import { InvalidEventError } from '../errors';
import { seqKey } from '../sequencer';
import type { DeletionType } from './schemas';
import { decodeS3Key } from './key';
import {
  EventBridgeS3EventSchema,
  S3NotificationEventSchema,
  ScheduledEventSchema,
  SqsS3EventSchema,
  type EventBridgeS3Event,
  type S3NotificationEvent,
  type ScheduledEvent,
} from './schemas';

/** Every accepted event shape, normalised: one change to one object. */
export interface ObjectEvent {
  readonly kind: 'created' | 'deleted';
  readonly bucket: string;
  /** Decoded key, as stored in S3. */
  readonly key: string;
  readonly size?: number;
  /** Without quotes. */
  readonly etag?: string;
  readonly versionId?: string;
  readonly sequencer: string;
  readonly eventTime: string;
  /** Where the event came from; `reconcile` for the repairs reconcile makes. */
  readonly source: 'eventbridge' | 's3-notification' | 'sqs' | 'reconcile';
  /**
   * Deletions only, as S3 reports it: a delete marker hid the object (`Delete Marker Created`), or a
   * version (perhaps an old one of a versioned bucket) is gone for good (`Permanently Deleted`).
   */
  readonly deletionType?: DeletionType;
  /** What caused the event, as S3 reports it (`PutObject`, `DeleteObject`, `Lifecycle Expiration`, ...). */
  readonly reason?: string;
}

/**
 * Whether a deletion event by itself proves the object is gone: only a delete marker does. A
 * permanent deletion may be of an old version (a lifecycle rule expiring the previous version of an
 * overwritten image) while the current one lives on, so the use cases check with a HEAD first.
 * @example isDeleteMarker({ kind: 'deleted', deletionType: 'Delete Marker Created', ... }) // true
 */
export function isDeleteMarker(event: Pick<ObjectEvent, 'kind' | 'deletionType'>): boolean {
  return event.kind === 'deleted' && event.deletionType === 'Delete Marker Created';
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}

function parseWith<T>(schema: z.ZodType<T>, event: unknown, what: string): T {
  const result = schema.safeParse(event);
  if (!result.success) {
    throw new InvalidEventError(
      `Expected ${what} but the event does not match: ${describeIssues(result.error)}`,
      {
        cause: result.error,
      },
    );
  }
  return result.data;
}

function requireSequencer(sequencer: string | undefined, key: string): string {
  if (!sequencer)
    throw new InvalidEventError(`Expected a sequencer on the event for "${key}" but it has none`);
  seqKey(sequencer); // validates hex
  return sequencer;
}

function stripQuotes(etag: string | undefined): string | undefined {
  return etag === undefined ? undefined : etag.replace(/^"|"$/g, '');
}

function fromEventBridge(event: EventBridgeS3Event): ObjectEvent {
  const detailType = event['detail-type'];
  if (detailType !== 'Object Created' && detailType !== 'Object Deleted') {
    throw new InvalidEventError(
      `Expected detail-type "Object Created" or "Object Deleted" but received "${detailType}"`,
    );
  }
  const { object, bucket } = event.detail;
  const key = decodeS3Key(object.key);
  const kind = detailType === 'Object Created' ? 'created' : 'deleted';
  const deletionType = event.detail['deletion-type'];
  const reason = event.detail.reason;
  return {
    kind,
    bucket: bucket.name,
    key,
    ...(object.size !== undefined ? { size: object.size } : {}),
    ...(object.etag !== undefined ? { etag: stripQuotes(object.etag) } : {}),
    ...(object['version-id'] !== undefined ? { versionId: object['version-id'] } : {}),
    sequencer: requireSequencer(object.sequencer, key),
    eventTime: event.time,
    source: 'eventbridge',
    ...(kind === 'deleted' && deletionType !== undefined ? { deletionType } : {}),
    ...(reason !== undefined ? { reason } : {}),
  };
}

/** `ObjectRemoved:DeleteMarkerCreated` → a delete marker; `ObjectRemoved:Delete` (and lifecycle's) → permanent. */
function recordDeletionType(eventName: string): DeletionType | undefined {
  if (!eventName.startsWith('ObjectRemoved:') && !eventName.startsWith('LifecycleExpiration:'))
    return undefined;
  return eventName.endsWith(':DeleteMarkerCreated') ? 'Delete Marker Created' : 'Permanently Deleted';
}

function fromRecords(event: S3NotificationEvent, source: ObjectEvent['source']): ObjectEvent[] {
  return event.Records.map((record) => {
    const name = record.eventName;
    const deletionType = recordDeletionType(name);
    const kind = name.startsWith('ObjectCreated:') ? 'created' : deletionType ? 'deleted' : undefined;
    if (!kind) {
      throw new InvalidEventError(
        `Expected an ObjectCreated:*, ObjectRemoved:* or LifecycleExpiration:* record but received "${name}"`,
      );
    }
    const { object, bucket } = record.s3;
    const key = decodeS3Key(object.key);
    return {
      kind,
      bucket: bucket.name,
      key,
      ...(object.size !== undefined && kind === 'created' ? { size: object.size } : {}),
      ...(object.eTag !== undefined ? { etag: stripQuotes(object.eTag) } : {}),
      ...(object.versionId !== undefined ? { versionId: object.versionId } : {}),
      sequencer: requireSequencer(object.sequencer, key),
      eventTime: record.eventTime,
      source,
      ...(deletionType ? { deletionType } : {}),
    } satisfies ObjectEvent;
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses any accepted S3 event shape into normalised {@link ObjectEvent}s (a batch may hold many).
 * Shapes: EventBridge S3 event, S3 notification (`Records` with `aws:s3`), SQS-wrapped notifications.
 * Anything else throws {@link InvalidEventError} saying what was expected.
 * @example parseObjectEvents(eventBridgeEvent) // [{ kind: 'created', key: 'red flower.jpg', ... }]
 */
export function parseObjectEvents(event: unknown): ObjectEvent[] {
  if (!isRecord(event)) {
    throw new InvalidEventError(
      `Expected an S3 event object but received ${Array.isArray(event) ? 'an array' : typeof event}`,
    );
  }
  if ('detail-type' in event) {
    return [fromEventBridge(parseWith(EventBridgeS3EventSchema, event, 'an EventBridge S3 event'))];
  }
  const records = event['Records'];
  if (Array.isArray(records) && records.length > 0) {
    const first: unknown = records[0];
    const eventSource = isRecord(first) ? (first['eventSource'] ?? first['EventSource']) : undefined;
    if (eventSource === 'aws:sqs') {
      const parsed = parseWith(SqsS3EventSchema, event, 'SQS records wrapping S3 notifications');
      return parsed.Records.flatMap((record) => fromRecords(record.body, 'sqs'));
    }
    if (eventSource === 'aws:s3') {
      return fromRecords(
        parseWith(S3NotificationEventSchema, event, 'an S3 event notification'),
        's3-notification',
      );
    }
  }
  throw new InvalidEventError(
    'Expected an EventBridge S3 event, an S3 event notification or SQS records wrapping S3 notifications, ' +
      `but received an object with keys [${Object.keys(event).slice(0, 10).join(', ')}]`,
  );
}

/**
 * Parses the EventBridge `Scheduled Event` that starts reconcile.
 * @example parseScheduledEvent({ 'detail-type': 'Scheduled Event', source: 'aws.events', ... })
 */
export function parseScheduledEvent(event: unknown): ScheduledEvent {
  return parseWith(ScheduledEventSchema, event, 'an EventBridge Scheduled Event');
}
