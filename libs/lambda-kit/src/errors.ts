import { PipelineError } from '@imgpipe/core';

/**
 * The handler kit's errors. A handler ends in one of three ways: success, a rejected event (an
 * answer, not an error: see `BatchResult.rejected`), or a throw that makes the platform retry.
 */

/**
 * More than one event of a batch failed transiently. The batch is idempotent, so the platform
 * retries all of it; `errors` keeps each failure (the first is also the `cause`).
 */
export class TransientBatchError extends PipelineError {
  readonly code = 'TRANSIENT_BATCH';
  readonly retryable = true;
  constructor(
    readonly errors: readonly unknown[],
    batchSize: number,
  ) {
    super(`${errors.length} of ${batchSize} events failed transiently`, { cause: errors[0] });
  }
}
