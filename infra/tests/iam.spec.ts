import {
  ALL_FUNCTION_NAMES,
  type AnyFunctionName,
  definePipeline,
  FUNCTION_NAMES,
  type FunctionPolicy,
  namedPolicyArns,
} from '@imgpipe/pipeline';
import { Testing } from 'cdktf';
import { functionGrants } from '../src/constructs/grants';
import { LeastPrivilegeRole } from '../src/constructs/iam';
import { referencedPolicyDocument, statements, type TerraformJson } from '../src/policy/terraform-json';
import { devStack, synthesized } from './helpers';

/** The statements of a function's inline role policy, read back from the synthesized Terraform. */
function roleStatements(tf: TerraformJson, fn: AnyFunctionName) {
  const policy = Object.values(tf.resource?.['aws_iam_role_policy'] ?? {}).find(
    (p) => p['name'] === `imgpipe-dev-${fn}-policy`,
  );
  const doc = referencedPolicyDocument(tf, policy?.['policy']);
  if (!doc) throw new Error(`no policy document for ${fn}`);
  return statements(doc);
}

/** The Terraform id of function `fn`'s own log group (`/aws/lambda/imgpipe-dev-<fn>`). */
function logGroupId(tf: TerraformJson, fn: AnyFunctionName): string {
  const entry = Object.entries(tf.resource?.['aws_cloudwatch_log_group'] ?? {}).find(
    ([, group]) => group['name'] === `/aws/lambda/imgpipe-dev-${fn}`,
  );
  if (!entry) throw new Error(`no log group for ${fn}`);
  return entry[0];
}

/**
 * `${aws_s3_bucket.buckets_source_bucket_X.arn}/*` → `source-objects`: the pipeline's policy resource a
 * synthesized ARN reference stands for (the function's own log group only for its own role).
 */
function owner(tf: TerraformJson, resource: string, fn: AnyFunctionName): string {
  const rules: [RegExp | string, string][] = [
    [/^\$\{aws_s3_bucket\.buckets_source_[^.]+\.arn\}$/, 'source-bucket'],
    [/^\$\{aws_s3_bucket\.buckets_source_[^.]+\.arn\}\/\*$/, 'source-objects'],
    [/^\$\{aws_s3_bucket\.buckets_derived_[^.]+\.arn\}$/, 'derived-bucket'],
    [/^\$\{aws_s3_bucket\.buckets_derived_[^.]+\.arn\}\/\*$/, 'derived-objects'],
    [/^\$\{aws_dynamodb_table\.tables_images_[^.]+\.arn\}$/, 'images-table'],
    [/^\$\{aws_dynamodb_table\.tables_images_[^.]+\.arn\}\/index\/\*$/, 'images-table-indexes'],
    [/^\$\{aws_dynamodb_table\.tables_control_[^.]+\.arn\}$/, 'control-table'],
    [/^\$\{aws_sqs_queue\.dead-letter-queue_[^.]+\.arn\}$/, 'dead-letter-queue'],
    [`\${aws_cloudwatch_log_group.${logGroupId(tf, fn)}.arn}:*`, 'own-log-streams'],
  ];
  return (
    rules.find(([pattern]) =>
      typeof pattern === 'string' ? pattern === resource : pattern.test(resource),
    )?.[1] ?? resource
  );
}

/** Each policy resource with the sorted actions the role allows on it. */
function access(tf: TerraformJson, fn: AnyFunctionName): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const s of roleStatements(tf, fn)) {
    for (const r of s.resources) {
      const name = owner(tf, r, fn);
      out[name] = [...(out[name] ?? []), ...s.actions].sort();
    }
  }
  return out;
}

