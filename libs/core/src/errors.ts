import { isImageError } from '@imgpipe/image';

/**
 * The pipeline's one error hierarchy. Every error has a stable `code`, says whether a retry can
 * help (`retryable`) and keeps the original `cause`. Retry-or-not is decided only in
 * {@link classifyFailure}, by class and code, never by message text.
 */
export abstract class PipelineError extends Error {
  abstract readonly code: string;
  abstract readonly retryable: boolean;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The event is not one of the shapes the functions accept (or carries a malformed key). */
export class InvalidEventError extends PipelineError {
  readonly code = 'INVALID_EVENT';
  readonly retryable = false;
}

/** The function's environment does not describe a valid pipeline. */
export class ConfigError extends PipelineError {
  readonly code = 'INVALID_CONFIG';
  readonly retryable = false;
}

/** The source object is bigger than `limits.maxBytes` (from the event, or while streaming it). */
export class SourceTooLargeError extends PipelineError {
  readonly code = 'TOO_LARGE';
  readonly retryable = false;
}

/**
 * A variant's key (`{sourceKey}/{variant}.{ext}`) would pass S3's 1,024-byte key limit, so the
 * variants of this source key can never be stored. Checked before anything is downloaded.
 */
export class DerivedKeyTooLongError extends PipelineError {
  readonly code = 'KEY_TOO_LONG';
  readonly retryable = false;
}

/**
 * A variant file kept changing under conditional writes (other writers of the same key won every
 * round): retryable, the platform delivers the event again.
 */
export class VariantWriteConflictError extends PipelineError {
  readonly code = 'VARIANT_WRITE_CONFLICT';
  readonly retryable = true;
}

/** Codes of inputs that can never succeed (the image library's `IMAGE_ERROR_CODES`). */
export const PERMANENT_IMAGE_CODES = [
  'UNSUPPORTED_FORMAT',
  'CORRUPT_IMAGE',
  'TOO_MANY_PIXELS',
  'TOO_LARGE',
] as const;
export type PermanentImageCode = (typeof PERMANENT_IMAGE_CODES)[number];

/** A permanent failure as it is recorded on the row. */
export interface FailureRecord {
  readonly code: string;
  readonly message: string;
}

export type FailureClass =
  | { readonly retryable: false; readonly code: string; readonly message: string }
  | { readonly retryable: true; readonly code: string; readonly message: string };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/**
 * True for the image library's errors (`ImageError`: a known `code` and `permanent: true`).
 * Checked structurally so that the core does not depend on one copy of the class.
 */
export function isPermanentImageError(err: unknown): err is Error & { code: PermanentImageCode } {
  if (isImageError(err)) return true;
  return (
    err instanceof Error &&
    isObject(err) &&
    (err as { permanent?: unknown }).permanent === true &&
    (PERMANENT_IMAGE_CODES as readonly unknown[]).includes((err as { code?: unknown }).code)
  );
}

/**
 * The one place that decides retry-or-record: image errors and non-retryable pipeline errors are
 * permanent (recorded, invocation succeeds); everything else (S3, DynamoDB, throttling, timeouts,
 * bugs) is transient and is rethrown so the platform retries and finally dead-letters the event.
 * @example classifyFailure(new InvalidEventError('bad')) // { retryable: false, code: 'INVALID_EVENT', ... }
 */
export function classifyFailure(err: unknown): FailureClass {
  if (err instanceof PipelineError) {
    return { retryable: err.retryable, code: err.code, message: err.message };
  }
  if (isImageError(err) || isPermanentImageError(err)) {
    return { retryable: false, code: err.code, message: err.message };
  }
  const name = err instanceof Error ? err.name : 'UnknownError';
  const message = err instanceof Error ? err.message : String(err);
  return { retryable: true, code: name, message };
}

/** Shorthand for `classifyFailure(err).retryable`. */
export function isRetryable(err: unknown): boolean {
  return classifyFailure(err).retryable;
}
