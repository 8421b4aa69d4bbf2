/** Errors of the image context build, each with a stable `code` and the original `cause`. */
export class ImageContextError extends Error {
  readonly retryable: boolean;
  constructor(
    readonly code:
      'BUNDLE_MISSING' | 'CHUNK_CONFLICT' | 'INVALID_ARGUMENT' | 'SHARP_INSTALL_FAILED' | 'SHARP_NOT_FOUND',
    message: string,
    options: { cause?: unknown; retryable?: boolean } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ImageContextError';
    this.retryable = options.retryable ?? false;
  }
}
