import {
  classifyFailure,
  InvalidEventError,
  parseObjectEvents,
  type ObjectEvent,
  type Outcome,
  type UseCaseDeps,
} from '@imgpipe/core';
import type { LambdaContext } from './context';
import { TransientBatchError } from './errors';
import { countOutcome, countRejected, type Observability } from './observability';

/** What an object-event handler returns: one entry per event of the batch. */
export interface BatchResult {
  readonly results: readonly ({ readonly key: string; readonly sequencer: string } & Outcome)[];
  readonly rejected?: { readonly code: string; readonly message: string };
}

export interface ObjectRuntime extends Observability {
  readonly deps: UseCaseDeps;
}

export type ObjectUseCase = (event: ObjectEvent, deps: UseCaseDeps) => Promise<Outcome>;

/**
 * A Lambda handler over one core use case: parse the event (any accepted shape), run the use case for
 * each object event of the batch, log and count each outcome. Permanent failures end successfully;
 * transient ones are rethrown once the rest of the batch is done, so the platform retries the whole
 * (idempotent) batch and finally dead-letters it with the reason.
 */
export function objectEventHandler(useCase: ObjectUseCase, runtime: () => ObjectRuntime) {
  return async (event: unknown, context: LambdaContext): Promise<BatchResult> => {
    const { logger, metrics, deps } = runtime();
    logger.appendKeys({ awsRequestId: context.awsRequestId });
    try {
      let events: ObjectEvent[];
      try {
        events = parseObjectEvents(event);
      } catch (err) {
        if (!(err instanceof InvalidEventError)) throw err;
        logger.error('Rejected event', { code: err.code, reason: err.message });
        countRejected(metrics, err.code);
        return { results: [], rejected: { code: err.code, message: err.message } };
      }
      const results: BatchResult['results'][number][] = [];
      const transient: unknown[] = [];
      for (const objectEvent of events) {
        logger.appendKeys({ objectKey: objectEvent.key, sequencer: objectEvent.sequencer });
        const started = performance.now();
        try {
          const outcome = await useCase(objectEvent, deps);
          countOutcome(metrics, outcome);
          const level = outcome.action === 'failed' ? 'warn' : 'info';
          logger[level]('Handled object event', {
            kind: objectEvent.kind,
            source: objectEvent.source,
            ...outcome,
            ms: Math.round(performance.now() - started),
          });
          results.push({ key: objectEvent.key, sequencer: objectEvent.sequencer, ...outcome });
        } catch (err) {
          const failure = classifyFailure(err);
          if (failure.retryable) {
            logger.error('Transient failure: the batch will be retried', {
              code: failure.code,
              error: err as Error,
            });
            transient.push(err);
          } else {
            logger.warn('Rejected object event', { code: failure.code, reason: failure.message });
            countRejected(metrics, failure.code);
            results.push({
              key: objectEvent.key,
              sequencer: objectEvent.sequencer,
              action: 'failed',
              error: { code: failure.code, message: failure.message },
              recorded: false,
            });
          }
        } finally {
          logger.removeKeys(['objectKey', 'sequencer']);
        }
      }
      if (transient.length === 1) throw transient[0];
      if (transient.length > 1) throw new TransientBatchError(transient, events.length);
      return { results };
    } finally {
      metrics.publishStoredMetrics();
      logger.removeKeys(['awsRequestId']);
    }
  };
}
