import { Testing } from 'cdktf';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../src/app';
import { ImgpipeStack } from '../src/stack';
import { devConfig, TEST_CONTEXT } from './helpers';

function synthApp(settings: Parameters<typeof buildApp>[0]['settings']) {
  const outdir = mkdtempSync(join(tmpdir(), 'imgpipe-app-test-'));
  try {
    buildApp({ settings, outdir }).synth();
    const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as {
      stacks: Record<string, { workingDirectory: string }>;
    };
    return Object.fromEntries(
      Object.entries(manifest.stacks).map(([name, s]) => [
        name,
        JSON.parse(readFileSync(join(outdir, s.workingDirectory, 'cdk.tf.json'), 'utf8')) as Record<
          string,
          Record<string, unknown>
        >,
      ]),
    );
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

describe('the app', () => {
  const stacks = synthApp({ backend: { kind: 'local' }, offlinePlan: false });

  it('creates one stack per environment, each in its own region with its own local state', () => {
    expect(Object.keys(stacks)).toEqual(['imgpipe-dev', 'imgpipe-prod']);
    expect(stacks['imgpipe-dev']?.['terraform']).toMatchObject({
      backend: { local: { path: 'terraform.imgpipe-dev.tfstate' } },
      required_providers: { aws: { version: '5.100.0' } },
    });
  });

  it('outputs what the CLI --aws mode reads', () => {
    expect(Object.keys(stacks['imgpipe-prod']?.['output'] ?? {}).sort()).toEqual(
      [
        'alarm_topic_arn',
        'control_table',
        'dashboard_name',
        'dead_letter_queue_arn',
        'dead_letter_queue_url',
        'derived_bucket',
        'ecr_repository_url',
        'image_uri',
        'metadata_sync_function',
        'reconcile_function',
        'region',
        'resize_function',
        'source_bucket',
        'table',
        'api_url',
        'cdn_url',
        'cdn_distribution_id',
        'api_function',
        'render_function',
        'jwt_issuer',
        'user_pool_id',
        'user_pool_client_id',
        'auth_domain',
      ].sort(),
    );
  });

  it('keeps the provider skip flags off unless synthesizing for the offline plan', () => {
    const provider = (stacks['imgpipe-dev']?.['provider'] as { aws: Record<string, unknown>[] }).aws[0];
    expect(provider).not.toHaveProperty('skip_credentials_validation');
    const offline = synthApp({ environments: ['dev'], backend: { kind: 'local' }, offlinePlan: true });
    expect(Object.keys(offline)).toEqual(['imgpipe-dev']);
    expect((offline['imgpipe-dev']?.['provider'] as { aws: Record<string, unknown>[] }).aws[0]).toMatchObject(
      {
        skip_credentials_validation: true,
        skip_requesting_account_id: true,
        skip_metadata_api_check: 'true',
        skip_region_validation: true,
      },
    );
  });

  it('keeps state in S3 with a lock file when a state bucket is configured', () => {
    const stack = new ImgpipeStack(Testing.app(), 'imgpipe-dev', {
      config: devConfig(),
      imageContext: TEST_CONTEXT,
      backend: { kind: 's3', bucket: 'tf-state', region: 'eu-west-1', keyPrefix: 'imgpipe' },
    });
    expect(JSON.parse(Testing.synth(stack)).terraform.backend).toEqual({
      s3: {
        bucket: 'tf-state',
        key: 'imgpipe/imgpipe-dev.tfstate',
        region: 'eu-west-1',
        encrypt: true,
        use_lockfile: true,
      },
    });
  });

  it('rejects an unknown environment', () => {
    expect(() =>
      buildApp({ settings: { environments: ['staging'], backend: { kind: 'local' }, offlinePlan: false } }),
    ).toThrow('Expected environments among dev, prod but received staging');
  });

  it('refuses an image context whose sharp is for another architecture', () => {
    expect(
      () =>
        new ImgpipeStack(Testing.app(), 'imgpipe-dev', {
          config: devConfig(),
          imageContext: { ...TEST_CONTEXT, hashedFrom: 'context', arch: 'x64' },
        }),
    ).toThrow(
      /Expected an image context built for arm64 \(imgpipe-dev\) but .* holds sharp for x64: run npx nx run lambda-image:build -- --arch arm64/,
    );
  });
});
