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
} from './image-api';
export {
  LOCAL_TOKEN_DEFAULTS,
  LOCAL_TOKEN_SCOPES,
  LocalTokenRequestSchema,
  LocalTokenResponseSchema,
  type LocalTokenRequest,
  type LocalTokenResponse,
} from './local-token';
