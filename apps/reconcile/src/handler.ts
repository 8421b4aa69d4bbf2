import { countReconcileReport, scheduledEventHandler } from '@imgpipe/lambda-kit';
import { reconcile } from '@imgpipe/core';
import { runtime } from './composition';

/**
 * The reconcile Lambda, started by an EventBridge `Scheduled Event`: repairs drift between the
 * source bucket, the table and the derived bucket within this invocation's time budget and
 * returns (and logs) its report.
 */
export const handler = scheduledEventHandler(
  ({ deps, control }, context) =>
    reconcile({
      ...deps,
      control,
      owner: context.awsRequestId,
      remainingMs: () => context.getRemainingTimeInMillis(),
    }),
  runtime,
  { message: 'Reconcile report', count: countReconcileReport },
);
