/**
 * The stack commands' one error hierarchy. Each error has a stable `code` (scripts match on it, never
 * on the message), the process exit status it maps to, whether trying again may help, and its `cause`.
 */
export abstract class CliError extends Error {
  abstract readonly code: string;
  /** 1 failed, 2 usage, 3 the stack is not there. */
  readonly exitCode: number = 1;
  readonly retryable: boolean = false;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The command line asks for something impossible (bad flag value, missing name for `--aws`). */
export class UsageError extends CliError {
  readonly code = 'USAGE';
  override readonly exitCode = 2;
}

/** Nothing answers at the local stack's endpoint. */
export class StackUnreachableError extends CliError {
  readonly code = 'STACK_UNREACHABLE';
  override readonly exitCode = 3;
  override readonly retryable = true;
}

/** Something answers, but it is not a ready local stack (still starting, stopping, or another server). */
export class StackNotReadyError extends CliError {
  readonly code = 'STACK_NOT_READY';
  override readonly exitCode = 3;
  override readonly retryable = true;
}

/** The stack answered with an error (`{error: {code, message}}` from the API, or an AWS service error). */
export class StackRequestError extends CliError {
  readonly code: string;
  override readonly retryable: boolean;
  constructor(code: string, message: string, options?: { cause?: unknown; retryable?: boolean }) {
    super(message, options);
    this.code = code;
    this.retryable = options?.retryable ?? false;
  }
}

/** `show <key>` of a key that has no row. */
export class NotFoundError extends CliError {
  readonly code = 'NOT_FOUND';
}

/** A file or folder given to `upload` cannot be read. */
export class InputFileError extends CliError {
  readonly code = 'INPUT_FILE';
  override readonly exitCode = 2;
}

/** `--outputs` is not readable or not one of the output formats we know. */
export class OutputsFileError extends CliError {
  readonly code = 'INVALID_OUTPUTS';
  override readonly exitCode = 2;
}

/** `--wait` ran out of time before every row was final. */
export class WaitTimeoutError extends CliError {
  readonly code = 'WAIT_TIMEOUT';
  override readonly retryable = true;
}

/** An AWS SDK error as a typed CLI error (the SDK's error name becomes the code). */
export function fromAwsError(error: unknown, doing: string): CliError {
  if (error instanceof CliError) return error;
  const e = error as {
    name?: unknown;
    message?: unknown;
    $retryable?: unknown;
    $metadata?: { httpStatusCode?: number };
  };
  const code = typeof e.name === 'string' && e.name !== 'Error' ? e.name : 'AWS_ERROR';
  const message = typeof e.message === 'string' ? e.message : String(error);
  const status = e.$metadata?.httpStatusCode;
  return new StackRequestError(code, `${doing}: ${message}`, {
    cause: error,
    retryable: Boolean(e.$retryable) || (status !== undefined && status >= 500),
  });
}

/** Any error as `{code, message}` (unknown errors get `INTERNAL`). */
export function describeError(error: unknown): { code: string; message: string; exitCode: number } {
  if (error instanceof CliError)
    return { code: error.code, message: error.message, exitCode: error.exitCode };
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message, exitCode: 1 };
}

/** `smoke` saw the pipeline answer wrongly: the image failed, or variants are missing or left behind. */
export class SmokeFailedError extends CliError {
  readonly code = 'SMOKE_FAILED';
}
