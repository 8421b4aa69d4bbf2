import {
  EventBridgeSchema,
  S3EventNotificationEventBridgeSchema,
  S3Schema,
  S3SqsEventNotificationSchema,
} from '@aws-lambda-powertools/parser/schemas';
import { z } from 'zod';

/**
 * `detail.deletion-type` of an Object Deleted event: an unversioned delete (or the delete of a
 * specific version) is `Permanently Deleted`; a delete on a versioned bucket lays a delete marker.
 */
export const DELETION_TYPES = ['Permanently Deleted', 'Delete Marker Created'] as const;
export type DeletionType = (typeof DELETION_TYPES)[number];

/** S3's `deletion-type` on an Object Deleted event; another value is an invalid event. */
export const DeletionTypeSchema = z.enum(DELETION_TYPES);

/**
 * S3 → EventBridge → Lambda: the production path (`Object Created` / `Object Deleted`). AWS's schema
 * with `deletion-type` narrowed to the values S3 sends: whether a deletion is a delete marker or a
 * permanent deletion of one version decides whether the image is gone (see `isDeleteMarker`).
 */
export const EventBridgeS3EventSchema = S3EventNotificationEventBridgeSchema.extend({
  detail: S3EventNotificationEventBridgeSchema.shape.detail.extend({
    'deletion-type': DeletionTypeSchema.optional(),
  }),
});
export type EventBridgeS3Event = z.infer<typeof EventBridgeS3EventSchema>;

/** Classic S3 event notification (`Records[]` with `eventSource: aws:s3`). */
export const S3NotificationEventSchema = S3Schema;
export type S3NotificationEvent = z.infer<typeof S3NotificationEventSchema>;

/** S3 event notifications delivered through SQS (each body is a JSON S3 notification). */
export const SqsS3EventSchema = S3SqsEventNotificationSchema;
export type SqsS3Event = z.infer<typeof SqsS3EventSchema>;

/** EventBridge scheduler's `Scheduled Event`, which starts reconcile. */
export const ScheduledEventSchema = EventBridgeSchema.extend({
  'detail-type': z.literal('Scheduled Event'),
  source: z.literal('aws.events'),
});
export type ScheduledEvent = z.infer<typeof ScheduledEventSchema>;
