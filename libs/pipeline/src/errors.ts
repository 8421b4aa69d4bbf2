/**
 * The pipeline definition's errors. The definition is pure data built at start-up (infra synth,
 * the local stack, a function's cold start), so its only failure is an inconsistent definition:
 * never retryable, with a stable `code` and a message that says what was expected and received.
 */

/** Thrown when a pipeline definition is inconsistent; the message says what was expected and received. */
export class PipelineDefinitionError extends Error {
  readonly code = 'INVALID_PIPELINE_DEFINITION';
  readonly retryable = false;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PipelineDefinitionError';
  }
}
