import { API_DEPLOY_ENV } from '../src/constructs/image-api';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaFunctionEventInvokeConfig } from '@cdktf/provider-aws/lib/lambda-function-event-invoke-config';
import { FUNCTION_NAMES, functionEnvironment } from '@imgpipe/pipeline';
import { Testing } from 'cdktf';
import { pipelineFor } from '../src/config';
import { devConfig, devStack, resourceWhere, synthesized } from './helpers';

describe('Functions', () => {
  const config = devConfig();
  const pipeline = pipelineFor(config);
  const stack = devStack();
  const synth = Testing.synth(stack);
  const tf = synthesized(stack);

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
        reserved_concurrent_executions: spec.reservedConcurrency,
      });
    },
  );

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

  it.each(FUNCTION_NAMES)(
    'retries %s asynchronously and parks what fails in the dead-letter queue',
    (name) => {
      const spec = pipeline.functions[name];
      expect(synth).toHaveResourceWithProperties(LambdaFunctionEventInvokeConfig, {
        maximum_retry_attempts: spec.maximumRetryAttempts,
        maximum_event_age_in_seconds: spec.maximumEventAgeSeconds,
      });
      const configs = Object.values(tf.resource?.['aws_lambda_function_event_invoke_config'] ?? {});
      const own = configs.find((c) =>
        String(c['function_name']).startsWith(`\${aws_lambda_function.functions_${name}_function_`),
      );
      expect(own).toBeDefined();
      expect(JSON.stringify(own?.['destination_config'])).toMatch(
        /^\{"on_failure":\{"destination":"\$\{aws_sqs_queue\.dead-letter-queue_[0-9A-F]+\.arn\}"\}\}$/,
      );
    },
  );

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
