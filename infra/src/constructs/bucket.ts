import {
  DataAwsIamPolicyDocument,
  type DataAwsIamPolicyDocumentStatement,
} from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { Construct } from 'constructs';
import { tlsOnlyStatement } from './iam';

export interface SecureBucketProps {
  /**
   * The bucket's name, or (`{ prefix }`) a unique name Terraform generates from a prefix: bucket
   * names are global across all AWS accounts, so a fixed, guessable one may already be taken.
   */
  readonly bucketName: string | { readonly prefix: string };
  /** Make Terraform refuse any plan that destroys the bucket (`prevent_destroy`). Default false. */
  readonly preventDestroy?: boolean;
  /** Keep every version (the source bucket: no notification is lost to concurrent writes). Default false. */
  readonly versioned?: boolean;
  /** Days after which noncurrent versions expire. */
  readonly noncurrentVersionDays: number;
  /** Days after which unfinished multipart uploads are aborted. */
  readonly abortMultipartDays: number;
  /** Allow destroying a non-empty bucket (dev only). Default false. */
  readonly forceDestroy?: boolean;
}

/**
 * A private S3 bucket: Block Public Access, bucket-owner-enforced ownership, SSE-S3 default
 * encryption, a TLS-only bucket policy and lifecycle rules (noncurrent versions and, when versioned,
 * expired delete markers expire; unfinished multipart uploads are aborted).
 */
export class SecureBucket extends Construct {
  readonly bucket: S3Bucket;
  /** The bucket policy; the source bucket's EventBridge notification must wait for it. */
  readonly policy: S3BucketPolicy;
  private readonly policyDocument: DataAwsIamPolicyDocument;
  private readonly statements: DataAwsIamPolicyDocumentStatement[];

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    const bucket = new S3Bucket(this, 'bucket', {
      ...(typeof props.bucketName === 'string'
        ? { bucket: props.bucketName }
        : { bucketPrefix: props.bucketName.prefix }),
      forceDestroy: props.forceDestroy ?? false,
      lifecycle: { preventDestroy: props.preventDestroy ?? false },
    });
    this.bucket = bucket;
    const publicAccess = new S3BucketPublicAccessBlock(this, 'public-access', {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, 'ownership', {
      bucket: bucket.id,
      rule: { objectOwnership: 'BucketOwnerEnforced' },
    });
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket: bucket.id,
      // SSE-S3: no KMS key, so no bucket key (it only saves KMS requests under SSE-KMS).
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }],
    });
    const versioning = props.versioned
      ? new S3BucketVersioningA(this, 'versioning', {
          bucket: bucket.id,
          versioningConfiguration: { status: 'Enabled' },
        })
      : undefined;
    new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      bucket: bucket.id,
      rule: [
        {
          id: 'expire-noncurrent-versions',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionDays }],
        },
        ...(props.versioned
          ? [
              {
                // A deleted image leaves a delete marker; once its old versions expired, the marker is
                // alone and only costs listing time: remove it.
                id: 'remove-expired-delete-markers',
                status: 'Enabled',
                filter: [{ prefix: '' }],
                expiration: [{ expiredObjectDeleteMarker: true }],
              },
            ]
          : []),
        {
          id: 'abort-incomplete-multipart-uploads',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: props.abortMultipartDays }],
        },
      ],
      // Lifecycle rules on a versioned bucket must follow the versioning configuration.
      ...(versioning ? { dependsOn: [versioning] } : {}),
    });
    this.statements = [tlsOnlyStatement('s3:*', [bucket.arn, `${bucket.arn}/*`])];
    this.policyDocument = new DataAwsIamPolicyDocument(this, 'tls-only', { statement: this.statements });
    // The public access block must exist first, or S3 may judge the policy before it is blocked.
    this.policy = new S3BucketPolicy(this, 'policy', {
      bucket: bucket.id,
      policy: this.policyDocument.json,
      dependsOn: [publicAccess],
    });
  }

  /**
   * Adds statements to the bucket's one policy (a bucket has a single policy: a second
   * `aws_s3_bucket_policy` would replace the TLS-only deny, not join it).
   * @example derived.addPolicyStatements([{ sid: 'CdnReadsVariants', effect: 'Allow', ... }])
   */
  addPolicyStatements(statements: readonly DataAwsIamPolicyDocumentStatement[]): void {
    this.statements.push(...statements);
    this.policyDocument.putStatement(this.statements);
  }
}
