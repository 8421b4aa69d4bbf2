// The core's public API, by name: what adapters implement (ports), what handlers call (use cases),
// what event makers and readers share (events, sequencers). Steps inside the use cases stay internal.
export { deletionReference, variantsPath, type CdnCache } from './cdn-cache';
export { hashPresets, readConfig, type PipelineConfig } from './config';
export type { UseCaseDeps } from './deps';
export {
  classifyFailure,
  ConfigError,
  DerivedKeyTooLongError,
  InvalidEventError,
  isPermanentImageError,
  isRetryable,
  PERMANENT_IMAGE_CODES,
  PipelineError,
  SourceTooLargeError,
  VariantWriteConflictError,
  type FailureClass,
  type FailureRecord,
  type PermanentImageCode,
} from './errors';
export {
  decodeS3Key,
  DELETION_TYPES,
  encodeS3Key,
  EventBridgeS3EventSchema,
  eventBridgeTime,
  LOCAL_ACCOUNT,
  LOCAL_REGION,
  objectCreatedEvent,
  objectCreatedRecord,
  DeletionTypeSchema,
  isDeleteMarker,
  objectDeletedEvent,
  parseObjectEvents,
  parseScheduledEvent,
  S3_EVENT_REASONS,
  S3NotificationEventSchema,
  scheduledEvent,
  ScheduledEventSchema,
  SqsS3EventSchema,
  type DeletionType,
  type EnvelopeOptions,
  type EventBridgeS3Event,
  type ObjectCreatedInput,
  type ObjectCreatedReason,
  type ObjectDeletedInput,
  type ObjectDeletedReason,
  type ObjectEvent,
  type S3NotificationEvent,
  type ScheduledEvent,
  type ScheduledEventInput,
  type SqsS3Event,
} from './events';
export { versionOf } from './guard';
export { syncMetadata } from './metadata';
export type { Outcome } from './outcome';
export {
  NO_TELEMETRY,
  type Checkpoint,
  type ControlTable,
  type DeleteResult,
  type DeleteTarget,
  type ImageProcessor,
  type ImageTable,
  type ListOptions,
  type ListPage,
  type MetadataFields,
  type ObjectStore,
  type PutCondition,
  type PutOptions,
  type StoredObject,
  type Telemetry,
  type VariantFields,
} from './ports';
export { reconcile, type ReconcileDeps, type ReconcileReport } from './reconcile';
export { resizeObject, type ResizeOptions } from './resize';
export type {
  ImageRow,
  PartWriteOutcome,
  RowStatus,
  SourceVersion,
  UnreadPartWrite,
  VariantRecord,
  WriteOutcome,
  Writer,
} from './row';
export {
  compareSequencers,
  RECONCILE_BASE_SEQUENCER,
  SEQ_KEY_WIDTH,
  seqKey,
  sequencerAfter,
} from './sequencer';
export { S3_MAX_KEY_BYTES, VARIANT_METADATA, variantVersion } from './variant-files';
export {
  ApiError,
  callerFromClaims,
  cdnUrl,
  createUpload,
  CursorCodec,
  deleteImage,
  errorBody,
  getImage,
  imageOfRow,
  keyOfImageId,
  listImages,
  mayAccess,
  pendingImage,
  readApiConfig,
  requireScope,
  urlVersionOf,
  type ApiConfig,
  type ApiDeps,
  type Caller,
  type ImageIndex,
  type IndexKey,
  type IndexQuery,
  type PresignedPost,
  type PresignPostInput,
  type UploadSigner,
} from './api';
export { variantRequestDecision, type CdnDecision } from './cdn';
export { parseRenderRequest, renderOnMiss, type RenderRequest, type RenderResponse } from './render';
