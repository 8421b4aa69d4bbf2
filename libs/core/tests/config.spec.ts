import { DEFAULT_PRESETS, definePipeline, ENV, functionEnvironment } from '@imgpipe/pipeline';
import { ConfigError, hashPresets, readConfig } from '../src';

const env = functionEnvironment(definePipeline(), 'resize');

describe('readConfig', () => {
  it('reads the environment the pipeline definition produces', () => {
    const config = readConfig(env);
    expect(config).toMatchObject({
      sourceBucket: 'imgpipe-source',
      derivedBucket: 'imgpipe-derived',
      table: 'imgpipe-images',
      controlTable: 'imgpipe-control',
      presets: DEFAULT_PRESETS,
      limits: { maxBytes: 50 * 1024 * 1024, maxPixels: 40_000_000, allowSvg: false },
      storeGps: false,
      tombstoneTtlDays: 30,
      keySuffixes: [],
      reconcilePageSize: 200,
    });
    expect(config.presetsHash).toBe(hashPresets(DEFAULT_PRESETS));
  });

  it('names the missing variable', () => {
    const { [ENV.table]: _drop, ...rest } = env;
    expect(() => readConfig(rest)).toThrow(/IMGPIPE_TABLE/);
  });

  it('rejects presets that are not JSON with INVALID_CONFIG', () => {
    expect.assertions(2);
    try {
      readConfig({ ...env, [ENV.presets]: 'thumb' });
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).code).toBe('INVALID_CONFIG');
    }
  });

  it('rejects a preset with an unknown format, saying where', () => {
    const presets = JSON.stringify([{ ...DEFAULT_PRESETS[0], format: 'bmp' }]);
    expect(() => readConfig({ ...env, [ENV.presets]: presets })).toThrow(/presets\[0\]\.format/);
  });

  it('rejects equal source and derived buckets', () => {
    expect(() => readConfig({ ...env, [ENV.derivedBucket]: env[ENV.sourceBucket] })).toThrow(/distinct/);
  });
});

describe('hashPresets', () => {
  it('changes when a preset changes', () => {
    const changed = DEFAULT_PRESETS.map((p) => (p.name === 'thumb' ? { ...p, width: 100 } : p));
    expect(hashPresets(changed)).not.toBe(hashPresets(DEFAULT_PRESETS));
  });
});
