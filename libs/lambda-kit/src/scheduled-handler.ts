import type { Metrics } from '@aws-lambda-powertools/metrics';
import { InvalidEventError, parseScheduledEvent, type ScheduledEvent } from '@imgpipe/core';
import type { FunctionRuntime } from './compose';
import type { LambdaContext } from './context';
import { countRejected } from './observability';

/** What a scheduled handler answers: the job's report, or why the event was refused. */
export type ScheduledResult<R> =
  R | { readonly rejected: { readonly code: string; readonly message: string } };

/** The work a schedule starts, with the runtime composed at the cold start and the invocation's context. */
export type ScheduledJob<R> = (
  runtime: FunctionRuntime,
  context: LambdaContext,
  event: ScheduledEvent,
) => Promise<R>;

/** How a scheduled handler reports: the log message of the report, and the report as metrics. */
export interface ScheduledReporting<R> {
  readonly message: string;
  count(metrics: Metrics, report: R): void;
}

/**
 * A Lambda handler for an EventBridge `Scheduled Event`: parse the event, run `job`, log its report
 * and turn it into metrics. Anything but a Scheduled Event is refused (logged and
 * counted, not retried); the job's own errors throw, so the platform retries.
 * @example export const handler = scheduledEventHandler(runJob, runtime, { message: 'Job report', count });
 */
export function scheduledEventHandler<R>(
  job: ScheduledJob<R>,
  runtime: () => FunctionRuntime,
  reporting: ScheduledReporting<R>,
) {
  return async (event: unknown, context: LambdaContext): Promise<ScheduledResult<R>> => {
    const composed = runtime();
    const { logger, metrics } = composed;
    logger.appendKeys({ awsRequestId: context.awsRequestId });
    try {
      let scheduled: ScheduledEvent;
      try {
        scheduled = parseScheduledEvent(event);
      } catch (err) {
        if (!(err instanceof InvalidEventError)) throw err;
        logger.error('Rejected event', { code: err.code, reason: err.message });
        countRejected(metrics, err.code);
        return { rejected: { code: err.code, message: err.message } };
      }
      const report = await job(composed, context, scheduled);
      logger.info(reporting.message, { report });
      reporting.count(metrics, report);
      return report;
    } finally {
      metrics.publishStoredMetrics();
      logger.removeKeys(['awsRequestId']);
    }
  };
}
