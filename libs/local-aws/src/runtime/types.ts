import type { FunctionName } from '@imgpipe/pipeline';

/** An asynchronous invocation waiting in a function's durable queue. */
export interface QueuedInvocation {
  readonly id: string;
  readonly function: FunctionName;
  readonly event: unknown;
  /** When the event first entered the queue (its age is measured from here). */
  readonly enqueuedAt: string;
  readonly attempts: number;
  /** Earliest time of the next attempt (ms since epoch). */
  readonly notBefore: number;
  readonly firstAttemptAt?: string;
  readonly lastError?: InvocationError;
}

/** How an invocation failed, in Lambda's terms (`errorType`, `errorMessage`). */
export interface InvocationError {
  readonly type: string;
  readonly message: string;
}

/** An event that exhausted its retries or its maximum age, parked on disk. */
export interface DlqEntry {
  readonly id: string;
  readonly function: FunctionName;
  readonly event: unknown;
  readonly error: InvocationError;
  readonly attempts: number;
  readonly firstAttemptAt: string;
  readonly failedAt: string;
}

/** The outcome of one invocation attempt. */
export type InvocationOutcome =
  | {
      readonly ok: true;
      readonly value: unknown;
      readonly durationMs: number;
      readonly coldStart: boolean;
      readonly initMs?: number;
    }
  | {
      readonly ok: false;
      readonly error: InvocationError;
      readonly durationMs: number;
      readonly coldStart: boolean;
      readonly initMs?: number;
    };
