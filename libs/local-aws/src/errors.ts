/** Stable codes of the local stack's own errors. */
export type LocalStackErrorCode =
  | 'INVALID_OPTION'
  | 'INVALID_CHUNKED_BODY'
  | 'CHECKSUM_MISMATCH'
  | 'EMULATOR_FAILED'
  | 'BUNDLE_MISSING'
  | 'NOT_FOUND';

/** The one error class of the local stack: a stable `code`, the original `cause`, and whether a retry can help. */
export class LocalStackError extends Error {
  readonly code: LocalStackErrorCode;
  readonly retryable: boolean;
  constructor(
    code: LocalStackErrorCode,
    message: string,
    options: { cause?: unknown; retryable?: boolean } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LocalStackError';
    this.code = code;
    this.retryable = options.retryable ?? false;
  }
}
