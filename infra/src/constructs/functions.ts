import type { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import type { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaFunctionEventInvokeConfig } from '@cdktf/provider-aws/lib/lambda-function-event-invoke-config';
import {
  FUNCTION_NAMES,
  functionEnvironment,
  type FunctionName,
  type PipelineDefinition,
} from '@imgpipe/pipeline';
import { Construct } from 'constructs';
import type { LeastPrivilegeRole } from './iam';
import { ImageFunction, type ImageFunctionDeployment } from './image-function';

export interface FunctionsProps extends ImageFunctionDeployment {
  readonly pipeline: PipelineDefinition;
}

/** One deployed function and what belongs to it. */
export interface DeployedFunction {
  readonly name: FunctionName;
  readonly lambda: LambdaFunction;
  readonly role: LeastPrivilegeRole;
  readonly logGroup: CloudwatchLogGroup;
}

/**
 * The three functions from the pipeline definition: the same container image with
 * `image_config.command` choosing the handler, memory/timeout/(optionally) reserved concurrency per
 * function, environment from `functionEnvironment`, X-Ray active tracing, JSON logs into a log group
 * with retention, its own role, and an async invoke config (retries, maximum event age, and for the
 * event-driven functions on-failure to the dead-letter queue).
 */
export class Functions extends Construct {
  readonly byName: Readonly<Record<FunctionName, DeployedFunction>>;

  constructor(scope: Construct, id: string, props: FunctionsProps) {
    super(scope, id);
    const { pipeline } = props;
    // A function only a schedule starts is not parked on failure: its next scheduled run is the retry.
    const eventDriven = new Set(pipeline.rules.flatMap((rule) => rule.targets));
    const entries = FUNCTION_NAMES.map((name): [FunctionName, DeployedFunction] => {
      const spec = pipeline.functions[name];
      const fn = new ImageFunction(this, name, {
        ...props,
        name,
        description: `imgpipe ${name} (${spec.command})`,
        spec,
        policy: pipeline.policies[name],
        environment: functionEnvironment(pipeline, name),
      });
      const { lambda, role, logGroup } = fn;
      new LambdaFunctionEventInvokeConfig(fn, 'async', {
        functionName: lambda.functionName,
        maximumRetryAttempts: spec.maximumRetryAttempts,
        maximumEventAgeInSeconds: spec.maximumEventAgeSeconds,
        ...(eventDriven.has(name)
          ? { destinationConfig: { onFailure: { destination: props.resources.deadLetterQueue } } }
          : {}),
      });
      return [name, { name, lambda, role, logGroup }];
    });
    this.byName = Object.fromEntries(entries) as Record<FunctionName, DeployedFunction>;
  }
}
