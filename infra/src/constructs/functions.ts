import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaFunctionEventInvokeConfig } from '@cdktf/provider-aws/lib/lambda-function-event-invoke-config';
import {
  FUNCTION_NAMES,
  functionEnvironment,
  type FunctionName,
  type PipelineDefinition,
  type PolicyArns,
} from '@imgpipe/pipeline';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { Architecture } from '../config';
import { functionGrants } from './grants';
import { LeastPrivilegeRole } from './iam';

export interface FunctionsProps {
  readonly pipeline: PipelineDefinition;
  /** Resource name prefix: functions are `<prefix>-<name>`. */
  readonly namePrefix: string;
  readonly architecture: Architecture;
  /** The one image; `image_config.command` picks each function's handler. */
  readonly imageUri: string;
  /** What must exist before the functions (the image push). */
  readonly imageBuild: ITerraformDependable;
  readonly logRetentionDays: number;
  readonly resources: Omit<PolicyArns, 'logGroup'>;
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
 * `image_config.command` choosing the handler, memory/timeout/reserved concurrency per function,
 * environment from `functionEnvironment`, a log group with retention, its own role, and an async
 * invoke config (retries, maximum event age, on-failure to the dead-letter queue).
 */
export class Functions extends Construct {
  readonly byName: Readonly<Record<FunctionName, DeployedFunction>>;

  constructor(scope: Construct, id: string, props: FunctionsProps) {
    super(scope, id);
    const { pipeline } = props;
    const entries = FUNCTION_NAMES.map((name): [FunctionName, DeployedFunction] => {
      const spec = pipeline.functions[name];
      const functionName = `${props.namePrefix}-${name}`;
      const fnScope = new Construct(this, name);
      const logGroup = new CloudwatchLogGroup(fnScope, 'logs', {
        name: `/aws/lambda/${functionName}`,
        retentionInDays: props.logRetentionDays,
      });
      const role = new LeastPrivilegeRole(fnScope, 'role', {
        roleName: functionName,
        servicePrincipal: 'lambda.amazonaws.com',
        grants: functionGrants(pipeline.policies[name], { ...props.resources, logGroup: logGroup.arn }),
      });
      const lambda = new LambdaFunction(fnScope, 'function', {
        functionName,
        description: `imgpipe ${name} (${spec.command})`,
        packageType: 'Image',
        imageUri: props.imageUri,
        imageConfig: { command: [spec.command] },
        architectures: [props.architecture],
        memorySize: spec.memoryMb,
        timeout: spec.timeoutSeconds,
        reservedConcurrentExecutions: spec.reservedConcurrency,
        role: role.role.arn,
        environment: { variables: functionEnvironment(pipeline, name) },
        dependsOn: [logGroup, props.imageBuild, role.inlinePolicy],
      });
      new LambdaFunctionEventInvokeConfig(fnScope, 'async', {
        functionName: lambda.functionName,
        maximumRetryAttempts: spec.maximumRetryAttempts,
        maximumEventAgeInSeconds: spec.maximumEventAgeSeconds,
        destinationConfig: { onFailure: { destination: props.resources.deadLetterQueue } },
      });
      return [name, { name, lambda, role, logGroup }];
    });
    this.byName = Object.fromEntries(entries) as Record<FunctionName, DeployedFunction>;
  }
}
