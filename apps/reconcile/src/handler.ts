import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { LambdaContext } from '@imgpipe/aws';
import { InvalidEventError, parseScheduledEvent, reconcile, type ReconcileReport } from '@imgpipe/core';
import { runtime } from './composition';

/**
 * The reconcile Lambda, started by an EventBridge `Scheduled Event`: repairs drift between the
 * source bucket, the table and the derived bucket within this invocation's time budget and
 * returns (and logs) its report.
 */
export async function handler(
  event: unknown,
  context: LambdaContext,
): Promise<ReconcileReport | { rejected: { code: string; message: string } }> {
  const { logger, metrics, deps, control } = runtime();
  logger.appendKeys({ awsRequestId: context.awsRequestId });
  try {
    try {
      parseScheduledEvent(event);
    } catch (err) {
      if (!(err instanceof InvalidEventError)) throw err;
      logger.error('Rejected event', { code: err.code, reason: err.message });
      return { rejected: { code: err.code, message: err.message } };
    }
    const report = await reconcile({
      ...deps,
      control,
      owner: context.awsRequestId,
      remainingMs: () => context.getRemainingTimeInMillis(),
    });
    logger.info('Reconcile report', { report });
    metrics.addMetric('processed', MetricUnit.Count, report.scanned);
    metrics.addMetric('rendered', MetricUnit.Count, report.rendered);
    metrics.addMetric('rowsRepaired', MetricUnit.Count, report.rowsRepaired);
    metrics.addMetric('orphansRemoved', MetricUnit.Count, report.orphansRemoved);
    metrics.addMetric('tombstoned', MetricUnit.Count, report.tombstoned);
    return report;
  } finally {
    metrics.publishStoredMetrics();
    logger.removeKeys(['awsRequestId']);
  }
}
