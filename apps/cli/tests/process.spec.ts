import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corpusFile } from '@imgpipe/testing';
import sharp from 'sharp';

const APP = join(__dirname, '..');
const BIN = join(APP, 'bin', 'imgpipe.cjs');
const VALID = corpusFile('exif-orientation-examples/Landscape_6.jpg');
const CORRUPT = corpusFile('sharp-fixtures/truncated.jpg');
const NOT_AN_IMAGE = corpusFile('sharp-fixtures/NotoSans-Regular.ttf');

function imgpipe(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

function jsonLines(stdout: string): Record<string, unknown>[] {
  return stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

let out: string;

beforeAll(() => {
  // As after `npm ci` in a fresh clone: no bundle yet, the bin must build it.
  rmSync(join(APP, 'dist'), { recursive: true, force: true });
  const help = imgpipe('--help');
  expect(help.status).toBe(0);
  expect(existsSync(join(APP, 'dist', 'imgpipe.cjs'))).toBe(true);
}, 120_000);

beforeEach(() => {
  out = mkdtempSync(join(tmpdir(), 'imgpipe-cli-'));
});

afterEach(() => {
  rmSync(out, { recursive: true, force: true });
});

describe('imgpipe process', () => {
  it('prints one contract JSON line per input and keeps going past bad files', () => {
    const run = imgpipe('process', VALID, CORRUPT, NOT_AN_IMAGE, '--out', out, '--json');
    expect(run.status).toBe(0);
    const [valid, corrupt, notAnImage] = jsonLines(run.stdout);
    expect(valid).toMatchObject({
      file: VALID,
      ok: true,
      metadata: { format: 'jpeg', width: 1800, height: 1200 },
    });
    expect((valid?.['variants'] as { name: string }[]).map((v) => v.name)).toEqual([
      'thumb',
      'small',
      'large',
    ]);
    expect(corrupt).toEqual({
      file: CORRUPT,
      ok: false,
      error: { code: 'CORRUPT_IMAGE', message: expect.any(String) },
    });
    expect(notAnImage).toEqual({
      file: NOT_AN_IMAGE,
      ok: false,
      error: { code: 'UNSUPPORTED_FORMAT', message: expect.any(String) },
    });
  }, 60_000);

  it('writes <out>/<input base name>/<variant>.<ext>, upright and of the size it reports', async () => {
    const run = imgpipe('process', VALID, '--out', out, '--json');
    const [line] = jsonLines(run.stdout);
    const variants = line?.['variants'] as {
      name: string;
      path: string;
      width: number;
      height: number;
      format: string;
    }[];
    expect(variants.map((v) => v.path)).toEqual([
      join(out, 'Landscape_6.jpg', 'thumb.webp'),
      join(out, 'Landscape_6.jpg', 'small.webp'),
      join(out, 'Landscape_6.jpg', 'large.jpg'),
    ]);
    for (const variant of variants) {
      const written = await sharp(variant.path).metadata();
      expect({ width: written.width, height: written.height, format: written.format }).toEqual({
        width: variant.width,
        height: variant.height,
        format: variant.format,
      });
    }
    expect(variants[2]).toMatchObject({ width: 1280, height: 853 });
  }, 60_000);

  it('prints a readable table without --json', () => {
    const run = imgpipe('process', VALID, CORRUPT, '--out', out);
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^FILE\s+STATUS\s+IMAGE\s+VARIANTS \/ ERROR$/);
    expect(lines[1]).toContain('jpeg 1800x1200');
    expect(lines[2]).toContain('CORRUPT_IMAGE');
  }, 60_000);

  it('exits non-zero for a usage error', () => {
    const run = imgpipe('process', VALID);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("required option '-o, --out <dir>' not specified");
  });

  it('reports a missing file, processes the others, and exits 1', () => {
    const missing = join(out, 'no-such-file.jpg');
    const run = imgpipe('process', missing, VALID, '--out', out, '--json');
    expect(run.status).toBe(1);
    const [first, second] = jsonLines(run.stdout);
    expect(first).toMatchObject({ file: missing, ok: false, error: { code: 'ENOENT' } });
    expect(second).toMatchObject({ file: VALID, ok: true });
  }, 60_000);
});
