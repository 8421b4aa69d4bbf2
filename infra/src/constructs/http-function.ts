import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import {
  functionEnvironment,
  type HttpFunctionName,
  type PipelineDefinition,
  type PolicyArns,
} from '@imgpipe/pipeline';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { Architecture } from '../config';
import { writeTracesPolicy } from './functions';
import { functionGrants } from './grants';
import { LeastPrivilegeRole } from './iam';

export interface HttpFunctionProps {
  readonly pipeline: PipelineDefinition;
  readonly name: HttpFunctionName;
  /** Resource name prefix: the function is `<prefix>-<name>`. */
  readonly namePrefix: string;
  readonly architecture: Architecture;
  /** The one image of every function; `image_config.command` picks the handler. */
  readonly imageUri: string;
  /** What must exist before the function (the image push). */
  readonly imageBuild: ITerraformDependable;
  readonly logRetentionDays: number;
  /** The stack's resources its policy (`pipeline.policies[name]`) may name; its own log group is added. */
  readonly resources: Omit<PolicyArns, 'logGroup'>;
  /** Reserve the definition's concurrency (the environment's `reserveConcurrency`). Default true. */
  readonly reserveConcurrency?: boolean;
  /** Variables the deployer adds to `functionEnvironment` (`DEPLOY_TIME_ENV`: the CDN's URL, ...). */
  readonly extraEnvironment?: Readonly<Record<string, string>>;
}

/**
 * One synchronously invoked function (`api` behind the HTTP API, `render` behind the CDN): the same
 * image as the event functions with its own `image_config.command`, sizing from the pipeline
 * definition, environment from `functionEnvironment`, X-Ray active tracing, JSON logs into a log group
 * with retention, and its own role
 * built from the definition's policy, like the event functions' (the local stack enforces the same).
 * No async invoke config and no dead-letter queue: its caller gets the answer, or the error.
 */
export class HttpFunction extends Construct {
  readonly lambda: LambdaFunction;
  readonly role: LeastPrivilegeRole;
  readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: HttpFunctionProps) {
    super(scope, id);
    const spec = props.pipeline.httpFunctions[props.name];
    const functionName = `${props.namePrefix}-${props.name}`;
    this.logGroup = new CloudwatchLogGroup(this, 'logs', {
      name: `/aws/lambda/${functionName}`,
      retentionInDays: props.logRetentionDays,
    });
    this.role = new LeastPrivilegeRole(this, 'role', {
      roleName: functionName,
      servicePrincipal: 'lambda.amazonaws.com',
      grants: functionGrants(props.pipeline.policies[props.name], {
        ...props.resources,
        logGroup: this.logGroup.arn,
      }),
    });
    const traces = writeTracesPolicy(this, functionName, this.role);
    this.lambda = new LambdaFunction(this, 'function', {
      functionName,
      description: `imgpipe ${props.name} (${spec.command}, ${spec.trigger})`,
      packageType: 'Image',
      imageUri: props.imageUri,
      imageConfig: { command: [spec.command] },
      architectures: [props.architecture],
      memorySize: spec.memoryMb,
      timeout: spec.timeoutSeconds,
      ...((props.reserveConcurrency ?? true)
        ? { reservedConcurrentExecutions: spec.reservedConcurrency }
        : {}),
      role: this.role.role.arn,
      // Like the event functions: X-Ray active tracing, and JSON for the platform's own lines too.
      tracingConfig: { mode: 'Active' },
      loggingConfig: { logFormat: 'JSON', logGroup: this.logGroup.name },
      environment: {
        variables: { ...functionEnvironment(props.pipeline, props.name), ...props.extraEnvironment },
      },
      dependsOn: [this.logGroup, props.imageBuild, this.role.inlinePolicy, traces],
    });
  }
}
