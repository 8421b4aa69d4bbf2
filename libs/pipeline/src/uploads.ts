/**
 * What a presigned upload (`POST /v1/uploads`) may carry. The API refuses anything else before issuing a
 * URL, and the POST policy it signs makes S3 refuse it too (exact key, exact Content-Type,
 * `content-length-range`, expiry).
 */

/**
 * Content types an upload may declare, by the input format the image library decodes (libs/image
 * `DECODABLE_FORMATS`). SVG is accepted only when `limits.allowSvg` is on.
 */
export const UPLOAD_CONTENT_TYPES = [
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/gif',
  'image/avif',
  'image/tiff',
] as const;
export const SVG_CONTENT_TYPE = 'image/svg+xml';
export type UploadContentType = (typeof UPLOAD_CONTENT_TYPES)[number] | typeof SVG_CONTENT_TYPE;

/** S3's own ceiling for a presigned POST policy is 7 days; ours is 15 minutes. */
export const MAX_UPLOAD_EXPIRY_SECONDS = 15 * 60;

export interface UploadSpec {
  /** Largest upload accepted, in bytes; at most `limits.maxBytes` (the pipeline would refuse more). */
  readonly maxBytes: number;
  /** Lifetime of a presigned POST, 1 s to 15 min. */
  readonly expiresInSeconds: number;
  /** Declarable content types: `UPLOAD_CONTENT_TYPES`, plus `image/svg+xml` when SVG is allowed. */
  readonly contentTypes: readonly UploadContentType[];
  /** Longest file name a client may give (one path segment, below `u/<sub>/`). */
  readonly maxFilenameLength: number;
}

/** The defaults: `maxBytes` and `contentTypes` follow the pipeline's limits (see `definePipeline`). */
export const DEFAULT_UPLOAD_EXPIRY_SECONDS = 5 * 60;
export const DEFAULT_MAX_FILENAME_LENGTH = 255;
