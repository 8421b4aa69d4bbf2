import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findRepoRoot } from '@imgpipe/local-aws';

/**
 * The deployed shape, read from the synthesized Terraform JSON of every stack (`npx nx run infra:synth`
 * writes `infra/cdktf.out/stacks/<stack>/cdk.tf.json`; the reliability target depends on it).
 * infra's own tests prove each construct in isolation (tests/buckets, iam, rules, policy-checks); these
 * assertions run over the whole app as it would be deployed, so a resource added later without the
 * protections fails here even if nobody wrote a construct test for it.
 */
type Json = Record<string, unknown>;
interface Synth {
  readonly resource: Record<string, Record<string, Json>>;
  readonly data: Record<string, Record<string, Json>>;
}
interface Statement {
  readonly effect?: string;
  readonly actions?: readonly string[];
  readonly not_actions?: readonly string[];
  readonly resources?: readonly string[];
  readonly principals?: readonly { type: string; identifiers: readonly string[] }[];
  readonly condition?: readonly { test: string; variable: string; values: readonly string[] }[];
}

const outDir = join(findRepoRoot(__dirname), 'infra', 'cdktf.out', 'stacks');
const stacks: [string, Synth][] = existsSync(outDir)
  ? readdirSync(outDir)
      .filter((name) => existsSync(join(outDir, name, 'cdk.tf.json')))
      .map((name) => [name, JSON.parse(readFileSync(join(outDir, name, 'cdk.tf.json'), 'utf8')) as Synth])
  : [];

if (stacks.length === 0) {
  throw new Error(
    `No synthesized stack under ${outDir}: run npx nx run infra:synth (the test-reliability target depends on it)`,
  );
}

const of = (synth: Synth, type: string): [string, Json][] => Object.entries(synth.resource[type] ?? {});
const ref = (type: string, id: string, attr: string) => `\${${type}.${id}.${attr}}`;
/** The policy document a `${data.aws_iam_policy_document.X.json}` reference names. */
function documentOf(synth: Synth, reference: unknown): Statement[] {
  const id = /^\$\{data\.aws_iam_policy_document\.([^.]+)\.json\}$/.exec(String(reference))?.[1];
  const doc = id ? synth.data['aws_iam_policy_document']?.[id] : undefined;
  if (!doc)
    throw new Error(`Expected a reference to an aws_iam_policy_document but received ${String(reference)}`);
  return doc['statement'] as Statement[];
}
/** A resource's name: `name`, a bucket's fixed `bucket`, or its `bucket_prefix` without the trailing `-`. */
function nameOf(r: Json): string {
  return String(r['name'] ?? r['bucket'] ?? String(r['bucket_prefix'] ?? '').replace(/-$/, ''));
}
/** What the stack's other resources call a bucket: its fixed name, or a reference to the generated one. */
function bucketName(synth: Synth, id: string): string {
  const bucket = synth.resource['aws_s3_bucket']?.[id];
  return typeof bucket?.['bucket'] === 'string' ? bucket['bucket'] : ref('aws_s3_bucket', id, 'bucket');
}
function idByName(synth: Synth, type: string, suffix: string): string {
  const found = of(synth, type).find(([, r]) => nameOf(r).endsWith(suffix));
  if (!found) throw new Error(`No ${type} named *${suffix}`);
  return found[0];
}

