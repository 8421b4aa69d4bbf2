import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import type { PolicyCondition } from '@imgpipe/pipeline';
import { Construct } from 'constructs';

/** One allow statement: specific actions on specific resources (never `*` actions). */
export interface Grant {
  /** Statement id, so a reader of the policy sees why it is there. */
  readonly sid: string;
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  /** IAM conditions, all of which must hold. */
  readonly conditions?: readonly PolicyCondition[];
}

export interface LeastPrivilegeRoleProps {
  readonly roleName: string;
  /** The service that assumes the role, e.g. `lambda.amazonaws.com`. */
  readonly servicePrincipal: string;
  readonly grants: readonly Grant[];
}

/**
 * An IAM role assumed by one service with one inline policy, both built from policy documents.
 * @example new LeastPrivilegeRole(this, 'role', { roleName, servicePrincipal: 'lambda.amazonaws.com', grants })
 */
export class LeastPrivilegeRole extends Construct {
  readonly role: IamRole;
  readonly policy: DataAwsIamPolicyDocument;
  /** The inline policy attachment; depend on it to be sure the grants are in place. */
  readonly inlinePolicy: IamRolePolicy;

  constructor(scope: Construct, id: string, props: LeastPrivilegeRoleProps) {
    super(scope, id);
    const trust = new DataAwsIamPolicyDocument(this, 'trust', {
      statement: [
        {
          sid: 'AssumedByService',
          effect: 'Allow',
          actions: ['sts:AssumeRole'],
          principals: [{ type: 'Service', identifiers: [props.servicePrincipal] }],
        },
      ],
    });
    this.role = new IamRole(this, 'role', { name: props.roleName, assumeRolePolicy: trust.json });
    this.policy = new DataAwsIamPolicyDocument(this, 'policy', {
      statement: props.grants.map((grant) => ({
        sid: grant.sid,
        effect: 'Allow',
        actions: [...grant.actions],
        resources: [...grant.resources],
        ...(grant.conditions
          ? {
              condition: grant.conditions.map((c) => ({
                test: c.test,
                variable: c.variable,
                values: [...c.values],
              })),
            }
          : {}),
      })),
    });
    this.inlinePolicy = new IamRolePolicy(this, 'inline', {
      name: `${props.roleName}-policy`,
      role: this.role.id,
      policy: this.policy.json,
    });
  }
}

/**
 * A deny-unless-TLS statement for a resource policy (S3 bucket, SQS queue, SNS topic).
 * @example tlsOnlyStatement('s3:*', [bucket.arn, `${bucket.arn}/*`])
 */
export function tlsOnlyStatement(actionsPattern: string, resources: readonly string[]) {
  return {
    sid: 'DenyInsecureTransport',
    effect: 'Deny',
    actions: [actionsPattern],
    resources: [...resources],
    principals: [{ type: '*', identifiers: ['*'] }],
    condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
  };
}
