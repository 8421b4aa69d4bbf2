/**
 * The seams of imgpipe: one zod schema per shape that crosses a process boundary. Producers type their
 * output from these schemas; consumers parse with them. Browser-safe: zod only.
 */
export { ErrorBodySchema, type ErrorBody } from './error-body';
export {
  API_ERROR_CODES,
  API_ERROR_STATUS,
  ApiErrorBodySchema,
  CreateUploadRequestSchema,
  CreateUploadResponseSchema,
  DeleteImageResponseSchema,
  HealthResponseSchema,
  IMAGE_STATUSES,
  ImageIdSchema,
  ImageSchema,
  ImageStatusSchema,
  ImageVariantSchema,
  LIST_LIMIT_DEFAULT,
  LIST_LIMIT_MAX,
  ListImagesQuerySchema,
  ListImagesResponseSchema,
  type ApiErrorBody,
  type ApiErrorCode,
  type CreateUploadRequest,
  type CreateUploadResponse,
  type DeleteImageResponse,
  type HealthResponse,
  type Image,
  type ImageStatus,
  type ImageVariant,
  type ListImagesQuery,
  type ListImagesResponse,
  imageId,
} from './image-api';
export {
  LOCAL_TOKEN_DEFAULTS,
  LOCAL_TOKEN_SCOPES,
  LocalTokenRequestSchema,
  LocalTokenResponseSchema,
  type LocalTokenRequest,
  type LocalTokenResponse,
} from './local-token';
export { LOCAL_API_ERROR_CODES, type LocalApiErrorCode } from './local-api/errors';
export {
  ExifSchema,
  IMAGES_LIMIT_DEFAULT,
  IMAGES_LIMIT_MAX,
  ImagePageSchema,
  ImagesQuerySchema,
  ROW_STATUSES,
  RowErrorSchema,
  RowMetadataSchema,
  RowSchema,
  RowStatusSchema,
  RowVariantSchema,
  type Exif,
  type ImagePage,
  type ImagePageInput,
  type ImagesQuery,
  type ImagesQueryInput,
  type Row,
  type RowInput,
  type RowMetadata,
  type RowStatus,
  type RowVariant,
} from './local-api/rows';
export {
  FUNCTION_KINDS,
  FunctionKindSchema,
  FunctionMetricsSchema,
  MetricsSchema,
  ScheduleSchema,
  SeriesPointSchema,
  type FunctionKind,
  type FunctionMetrics,
  type Metrics,
  type Schedule,
  type SeriesPoint,
} from './local-api/metrics';
export {
  DlqItemSchema,
  DlqListSchema,
  RedriveRequestSchema,
  RedriveResponseSchema,
  type DlqItem,
  type DlqList,
  type RedriveRequest,
  type RedriveResponse,
} from './local-api/dlq';
export { HealthSchema, STACK_STATUSES, type Health } from './local-api/health';
export {
  InvocationEventSchema,
  STREAM_EVENT_NAMES,
  STREAM_EVENT_SCHEMAS,
  StreamEventNameSchema,
  StreamEventSchema,
  type InvocationEvent,
  type StreamEvent,
  type StreamEventData,
  type StreamEventName,
} from './local-api/stream';
export {
  ReconcileCheckpointSchema,
  ReconcileReportSchema,
  type ReconcileReport,
} from './local-api/reconcile';
export {
  DEPLOYED_OUTPUTS,
  DeployedNamesSchema,
  TerraformOutputSchema,
  TerraformOutputsSchema,
  type DeployedNames,
  type DeployedOutputName,
} from './local-api/outputs';
