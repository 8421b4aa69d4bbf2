import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { definePipeline, FUNCTION_NAMES, functionEnvironment } from '@imgpipe/pipeline';
import { type LocalStack, startLocalStack } from '../../src';
import { dynamoFor, FIXTURE_BUNDLES, s3For, tempDir } from '../support/helpers';

jest.setTimeout(60_000);

describe('the local stack builds its resources from the pipeline definition', () => {
  const expected = definePipeline();
  let stack: LocalStack;

  beforeAll(async () => {
    stack = await startLocalStack({
      port: 0,
      dataDir: tempDir('definition'),
      samples: false,
      bundles: FIXTURE_BUNDLES,
      summaryIntervalMs: 0,
    });
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('uses exactly the definition infra deploys (names, rules, functions, schedules)', () => {
    expect(stack.pipeline).toEqual(expected);
  });

  it('creates the source and derived buckets', async () => {
    expect(stack.resources.buckets).toEqual([expected.names.sourceBucket, expected.names.derivedBucket]);
    const s3 = s3For(stack.endpoint);
    for (const bucket of stack.resources.buckets) {
      expect((await s3.send(new HeadBucketCommand({ Bucket: bucket }))).$metadata.httpStatusCode).toBe(200);
    }
  });

  it('creates the images table keyed by objectKey and the control table keyed by id', async () => {
    const dynamo = dynamoFor(stack.endpoint);
    const images = await dynamo.send(new DescribeTableCommand({ TableName: expected.names.table }));
    expect(images.Table?.KeySchema).toEqual([{ AttributeName: 'objectKey', KeyType: 'HASH' }]);
    const control = await dynamo.send(new DescribeTableCommand({ TableName: expected.names.controlTable }));
    expect(control.Table?.KeySchema).toEqual([{ AttributeName: 'id', KeyType: 'HASH' }]);
    expect(stack.resources.tables.map((t) => t.ttlAttribute)).toEqual(['expiresAt', 'expiresAt']);
  });

  it('gives every function the environment functionEnvironment() gives the Lambda, pointed at the edge', () => {
    for (const fn of FUNCTION_NAMES) {
      expect(stack.environment(fn)).toEqual(
        expect.objectContaining({
          ...functionEnvironment(expected, fn),
          AWS_ENDPOINT_URL: stack.endpoint,
          AWS_REGION: 'us-east-1',
        }),
      );
    }
  });

  it('schedules reconcile with the definition expression and reports health as ready', async () => {
    const health = (await (await fetch(`${stack.endpoint}/_imgpipe/health`)).json()) as {
      status: string;
      schedules: { expression: string; target: string }[];
    };
    expect(health.status).toBe('ready');
    expect(health.schedules).toEqual([
      expect.objectContaining({ expression: expected.schedules[0]!.expression, target: 'reconcile' }),
    ]);
  });
});
