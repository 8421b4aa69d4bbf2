import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Aspects, LocalBackend, TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { join } from 'node:path';
import { SecureBucket } from './constructs/bucket';
import { PolicyChecks } from './policy/aspect';

/** The stack that holds the other stacks' remote state (`cdktf deploy imgpipe-state`, once per account). */
export const STATE_STACK = 'imgpipe-state';

export interface StateStackProps {
  /** The state bucket's name (`IMGPIPE_TF_STATE_BUCKET`). */
  readonly bucket: string;
  readonly region: string;
  /** Where this stack keeps its own (small, local) state: the same stable directory as local stacks. */
  readonly stateDirectory: string;
  /** Days old state versions are kept (the history to roll a bad state back). Default 90. */
  readonly keepVersionsDays?: number;
  /** Offline plan only: the provider skips every call that needs real credentials. Default false. */
  readonly offlinePlan?: boolean;
}

/**
 * The bootstrap of the S3 backend: the state bucket, private, SSE-S3, TLS-only and versioned (an
 * overwritten or corrupted state can be recovered), protected from `destroy`. Its own state stays
 * local: it is one bucket, and `terraform import` rebuilds it if that file is ever lost. Locking
 * uses S3's lock file beside each state (Terraform >= 1.10), so no lock table is needed.
 */
export class StateStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: StateStackProps) {
    super(scope, id);
    new AwsProvider(this, 'aws', {
      region: props.region,
      defaultTags: [{ tags: { project: 'imgpipe', purpose: 'terraform-state', 'managed-by': 'cdktf' } }],
      ...(props.offlinePlan
        ? {
            skipCredentialsValidation: true,
            skipRequestingAccountId: true,
            skipMetadataApiCheck: 'true',
            skipRegionValidation: true,
          }
        : {}),
    });
    new LocalBackend(this, { path: join(props.stateDirectory, `terraform.${id}.tfstate`) });
    const state = new SecureBucket(this, 'state', {
      bucketName: props.bucket,
      versioned: true,
      noncurrentVersionDays: props.keepVersionsDays ?? 90,
      abortMultipartDays: 1,
      preventDestroy: true,
    });
    new TerraformOutput(this, 'state_bucket', {
      value: state.bucket.bucket,
      description: 'Terraform state bucket',
    });
    Aspects.of(this).add(new PolicyChecks({ architecture: 'arm64' }));
  }
}
