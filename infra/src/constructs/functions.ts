import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
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
  /**
   * Reserve each function's `reservedConcurrency`. Off where the account's concurrency quota is
   * small (a fresh account's is often 10; Lambda keeps 100 unreserved). Default true.
   */
  readonly reserveConcurrency?: boolean;
}

/**
 * What X-Ray's active tracing needs from the execution role: Lambda's runtime sends the segments, not
 * our code, and X-Ray has no resource-level permissions, hence `*`. A policy of its own, beside the
 * function's least-privilege grants.
 */
export const WRITE_TRACES_ACTIONS = ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'] as const;

/**
 * The role policy X-Ray's active tracing needs (`WRITE_TRACES_ACTIONS`), named `<function>-tracing`;
 * the function depends on it.
 */
export function writeTracesPolicy(
  scope: Construct,
  functionName: string,
  role: LeastPrivilegeRole,
): IamRolePolicy {
  return new IamRolePolicy(scope, 'tracing', {
    name: `${functionName}-tracing`,
    role: role.role.id,
    policy: new DataAwsIamPolicyDocument(scope, 'tracing-document', {
      statement: [
        { sid: 'WriteTraces', effect: 'Allow', actions: [...WRITE_TRACES_ACTIONS], resources: ['*'] },
      ],
    }).json,
  });
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
    const reserve = props.reserveConcurrency ?? true;
    // A function only a schedule starts is not parked on failure: its next scheduled run is the retry.
    const eventDriven = new Set(pipeline.rules.flatMap((rule) => rule.targets));
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
      const traces = writeTracesPolicy(fnScope, functionName, role);
      const lambda = new LambdaFunction(fnScope, 'function', {
        functionName,
        description: `imgpipe ${name} (${spec.command})`,
        packageType: 'Image',
        imageUri: props.imageUri,
        imageConfig: { command: [spec.command] },
        architectures: [props.architecture],
        memorySize: spec.memoryMb,
        timeout: spec.timeoutSeconds,
        ...(reserve ? { reservedConcurrentExecutions: spec.reservedConcurrency } : {}),
        role: role.role.arn,
        tracingConfig: { mode: 'Active' },
        // JSON for the platform's own lines too (the handlers already log JSON), into the managed log group.
        loggingConfig: { logFormat: 'JSON', logGroup: logGroup.name },
        environment: { variables: functionEnvironment(pipeline, name) },
        dependsOn: [logGroup, props.imageBuild, role.inlinePolicy, traces],
      });
      new LambdaFunctionEventInvokeConfig(fnScope, 'async', {
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
