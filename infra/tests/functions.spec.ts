import { API_DEPLOY_ENV } from '../src/constructs/image-api';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaFunctionEventInvokeConfig } from '@cdktf/provider-aws/lib/lambda-function-event-invoke-config';
import { FUNCTION_NAMES, functionEnvironment } from '@imgpipe/pipeline';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Testing } from 'cdktf';
import { ENVIRONMENTS, pipelineFor } from '../src/config';
import { WRITE_TRACES_ACTIONS } from '../src/constructs/image-function';
import { ImgpipeStack } from '../src/stack';
import { devConfig, devStack, resourceWhere, stackPipeline, synthesized, TEST_CONTEXT } from './helpers';

describe('Functions', () => {
  const config = devConfig();
  const stack = devStack();
  const synth = Testing.synth(stack);
  const tf = synthesized(stack);
  const pipeline = stackPipeline(tf, config);

  it.each(FUNCTION_NAMES)(
    'deploys %s from the one image, its handler chosen by image_config.command',
    (name) => {
      const spec = pipeline.functions[name];
      expect(synth).toHaveResourceWithProperties(LambdaFunction, {
        function_name: `imgpipe-dev-${name}`,
        package_type: 'Image',
        image_config: { command: [spec.command] },
        architectures: ['arm64'],
        memory_size: spec.memoryMb,
        timeout: spec.timeoutSeconds,
        tracing_config: { mode: 'Active' },
        logging_config: {
          log_format: 'JSON',
          log_group: expect.stringMatching(
            new RegExp(`^\\$\\{aws_cloudwatch_log_group\\.functions_${name}_logs_[0-9A-F]+\\.name\\}$`),
          ),
        },
      });
      // Dev reserves nothing: a fresh account's quota of 10 would refuse any reservation.
      const fn = resourceWhere(tf, 'aws_lambda_function', 'function_name', `imgpipe-dev-${name}`);
      expect(fn).not.toHaveProperty('reserved_concurrent_executions');
    },
  );

  it("reserves each function's concurrency where the environment asks for it (prod)", () => {
    const prod = ENVIRONMENTS.find((env) => env.name === 'prod')!;
    const prodSynth = Testing.synth(
      new ImgpipeStack(Testing.app(), 'imgpipe-prod', { config: prod, imageContext: TEST_CONTEXT }),
    );
    for (const name of FUNCTION_NAMES) {
      expect(prodSynth).toHaveResourceWithProperties(LambdaFunction, {
        function_name: `imgpipe-prod-${name}`,
        reserved_concurrent_executions: pipelineFor(prod).functions[name].reservedConcurrency,
      });
    }
  });

  it.each(FUNCTION_NAMES)('lets %s write X-Ray traces through a policy of its own', (name) => {
    expect(synth).toHaveResourceWithProperties(IamRolePolicy, { name: `imgpipe-dev-${name}-tracing` });
    expect(synth).toHaveDataSourceWithProperties(DataAwsIamPolicyDocument, {
      statement: [
        { sid: 'WriteTraces', effect: 'Allow', actions: [...WRITE_TRACES_ACTIONS], resources: ['*'] },
      ],
    });
    expect(WRITE_TRACES_ACTIONS).toEqual(['xray:PutTraceSegments', 'xray:PutTelemetryRecords']);
  });

  it('runs every function on the same image', () => {
    const uris = new Set(
      Object.values(tf.resource?.['aws_lambda_function'] ?? {}).map((fn) => fn['image_uri']),
    );
    expect(uris.size).toBe(1);
    expect([...uris][0]).toMatch(/^\$\{aws_ecr_repository\.image_repository_.*\.repository_url\}:ctx-a{20}$/);
  });

  it.each(FUNCTION_NAMES)("gives %s exactly the pipeline definition's environment", (name) => {
    const fn = resourceWhere(tf, 'aws_lambda_function', 'function_name', `imgpipe-dev-${name}`);
    // resize also learns the CDN distribution it invalidates when an image is deleted.
    const cdn =
      name === 'resize'
        ? {
            [API_DEPLOY_ENV.cdnDistributionId]: expect.stringMatching(
              /^\$\{aws_cloudfront_distribution\..*\.id\}$/,
            ),
          }
        : {};
    expect(fn['environment']).toEqual({ variables: { ...functionEnvironment(pipeline, name), ...cdn } });
  });

  it.each(['resize', 'metadata-sync'] as const)(
    'retries %s asynchronously and parks what fails in the dead-letter queue',
    (name) => {
      const spec = pipeline.functions[name];
      expect(synth).toHaveResourceWithProperties(LambdaFunctionEventInvokeConfig, {
        maximum_retry_attempts: spec.maximumRetryAttempts,
        maximum_event_age_in_seconds: spec.maximumEventAgeSeconds,
      });
      expect(JSON.stringify(ownInvokeConfig(name)?.['destination_config'])).toMatch(
        /^\{"on_failure":\{"destination":"\$\{aws_sqs_queue\.dead-letter-queue_[0-9A-F]+\.arn\}"\}\}$/,
      );
    },
  );

  it('neither retries reconcile nor parks it: its next scheduled run is the retry', () => {
    const own = ownInvokeConfig('reconcile');
    expect(own?.['maximum_retry_attempts']).toBe(0);
    expect(own).not.toHaveProperty('destination_config');
  });

  function ownInvokeConfig(name: string) {
    const configs = Object.values(tf.resource?.['aws_lambda_function_event_invoke_config'] ?? {});
    return configs.find((c) =>
      String(c['function_name']).startsWith(`\${aws_lambda_function.functions_${name}_function_`),
    );
  }

  it('keeps each function log group for the configured retention', () => {
    for (const name of FUNCTION_NAMES) {
      expect(synth).toHaveResourceWithProperties(CloudwatchLogGroup, {
        name: `/aws/lambda/imgpipe-dev-${name}`,
        retention_in_days: config.logRetentionDays,
      });
    }
  });

  it('creates a function only after its image is pushed', () => {
    for (const fn of Object.values(tf.resource?.['aws_lambda_function'] ?? {})) {
      expect(fn['depends_on']).toEqual(
        expect.arrayContaining([expect.stringMatching(/^terraform_data\.image_build/)]),
      );
    }
  });
});
