/** Stable codes of the local stack's own errors. */
export type LocalStackErrorCode =
  | 'INVALID_OPTION'
  | 'DATA_DIR_IN_USE'
  | 'INVALID_CHUNKED_BODY'
  | 'CHECKSUM_MISMATCH'
  | 'EMULATOR_FAILED'
  | 'BUNDLE_MISSING'
  | 'NOT_FOUND'
  | 'START_FAILED'
  | 'STOP_FAILED';

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

/** The phases of a local stack, in start order (they stop in reverse); see `stack/compose.ts`. */
export type StackPhaseName =
  | 'data-dir'
  | 'emulators'
  | 'functions'
  | 'edge'
  | 'resources'
  | 'runtimes'
  | 'scheduler'
  | 'http-functions'
  | 'ready'
  | 'samples';

/**
 * A phase of the stack failed to start (`START_FAILED`) or to stop (`STOP_FAILED`); `phase` names it and
 * `cause` is what it threw. A failed start has already stopped the phases before it, in reverse.
 */
export class StackPhaseError extends LocalStackError {
  readonly phase: StackPhaseName;
  constructor(code: 'START_FAILED' | 'STOP_FAILED', phase: StackPhaseName, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    const verb = code === 'START_FAILED' ? 'start' : 'stop';
    super(code, `The local stack's ${phase} phase failed to ${verb}: ${reason}`, { cause });
    this.name = 'StackPhaseError';
    this.phase = phase;
  }
}
