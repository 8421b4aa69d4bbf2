import type { HttpFunctionName } from '@imgpipe/pipeline';
import type { Grant } from './iam';

/** ARNs the HTTP functions' grants may name. */
export interface HttpFunctionResources {
  readonly sourceBucketArn: string;
  readonly tableArn: string;
  /** The function's own log group. */
  readonly logGroupArn: string;
}

/**
 * The least-privilege grants of the HTTP functions, as data.
 *
 * TEMPORARY HOME: the same statements are now `pipeline.policies.api` / `.render` (the local stack
 * enforces them) and `tests/iam.spec.ts` keeps the two equal; once `HttpFunction` is given every
 * `PolicyArns`, it can call `functionGrants(pipeline.policies[fn], arns)` and this file goes.
 *
 * - api signs presigned POSTs (S3 checks the signer may `PutObject` the key), answers `pending` by
 *   HEAD on the source (`GetObject`; `ListBucket` so a missing key is a 404, not a 403), deletes the
 *   current source object on `DELETE` (the pipeline does the rest), and reads rows by key and through
 *   the listing indexes (Query only: no Scan).
 * - render reads the source and the row and writes nothing (resize stays the only writer).
 */
export function httpFunctionGrants(fn: HttpFunctionName, r: HttpFunctionResources): Grant[] {
  const logs: Grant = {
    sid: 'WriteOwnLogs',
    actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    resources: [`${r.logGroupArn}:*`],
  };
  const listSource: Grant = { sid: 'ListSource', actions: ['s3:ListBucket'], resources: [r.sourceBucketArn] };
  switch (fn) {
    case 'api':
      return [
        logs,
        listSource,
        {
          sid: 'UploadHeadAndDeleteSources',
          actions: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject'],
          resources: [`${r.sourceBucketArn}/*`],
        },
        {
          sid: 'ReadAndListRows',
          actions: ['dynamodb:GetItem', 'dynamodb:Query'],
          resources: [r.tableArn, `${r.tableArn}/index/*`],
        },
      ];
    case 'render':
      return [
        logs,
        listSource,
        { sid: 'ReadSource', actions: ['s3:GetObject'], resources: [`${r.sourceBucketArn}/*`] },
        { sid: 'ReadRow', actions: ['dynamodb:GetItem'], resources: [r.tableArn] },
      ];
  }
}