describe('the synthesized Terraform of every stack', () => {
  it('exists for at least the dev and prod stacks (run npx nx run infra:synth first)', () => {
    expect(stacks.map(([name]) => name).sort()).toEqual(
      expect.arrayContaining(['imgpipe-dev', 'imgpipe-prod']),
    );
  });

  describe.each(stacks)('%s', (_name, synth) => {
    const buckets = of(synth, 'aws_s3_bucket');

    it('blocks every kind of public access on every bucket and grants no public ACL', () => {
      expect(buckets.length).toBeGreaterThanOrEqual(2);
      for (const [id] of buckets) {
        const blocks = of(synth, 'aws_s3_bucket_public_access_block').filter(
          ([, b]) => b['bucket'] === ref('aws_s3_bucket', id, 'id'),
        );
        expect(blocks).toHaveLength(1);
        expect(blocks[0]?.[1]).toMatchObject({
          block_public_acls: true,
          block_public_policy: true,
          ignore_public_acls: true,
          restrict_public_buckets: true,
        });
      }
      expect(of(synth, 'aws_s3_bucket_acl')).toEqual([]);
      expect(of(synth, 'aws_s3_bucket_website_configuration')).toEqual([]);
    });

    it('denies non-TLS requests to every bucket and its objects, and allows nothing to everyone', () => {
      for (const [id] of buckets) {
        const arn = ref('aws_s3_bucket', id, 'arn');
        const policies = of(synth, 'aws_s3_bucket_policy').filter(
          ([, p]) => p['bucket'] === ref('aws_s3_bucket', id, 'id'),
        );
        expect(policies).toHaveLength(1);
        const statements = documentOf(synth, policies[0]?.[1]['policy']);
        const tls = statements.find(
          (s) =>
            s.effect === 'Deny' &&
            s.condition?.some((c) => c.variable === 'aws:SecureTransport' && c.values.includes('false')),
        );
        expect(tls?.actions).toEqual(['s3:*']);
        expect(tls?.resources).toEqual(expect.arrayContaining([arn, `${arn}/*`]));
        const publicAllow = statements.filter(
          (s) => s.effect !== 'Deny' && s.principals?.some((p) => p.identifiers.includes('*')),
        );
        expect(publicAllow).toEqual([]);
      }
    });

    it('encrypts every bucket, table, queue, topic and repository at rest', () => {
      for (const [id] of buckets) {
        const sse = of(synth, 'aws_s3_bucket_server_side_encryption_configuration').filter(
          ([, e]) => e['bucket'] === ref('aws_s3_bucket', id, 'id'),
        );
        expect(sse).toHaveLength(1);
        const rule = (sse[0]?.[1]['rule'] as Json[])[0] as {
          apply_server_side_encryption_by_default?: { sse_algorithm?: string };
        };
        expect(['AES256', 'aws:kms', 'aws:kms:dsse']).toContain(
          rule.apply_server_side_encryption_by_default?.sse_algorithm,
        );
      }
      for (const [, table] of of(synth, 'aws_dynamodb_table'))
        expect(table['server_side_encryption']).toMatchObject({ enabled: true });
      for (const [, queue] of of(synth, 'aws_sqs_queue'))
        expect(
          queue['sqs_managed_sse_enabled'] === true || typeof queue['kms_master_key_id'] === 'string',
        ).toBe(true);
      for (const [, repo] of of(synth, 'aws_ecr_repository'))
        expect(repo['encryption_configuration']).toBeDefined();
      const unencryptedTopics = of(synth, 'aws_sns_topic')
        .filter(([, t]) => typeof t['kms_master_key_id'] !== 'string')
        .map(([id]) => id);
      expect(unencryptedTopics).toEqual([]);
    });

    it('has no IAM statement that allows * actions or a service-wide wildcard', () => {
      const allows = Object.entries(synth.data['aws_iam_policy_document'] ?? {}).flatMap(([id, doc]) =>
        (doc['statement'] as Statement[]).filter((s) => s.effect !== 'Deny').map((s) => ({ id, s })),
      );
      expect(allows.length).toBeGreaterThan(0);
      const wild = allows.filter(
        ({ s }) =>
          s.not_actions !== undefined || (s.actions ?? []).some((a) => a === '*' || a.endsWith(':*')),
      );
      expect(wild.map(({ id, s }) => `${id}: ${JSON.stringify(s.actions ?? s.not_actions)}`)).toEqual([]);
    });

    it("limits each function's role to its own buckets, table, queue and log group", () => {
      const source = idByName(synth, 'aws_s3_bucket', '-source');
      const derived = idByName(synth, 'aws_s3_bucket', '-derived');
      const images = idByName(synth, 'aws_dynamodb_table', '-images');
      const control = idByName(synth, 'aws_dynamodb_table', '-control');
      const dlq = ref('aws_sqs_queue', idByName(synth, 'aws_sqs_queue', '-dlq'), 'arn');
      const bucket = (id: string) => [
        ref('aws_s3_bucket', id, 'arn'),
        `${ref('aws_s3_bucket', id, 'arn')}/*`,
      ];
      const table = (id: string) => [ref('aws_dynamodb_table', id, 'arn')];
      const allowed: Record<string, string[]> = {
        resize: [...bucket(source), ...bucket(derived), ...table(images), dlq],
        'metadata-sync': [...bucket(source), ...table(images), dlq],
        reconcile: [...bucket(source), ...bucket(derived), ...table(images), ...table(control), dlq],
      };
      for (const [fn, resources] of Object.entries(allowed)) {
        const policies = of(synth, 'aws_iam_role_policy').filter(([, p]) =>
          String(p['name']).endsWith(`-${fn}-policy`),
        );
        expect(policies).toHaveLength(1);
        const logGroup = of(synth, 'aws_cloudwatch_log_group').find(([, g]) =>
          String(g['name']).endsWith(`-${fn}`),
        );
        const own = [...resources, `${ref('aws_cloudwatch_log_group', logGroup?.[0] ?? '?', 'arn')}:*`];
        const statements = documentOf(synth, policies[0]?.[1]['policy']);
        const outside = statements.flatMap((s) =>
          (s.resources ?? ['(none)'])
            .filter((r) => !own.includes(r))
            .map((r) => `${JSON.stringify(s.actions)} on ${r}`),
        );
        expect({ fn, outside }).toEqual({ fn, outside: [] });
        // Never the source bucket's objects for writing: a function writing there would trigger itself.
        const writesSource = statements.filter(
          (s) =>
            s.resources?.includes(`${ref('aws_s3_bucket', source, 'arn')}/*`) &&
            s.actions?.some((a) => /Put|Delete/.test(a)),
        );
        expect(writesSource).toEqual([]);
      }
    });

    it('pins every S3 rule to the source bucket, and only the source bucket sends events', () => {
      const sourceName = bucketName(synth, idByName(synth, 'aws_s3_bucket', '-source'));
      const derivedName = bucketName(synth, idByName(synth, 'aws_s3_bucket', '-derived'));
      const s3Rules = of(synth, 'aws_cloudwatch_event_rule')
        .filter(([, r]) => typeof r['event_pattern'] === 'string')
        .map(
          ([, r]) =>
            JSON.parse(String(r['event_pattern'])) as {
              source?: string[];
              detail?: { bucket?: { name?: unknown[] } };
            },
        )
        .filter((p) => p.source?.includes('aws.s3'));
      expect(s3Rules.length).toBeGreaterThanOrEqual(2);
      for (const pattern of s3Rules) {
        expect(pattern.detail?.bucket?.name).toEqual([sourceName]);
        expect(JSON.stringify(pattern)).not.toContain(derivedName);
      }
      const notifications = of(synth, 'aws_s3_bucket_notification').map(([, n]) => n['bucket']);
      expect(notifications).toEqual([
        ref('aws_s3_bucket', idByName(synth, 'aws_s3_bucket', '-source'), 'id'),
      ]);
    });
  });
});