describe('function roles', () => {
  const tf = synthesized(devStack());
  const pipeline = definePipeline();

  it.each(ALL_FUNCTION_NAMES)(
    "are exactly the pipeline definition's policy of %s, statement by statement",
    (fn) => {
      expect(
        roleStatements(tf, fn).map((s) => ({
          sid: s.sid,
          effect: s.effect,
          actions: s.actions,
          resources: s.resources.map((r) => owner(tf, r, fn)),
          conditions: s.conditions,
        })),
      ).toEqual(
        pipeline.policies[fn].map((s) => ({
          sid: s.sid,
          effect: 'Allow',
          actions: s.actions,
          resources: s.resources,
          conditions: s.conditions ?? [],
        })),
      );
    },
  );

  it('lets resize read the source, write its variants and record them on the images table', () => {
    expect(access(tf, 'resize')).toEqual({
      'source-bucket': ['s3:ListBucket'],
      'source-objects': ['s3:GetObject'],
      'derived-bucket': ['s3:ListBucket'],
      'derived-objects': ['s3:DeleteObject', 's3:GetObject', 's3:PutObject'],
      'images-table': ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
      'dead-letter-queue': ['sqs:SendMessage'],
      'own-log-streams': ['logs:CreateLogStream', 'logs:PutLogEvents'],
    });
  });

  it('lets metadata-sync read the source and update the images table, nothing in the derived bucket', () => {
    expect(access(tf, 'metadata-sync')).toEqual({
      'source-bucket': ['s3:ListBucket'],
      'source-objects': ['s3:GetObject'],
      'images-table': ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
      'dead-letter-queue': ['sqs:SendMessage'],
      'own-log-streams': ['logs:CreateLogStream', 'logs:PutLogEvents'],
    });
  });

  it('lets reconcile batch-read, scan and update rows, repair variants and keep its lease and checkpoint', () => {
    expect(access(tf, 'reconcile')).toEqual({
      'source-bucket': ['s3:ListBucket'],
      'source-objects': ['s3:GetObject'],
      'derived-bucket': ['s3:ListBucket'],
      'derived-objects': ['s3:DeleteObject', 's3:GetObject', 's3:PutObject'],
      'images-table': ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Scan', 'dynamodb:UpdateItem'],
      'control-table': ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem'],
      'own-log-streams': ['logs:CreateLogStream', 'logs:PutLogEvents'],
    });
  });

  // The HTTP functions have no async invoke config: their exact access below has no DLQ.
  it.each(FUNCTION_NAMES)(
    'lets %s send to the DLQ exactly when Lambda parks its failed events there',
    (fn) => {
      const invokeConfig = Object.values(tf.resource?.['aws_lambda_function_event_invoke_config'] ?? {}).find(
        (c) => String(c['function_name']).includes(`aws_lambda_function.functions_${fn}_function_`),
      );
      expect(invokeConfig).toBeDefined();
      const parksFailures = invokeConfig?.['destination_config'] !== undefined;
      expect(access(tf, fn)['dead-letter-queue']).toEqual(parksFailures ? ['sqs:SendMessage'] : undefined);
    },
  );

  it.each(ALL_FUNCTION_NAMES)(
    'limits %s to named resources of its own stack, with no * action or resource',
    (fn) => {
      for (const s of roleStatements(tf, fn)) {
        expect(s.effect).toBe('Allow');
        for (const action of s.actions) expect(action).not.toMatch(/(^\*$|:\*$)/);
        for (const resource of s.resources)
          expect(resource).toMatch(/^\$\{aws_[a-z0-9_]+\.[^.]+\.arn\}(:\*|\/\*|\/index\/\*)?$/);
      }
    },
  );

  it('lets api alone write the source bucket (presigned uploads are signed with its role, and deletes)', () => {
    const writers = ALL_FUNCTION_NAMES.flatMap((fn) =>
      roleStatements(tf, fn)
        .filter(
          (s) =>
            s.resources.some((r) => owner(tf, r, fn).startsWith('source-')) &&
            s.actions.some((a) => /Put|Delete/.test(a)),
        )
        .map((s) => `${fn}.${s.sid}`),
    );
    expect(writers).toEqual(['api.UploadHeadAndDeleteSources']);
  });

  it('lets api presign uploads, head and delete sources, and read rows by key and through the indexes, never Scan', () => {
    expect(access(tf, 'api')).toEqual({
      'source-bucket': ['s3:ListBucket'],
      'source-objects': ['s3:DeleteObject', 's3:GetObject', 's3:PutObject'],
      'images-table': ['dynamodb:GetItem', 'dynamodb:Query'],
      'images-table-indexes': ['dynamodb:GetItem', 'dynamodb:Query'],
      'own-log-streams': ['logs:CreateLogStream', 'logs:PutLogEvents'],
    });
  });

  it('lets render read the source and the row and write nothing', () => {
    expect(access(tf, 'render')).toEqual({
      'source-bucket': ['s3:ListBucket'],
      'source-objects': ['s3:GetObject'],
      'images-table': ['dynamodb:GetItem'],
      'own-log-streams': ['logs:CreateLogStream', 'logs:PutLogEvents'],
    });
  });

  it('trusts only the Lambda service to assume a function role', () => {
    const roles = Object.values(tf.resource?.['aws_iam_role'] ?? {});
    // resize, metadata-sync, reconcile, api, render
    expect(roles).toHaveLength(5);
    for (const role of roles) {
      const trust = referencedPolicyDocument(tf, role['assume_role_policy']);
      expect(trust && statements(trust)).toEqual([
        expect.objectContaining({ effect: 'Allow', actions: ['sts:AssumeRole'] }),
      ]);
      expect(JSON.stringify(trust?.block['statement'])).toContain('lambda.amazonaws.com');
    }
  });
});

describe('functionGrants', () => {
  it("writes a statement's conditions into the role's policy document", () => {
    const policy: FunctionPolicy = [
      {
        sid: 'ListPhotos',
        actions: ['s3:ListBucket'],
        resources: ['source-bucket'],
        conditions: [{ test: 'StringLike', variable: 's3:prefix', values: ['photos/*'] }],
        basis: 'code',
      },
    ];
    const arns = namedPolicyArns(definePipeline().names, 'resize', {
      partition: 'aws',
      region: 'us-east-1',
      account: '123456789012',
    });
    const tf = JSON.parse(
      Testing.synthScope((scope) => {
        new LeastPrivilegeRole(scope, 'role', {
          roleName: 'test',
          servicePrincipal: 'lambda.amazonaws.com',
          grants: functionGrants(policy, arns),
        });
      }),
    ) as TerraformJson;
    const doc = Object.values(tf.data?.['aws_iam_policy_document'] ?? {}).find((d) =>
      JSON.stringify(d).includes('ListPhotos'),
    );
    expect(doc?.['statement']).toEqual([
      {
        sid: 'ListPhotos',
        effect: 'Allow',
        actions: ['s3:ListBucket'],
        resources: ['arn:aws:s3:::imgpipe-source'],
        condition: [{ test: 'StringLike', variable: 's3:prefix', values: ['photos/*'] }],
      },
    ]);
  });
});
