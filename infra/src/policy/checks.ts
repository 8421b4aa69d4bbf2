import type { Architecture } from '../config';
import { type AlarmViolation, checkAlarms } from './alarm-checks';
import { checkDelivery, type DeliveryViolation } from './delivery-checks';
import {
  blocks,
  constructPath,
  dataSources,
  type Item,
  referencedPolicyDocument,
  references,
  resources,
  statements,
  type TerraformJson,
} from './terraform-json';

/** A broken rule, with a stable code and where it was found. */
export interface Violation {
  readonly code:
    | 'PUBLIC_BUCKET'
    | 'MISSING_ENCRYPTION'
    | 'MISSING_TLS_ONLY_POLICY'
    | 'WILDCARD_ACTION'
    | 'LITERAL_POLICY'
    | 'WRONG_ARCHITECTURE'
    | DeliveryViolation['code']
    | AlarmViolation['code'];
  readonly path: string;
  readonly message: string;
}

export interface PolicyOptions {
  /** The architecture every function must use. */
  readonly architecture: Architecture;
}

const PUBLIC_ACCESS_FLAGS = [
  'block_public_acls',
  'block_public_policy',
  'ignore_public_acls',
  'restrict_public_buckets',
];

function forBucket(tf: TerraformJson, type: string, bucket: Item): Item[] {
  return resources(tf, type).filter((item) => references(item.block['bucket'], 'aws_s3_bucket', bucket.name));
}

function checkBuckets(tf: TerraformJson): Violation[] {
  const out: Violation[] = [];
  for (const bucket of resources(tf, 'aws_s3_bucket')) {
    const path = constructPath(bucket);
    const blocked = forBucket(tf, 'aws_s3_bucket_public_access_block', bucket).some((pab) =>
      PUBLIC_ACCESS_FLAGS.every((flag) => pab.block[flag] === true),
    );
    if (!blocked)
      out.push({
        code: 'PUBLIC_BUCKET',
        path,
        message: 'bucket has no Block Public Access with all four settings on',
      });
    for (const acl of forBucket(tf, 'aws_s3_bucket_acl', bucket)) {
      if (String(acl.block['acl'] ?? '').startsWith('public')) {
        out.push({
          code: 'PUBLIC_BUCKET',
          path: constructPath(acl),
          message: `bucket ACL "${String(acl.block['acl'])}" is public`,
        });
      }
    }
    const encrypted = forBucket(tf, 'aws_s3_bucket_server_side_encryption_configuration', bucket).some(
      (sse) =>
        blocks(sse.block['rule']).some(
          (rule) => blocks(rule['apply_server_side_encryption_by_default']).length > 0,
        ),
    );
    if (!encrypted)
      out.push({ code: 'MISSING_ENCRYPTION', path, message: 'bucket has no default encryption' });
    const tlsOnly = forBucket(tf, 'aws_s3_bucket_policy', bucket).some((policy) => {
      const doc = referencedPolicyDocument(tf, policy.block['policy']);
      return (
        doc !== undefined &&
        statements(doc).some(
          (s) =>
            s.effect === 'Deny' &&
            s.conditions.some((c) => c.variable === 'aws:SecureTransport' && c.values.includes('false')),
        )
      );
    });
    if (!tlsOnly)
      out.push({
        code: 'MISSING_TLS_ONLY_POLICY',
        path,
        message: 'bucket policy does not deny non-TLS requests',
      });
  }
  return out;
}

