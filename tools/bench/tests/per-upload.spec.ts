import { corpusFile } from '@imgpipe/testing';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { workspaceRoot } from '../src/paths';
import type { BenchReport } from '../src/types';
import { pythonCandidates } from '../src/variants/python';

const BENCH_DIR = join(__dirname, '..');
const THUMBHASH_PY = join(BENCH_DIR, 'src', 'variants', 'thumbhash.py');

/** The reference encoder (the npm package metadata-sync calls), in a child: it ships ES modules only. */
function referenceHash(width: number, height: number, file: string): string {
  const script = `import { rgbaToThumbHash } from 'thumbhash'; import { readFileSync } from 'node:fs';
    const [w, h, f] = process.argv.slice(1);
    process.stdout.write(Buffer.from(rgbaToThumbHash(Number(w), Number(h), readFileSync(f))).toString('base64'));`;
  const run = spawnSync(
    process.execPath,
    ['--input-type=module', '-e', script, String(width), String(height), file],
    {
      cwd: workspaceRoot(),
      encoding: 'utf8',
    },
  );
  expect(run.stderr).toBe('');
  return run.stdout;
}

function pythonHash(width: number, height: number, file: string): string {
  const python = pythonCandidates()[0];
  if (!python) throw new Error('no python3 found on PATH');
  const run = spawnSync(python, [THUMBHASH_PY, String(width), String(height), file], { encoding: 'utf8' });
  expect(run.stderr).toBe('');
  return run.stdout.trim();
}

/** The 4-bit fields of a hash (every byte holds two), to compare two hashes field by field. */
function nibbles(hash: string): number[] {
  return [...Buffer.from(hash, 'base64')].flatMap((b) => [b & 15, b >> 4]);
}

describe("the Pillow comparator's ThumbHash (thumbhash.py)", () => {
  it.each([
    'sharp-fixtures/2569067123_aca715a2ee_o.jpg',
    'exif-orientation-examples/Landscape_1.jpg',
    'sharp-fixtures/Channel_digital_image_CMYK_color.jpg',
    'pngsuite/bgyn6a16.png',
    'sharp-fixtures/full-transparent.png',
  ])('gives the reference encoder’s bytes for the 100 px RGBA raster of %s', async (id) => {
    const { data, info } = await sharp(corpusFile(id))
      .resize(100, 100, { fit: 'inside' })
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const dir = mkdtempSync(join(tmpdir(), 'imgpipe-thumbhash-'));
    try {
      const file = join(dir, 'raster.rgba');
      writeFileSync(file, data);
      const reference = referenceHash(info.width, info.height, file);
      expect(reference.length).toBeGreaterThan(20);
      const ours = nibbles(pythonHash(info.width, info.height, file));
      const theirs = nibbles(reference);
      // The separable sums round differently in the last bits: a term on a half step may land one
      // step over (seen once in these five), never more, and the hash keeps its length.
      expect(ours).toHaveLength(theirs.length);
      const off = ours.map((v, i) => Math.abs(v - (theirs[i] ?? 0)));
      expect(Math.max(...off)).toBeLessThanOrEqual(1);
      expect(off.filter((d) => d > 0).length).toBeLessThanOrEqual(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the per-upload and gated rows', () => {
  it('measures imgpipe-upload against its own base and the Pillow rows (or reports Pillow missing)', () => {
    const args = ['--json', '--only', 'variants', '--images', 'tiny', '--rounds', '1', '--warmup', '1'];
    const tools = 'imgpipe,imgpipe-upload,pillow-gated,pillow-upload,pillow-upload-gated';
    const run = spawnSync(
      process.execPath,
      [require.resolve('tsx/cli'), 'src/main.ts', ...args, '--iterations', '1', '--tools', tools],
      { cwd: BENCH_DIR, encoding: 'utf8', timeout: 120_000 },
    );
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout.trim().split('\n').pop() ?? '') as BenchReport;
    const measured = report.results.map((r) => r.tool);
    const pillow = ['pillow-gated', 'pillow-upload', 'pillow-upload-gated'];
    const missing = report.missing.map((m) => m.what);
    expect(
      pillow.every((t) => measured.includes(t as never)) || pillow.every((t) => missing.includes(t)),
    ).toBe(true);
    const upload = report.results.find((r) => r.tool === 'imgpipe-upload');
    expect(upload?.outputs.map((o) => o.name)).toEqual(['thumb', 'small', 'large', 'placeholder']);
    expect(upload?.outputs[3]).toMatchObject({ format: 'thumbhash', width: 320, height: 240 });
    const bases = Object.fromEntries(report.ratios.map((r) => [r.tool, r.base]));
    expect(bases['imgpipe-upload']).toBe('imgpipe');
    if (measured.includes('pillow-upload')) {
      expect(bases).toMatchObject({
        'pillow-gated': 'imgpipe',
        'pillow-upload': 'imgpipe-upload',
        'pillow-upload-gated': 'imgpipe-upload',
      });
      const pillowUpload = report.results.find((r) => r.tool === 'pillow-upload');
      // Both sides did the same work: the same variants and a ThumbHash of the same picture.
      expect(pillowUpload?.outputs.map((o) => `${o.name} ${o.width}x${o.height}`)).toEqual(
        upload?.outputs.map((o) => `${o.name} ${o.width}x${o.height}`),
      );
    }
  }, 120_000);
});
