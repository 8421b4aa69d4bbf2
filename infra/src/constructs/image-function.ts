import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import type { AnyFunctionName, BaseFunctionSpec, FunctionPolicy, PolicyArns } from '@imgpipe/pipeline';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { Architecture } from '../config';
import { functionGrants } from './grants';
import { LeastPrivilegeRole } from './iam';

/** What every function of the one image is deployed with: the event functions and the HTTP ones. */
export interface ImageFunctionDeployment {
  /** Resource name prefix: a function is `<prefix>-<name>`. */
  readonly namePrefix: string;
  readonly architecture: Architecture;
  /** The one image of every function; `image_config.command` picks the handler. */
  readonly imageUri: string;
  /** What must exist before the function (the image push). */
  readonly imageBuild: ITerraformDependable;
  readonly logRetentionDays: number;
  /** The stack's resources a function's policy may name; its own log group is added. */
  readonly resources: Omit<PolicyArns, 'logGroup'>;
  /**
   * Reserve the definition's `reservedConcurrency`. Off where the account's concurrency quota is
   * small (a fresh account's is often 10; Lambda keeps 100 unreserved). Default true.
   */
  readonly reserveConcurrency?: boolean;
}

/** One function of the definition: its deployment plus what the definition says of it. */
export interface ImageFunctionProps extends ImageFunctionDeployment {
  readonly name: AnyFunctionName;
  readonly description: string;
  /** Its handler and sizing, from the definition. */
  readonly spec: BaseFunctionSpec;
  readonly policy: FunctionPolicy;
  readonly environment: Readonly<Record<string, string>>;
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
function writeTracesPolicy(scope: Construct, functionName: string, role: LeastPrivilegeRole): IamRolePolicy {
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

/**
 * One function of the one container image: `image_config.command` picks its handler, sizing from the
 * definition, X-Ray active tracing, JSON logs (the platform's own lines too) into a log group with
 * retention, and its own role built from the definition's policy. How it is invoked (async config,
 * dead-letter queue) is its caller's.
 */
export class ImageFunction extends Construct {
  readonly lambda: LambdaFunction;
  readonly role: LeastPrivilegeRole;
  readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: ImageFunctionProps) {
    super(scope, id);
    const { spec } = props;
    const functionName = `${props.namePrefix}-${props.name}`;
    this.logGroup = new CloudwatchLogGroup(this, 'logs', {
      name: `/aws/lambda/${functionName}`,
      retentionInDays: props.logRetentionDays,
    });
    this.role = new LeastPrivilegeRole(this, 'role', {
      roleName: functionName,
      servicePrincipal: 'lambda.amazonaws.com',
      grants: functionGrants(props.policy, { ...props.resources, logGroup: this.logGroup.arn }),
    });
    const traces = writeTracesPolicy(this, functionName, this.role);
    this.lambda = new LambdaFunction(this, 'function', {
      functionName,
      description: props.description,
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
      tracingConfig: { mode: 'Active' },
      // JSON for the platform's own lines too (the handlers already log JSON), into the managed log group.
      loggingConfig: { logFormat: 'JSON', logGroup: this.logGroup.name },
      environment: { variables: { ...props.environment } },
      dependsOn: [this.logGroup, props.imageBuild, this.role.inlinePolicy, traces],
    });
  }
}
