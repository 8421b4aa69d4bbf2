import { bundleModules, packageOf, summarizeProfile, type CpuProfile } from '../src/e2e-profile-summary';

const BUNDLE = [
  '// banner',
  '// node_modules/@smithy/signature-v4/dist-es/SignatureV4.js',
  'function sign() {}',
  '// node_modules/@aws-lambda-powertools/metrics/lib/esm/Metrics.js',
  'class Metrics {}',
  '// libs/core/src/resize.ts',
  'async function resizeObject() {}',
].join('\n');

/** The bundle's entry answers with BUNDLE; its chunk with a second, one-module text. */
const CHUNK = ['// banner', '// node_modules/zod/v4/core/schemas.js', 'function parse() {}'].join('\n');
const textOf = (url: string): string | undefined =>
  url.endsWith('/dist/resize.mjs') ? BUNDLE : url.endsWith('/dist/chunks/chunk-A.mjs') ? CHUNK : undefined;

const frame = (functionName: string, url: string, lineNumber: number) => ({ functionName, url, lineNumber });

/**
 * root > resizeObject (line 6) > sign (line 2) > node's `constructor`; root > Metrics (line 4); idle; gc;
 * sharp; a chunk's zod (line 2 of the chunk).
 */
const PROFILE: CpuProfile = {
  startTime: 1_000,
  nodes: [
    { id: 1, callFrame: frame('(root)', '', 0), children: [2, 5, 6, 7, 8, 9] },
    { id: 2, callFrame: frame('resizeObject', 'file:///x/apps/resize/dist/resize.mjs', 6), children: [3] },
    { id: 3, callFrame: frame('sign', 'file:///x/apps/resize/dist/resize.mjs', 2), children: [4] },
    { id: 4, callFrame: frame('constructor', '', -1) },
    { id: 5, callFrame: frame('publish', 'file:///x/apps/resize/dist/resize.mjs', 4) },
    { id: 6, callFrame: frame('(idle)', '', -1) },
    { id: 7, callFrame: frame('(garbage collector)', '', -1) },
    { id: 8, callFrame: frame('pipeline', 'file:///x/node_modules/sharp/lib/output.js', 10) },
    { id: 9, callFrame: frame('parse', 'file:///x/apps/resize/dist/chunks/chunk-A.mjs', 2) },
  ],
  // Each sample's delta is the time since the previous one, in microseconds.
  samples: [4, 3, 5, 6, 7, 2, 8, 4, 9],
  timeDeltas: [1_000, 2_000, 1_000, 5_000, 1_000, 1_000, 3_000, 1_000, 2_000],
};

describe('summarizeProfile', () => {
  it('finds the module of each line of an unminified bundle', () => {
    expect(bundleModules(BUNDLE)).toEqual([
      { line: 1, module: 'node_modules/@smithy/signature-v4/dist-es/SignatureV4.js' },
      { line: 3, module: 'node_modules/@aws-lambda-powertools/metrics/lib/esm/Metrics.js' },
      { line: 5, module: 'libs/core/src/resize.ts' },
    ]);
    expect(packageOf('node_modules/@smithy/signature-v4/dist-es/SignatureV4.js')).toBe(
      '@smithy/signature-v4',
    );
    expect(packageOf('node_modules/zod/v4/core/schemas.js')).toBe('zod');
    expect(packageOf('libs/core/src/resize.ts')).toBe('libs/core/src/resize.ts');
  });

  it("gives node's frames to the nearest bundle frame and leaves idle time out", () => {
    expect(summarizeProfile(PROFILE, textOf)).toEqual([
      { owner: '@smithy/signature-v4', ms: 4 },
      { owner: 'sharp', ms: 3 },
      { owner: 'zod', ms: 2 },
      { owner: '(gc)', ms: 1 },
      { owner: '@aws-lambda-powertools/metrics', ms: 1 },
      { owner: 'libs/core/src/resize.ts', ms: 1 },
    ]);
  });

  it('counts only the samples inside the window', () => {
    // Sample times: 2000, 4000, 5000, 10000, 11000, 12000, 15000, 16000: the window holds gc, core, sharp.
    expect(summarizeProfile(PROFILE, textOf, { fromUs: 11_000, toUs: 15_000 })).toEqual([
      { owner: 'sharp', ms: 3 },
      { owner: '(gc)', ms: 1 },
      { owner: 'libs/core/src/resize.ts', ms: 1 },
    ]);
  });
});
