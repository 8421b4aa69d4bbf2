import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { functionEnvironment, HTTP_FUNCTION_NAMES, type HttpFunctionName } from '@imgpipe/pipeline';
import { DataResource, Testing } from 'cdktf';
import type { Construct } from 'constructs';
import { pipelineFor } from '../src/config';
import { WRITE_TRACES_ACTIONS } from '../src/constructs/image-function';
import { HttpFunction, type HttpFunctionProps } from '../src/constructs/http-function';
import { devConfig } from './helpers';

const pipeline = pipelineFor(devConfig());
/** Every resource a policy may name: the HTTP functions' roles must name only the ones they need. */
const RESOURCES = {
  sourceBucket: 'arn:aws:s3:::src',
  derivedBucket: 'arn:aws:s3:::der',
  table: 'arn:aws:dynamodb:r:1:table/t',
  controlTable: 'arn:aws:dynamodb:r:1:table/c',
  deadLetterQueue: 'arn:aws:sqs:r:1:q',
};

/** An HttpFunction in `scope` with the test's image and resources; `overrides` changes one prop. */
function addHttpFunction(
  scope: Construct,
  name: HttpFunctionName,
  overrides: Partial<HttpFunctionProps> = {},
): HttpFunction {
  const build = new DataResource(scope, 'build', { input: { image: 'test' } });
  return new HttpFunction(scope, name, {
    pipeline,
    name,
    namePrefix: 'imgpipe-test',
    architecture: 'arm64',
    imageUri: 'repo:ctx-1',
    imageBuild: build,
    logRetentionDays: 14,
    resources: RESOURCES,
    ...overrides,
  });
}

function synthFunction(name: HttpFunctionName, overrides: Partial<HttpFunctionProps> = {}) {
  return JSON.parse(Testing.synthScope((scope) => void addHttpFunction(scope, name, overrides))) as {
    resource: Record<string, Record<string, Record<string, unknown>>>;
    data: { aws_iam_policy_document: Record<string, { statement: unknown[] }> };
  };
}

describe('HttpFunction', () => {
  it.each(HTTP_FUNCTION_NAMES)('deploys %s from the one image with its own command and sizing', (name) => {
    const spec = pipeline.httpFunctions[name];
    const tf = synthFunction(name, {
      extraEnvironment: name === 'api' ? { IMGPIPE_CDN_BASE_URL: 'https://cdn.example' } : {},
    });
    const [fn] = Object.values(tf.resource['aws_lambda_function'] ?? {});
    expect(fn).toMatchObject({
      function_name: `imgpipe-test-${name}`,
      package_type: 'Image',
      image_uri: 'repo:ctx-1',
      image_config: { command: [spec.command] },
      architectures: ['arm64'],
      memory_size: spec.memoryMb,
      timeout: spec.timeoutSeconds,
      reserved_concurrent_executions: spec.reservedConcurrency,
      tracing_config: { mode: 'Active' },
      logging_config: {
        log_format: 'JSON',
        log_group: expect.stringMatching(/^\$\{aws_cloudwatch_log_group\.[^.]+_logs_[0-9A-F]+\.name\}$/),
      },
    });
    // X-Ray's segments are sent by Lambda with the role: a policy of its own beside the grants.
    expect(Object.values(tf.resource['aws_iam_role_policy'] ?? {}).map((p) => p['name'])).toEqual([
      `imgpipe-test-${name}-policy`,
      `imgpipe-test-${name}-tracing`,
    ]);
    expect(
      Object.values(tf.data.aws_iam_policy_document).find((doc) =>
        JSON.stringify(doc.statement).includes('WriteTraces'),
      )?.statement,
    ).toEqual([
      { sid: 'WriteTraces', effect: 'Allow', actions: [...WRITE_TRACES_ACTIONS], resources: ['*'] },
    ]);
    expect(fn?.['environment']).toEqual({
      variables: {
        ...functionEnvironment(pipeline, name),
        ...(name === 'api' ? { IMGPIPE_CDN_BASE_URL: 'https://cdn.example' } : {}),
      },
    });
    // Invoked synchronously: its caller gets the error, so no retries and no dead-letter queue.
    expect(tf.resource['aws_lambda_function_event_invoke_config']).toBeUndefined();
  });

  it.each(HTTP_FUNCTION_NAMES)('keeps the %s log group for the configured retention', (name) => {
    const synth = Testing.synthScope((scope) => void addHttpFunction(scope, name));
    expect(synth).toHaveResourceWithProperties(CloudwatchLogGroup, {
      name: `/aws/lambda/imgpipe-test-${name}`,
      retention_in_days: 14,
    });
    expect(synth).toHaveResourceWithProperties(LambdaFunction, { function_name: `imgpipe-test-${name}` });
  });

  it('reserves no concurrency where the environment reserves none (dev)', () => {
    const tf = synthFunction('api', { reserveConcurrency: false });
    const [fn] = Object.values(tf.resource['aws_lambda_function'] ?? {});
    expect(fn).toBeDefined();
    expect(fn).not.toHaveProperty('reserved_concurrent_executions');
  });

  // Every HTTP function writes its own log group and may list the source (so a missing key answers
  // 404, not 403: the definition's basis 'not-found'); then only what its job needs.
  const ownLogsAndList = [
    {
      sid: 'WriteOwnLogs',
      effect: 'Allow',
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [expect.stringMatching(/^\$\{aws_cloudwatch_log_group\..*\.arn\}:\*$/)],
    },
    { sid: 'ListSource', effect: 'Allow', actions: ['s3:ListBucket'], resources: ['arn:aws:s3:::src'] },
  ];
  it.each([
    {
      name: 'api',
      job: 'presign uploads, read, delete and list rows through the indexes, never Scan',
      statements: [
        {
          sid: 'UploadHeadAndDeleteSources',
          effect: 'Allow',
          actions: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject'],
          resources: ['arn:aws:s3:::src/*'],
        },
        {
          sid: 'ReadAndListRows',
          effect: 'Allow',
          actions: ['dynamodb:GetItem', 'dynamodb:Query'],
          resources: ['arn:aws:dynamodb:r:1:table/t', 'arn:aws:dynamodb:r:1:table/t/index/*'],
        },
      ],
    },
    {
      name: 'render',
      job: 'read the source and the row and write nothing',
      statements: [
        { sid: 'ReadSource', effect: 'Allow', actions: ['s3:GetObject'], resources: ['arn:aws:s3:::src/*'] },
        {
          sid: 'ReadRow',
          effect: 'Allow',
          actions: ['dynamodb:GetItem'],
          resources: ['arn:aws:dynamodb:r:1:table/t'],
        },
      ],
    },
  ] as const)('lets $name $job', ({ name, statements }) => {
    const policy = Object.values(synthFunction(name).data.aws_iam_policy_document).find((doc) =>
      JSON.stringify(doc.statement).includes('WriteOwnLogs'),
    )?.statement;
    expect(policy).toEqual([...ownLogsAndList, ...statements]);
  });
});
