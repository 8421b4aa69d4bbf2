import {
  DEFAULT_POLICIES,
  definePipeline,
  ALL_FUNCTION_NAMES,
  namedPolicyArns,
  PipelineDefinitionError,
  resolvePolicy,
} from '../src';

const LOCAL = { partition: 'aws', region: 'us-east-1', account: '000000000000' };

describe('function policies', () => {
  it('are part of the pipeline definition, one per function', () => {
    const pipeline = definePipeline();
    expect(Object.keys(pipeline.policies).sort()).toEqual([...ALL_FUNCTION_NAMES].sort());
    expect(pipeline.policies).toEqual(DEFAULT_POLICIES);
  });

  it('resolve to the ARNs of the named resources', () => {
    const pipeline = definePipeline();
    const arns = namedPolicyArns(pipeline.names, 'reconcile', LOCAL);
    expect(resolvePolicy(pipeline.policies.reconcile, arns)).toEqual([
      {
        sid: 'WriteOwnLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: ['arn:aws:logs:us-east-1:000000000000:log-group:/aws/lambda/reconcile:*'],
        conditions: [],
      },
      {
        sid: 'ListSource',
        actions: ['s3:ListBucket'],
        resources: ['arn:aws:s3:::imgpipe-source'],
        conditions: [],
      },
      {
        sid: 'ReadSource',
        actions: ['s3:GetObject'],
        resources: ['arn:aws:s3:::imgpipe-source/*'],
        conditions: [],
      },
      {
        sid: 'ListVariants',
        actions: ['s3:ListBucket'],
        resources: ['arn:aws:s3:::imgpipe-derived'],
        conditions: [],
      },
      {
        sid: 'RepairVariants',
        actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        resources: ['arn:aws:s3:::imgpipe-derived/*'],
        conditions: [],
      },
      {
        sid: 'RepairRows',
        actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:BatchGetItem', 'dynamodb:Scan'],
        resources: ['arn:aws:dynamodb:us-east-1:000000000000:table/imgpipe-images'],
        conditions: [],
      },
      {
        sid: 'LeaseAndCheckpoint',
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
        resources: ['arn:aws:dynamodb:us-east-1:000000000000:table/imgpipe-control'],
        conditions: [],
      },
    ]);
  });

  it('let a test replace one function policy and keep the others', () => {
    const resize = DEFAULT_POLICIES.resize.filter((s) => s.sid !== 'WriteVariants');
    const pipeline = definePipeline({ policies: { resize } });
    expect(pipeline.policies.resize).toEqual(resize);
    expect(pipeline.policies.reconcile).toEqual(DEFAULT_POLICIES.reconcile);
  });

  it('reject wildcard actions, duplicate sids and unknown resources, saying what they received', () => {
    const base = { resources: ['images-table'] as const, basis: 'code' as const };
    expect(() =>
      definePipeline({ policies: { resize: [{ sid: 'All', actions: ['s3:*'], ...base }] } }),
    ).toThrow(
      new PipelineDefinitionError(
        'Expected exact service:Action names in policies.resize.All but received "s3:*"',
      ),
    );
    expect(() =>
      definePipeline({
        policies: {
          resize: [
            { sid: 'A', actions: ['s3:GetObject'], ...base },
            { sid: 'A', actions: ['s3:PutObject'], ...base },
          ],
        },
      }),
    ).toThrow('Expected a unique alphanumeric sid in policies.resize but received "A"');
    expect(() =>
      definePipeline({
        policies: {
          reconcile: [
            {
              sid: 'B',
              actions: ['s3:GetObject'],
              resources: ['everything' as 'source-bucket'],
              basis: 'code',
            },
          ],
        },
      }),
    ).toThrow(/^Expected one of source-bucket, .* in policies.reconcile.B but received "everything"$/);
  });
});
