import type { z } from 'zod';

/** Stable codes for everything the console can fail at when talking to the local stack. */
export const CONSOLE_ERROR_CODES = [
  'NETWORK',
  'HTTP_ERROR',
  'NOT_FOUND',
  'BAD_RESPONSE',
  'UPLOAD_FAILED',
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
  /** The code the server answered with, when it named one: the image API's (`TOO_LARGE`) or S3's (`EntityTooLarge`). */
  readonly remoteCode: string | undefined;

  constructor(
    code: ConsoleErrorCode,
    message: string,
    options: { cause?: unknown; retryable?: boolean; status?: number; remoteCode?: string } = {},
  ) {
    super(message, { cause: options.cause });
    this.code = code;
    this.status = options.status;
    this.remoteCode = options.remoteCode;
    this.retryable =
      options.retryable ?? (code === 'NETWORK' || (options.status !== undefined && options.status >= 500));
  }
}

/** A short sentence for people, whatever was thrown. */
export function describeError(error: unknown): string {
  if (error instanceof ConsoleError) return `${error.message} (${error.remoteCode ?? error.code})`;
  if (error instanceof Error) return error.message;
  return String(error);
}

/**
 * The code and message to show for a failure: the server's own code when it named one (what a person can
 * look up in the contract), else the console's.
 * @example errorDetail(e) // { code: 'UNSUPPORTED_CONTENT_TYPE', message: 'Expected a content type among …' }
 */
export function errorDetail(error: unknown): { readonly code: string; readonly message: string } {
  if (error instanceof ConsoleError) return { code: error.remoteCode ?? error.code, message: error.message };
  if (error instanceof Error) return { code: 'ERROR', message: error.message };
  return { code: 'ERROR', message: String(error) };
}

/**
 * The answer of `path` parsed with its contract schema, or a `BAD_RESPONSE` error naming the first
 * field that does not fit (the zod error is its `cause`): one rule for every API the console reads.
 * @example parseAnswer(ImageSchema, await res.json(), '/v1/images/abc')
 */
export function parseAnswer<S extends z.ZodType>(schema: S, body: unknown, path: string): z.infer<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConsoleError(
      'BAD_RESPONSE',
      `${path} answered an unexpected shape${issue ? ` at ${issue.path.join('.') || '(root)'}: ${issue.message}` : ''}`,
      { cause: parsed.error },
    );
  }
  return parsed.data;
}
