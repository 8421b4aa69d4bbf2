import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { Testing } from 'cdktf';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../src/app';
import { checkTerraform } from '../src/policy/checks';
import { readAppSettings } from '../src/settings';
import { StateStack } from '../src/state-stack';

describe('StateStack (the S3 backend bootstrap)', () => {
  const stack = new StateStack(Testing.app(), 'imgpipe-state', {
    bucket: 'acme-imgpipe-tfstate',
    region: 'eu-central-1',
    stateDirectory: '/srv/imgpipe/terraform-state',
  });
  const synth = Testing.synth(stack);
  const tf = JSON.parse(synth);

  it('creates the named state bucket, which Terraform refuses to destroy', () => {
    expect(synth).toHaveResourceWithProperties(S3Bucket, {
      bucket: 'acme-imgpipe-tfstate',
      force_destroy: false,
      lifecycle: { prevent_destroy: true },
    });
  });

  it('versions and encrypts it, so an overwritten or broken state can be rolled back', () => {
    expect(synth).toHaveResourceWithProperties(S3BucketVersioningA, {
      versioning_configuration: { status: 'Enabled' },
    });
    expect(synth).toHaveResourceWithProperties(S3BucketServerSideEncryptionConfigurationA, {
      rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } }],
    });
    expect(checkTerraform(tf, { architecture: 'arm64' })).toEqual([]);
  });

  it('keeps its own state in the stable local directory, in the bucket region', () => {
    expect(tf.terraform.backend).toEqual({
      local: { path: '/srv/imgpipe/terraform-state/terraform.imgpipe-state.tfstate' },
    });
    expect(tf.provider.aws[0].region).toBe('eu-central-1');
  });

  it('is part of the app exactly when the S3 backend is configured', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'imgpipe-state-app-'));
    try {
      const settings = readAppSettings({
        IMGPIPE_TF_STATE_BUCKET: 'acme-imgpipe-tfstate',
        IMGPIPE_TF_STATE_REGION: 'eu-central-1',
        IMGPIPE_ENVIRONMENTS: 'dev',
      });
      buildApp({ settings, outdir }).synth();
      const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as {
        stacks: Record<string, { workingDirectory: string }>;
      };
      expect(Object.keys(manifest.stacks)).toEqual(['imgpipe-dev', 'imgpipe-state']);
      const dev = JSON.parse(
        readFileSync(join(outdir, manifest.stacks['imgpipe-dev']!.workingDirectory, 'cdk.tf.json'), 'utf8'),
      );
      expect(dev.terraform.backend.s3).toMatchObject({
        bucket: 'acme-imgpipe-tfstate',
        region: 'eu-central-1',
      });
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
    expect(readAppSettings({}).stateStack).toBeUndefined();
  });
});
