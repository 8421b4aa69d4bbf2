export {
  eventBridgeTime,
  LOCAL_ACCOUNT,
  LOCAL_REGION,
  objectCreatedEvent,
  objectCreatedRecord,
  objectDeletedEvent,
  S3_EVENT_REASONS,
  scheduledEvent,
  type EnvelopeOptions,
  type ObjectCreatedInput,
  type ObjectCreatedReason,
  type ObjectDeletedInput,
  type ObjectDeletedReason,
  type ScheduledEventInput,
} from './build';
export { decodeS3Key, encodeS3Key } from './key';
export { isDeleteMarker, parseObjectEvents, parseScheduledEvent, type ObjectEvent } from './object-event';
export {
  DELETION_TYPES,
  DeletionTypeSchema,
  EventBridgeS3EventSchema,
  S3NotificationEventSchema,
  ScheduledEventSchema,
  SqsS3EventSchema,
  type DeletionType,
  type EventBridgeS3Event,
  type S3NotificationEvent,
  type ScheduledEvent,
  type SqsS3Event,
} from './schemas';
