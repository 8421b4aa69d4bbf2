import * as z from 'zod';

/**
 * Rows of the images table as `GET /_imgpipe/api/images[/<key>]` and the `row` stream event carry them:
 * the item as stored (docs/contract.md "What the pipeline does with an object"). Rows are persisted data,
 * so parsing strips what it does not name instead of refusing it: a row written by an older or newer
 * writer may carry attributes this version does not know, and a consumer still reads the ones it does.
 */

/** The statuses a row can have (`ls --status` and the console's filter offer these). */
export const ROW_STATUSES = ['pending', 'ready', 'failed', 'deleted'] as const;
export const RowStatusSchema = z.enum(ROW_STATUSES);
export type RowStatus = z.infer<typeof RowStatusSchema>;

const count = z.number().int().nonnegative();
const dimension = z.number().int().positive();

/** One variant as recorded on the row: `key` is its object in the derived bucket. */
export const RowVariantSchema = z.object({
  name: z.string().min(1),
  key: z.string().min(1),
  format: z.string().min(1),
  width: dimension,
  height: dimension,
  bytes: count,
  /** Hash of the variant's bytes (the `?v=` of its CDN URL); absent on rows older than the image API. */
  version: z.string().min(1).optional(),
});
export type RowVariant = z.infer<typeof RowVariantSchema>;

/** The EXIF subset metadata-sync keeps. */
export const ExifSchema = z.object({
  make: z.string().optional(),
  model: z.string().optional(),
  lens: z.string().optional(),
  /** ISO-8601 local date-time as the camera recorded it. */
  takenAt: z.string().optional(),
  /** Seconds. */
  exposureTime: z.number().optional(),
  fNumber: z.number().optional(),
  iso: z.number().optional(),
  /** Millimetres. */
  focalLength: z.number().optional(),
});
export type Exif = z.infer<typeof ExifSchema>;

/** The row's `metadata` map (metadata-sync): everything the image library reports but the top-level fields. */
export const RowMetadataSchema = z.object({
  orientation: z.number().int().optional(),
  hasAlpha: z.boolean().optional(),
  colorSpace: z.string().optional(),
  bitDepth: z.number().int().optional(),
  pages: z.number().int().optional(),
  progressive: z.boolean().optional(),
  iccDescription: z.string().optional(),
  exif: ExifSchema.optional(),
  gps: z
    .looseObject({ latitude: z.number(), longitude: z.number(), altitude: z.number().optional() })
    .optional(),
  /** `#rrggbb`. */
  dominantColor: z.string().optional(),
  /** ThumbHash, base64. */
  placeholder: z.string().optional(),
});
export type RowMetadata = z.infer<typeof RowMetadataSchema>;

/** Why an image failed for good: one of the stable codes of docs/contract.md. */
export const RowErrorSchema = z.object({ code: z.string().min(1), message: z.string() });

/**
 * A row. `updatedAt` (ISO-8601, the time of the row's last change) is its one time field: the console
 * orders live updates and shows "Updated" by it.
 */
export const RowSchema = z.object({
  objectKey: z.string().min(1),
  bucket: z.string().min(1).optional(),
  status: RowStatusSchema,
  sequencer: z.string().optional(),
  seqKey: z.string().optional(),
  etag: z.string().optional(),
  bytes: count.optional(),
  versionId: z.string().optional(),
  format: z.string().optional(),
  width: dimension.optional(),
  height: dimension.optional(),
  metadata: RowMetadataSchema.optional(),
  metaSeqKey: z.string().optional(),
  variants: z.array(RowVariantSchema).readonly().optional(),
  presetsHash: z.string().optional(),
  variantsSeqKey: z.string().optional(),
  error: RowErrorSchema.optional(),
  updatedAt: z.iso.datetime(),
  deletedAt: z.iso.datetime().optional(),
  /** DynamoDB TTL of a tombstone (epoch seconds). */
  expiresAt: z.number().int().optional(),
  ownerPrefix: z.string().optional(),
  ownerStatus: z.string().optional(),
});
export type Row = z.infer<typeof RowSchema>;
/** What the server may answer as a row (a value of this type parses with {@link RowSchema}). */
export type RowInput = z.input<typeof RowSchema>;

export const IMAGES_LIMIT_DEFAULT = 100;
export const IMAGES_LIMIT_MAX = 1000;

/**
 * `GET /_imgpipe/api/images` query string (every value is text on the wire): filter by `status` and key
 * `prefix`, `limit` rows per page in key order, continue after `cursor`.
 */
export const ImagesQuerySchema = z.strictObject({
  status: RowStatusSchema.optional(),
  prefix: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(IMAGES_LIMIT_MAX).default(IMAGES_LIMIT_DEFAULT),
  cursor: z.string().min(1).optional(),
});
export type ImagesQuery = z.infer<typeof ImagesQuerySchema>;
/** The query as a client writes it (`limit` as a number, defaults left out). */
export type ImagesQueryInput = z.input<typeof ImagesQuerySchema>;

/** `GET /_imgpipe/api/images` 200: one page of rows; `nextCursor` (opaque) only when more follow. */
export const ImagePageSchema = z.strictObject({
  items: z.array(RowSchema),
  nextCursor: z.string().min(1).optional(),
});
export type ImagePage = z.infer<typeof ImagePageSchema>;
export type ImagePageInput = z.input<typeof ImagePageSchema>;
