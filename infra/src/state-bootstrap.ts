import {
  BucketAlreadyOwnedByYou,
  CreateBucketCommand,
  type BucketLocationConstraint,
  PutBucketEncryptionCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { InfraConfigError } from './errors';
import { SETTINGS_ENV } from './settings';

export interface StateBucketOptions {
  readonly bucket: string;
  readonly region: string;
  /** The partition of the account (`aws`, `aws-cn`, `aws-us-gov`) for the bucket policy's ARNs. Default `aws`. */
  readonly partition?: string;
}

/** What was done to the state bucket, in order, for the report. */
export type BootstrapStep =
  | 'created'
  | 'already yours'
  | 'public access blocked'
  | 'owner enforced'
  | 'encrypted'
  | 'versioned'
  | 'TLS only';

/**
 * Creates (or brings into shape) the S3 bucket that keeps Terraform's state: private, owner-enforced,
 * encrypted, versioned (an overwritten or deleted state can be recovered) and TLS-only. Idempotent:
 * run it again and it re-applies the settings. Locking uses S3's own lock file (Terraform >= 1.10).
 * @example await bootstrapStateBucket(new S3Client({ region }), { bucket: 'acme-imgpipe-tfstate', region })
 */
export async function bootstrapStateBucket(
  s3: Pick<S3Client, 'send'>,
  options: StateBucketOptions,
): Promise<BootstrapStep[]> {
  const { bucket, region } = options;
  if (!/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(bucket)) {
    throw new InfraConfigError(
      `Expected an S3 bucket name (3-63 lower-case letters, digits, -) but received "${bucket}"`,
    );
  }
  const steps: BootstrapStep[] = [];
  try {
    await s3.send(
      new CreateBucketCommand({
        Bucket: bucket,
        // us-east-1 is the default location and must not be named.
        ...(region === 'us-east-1'
          ? {}
          : { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } }),
        ObjectOwnership: 'BucketOwnerEnforced',
      }),
    );
    steps.push('created');
  } catch (error: unknown) {
    if (!(error instanceof BucketAlreadyOwnedByYou)) throw error;
    steps.push('already yours');
  }
  await s3.send(
    new PutPublicAccessBlockCommand({
      Bucket: bucket,
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      },
    }),
  );
  steps.push('public access blocked');
  await s3.send(
    new PutBucketOwnershipControlsCommand({
      Bucket: bucket,
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    }),
  );
  steps.push('owner enforced');
  await s3.send(
    new PutBucketEncryptionCommand({
      Bucket: bucket,
      ServerSideEncryptionConfiguration: {
        Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
    }),
  );
  steps.push('encrypted');
  await s3.send(
    new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }),
  );
  steps.push('versioned');
  await s3.send(
    new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(stateBucketPolicy(options)) }),
  );
  steps.push('TLS only');
  return steps;
}

/** The state bucket's policy: deny every request that is not over TLS. */
export function stateBucketPolicy(options: StateBucketOptions): object {
  const arn = `arn:${options.partition ?? 'aws'}:s3:::${options.bucket}`;
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [arn, `${arn}/*`],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ],
  };
}

/** The settings that make every later synth and deploy keep its state in the bucket. */
export function backendExports(options: StateBucketOptions): string {
  return [
    `export ${SETTINGS_ENV.stateBucket}=${options.bucket}`,
    `export ${SETTINGS_ENV.stateRegion}=${options.region}`,
  ].join('\n');
}
