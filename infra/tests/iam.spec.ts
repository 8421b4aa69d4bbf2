import { FUNCTION_NAMES, type FunctionName } from '@imgpipe/pipeline';
import { referencedPolicyDocument, statements, type TerraformJson } from '../src/policy/terraform-json';
import { devStack, synthesized } from './helpers';

/** The statements of a function's inline role policy, read back from the synthesized Terraform. */
function roleStatements(tf: TerraformJson, fn: FunctionName) {
  const policy = Object.values(tf.resource?.['aws_iam_role_policy'] ?? {}).find(
    (p) => p['name'] === `imgpipe-dev-${fn}-policy`,
  );
  const doc = referencedPolicyDocument(tf, policy?.['policy']);
  if (!doc) throw new Error(`no policy document for ${fn}`);
  return statements(doc);
}

/** `${aws_s3_bucket.buckets_source_bucket_X.arn}/*` → `source-bucket/*`, for readable expectations. */
function owner(resource: string): string {
  const rules: [RegExp, string][] = [
    [/aws_s3_bucket\.buckets_source_/, 'source-bucket'],
    [/aws_s3_bucket\.buckets_derived_/, 'derived-bucket'],
    [/aws_dynamodb_table\.tables_images_/, 'images-table'],
    [/aws_dynamodb_table\.tables_control_/, 'control-table'],
    [/aws_sqs_queue\.dead-letter-queue_/, 'dlq'],
    [/aws_cloudwatch_log_group\.functions_([a-z-]+)_logs_/, 'logs:$1'],
  ];
  for (const [pattern, name] of rules) {
    const match = pattern.exec(resource);
    if (match) return resource.endsWith('/*') ? `${name}/*` : name.replace('$1', match[1] ?? '');
  }
  return resource;
}

function access(tf: TerraformJson, fn: FunctionName): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const s of roleStatements(tf, fn)) {
    for (const r of s.resources) out[owner(r)] = [...(out[owner(r)] ?? []), ...s.actions].sort();
  }
  return out;
}

describe('function roles', () => {
  const tf = synthesized(devStack());

  it('lets resize read the source, write its variants and record them on the images table', () => {
    expect(access(tf, 'resize')).toEqual({
      'source-bucket': ['s3:ListBucket'],
      'source-bucket/*': ['s3:GetObject', 's3:GetObjectVersion'],
      'derived-bucket': ['s3:ListBucket'],
      'derived-bucket/*': ['s3:DeleteObject', 's3:GetObject', 's3:PutObject'],
      'images-table': ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
      dlq: ['sqs:SendMessage'],
      'logs:resize': ['logs:CreateLogStream', 'logs:PutLogEvents'],
    });
  });

  it('lets metadata-sync read the source and update the images table, nothing in the derived bucket', () => {
    expect(access(tf, 'metadata-sync')).toEqual({
      'source-bucket': ['s3:ListBucket'],
      'source-bucket/*': ['s3:GetObject', 's3:GetObjectVersion'],
      'images-table': ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
      dlq: ['sqs:SendMessage'],
      'logs:metadata-sync': ['logs:CreateLogStream', 'logs:PutLogEvents'],
    });
  });

  it('lets reconcile repair the derived bucket, the images table and its own control table', () => {
    const reconcile = access(tf, 'reconcile');
    expect(Object.keys(reconcile).sort()).toEqual(
      [
        'control-table',
        'derived-bucket',
        'derived-bucket/*',
        'dlq',
        'images-table',
        'logs:reconcile',
        'source-bucket',
        'source-bucket/*',
      ].sort(),
    );
    expect(reconcile['source-bucket/*']).toEqual(['s3:GetObject', 's3:GetObjectVersion']);
    expect(reconcile['derived-bucket/*']).toEqual(['s3:DeleteObject', 's3:GetObject', 's3:PutObject']);
    expect(reconcile['images-table']).toEqual(
      expect.arrayContaining(['dynamodb:Scan', 'dynamodb:UpdateItem']),
    );
    expect(reconcile['control-table']).toEqual([
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
    ]);
  });

  it.each(FUNCTION_NAMES)(
    'limits %s to named resources of its own stack, with no * action or resource',
    (fn) => {
      for (const s of roleStatements(tf, fn)) {
        expect(s.effect).toBe('Allow');
        for (const action of s.actions) expect(action).not.toMatch(/(^\*$|:\*$)/);
        for (const resource of s.resources)
          expect(resource).toMatch(/^\$\{aws_[a-z0-9_]+\.[^.]+\.arn\}(:\*|\/\*)?$/);
      }
    },
  );

  it('never lets the source bucket be written by a function', () => {
    for (const fn of FUNCTION_NAMES) {
      const writes = roleStatements(tf, fn).filter(
        (s) =>
          s.resources.some((r) => owner(r).startsWith('source-bucket')) &&
          s.actions.some((a) => /Put|Delete/.test(a)),
      );
      expect(writes).toEqual([]);
    }
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
