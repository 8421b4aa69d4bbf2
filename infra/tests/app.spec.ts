import { DEPLOYED_OUTPUTS } from '@imgpipe/contracts';
import { Testing } from 'cdktf';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../src/app';
import { protectedResources } from '../src/terraform/offline-plan';
import { workspaceRoot } from '../src/image-context';
import { readAppSettings } from '../src/settings';
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
    // Outside cdktf.out: cdktf deletes a stack's folder there whenever that stack is not synthesized.
    expect(stacks['imgpipe-dev']?.['terraform']).toMatchObject({
      backend: {
        local: { path: join(workspaceRoot(), 'infra', 'terraform-state', 'terraform.imgpipe-dev.tfstate') },
      },
      required_providers: { aws: { version: '5.100.0' } },
    });
  });

  it('keeps local state in the configured directory, relative to where the command runs', () => {
    const stack = new ImgpipeStack(Testing.app(), 'imgpipe-prod', {
      config: devConfig({ name: 'prod' }),
      imageContext: TEST_CONTEXT,
      backend: { kind: 'local', directory: 'state' },
    });
    expect(JSON.parse(Testing.synth(stack)).terraform.backend).toEqual({
      local: { path: join(process.cwd(), 'state', 'terraform.imgpipe-prod.tfstate') },
    });
  });

  it('takes region, account guard, bucket names, alarm subscribers and concurrency from IMGPIPE_<ENV>_* settings', () => {
    const settings = readAppSettings(
      {
        IMGPIPE_PROD_REGION: 'us-east-2',
        IMGPIPE_PROD_ACCOUNT_IDS: '111122223333, 444455556666',
        IMGPIPE_PROD_SOURCE_BUCKET: 'acme-images-source',
        IMGPIPE_PROD_DERIVED_BUCKET: 'acme-images-derived',
        IMGPIPE_PROD_ALARM_SUBSCRIPTIONS: 'email:ops@example.com,https:https://hooks.example.com/a',
        IMGPIPE_DEV_RESERVED_CONCURRENCY: 'true',
      },
      ['dev', 'prod'],
    );
    const synthesized = synthApp(settings);
    const prod = synthesized['imgpipe-prod'] as Record<string, Record<string, Record<string, unknown>>>;
    // The us-east-1 provider (the CDN's alarms) carries the same account guard.
    expect(prod['provider']?.['aws']).toMatchObject([
      { region: 'us-east-2', allowed_account_ids: ['111122223333', '444455556666'] },
      { alias: 'us-east-1', region: 'us-east-1', allowed_account_ids: ['111122223333', '444455556666'] },
    ]);
    expect(
      Object.values(prod['resource']?.['aws_s3_bucket'] ?? {})
        .map((b) => (b as { bucket: string }).bucket)
        .sort(),
    ).toEqual(['acme-images-derived', 'acme-images-source']);
    expect(
      Object.values(prod['resource']?.['aws_sns_topic_subscription'] ?? {}).map((sub) => [
        (sub as { provider?: string }).provider,
        (sub as { protocol: string }).protocol,
        (sub as { endpoint: string }).endpoint,
      ]),
    ).toEqual([
      // The stack's alarm topic, then the CDN alarms' topic in us-east-1: the same subscribers.
      [undefined, 'email', 'ops@example.com'],
      [undefined, 'https', 'https://hooks.example.com/a'],
      ['aws.us-east-1', 'email', 'ops@example.com'],
      ['aws.us-east-1', 'https', 'https://hooks.example.com/a'],
    ]);
    const dev = synthesized['imgpipe-dev'] as Record<string, Record<string, Record<string, unknown>>>;
    for (const fn of Object.values(dev['resource']?.['aws_lambda_function'] ?? {}))
      expect(fn).toHaveProperty('reserved_concurrent_executions');
    expect((dev['provider']?.['aws'] as unknown as Record<string, unknown>[])[0]).not.toHaveProperty(
      'allowed_account_ids',
    );
  });

  it('refuses malformed per-environment settings with the variable named', () => {
    expect(() => readAppSettings({ IMGPIPE_PROD_SOURCE_BUCKET: 'x-source' }, ['prod'])).toThrow(
      'Expected both IMGPIPE_PROD_SOURCE_BUCKET and IMGPIPE_PROD_DERIVED_BUCKET or neither, but received one',
    );
    const bad = readAppSettings({ IMGPIPE_PROD_ACCOUNT_IDS: '12345' }, ['prod']);
    expect(() => buildApp({ settings: { ...bad, environments: ['prod'] } })).toThrow(
      'Expected 12-digit AWS account ids in prod.allowedAccountIds but received "12345"',
    );
    const pager = readAppSettings({ IMGPIPE_DEV_ALARM_SUBSCRIPTIONS: 'pager:123' }, ['dev']);
    expect(() => buildApp({ settings: { ...pager, environments: ['dev'] } })).toThrow(
      /Expected alarm subscriptions as <email\|email-json\|.*>:<endpoint> for dev but received "pager:123"/,
    );
  });

  it("protects prod's buckets and tables from destroy, and leaves dev's destroyable", () => {
    const kept = (stack: string, type: string) =>
      Object.values(
        (
          stacks[stack]?.['resource'] as Record<
            string,
            Record<string, { lifecycle?: { prevent_destroy: boolean } }>
          >
        )[type] ?? {},
      ).map((r) => r.lifecycle?.prevent_destroy);
    for (const type of ['aws_s3_bucket', 'aws_dynamodb_table']) {
      expect(kept('imgpipe-prod', type)).toEqual([true, true]);
      expect(kept('imgpipe-dev', type)).toEqual([false, false]);
    }
  });

  it('outputs every name the CLI --aws mode reads (DEPLOYED_OUTPUTS of the contracts), and the others', () => {
    // The CLI parses the outputs file with the contract's names: each must be declared, spelled exactly so.
    const readByTheCli = Object.keys(DEPLOYED_OUTPUTS);
    // For people, dashboards and the image API's clients; the CLI does not read these.
    const others = [
      'account',
      'alarm_topic_arn',
      'cdn_alarm_topic_arn',
      'control_table',
      'metadata_sync_function_arn',
      'metadata_sync_log_group',
      'reconcile_function_arn',
      'reconcile_log_group',
      'resize_function_arn',
      'resize_log_group',
      'dashboard_name',
      'dead_letter_queue_arn',
      'ecr_repository_url',
      'image_uri',
      'api_url',
      'cdn_url',
      'cdn_distribution_id',
      'api_function',
      'render_function',
      'jwt_issuer',
      'user_pool_id',
      'user_pool_client_id',
      'auth_domain',
    ];
    expect(others.filter((name) => readByTheCli.includes(name))).toEqual([]);
    expect(Object.keys(stacks['imgpipe-prod']?.['output'] ?? {}).sort()).toEqual(
      [...readByTheCli, ...others].sort(),
    );
    // Every environment declares them, whatever else its settings add or leave out.
    for (const [name, stack] of Object.entries(stacks)) {
      const declared = Object.keys(stack['output'] ?? {});
      expect({ name, missing: readByTheCli.filter((output) => !declared.includes(output)) }).toEqual({
        name,
        missing: [],
      });
    }
  });

  it('keeps the provider skip flags off unless synthesizing for the offline plan', () => {
    // Both providers: the stack's region and us-east-1 (the CDN's alarms).
    const providers = (stacks['imgpipe-dev']?.['provider'] as { aws: Record<string, unknown>[] }).aws;
    expect(providers).toHaveLength(2);
    for (const provider of providers) expect(provider).not.toHaveProperty('skip_credentials_validation');
    const offline = synthApp({ environments: ['dev'], backend: { kind: 'local' }, offlinePlan: true });
    expect(Object.keys(offline)).toEqual(['imgpipe-dev']);
    const offlineProviders = (offline['imgpipe-dev']?.['provider'] as { aws: Record<string, unknown>[] }).aws;
    expect(offlineProviders).toHaveLength(2);
    for (const provider of offlineProviders) {
      expect(provider).toMatchObject({
        skip_credentials_validation: true,
        skip_requesting_account_id: true,
        skip_metadata_api_check: 'true',
        skip_region_validation: true,
      });
    }
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

describe('protectedResources (what the offline plan proves a destroy refuses)', () => {
  it("lists prod's buckets and tables, and nothing of dev", () => {
    const outdir = mkdtempSync(join(tmpdir(), 'imgpipe-protected-'));
    try {
      buildApp({ settings: { backend: { kind: 'local' }, offlinePlan: true }, outdir }).synth();
      const list = (stack: string) =>
        protectedResources(join(outdir, 'stacks', stack, 'cdk.tf.json'))
          .map((r) => r.type)
          .sort();
      expect(list('imgpipe-prod')).toEqual([
        'aws_dynamodb_table',
        'aws_dynamodb_table',
        'aws_s3_bucket',
        'aws_s3_bucket',
      ]);
      expect(list('imgpipe-dev')).toEqual([]);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
