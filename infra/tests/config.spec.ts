import { DEFAULT_API_SETTINGS } from '../src/api-settings';
import { ENVIRONMENTS, pipelineFor } from '../src/config';
import { validateEnvironment } from '../src/validate-environment';
import { InfraConfigError } from '../src/errors';
import { readAppSettings } from '../src/settings';
import { devConfig } from './helpers';

describe('environment config', () => {
  it('defines dev and prod, both valid, both arm64', () => {
    expect(ENVIRONMENTS.map((env) => env.name)).toEqual(['dev', 'prod']);
    for (const env of ENVIRONMENTS) {
      expect(validateEnvironment(env)).toBe(env);
      expect(env.architecture).toBe('arm64');
    }
  });

  it('names every resource per environment', () => {
    expect(pipelineFor(devConfig()).names).toEqual({
      sourceBucket: 'imgpipe-dev-source',
      derivedBucket: 'imgpipe-dev-derived',
      table: 'imgpipe-dev-images',
      controlTable: 'imgpipe-dev-control',
      deadLetterQueue: 'imgpipe-dev-dlq',
    });
  });

  it('applies per-environment sizing over the pipeline defaults', () => {
    const prod = ENVIRONMENTS.find((env) => env.name === 'prod');
    if (!prod) throw new Error('no prod environment');
    expect(pipelineFor(prod).functions.resize).toMatchObject({
      memoryMb: 2048,
      reservedConcurrency: 50,
      command: 'resize.handler',
    });
  });

  it('rejects a bad region, log retention or function name with a message naming the field', () => {
    expect.assertions(4);
    expect(() => validateEnvironment(devConfig({ region: 'mars-1' }))).toThrow(
      'Expected AWS region like "eu-west-1" for dev.region but received "mars-1"',
    );
    expect(() => validateEnvironment(devConfig({ logRetentionDays: 10 }))).toThrow(
      /for dev\.logRetentionDays but received 10/,
    );
    expect(() => validateEnvironment(devConfig({ functions: { thumbnail: {} } as never }))).toThrow(
      /received "thumbnail"/,
    );
    try {
      validateEnvironment(devConfig({ imagesKept: 0 }));
    } catch (error: unknown) {
      expect(error).toMatchObject({ code: 'INVALID_INFRA_CONFIG', retryable: false });
    }
  });

  it("rejects the image API's alarm thresholds out of range, naming the field", () => {
    const alarms = devConfig().alarms;
    expect(() => validateEnvironment(devConfig({ alarms: { ...alarms, apiServerErrorPercent: 0 } }))).toThrow(
      'Expected a percentage in (0, 100] for dev.alarms.apiServerErrorPercent but received 0',
    );
    expect(() =>
      validateEnvironment(devConfig({ alarms: { ...alarms, cdnServerErrorPercent: 101 } })),
    ).toThrow('Expected a percentage in (0, 100] for dev.alarms.cdnServerErrorPercent but received 101');
    expect(() => validateEnvironment(devConfig({ alarms: { ...alarms, apiLatencyP99Ms: 0 } }))).toThrow(
      'Expected positive integer for dev.alarms.apiLatencyP99Ms but received 0',
    );
    expect(() => validateEnvironment(devConfig({ alarms: { ...alarms, minRequests: 1.5 } }))).toThrow(
      'Expected positive integer for dev.alarms.minRequests but received 1.5',
    );
  });
});

describe('app settings', () => {
  it('defaults to a local backend, all environments, no offline plan', () => {
    expect(readAppSettings({})).toEqual({
      backend: { kind: 'local' },
      offlinePlan: false,
      api: DEFAULT_API_SETTINGS,
    });
  });

  it('uses an S3 backend with locking when a state bucket is configured', () => {
    expect(
      readAppSettings({
        IMGPIPE_TF_STATE_BUCKET: 'state',
        IMGPIPE_TF_STATE_REGION: 'eu-west-1',
        IMGPIPE_ENVIRONMENTS: 'prod',
      }),
    ).toEqual({
      environments: ['prod'],
      backend: { kind: 's3', bucket: 'state', region: 'eu-west-1', keyPrefix: 'imgpipe' },
      // The bootstrap stack that creates the bucket comes with it.
      stateStack: { bucket: 'state', region: 'eu-west-1' },
      offlinePlan: false,
      api: DEFAULT_API_SETTINGS,
    });
  });

  it('rejects a state bucket without a region and a malformed flag', () => {
    expect(() => readAppSettings({ IMGPIPE_TF_STATE_BUCKET: 'state' })).toThrow(InfraConfigError);
    expect(() => readAppSettings({ IMGPIPE_TF_OFFLINE_PLAN: 'yes' })).toThrow(
      'Expected 1/true or 0/false for IMGPIPE_TF_OFFLINE_PLAN but received "yes"',
    );
  });
});
