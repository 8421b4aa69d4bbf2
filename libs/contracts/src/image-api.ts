import * as z from 'zod';

/**
 * The image API (docs/contract.md "The image API"): request bodies and query strings the `api` function
 * parses, and the bodies it answers, which clients (the console, the contract tests) parse.
 */

/**
 * The stable codes of the image API's error bodies, with the HTTP status each answers:
 * 400 `INVALID_JSON`, `VALIDATION_FAILED`, `INVALID_ID`, `INVALID_CURSOR`, `UNSUPPORTED_CONTENT_TYPE`,
 * `TOO_LARGE`; 401 `UNAUTHORIZED`; 403 `FORBIDDEN`; 404 `NOT_FOUND`; 405 `METHOD_NOT_ALLOWED`;
 * 500 `INTERNAL`.
 */
export const API_ERROR_CODES = [
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'INVALID_JSON',
  'VALIDATION_FAILED',
  'INVALID_ID',
  'INVALID_CURSOR',
  'UNSUPPORTED_CONTENT_TYPE',
  'TOO_LARGE',
  'INTERNAL',
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

export const API_ERROR_STATUS: Readonly<Record<ApiErrorCode, number>> = {
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  INVALID_JSON: 400,
  VALIDATION_FAILED: 400,
  INVALID_ID: 400,
  INVALID_CURSOR: 400,
  UNSUPPORTED_CONTENT_TYPE: 400,
  TOO_LARGE: 400,
  INTERNAL: 500,
};

/** `{"error":{"code","message"}}` with one of the image API's codes. */
export const ApiErrorBodySchema = z.strictObject({
  error: z.strictObject({ code: z.enum(API_ERROR_CODES), message: z.string() }),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBodySchema>;

/** An image's id: the base64url (no padding) of its source key. A path id that fails it is 400 `INVALID_ID`. */
export const ImageIdSchema = z.string().regex(/^[A-Za-z0-9_-]+$/, 'Expected base64url without padding');

/**
 * The id of a source key: the base64url (no padding) of its UTF-8 bytes. Browser-safe, so the API's use
 * cases and the console name an image the same way.
 * @example imageId('u/alice/cat.jpg') // 'dS9hbGljZS9jYXQuanBn'
 */
export function imageId(key: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(key)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** `POST /v1/uploads` body. Unknown fields are refused. */
export const CreateUploadRequestSchema = z.strictObject({
  /** One path segment: the object lands at `u/<sub>/<filename>`. */
  filename: z.string().min(1),
  contentType: z.string().min(1),
  /** The exact size the client will send; the policy refuses anything larger. */
  bytes: z.number().int().positive(),
});
export type CreateUploadRequest = z.infer<typeof CreateUploadRequestSchema>;

/** `POST /v1/uploads` 201: a presigned POST. Send every field of `fields`, then `file`, to `upload.url`. */
export const CreateUploadResponseSchema = z.strictObject({
  id: ImageIdSchema,
  key: z.string().min(1),
  upload: z.strictObject({ url: z.url(), fields: z.record(z.string(), z.string()) }),
  expiresAt: z.iso.datetime(),
});
export type CreateUploadResponse = z.infer<typeof CreateUploadResponseSchema>;

export const IMAGE_STATUSES = ['pending', 'ready', 'failed', 'deleted'] as const;
export const ImageStatusSchema = z.enum(IMAGE_STATUSES);
export type ImageStatus = z.infer<typeof ImageStatusSchema>;

/** One variant, served by the CDN at a versioned URL that changes whenever its bytes change. */
export const ImageVariantSchema = z.strictObject({
  name: z.string().min(1),
  format: z.string().min(1),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  bytes: z.number().int().nonnegative(),
  url: z.url(),
});
export type ImageVariant = z.infer<typeof ImageVariantSchema>;

/** `GET /v1/images/{id}` 200, and each item of a listing. Fields unknown yet are `null`. */
export const ImageSchema = z.strictObject({
  id: ImageIdSchema,
  key: z.string().min(1),
  status: ImageStatusSchema,
  format: z.string().nullable(),
  width: z.number().int().positive().nullable(),
  height: z.number().int().positive().nullable(),
  bytes: z.number().int().nonnegative().nullable(),
  metadata: z.record(z.string(), z.unknown()).nullable(),
  /** A ThumbHash (base64) to show while the thumbnail loads. */
  placeholder: z.string().nullable(),
  error: z.strictObject({ code: z.string().min(1), message: z.string() }).nullable(),
  variants: z.array(ImageVariantSchema),
  /** ISO-8601 time of the row's last change (`null` while `pending` without a row). */
  updatedAt: z.iso.datetime().nullable(),
});
export type Image = z.infer<typeof ImageSchema>;

export const LIST_LIMIT_DEFAULT = 50;
export const LIST_LIMIT_MAX = 100;

/**
 * `GET /v1/images` query string. `prefix` defaults to the caller's `u/<sub>/`; without `status`, every
 * status but `deleted` is listed in key order; with it, that status newest first.
 */
export const ListImagesQuerySchema = z.strictObject({
  prefix: z.string().max(1024).optional(),
  status: ImageStatusSchema.optional(),
  limit: z.coerce.number().int().min(1).max(LIST_LIMIT_MAX).default(LIST_LIMIT_DEFAULT),
  cursor: z.string().min(1).max(4096).optional(),
});
export type ListImagesQuery = z.infer<typeof ListImagesQuerySchema>;

/** `GET /v1/images` 200. `nextCursor` is opaque; `null` on the last page. */
export const ListImagesResponseSchema = z.strictObject({
  items: z.array(ImageSchema),
  nextCursor: z.string().min(1).nullable(),
});
export type ListImagesResponse = z.infer<typeof ListImagesResponseSchema>;

/** `DELETE /v1/images/{id}` 202: the source object is gone; the pipeline removes the rest. */
export const DeleteImageResponseSchema = z.strictObject({ id: ImageIdSchema, key: z.string().min(1) });
export type DeleteImageResponse = z.infer<typeof DeleteImageResponseSchema>;

/** `GET /v1/health` 200 (no auth). */
export const HealthResponseSchema = z.strictObject({ status: z.literal('ok') });
export type HealthResponse = z.infer<typeof HealthResponseSchema>;
