import { corpusFile } from '@imgpipe/testing';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from '../src/args';
import { renderChart } from '../src/chart';
import { percentile } from '../src/stats';
import type { BenchReport } from '../src/types';
import { sharpJpegShrinkFactor } from '../src/variants/sharp-tools';
import { testMachine } from './support/machine';

const BENCH_DIR = join(__dirname, '..');

/** Runs the real CLI (tsx, as `npm run bench` does) and parses the last stdout line. */
function bench(args: readonly string[], env: NodeJS.ProcessEnv = {}): BenchReport {
  const run = spawnSync(process.execPath, [require.resolve('tsx/cli'), 'src/main.ts', '--json', ...args], {
    cwd: BENCH_DIR,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  expect(run.status).toBe(0);
  const last = run.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(last) as BenchReport;
}

/** The variants workload measured once: one round, one warm-up, one iteration (a smoke run, not a figure). */
const ONCE = ['--only', 'variants', '--rounds', '1', '--warmup', '1', '--iterations', '1'] as const;

const positive = (n: unknown): boolean => typeof n === 'number' && Number.isFinite(n) && n > 0;

describe('npm run bench -- --json', () => {
  it('prints one well-formed report as its last line, every result measured with positive numbers', () => {
    const report = bench([...ONCE, '--images', 'tiny', '--tools', 'imgpipe,pillow-draft,sharp-naive,floor']);

    expect(report.mode).toBe('full');
    expect(report.machine.cpus).toBeGreaterThan(0);
    expect(Array.isArray(report.coldStart)).toBe(true);
    expect(report.e2e).toBeNull();
    const measured = report.results.map((r) => r.tool);
    const missing = report.missing.map((m) => m.what);
    // Every comparator asked for is either measured or reported missing with a reason, never silently dropped.
    for (const tool of ['imgpipe', 'pillow-draft', 'sharp-naive', 'floor']) {
      expect(measured.includes(tool as never) || missing.includes(tool)).toBe(true);
    }
    expect(measured).toEqual(expect.arrayContaining(['sharp-naive', 'floor']));
    for (const r of report.results) {
      expect(r).toMatchObject({ workload: 'variants', image: 'sharp-fixtures/320x240.jpg' });
      expect([r.msPerImage, r.cpuMsPerImage, r.peakRssMb, r.samples].every(positive)).toBe(true);
      expect(r.outputs.map((o) => o.name)).toEqual(['thumb', 'small', 'large']);
      expect(r.outputs.find((o) => o.name === 'thumb')).toMatchObject({ width: 128, height: 128 });
    }
    for (const ratio of report.ratios) expect([ratio.wall, ratio.cpu, ratio.rss].every(positive)).toBe(true);
    for (const t of report.targets) expect(typeof t.target).toBe('string');
  }, 120_000);

  it('reports a comparator that cannot run as missing, with the install command, instead of estimating it', () => {
    const report = bench([...ONCE, '--images', 'tiny', '--tools', 'pillow-draft,floor'], {
      IMGPIPE_BENCH_PYTHON: 'none',
    });

    expect(report.results.map((r) => r.tool)).toEqual(['floor']);
    expect(report.missing).toContainEqual(
      expect.objectContaining({ what: 'pillow-draft', install: 'apt-get install -y python3-pil' }),
    );
    expect(report.machine.pillow).toBeNull();
  }, 120_000);
});

describe('bench helpers', () => {
  it('takes medians and percentiles by linear interpolation', () => {
    expect(percentile([4, 1, 3, 2], 50)).toBe(2.5);
    expect(percentile([10], 99)).toBe(10);
    expect(percentile([0, 100], 99)).toBe(99);
  });

  it('models the JPEG shrink-on-load factor sharp asks for (halved when the shrink is an exact factor)', () => {
    expect(sharpJpegShrinkFactor(2.13)).toBe(1);
    expect(sharpJpegShrinkFactor(3.2)).toBe(2);
    expect(sharpJpegShrinkFactor(4.7)).toBe(2);
    expect(sharpJpegShrinkFactor(9)).toBe(8);
  });

  it('takes --image any number of times, in order, and then measures only those files by default', () => {
    const options = parseArgs(['--image', 'a.jpg', '--image=b/c.png']);
    expect(options.imagePaths).toEqual(['a.jpg', 'b/c.png']);
    expect(options.images).toEqual([]);
    expect(parseArgs(['--image', 'a.jpg', '--images', '6mp']).images).toEqual(['6mp']);
    expect(parseArgs([]).images).toEqual([
      '6mp',
      '20mp',
      'progressive',
      'adobe-rgb',
      'wide-gamut',
      'display-p3',
    ]);
  });

  it('measures a file named with --image, with the quality metric beside its bytes', () => {
    const path = corpusFile('sharp-fixtures/320x240.jpg');
    const report = bench([...ONCE, '--image', path, '--tools', 'imgpipe,floor']);
    expect(report.results.map((r) => [r.image, r.tool])).toEqual([
      [path, 'imgpipe'],
      [path, 'floor'],
    ]);
    for (const r of report.results) {
      // Present where butteraugli is installed; otherwise listed as missing, never estimated.
      if (r.largeButteraugli === null)
        expect(report.missing.map((m) => m.what)).toContain('largeButteraugli');
      else expect(r.largeButteraugli).toBeGreaterThanOrEqual(0);
    }
  }, 120_000);

  it('rejects unknown options and bad numbers with a usage error', () => {
    expect(() => parseArgs(['--fast'])).toThrow(expect.objectContaining({ code: 'BENCH_USAGE' }));
    expect(() => parseArgs(['--rounds', '0'])).toThrow(/positive integer/);
    expect(parseArgs(['--quick']).uploads).toBeLessThan(parseArgs([]).uploads);
    expect([parseArgs([]).warmUploads, parseArgs(['--warm-uploads', '0']).warmUploads]).toEqual([null, 0]);
    expect(parseArgs(['--warm-uploads=8']).warmUploads).toBe(8);
    expect(() => parseArgs(['--warm-uploads=-1'])).toThrow(/0 or more/);
    expect(() => parseArgs(['--warm-uploads', '1.5'])).toThrow(/0 or more/);
    expect(() => parseArgs(['--images', 'huge'])).toThrow(/comma list of/);
    expect(() => parseArgs(['stray'])).toThrow(expect.objectContaining({ code: 'BENCH_USAGE' }));
  });

  it('draws one pair of bars per tool and image', () => {
    const svg = renderChart({
      command: 'npm run bench',
      machine: testMachine({ cpuModel: 'x', sharpConcurrency: 2, date: 'now' }),
      results: [
        {
          workload: 'variants',
          image: 'a/b.jpg',
          tool: 'imgpipe',
          msPerImage: 10,
          cpuMsPerImage: 12,
          peakRssMb: 50,
          samples: 1,
          outputs: [],
          largeButteraugli: null,
        },
        {
          workload: 'variants',
          image: 'a/b.jpg',
          tool: 'floor',
          msPerImage: 5,
          cpuMsPerImage: 6,
          peakRssMb: 50,
          samples: 1,
          outputs: [],
          largeButteraugli: null,
        },
      ],
    });

    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<rect x=/g)).toHaveLength(4);
    expect(svg).toContain('b.jpg');
  });
});
