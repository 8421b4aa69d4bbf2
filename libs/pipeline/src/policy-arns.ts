import type { PolicyCondition, PolicyResource, FunctionPolicy } from './policies';

/**
 * A policy's resources as ARNs: infra passes the references of the resources it creates, the local
 * stack the ARNs it builds from the names (`namedPolicyArns`).
 */

/** The ARNs the policy resources are made from. */
export interface PolicyArns {
  readonly sourceBucket: string;
  readonly derivedBucket: string;
  readonly table: string;
  readonly controlTable: string;
  readonly deadLetterQueue: string;
  /** The function's own log group. */
  readonly logGroup: string;
}

/** A statement with its resources as ARNs. */
export interface ResolvedStatement {
  readonly sid: string;
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  readonly conditions: readonly PolicyCondition[];
}

/** The ARN pattern each policy resource stands for. */
export function policyResourceArn(resource: PolicyResource, arns: PolicyArns): string {
  switch (resource) {
    case 'source-bucket':
      return arns.sourceBucket;
    case 'source-objects':
      return `${arns.sourceBucket}/*`;
    case 'derived-bucket':
      return arns.derivedBucket;
    case 'derived-objects':
      return `${arns.derivedBucket}/*`;
    case 'images-table':
      return arns.table;
    case 'images-table-indexes':
      return `${arns.table}/index/*`;
    case 'control-table':
      return arns.controlTable;
    case 'dead-letter-queue':
      return arns.deadLetterQueue;
    case 'own-log-streams':
      return `${arns.logGroup}:*`;
  }
}

/**
 * A function policy with its resources as ARNs: what infra writes into the role and what the local
 * stack enforces.
 * @example resolvePolicy(pipeline.policies.resize, localPolicyArns(pipeline.names, 'resize'))
 */
export function resolvePolicy(policy: FunctionPolicy, arns: PolicyArns): ResolvedStatement[] {
  return policy.map((s) => ({
    sid: s.sid,
    actions: [...s.actions],
    resources: s.resources.map((r) => policyResourceArn(r, arns)),
    conditions: [...(s.conditions ?? [])],
  }));
}

/** Where a deployment lives, for ARNs built from names. */
export interface ArnScope {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
}

/**
 * The ARNs of the named resources of function `fn`, built from their names (the local stack's way;
 * infra uses the references of the resources it creates).
 * @example namedPolicyArns(pipeline.names, 'resize', { partition: 'aws', region: 'us-east-1', account: '000000000000' })
 */
export function namedPolicyArns(
  names: {
    readonly sourceBucket: string;
    readonly derivedBucket: string;
    readonly table: string;
    readonly controlTable: string;
    readonly deadLetterQueue: string;
  },
  fn: string,
  scope: ArnScope,
): PolicyArns {
  const { partition, region, account } = scope;
  return {
    sourceBucket: `arn:${partition}:s3:::${names.sourceBucket}`,
    derivedBucket: `arn:${partition}:s3:::${names.derivedBucket}`,
    table: `arn:${partition}:dynamodb:${region}:${account}:table/${names.table}`,
    controlTable: `arn:${partition}:dynamodb:${region}:${account}:table/${names.controlTable}`,
    deadLetterQueue: `arn:${partition}:sqs:${region}:${account}:${names.deadLetterQueue}`,
    logGroup: `arn:${partition}:logs:${region}:${account}:log-group:/aws/lambda/${fn}`,
  };
}
