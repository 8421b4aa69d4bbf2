/** Stable codes for everything the console can fail at when talking to the local stack. */
export const CONSOLE_ERROR_CODES = [
  'NETWORK',
  'HTTP_ERROR',
  'NOT_FOUND',
  'BAD_RESPONSE',
  'UPLOAD_FAILED',
  'INVALID_KEY',
] as const;
export type ConsoleErrorCode = (typeof CONSOLE_ERROR_CODES)[number];

/**
 * The one error type of the console: a stable `code`, whether trying again may help, the HTTP status
 * when there was one, and the original `cause`.
 */
export class ConsoleError extends Error {
  override readonly name = 'ConsoleError';
  readonly code: ConsoleErrorCode;
  readonly retryable: boolean;
  readonly status: number | undefined;

  constructor(
    code: ConsoleErrorCode,
    message: string,
    options: { cause?: unknown; retryable?: boolean; status?: number } = {},
  ) {
    super(message, { cause: options.cause });
    this.code = code;
    this.status = options.status;
    this.retryable =
      options.retryable ?? (code === 'NETWORK' || (options.status !== undefined && options.status >= 500));
  }
}

/** A short sentence for people, whatever was thrown. */
export function describeError(error: unknown): string {
  if (error instanceof ConsoleError) return `${error.message} (${error.code})`;
  if (error instanceof Error) return error.message;
  return String(error);
}
