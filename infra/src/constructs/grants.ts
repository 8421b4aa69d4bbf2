import type { FunctionName } from '@imgpipe/pipeline';
import type { Grant } from './iam';

/** ARNs a function's grants may name. */
export interface FunctionResources {
  readonly sourceBucketArn: string;
  readonly derivedBucketArn: string;
  readonly tableArn: string;
  readonly controlTableArn: string;
  readonly deadLetterQueueArn: string;
  /** The function's own log group. */
  readonly logGroupArn: string;
}

const READ_OBJECTS = ['s3:GetObject', 's3:GetObjectVersion'];
const ROW_UPDATE = ['dynamodb:GetItem', 'dynamodb:UpdateItem'];

/**
 * The least-privilege grants of each function, as data (tests read them back from the synthesized policy):
 * - resize reads the source and writes/deletes its variants in the derived bucket, and records
 *   its variants on the images table row;
 * - metadata-sync reads the source and updates the images table row;
 * - reconcile lists/reads the source, lists/reads/writes/deletes the derived bucket, and reads and
 *   writes the images table and its own control table (lease, checkpoint).
 * Every function may park a failed async event in the dead-letter queue and write its own logs.
 */
export function functionGrants(fn: FunctionName, r: FunctionResources): Grant[] {
  const common: Grant[] = [
    {
      sid: 'WriteOwnLogs',
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [`${r.logGroupArn}:*`],
    },
    { sid: 'ParkFailedEvents', actions: ['sqs:SendMessage'], resources: [r.deadLetterQueueArn] },
  ];
  const listSource: Grant = { sid: 'ListSource', actions: ['s3:ListBucket'], resources: [r.sourceBucketArn] };
  const readSource: Grant = {
    sid: 'ReadSource',
    actions: READ_OBJECTS,
    resources: [`${r.sourceBucketArn}/*`],
  };
  const listDerived: Grant = {
    sid: 'ListDerived',
    actions: ['s3:ListBucket'],
    resources: [r.derivedBucketArn],
  };
  const writeDerived: Grant = {
    sid: 'WriteVariants',
    actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
    resources: [`${r.derivedBucketArn}/*`],
  };
  switch (fn) {
    case 'resize':
      return [
        ...common,
        listSource,
        readSource,
        listDerived,
        writeDerived,
        { sid: 'RecordVariants', actions: ROW_UPDATE, resources: [r.tableArn] },
      ];
    case 'metadata-sync':
      return [
        ...common,
        listSource,
        readSource,
        { sid: 'RecordMetadata', actions: ROW_UPDATE, resources: [r.tableArn] },
      ];
    case 'reconcile':
      return [
        ...common,
        listSource,
        readSource,
        listDerived,
        writeDerived,
        {
          sid: 'RepairRows',
          actions: [
            ...ROW_UPDATE,
            'dynamodb:PutItem',
            'dynamodb:DeleteItem',
            'dynamodb:Scan',
            'dynamodb:Query',
          ],
          resources: [r.tableArn],
        },
        {
          sid: 'LeaseAndCheckpoint',
          actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
          resources: [r.controlTableArn],
        },
      ];
  }
}
