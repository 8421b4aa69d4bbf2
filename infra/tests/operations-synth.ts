import { Testing } from 'cdktf';
import { Operations } from '../src/constructs/operations';
import type { AlarmSubscription } from '../src/config';
import { TEST_THRESHOLDS } from './helpers';

/** The operations construct of a test environment (`imgpipe-t`), synthesized alone. */
const functions = {
  resize: 'imgpipe-t-resize',
  'metadata-sync': 'imgpipe-t-metadata-sync',
  reconcile: 'imgpipe-t-reconcile',
};
export const functionNames = Object.values(functions);

export function synthOps(subscriptions: readonly AlarmSubscription[] = []): string {
  return Testing.synthScope((scope) => {
    new Operations(scope, 'ops', {
      namePrefix: 'imgpipe-t',
      region: 'eu-west-1',
      targets: {
        functions,
        eventDriven: ['resize', 'metadata-sync'],
        scheduled: 'reconcile',
        rules: {
          'object-created': 'imgpipe-t-object-created',
          'object-deleted': 'imgpipe-t-object-deleted',
          'schedule-reconcile': 'imgpipe-t-schedule-reconcile',
        },
        deadLetterQueueName: 'imgpipe-t-dlq',
        metricsNamespace: 'imgpipe/t',
        services: {
          resize: 'imgpipe-resize',
          'metadata-sync': 'imgpipe-metadata-sync',
          reconcile: 'imgpipe-reconcile',
        },
      },
      accountId: '123456789012',
      partition: 'aws',
      thresholds: TEST_THRESHOLDS,
      subscriptions,
    });
  });
}
