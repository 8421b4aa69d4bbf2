import {
  ALL_FUNCTION_NAMES,
  DEFAULT_NAMES,
  definePipeline,
  derivedKey,
  functionEnvironment,
  ENV,
  IMAGE_SOURCE_ROOTS,
  isExcludedImageSource,
  PipelineDefinitionError,
  s3EventPattern,
} from '../src';

describe('definePipeline', () => {
  it('uses the contract defaults when given no options', () => {
    const pipeline = definePipeline();

    expect(pipeline.names).toEqual(DEFAULT_NAMES);
    expect(pipeline.presets.map((p) => [p.name, p.fit, p.width, p.height, p.format])).toEqual([
      ['thumb', 'cover', 128, 128, 'webp'],
      ['small', 'inside', 320, 320, 'webp'],
      ['large', 'inside', 1280, 1280, 'jpeg'],
    ]);
    expect(pipeline.rules.map((r) => [r.name, r.targets])).toEqual([
      ['object-created', ['resize', 'metadata-sync']],
      ['object-deleted', ['resize', 'metadata-sync']],
    ]);
    expect(pipeline.schedules).toHaveLength(1);
  });

  it('rejects a derived bucket equal to the source bucket, saying what it received', () => {
    expect(() => definePipeline({ names: { derivedBucket: DEFAULT_NAMES.sourceBucket } })).toThrow(
      new PipelineDefinitionError(
        'Expected distinct source and derived buckets but received "imgpipe-source" for both',
      ),
    );
  });

  it('rejects a malformed schedule and an impossible retry count', () => {
    expect(() => definePipeline({ reconcileSchedule: 'every hour' })).toThrow(
      'Expected cron(...) or rate(...) for reconcileSchedule but received "every hour"',
    );
    expect(() => definePipeline({ functions: { resize: { maximumRetryAttempts: 5 } } })).toThrow(
      'Expected 0, 1 or 2 for functions.resize.maximumRetryAttempts but received 5',
    );
  });
});

describe('s3EventPattern', () => {
  it('pins the rule to the source bucket by name', () => {
    expect(s3EventPattern('Object Created', 'src', { prefix: '', suffixes: [] })).toEqual({
      source: ['aws.s3'],
      'detail-type': ['Object Created'],
      detail: { bucket: { name: ['src'] } },
    });
  });

  it('ANDs a prefix with suffixes through wildcards and escapes wildcard characters', () => {
    const pattern = s3EventPattern('Object Deleted', 'src', { prefix: 'up*/', suffixes: ['.jpg', '.png'] });
    expect(pattern['detail']).toEqual({
      bucket: { name: ['src'] },
      object: { key: [{ wildcard: 'up\\*/*.jpg' }, { wildcard: 'up\\*/*.png' }] },
      'deletion-type': ['Delete Marker Created'],
    });
  });

  it('matches only delete markers for deletions: a permanent deletion may be an old version expiring', () => {
    expect(s3EventPattern('Object Deleted', 'src', { prefix: '', suffixes: [] })).toEqual({
      source: ['aws.s3'],
      'detail-type': ['Object Deleted'],
      detail: { bucket: { name: ['src'] }, 'deletion-type': ['Delete Marker Created'] },
    });
  });
});

describe('functionEnvironment', () => {
  it('carries names, presets and limits as strings', () => {
    const pipeline = definePipeline({ names: { table: 't' }, limits: { maxPixels: 1000 } });
    const env = functionEnvironment(pipeline, 'resize');

    expect(env[ENV.table]).toBe('t');
    expect(env[ENV.maxPixels]).toBe('1000');
    expect(JSON.parse(env[ENV.presets] ?? 'null')).toEqual(pipeline.presets);
    expect(env['POWERTOOLS_SERVICE_NAME']).toBe('imgpipe-resize');
  });

  it('puts the metrics under the definition namespace, so environments never share metric identities', () => {
    expect(functionEnvironment(definePipeline(), 'resize')['POWERTOOLS_METRICS_NAMESPACE']).toBe('imgpipe');
    expect(
      functionEnvironment(definePipeline({ metricsNamespace: 'imgpipe/prod' }), 'resize')[
        'POWERTOOLS_METRICS_NAMESPACE'
      ],
    ).toBe('imgpipe/prod');
  });
});

describe('reconcile', () => {
  it('is not retried: a failed run is repaired by the next scheduled one, not parked', () => {
    const functions = definePipeline().functions;
    expect(functions.reconcile.maximumRetryAttempts).toBe(0);
    expect([functions.resize.maximumRetryAttempts, functions['metadata-sync'].maximumRetryAttempts]).toEqual([
      2, 2,
    ]);
  });
});

describe('image sources', () => {
  it('are every function of the image, the libraries, the bundler, the assembler and the lockfile', () => {
    expect(IMAGE_SOURCE_ROOTS).toEqual([
      ...ALL_FUNCTION_NAMES.map((fn) => `apps/${fn}/src`),
      'libs',
      'tools/scripts/bundle-function.mjs',
      'tools/lambda-image/src',
      'package-lock.json',
    ]);
  });

  it('leave out what never reaches the image', () => {
    expect(
      [
        '/r/libs/core/tests',
        '/r/libs/core/node_modules',
        '/r/apps/resize/dist',
        '/r/libs/core/src/a.spec.ts',
      ].map(isExcludedImageSource),
    ).toEqual([true, true, true, true]);
    expect(['/r/libs/core/src/a.ts', '/r/libs/testsuite'].map(isExcludedImageSource)).toEqual([false, false]);
  });
});

describe('derivedKey', () => {
  it('appends the variant name and extension to the source key', () => {
    expect(derivedKey('photos/cat.jpg', { name: 'thumb', format: 'webp' })).toBe('photos/cat.jpg/thumb.webp');
    expect(derivedKey('a b+c', { name: 'large', format: 'jpeg' })).toBe('a b+c/large.jpg');
  });
});
