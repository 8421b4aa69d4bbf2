import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketNotification } from '@cdktf/provider-aws/lib/s3-bucket-notification';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { Testing } from 'cdktf';
import { Buckets, type BucketsProps } from '../src/constructs/buckets';

function synthBuckets(overrides: Partial<BucketsProps> = {}): string {
  return Testing.synthScope((scope) => {
    new Buckets(scope, 'buckets', {
      sourceBucketName: 'imgpipe-test-source',
      derivedBucketName: 'imgpipe-test-derived',
      noncurrentVersionDays: 7,
      abortMultipartDays: 2,
      ...overrides,
    });
  });
}

describe('Buckets', () => {
  const synth = synthBuckets();

  it('creates the source and derived buckets by name, protected from accidental destroy', () => {
    expect(synth).toHaveResourceWithProperties(S3Bucket, {
      bucket: 'imgpipe-test-source',
      force_destroy: false,
    });
    expect(synth).toHaveResourceWithProperties(S3Bucket, {
      bucket: 'imgpipe-test-derived',
      force_destroy: false,
    });
  });

  it('lets Terraform generate unique names from a prefix (bucket names are global across accounts)', () => {
    const generated = synthBuckets({
      sourceBucketName: { prefix: 'imgpipe-test-source-' },
      derivedBucketName: { prefix: 'imgpipe-test-derived-' },
    });
    expect(generated).toHaveResourceWithProperties(S3Bucket, { bucket_prefix: 'imgpipe-test-source-' });
    expect(generated).toHaveResourceWithProperties(S3Bucket, { bucket_prefix: 'imgpipe-test-derived-' });
    for (const bucket of Object.values(JSON.parse(generated).resource.aws_s3_bucket) as object[])
      expect(bucket).not.toHaveProperty('bucket');
  });

  it('makes Terraform refuse to destroy the buckets when asked (prod), and only then', () => {
    const lifecycles = (synth: string) =>
      (Object.values(JSON.parse(synth).resource.aws_s3_bucket) as { lifecycle?: unknown }[]).map(
        (b) => b.lifecycle,
      );
    expect(lifecycles(synthBuckets({ preventDestroy: true }))).toEqual([
      { prevent_destroy: true },
      { prevent_destroy: true },
    ]);
    expect(lifecycles(synth)).toEqual([{ prevent_destroy: false }, { prevent_destroy: false }]);
  });

  it('turns versioning on for the source bucket only', () => {
    const versioning = Object.values(JSON.parse(synth).resource.aws_s3_bucket_versioning) as {
      bucket: string;
    }[];
    expect(versioning).toHaveLength(1);
    expect(versioning[0]?.bucket).toMatch(/aws_s3_bucket\.buckets_source_bucket_.*\.id/);
    expect(synth).toHaveResourceWithProperties(S3BucketVersioningA, {
      versioning_configuration: { status: 'Enabled' },
    });
  });

  it('blocks public access, enforces bucket-owner ownership and encrypts by default', () => {
    expect(synth).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(synth).toHaveResourceWithProperties(S3BucketOwnershipControls, {
      rule: { object_ownership: 'BucketOwnerEnforced' },
    });
    expect(synth).toHaveResourceWithProperties(S3BucketServerSideEncryptionConfigurationA, {
      rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } }],
    });
    const tf = JSON.parse(synth);
    expect(Object.keys(tf.resource.aws_s3_bucket_public_access_block)).toHaveLength(2);
    const encryption = Object.values(tf.resource.aws_s3_bucket_server_side_encryption_configuration) as {
      rule: object[];
    }[];
    expect(encryption).toHaveLength(2);
    // SSE-S3 has no KMS key: a bucket key would only be noise.
    for (const config of encryption) expect(config.rule[0]).not.toHaveProperty('bucket_key_enabled');
  });

  it('expires noncurrent versions and orphaned delete markers of the source, and aborts failed multipart uploads', () => {
    const rules = (
      Object.values(JSON.parse(synth).resource.aws_s3_bucket_lifecycle_configuration) as {
        bucket: string;
        rule: { id: string }[];
      }[]
    ).map((c) => [c.bucket.includes('buckets_source_') ? 'source' : 'derived', c.rule.map((r) => r.id)]);
    expect(Object.fromEntries(rules)).toEqual({
      source: [
        'expire-noncurrent-versions',
        'remove-expired-delete-markers',
        'abort-incomplete-multipart-uploads',
      ],
      derived: ['expire-noncurrent-versions', 'abort-incomplete-multipart-uploads'],
    });
    expect(synth).toHaveResourceWithProperties(S3BucketLifecycleConfiguration, {
      rule: [
        expect.objectContaining({ id: 'expire-noncurrent-versions' }),
        {
          id: 'remove-expired-delete-markers',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          expiration: [{ expired_object_delete_marker: true }],
        },
        expect.objectContaining({ id: 'abort-incomplete-multipart-uploads' }),
      ],
    });
    expect(synth).toHaveResourceWithProperties(S3BucketLifecycleConfiguration, {
      rule: [
        {
          id: 'expire-noncurrent-versions',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          noncurrent_version_expiration: [{ noncurrent_days: 7 }],
        },
        {
          id: 'abort-incomplete-multipart-uploads',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          abort_incomplete_multipart_upload: [{ days_after_initiation: 2 }],
        },
      ],
    });
  });

  it('denies every non-TLS request in the bucket policy', () => {
    const docs = Object.values(JSON.parse(synth).data.aws_iam_policy_document) as { statement: unknown[] }[];
    expect(docs).toHaveLength(2);
    for (const doc of docs) {
      expect(doc.statement).toEqual([
        expect.objectContaining({
          effect: 'Deny',
          actions: ['s3:*'],
          condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
        }),
      ]);
    }
  });

  it('sends the source bucket events, and only the source bucket, to EventBridge', () => {
    expect(synth).toHaveResourceWithProperties(S3BucketNotification, { eventbridge: true });
    const notifications = Object.values(JSON.parse(synth).resource.aws_s3_bucket_notification) as {
      bucket: string;
    }[];
    expect(notifications).toHaveLength(1);
    expect(notifications[0]?.bucket).toMatch(/aws_s3_bucket\.buckets_source_bucket_/);
  });
});
