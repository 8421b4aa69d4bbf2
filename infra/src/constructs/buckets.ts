import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketNotification } from '@cdktf/provider-aws/lib/s3-bucket-notification';
import { Construct } from 'constructs';
import { SecureBucket, type SecureBucketProps } from './bucket';

export interface BucketsProps {
  /** A fixed name, or `{ prefix }` for a unique name Terraform generates (see `SecureBucketProps`). */
  readonly sourceBucketName: SecureBucketProps['bucketName'];
  readonly derivedBucketName: SecureBucketProps['bucketName'];
  /** Terraform refuses to destroy either bucket (prod's data). Default false. */
  readonly preventDestroy?: boolean;
  readonly noncurrentVersionDays: number;
  readonly abortMultipartDays: number;
  /** Allow destroying non-empty buckets (dev only). Default false. */
  readonly forceDestroy?: boolean;
}

/**
 * The source bucket (versioned, its events go to EventBridge) and the derived bucket
 * (variants only; it sends no events, so a variant can never trigger a function).
 */
export class Buckets extends Construct {
  readonly source: S3Bucket;
  readonly derived: S3Bucket;
  /** The same buckets with their one policy, for constructs that add statements (the CDN's read). */
  readonly secure: Readonly<{ source: SecureBucket; derived: SecureBucket }>;

  constructor(scope: Construct, id: string, props: BucketsProps) {
    super(scope, id);
    const common = {
      noncurrentVersionDays: props.noncurrentVersionDays,
      abortMultipartDays: props.abortMultipartDays,
      forceDestroy: props.forceDestroy ?? false,
      preventDestroy: props.preventDestroy ?? false,
    };
    const source = new SecureBucket(this, 'source', {
      ...common,
      bucketName: props.sourceBucketName,
      versioned: true,
    });
    const derived = new SecureBucket(this, 'derived', { ...common, bucketName: props.derivedBucketName });
    this.source = source.bucket;
    this.derived = derived.bucket;
    this.secure = { source, derived };
    new S3BucketNotification(this, 'source-events', {
      bucket: source.bucket.id,
      eventbridge: true,
      dependsOn: [source.policy],
    });
  }
}
