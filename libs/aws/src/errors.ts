import { PipelineError } from '@imgpipe/core';

/**
 * The adapters' errors. SDK errors pass through untouched (the core classifies them as transient);
 * what the adapters themselves detect gets a class here, part of the core's hierarchy so the one
 * retry decision (`classifyFailure`) sees a stable `code`.
 */

/**
 * DeleteObjects answered 200 yet refused some keys (S3 reports per-key errors in the body).
 * Retryable: the same batch is safe to send again; `s3Code` is the first refused key's S3 code.
 */
export class DeleteObjectsError extends PipelineError {
  readonly code = 'DELETE_OBJECTS_FAILED';
  readonly retryable = true;
  constructor(
    message: string,
    readonly s3Code: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * True when an SDK error is one of the named errors (by `name` or `Code`) or has HTTP status `status`.
 * @example isAwsError(err, ['NoSuchKey', 'NotFound'], 404)
 */
export function isAwsError(err: unknown, names: readonly string[], status?: number): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { name?: unknown; Code?: unknown; $metadata?: { httpStatusCode?: number } };
  if (typeof e.name === 'string' && names.includes(e.name)) return true;
  if (typeof e.Code === 'string' && names.includes(e.Code)) return true;
  return status !== undefined && e.$metadata?.httpStatusCode === status;
}