function checkEncryption(tf: TerraformJson): Violation[] {
  const out: Violation[] = [];
  for (const table of resources(tf, 'aws_dynamodb_table')) {
    if (!blocks(table.block['server_side_encryption']).some((sse) => sse['enabled'] === true)) {
      out.push({
        code: 'MISSING_ENCRYPTION',
        path: constructPath(table),
        message: 'table has no server-side encryption',
      });
    }
  }
  for (const queue of resources(tf, 'aws_sqs_queue')) {
    if (queue.block['sqs_managed_sse_enabled'] !== true && !queue.block['kms_master_key_id']) {
      out.push({
        code: 'MISSING_ENCRYPTION',
        path: constructPath(queue),
        message: 'queue is not encrypted (SSE-SQS or KMS)',
      });
    }
  }
  for (const topic of resources(tf, 'aws_sns_topic')) {
    if (typeof topic.block['kms_master_key_id'] !== 'string' || topic.block['kms_master_key_id'] === '') {
      out.push({
        code: 'MISSING_ENCRYPTION',
        path: constructPath(topic),
        message: 'topic is not encrypted (no kms_master_key_id)',
      });
    }
  }
  for (const repo of resources(tf, 'aws_ecr_repository')) {
    if (blocks(repo.block['encryption_configuration']).length === 0) {
      out.push({
        code: 'MISSING_ENCRYPTION',
        path: constructPath(repo),
        message: 'repository has no encryption configuration',
      });
    }
  }
  return out;
}

function isWildcardAction(action: string): boolean {
  return action === '*' || action.endsWith(':*');
}

/** Resources whose `policy` is an IAM policy (identity or resource policy) and must come from a policy document. */
const POLICY_RESOURCES = [
  'aws_iam_role_policy',
  'aws_iam_policy',
  'aws_s3_bucket_policy',
  'aws_sqs_queue_policy',
  'aws_sns_topic_policy',
  'aws_ecr_repository_policy',
];

function checkIam(tf: TerraformJson): Violation[] {
  const out: Violation[] = [];
  for (const doc of dataSources(tf, 'aws_iam_policy_document')) {
    for (const s of statements(doc)) {
      if (s.effect !== 'Allow') continue;
      const wild = s.actions.filter(isWildcardAction);
      if (wild.length > 0 || s.notActions.length > 0) {
        out.push({
          code: 'WILDCARD_ACTION',
          path: constructPath(doc),
          message: `statement ${s.sid ?? '(no sid)'} allows ${wild.length > 0 ? wild.join(', ') : 'NotAction'}`,
        });
      }
    }
  }
  for (const type of POLICY_RESOURCES) {
    for (const policy of resources(tf, type)) {
      if (!referencedPolicyDocument(tf, policy.block['policy'])) {
        out.push({
          code: 'LITERAL_POLICY',
          path: constructPath(policy),
          message: 'policy is not built from a policy document',
        });
      }
    }
  }
  // A key without a policy gets KMS's default one, which allows the account kms:*.
  for (const key of resources(tf, 'aws_kms_key')) {
    if (!referencedPolicyDocument(tf, key.block['policy'])) {
      out.push({
        code: 'LITERAL_POLICY',
        path: constructPath(key),
        message: 'key policy is not built from a policy document',
      });
    }
  }
  return out;
}

function checkArchitecture(tf: TerraformJson, architecture: Architecture): Violation[] {
  return resources(tf, 'aws_lambda_function')
    .filter((fn) => {
      const archs = (fn.block['architectures'] as string[] | undefined) ?? ['x86_64'];
      return archs.length !== 1 || archs[0] !== architecture;
    })
    .map((fn) => ({
      code: 'WRONG_ARCHITECTURE' as const,
      path: constructPath(fn),
      message: `function runs on ${JSON.stringify(fn.block['architectures'] ?? ['x86_64'])} but ${architecture} is configured`,
    }));
}

/**
 * Checks synthesized Terraform against the stack's policies: no public bucket, TLS-only bucket
 * policies, encryption everywhere (buckets, tables, queues, topics, repositories), no `*` actions,
 * policies (identity, resource and key policies) only from policy documents, every
 * function on the configured architecture, and the delivery rules (`checkDelivery`: authorized
 * routes, `AWS_IAM` Function URLs, S3 origins through OAC), and alarms that can fire and be heard
 * (`checkAlarms`: each in its topic's region, CloudFront's in us-east-1).
 * @example expect(checkTerraform(JSON.parse(Testing.fullSynth(stack)), { architecture: 'arm64' })).toEqual([])
 */
export function checkTerraform(tf: TerraformJson, options: PolicyOptions): Violation[] {
  return [
    ...checkBuckets(tf),
    ...checkEncryption(tf),
    ...checkIam(tf),
    ...checkArchitecture(tf, options.architecture),
    ...checkDelivery(tf),
    ...checkAlarms(tf),
  ];
}
