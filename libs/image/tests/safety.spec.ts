import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_PRESETS } from '@imgpipe/pipeline';
import { readCorpusFile } from '@imgpipe/testing';
import {
  CorruptImageError,
  IMAGE_ERROR_CODES,
  ImageError,
  inspectImage,
  isImageError,
  processImage,
  TooLargeError,
  TooManyPixelsError,
  UnsupportedFormatError,
} from '../src';
import { LIMITS, rejectionOf } from './helpers';

const fixture = (name: string): Buffer => readFileSync(join(__dirname, 'fixtures', name));
const PHOTO_20MP = 'debian/lomiri-wallpapers-20.04/Kleiber_by_Lukas_Baubkus.jpg';
const SPINNING_PNG = 'imagetestsuite/png/c-m1-8f2b481b7fd9bd745e620b7c01a18df2.png';

describe('image errors', () => {
  it('share one base class, a stable code each, permanence and the cause', () => {
    const cause = new Error('libvips said no');
    const errors = [
      new UnsupportedFormatError('u'),
      new CorruptImageError('c', { cause }),
      new TooManyPixelsError('p'),
      new TooLargeError('l'),
    ];
    expect(errors.map((e) => e.code)).toEqual([...IMAGE_ERROR_CODES]);
    expect(errors.every((e) => e instanceof ImageError && isImageError(e) && e.permanent)).toBe(true);
    expect(errors[1]?.cause).toBe(cause);
    expect(errors.map((e) => e.name)).toEqual([
      'UnsupportedFormatError',
      'CorruptImageError',
      'TooManyPixelsError',
      'TooLargeError',
    ]);
    expect(isImageError(new Error('x'))).toBe(false);
  });
});

describe('inspectImage', () => {
  it('reads format, stored size, frames and orientation from the header', async () => {
    const inspection = await inspectImage(
      readCorpusFile('exif-orientation-examples/Landscape_6.jpg'),
      LIMITS,
    );
    expect(inspection).toEqual({
      format: 'jpeg',
      width: 1200,
      height: 1800,
      pages: 1,
      orientation: 6,
      bytes: 352727,
    });
  });

  it('counts the frames of an animated WebP', async () => {
    const inspection = await inspectImage(readCorpusFile('sharp-fixtures/rotating-squares.webp'), LIMITS);
    expect(inspection).toMatchObject({ format: 'webp', width: 80, height: 80, pages: 9 });
  });

  it('treats the invalid orientation 0 as 1', async () => {
    const inspection = await inspectImage(
      readCorpusFile('exif-orientation-examples/Landscape_0.jpg'),
      LIMITS,
    );
    expect(inspection.orientation).toBe(1);
  });

  it('refuses more bytes than the byte limit before looking any further', async () => {
    const error = await rejectionOf(inspectImage(readCorpusFile(PHOTO_20MP), { ...LIMITS, maxBytes: 1000 }));
    expect(error).toBeInstanceOf(TooLargeError);
    expect((error as Error).message).toBe('Input has 4379037 bytes; the limit is 1000');
  });

  it('refuses more pixels than a configured pixel limit', async () => {
    const error = await rejectionOf(
      inspectImage(readCorpusFile(PHOTO_20MP), { ...LIMITS, maxPixels: 10_000_000 }),
    );
    expect(error).toBeInstanceOf(TooManyPixelsError);
    expect((error as Error).message).toBe('Input is 6028x3391 (20440948 pixels); the limit is 10000000');
  });

  it('refuses more frames than the frame limit', async () => {
    const error = await rejectionOf(
      inspectImage(readCorpusFile('sharp-fixtures/big-height.webp'), { ...LIMITS, maxFrames: 50 }),
    );
    expect(error).toBeInstanceOf(TooManyPixelsError);
    expect((error as Error).message).toBe('Input has 97 frames; the limit is 50');
  });

  it('refuses a GIF frame placed far outside its screen before any decoder sees it', async () => {
    const error = await rejectionOf(inspectImage(readCorpusFile('pillow/decompression_bomb.gif'), LIMITS));
    expect(error).toBeInstanceOf(TooManyPixelsError);
  });
});

describe('hostile and unsupported inputs', () => {
  it('refuses a web page named .jpg as an unsupported format', async () => {
    const error = await rejectionOf(
      processImage(fixture('not-an-image.jpg'), { limits: LIMITS, presets: DEFAULT_PRESETS }),
    );
    expect(error).toBeInstanceOf(UnsupportedFormatError);
  });

  it('refuses SVG by default', async () => {
    const error = await rejectionOf(
      processImage(readCorpusFile('sharp-fixtures/check.svg'), { limits: LIMITS, presets: DEFAULT_PRESETS }),
    );
    expect(error).toMatchObject({
      code: 'UNSUPPORTED_FORMAT',
      message: 'Input is SVG, which is switched off (limits.allowSvg)',
    });
  });

  it('refuses an SVG with an external entity even when SVG is allowed', async () => {
    const error = await rejectionOf(
      processImage(fixture('external-entity.svg'), {
        limits: { ...LIMITS, allowSvg: true },
        presets: DEFAULT_PRESETS,
      }),
    );
    expect(error).toMatchObject({ code: 'UNSUPPORTED_FORMAT' });
    expect((error as Error).message).toMatch(/DOCTYPE or entity/);
  });

  it('renders a plain SVG when SVG is allowed', async () => {
    const { metadata, variants } = await processImage(readCorpusFile('sharp-fixtures/check.svg'), {
      limits: { ...LIMITS, allowSvg: true },
      presets: DEFAULT_PRESETS,
    });
    expect(metadata).toMatchObject({ format: 'svg', width: 100, height: 100 });
    expect(variants.map((v) => [v.name, v.width, v.height])).toEqual([
      ['thumb', 100, 100],
      ['small', 100, 100],
      ['large', 100, 100],
    ]);
  });

  it('refuses a format libvips could read but the allow-list does not name', async () => {
    const ppm = Buffer.concat([Buffer.from('P6\n2 2\n255\n'), Buffer.alloc(12, 200)]);
    const error = await rejectionOf(processImage(ppm, { limits: LIMITS, presets: DEFAULT_PRESETS }));
    expect(error).toBeInstanceOf(UnsupportedFormatError);
  });
});

describe('loader blocking', () => {
  // The block list is process-wide state in libvips, so it is observed in a fresh process.
  it('blocks the SVG loader until a job allows SVG, and keeps the raster loaders', () => {
    const script = join(__dirname, 'fixtures', 'loader-block-probe.ts');
    const run = spawnSync(process.execPath, [require.resolve('tsx/cli'), script], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({
      svgBeforeLock: 'ok',
      svgAfterLock: 'refused',
      jpegAfterLock: 'ok',
      svgAllowed: 'ok',
    });
  });
});

describe('the job timeout', () => {
  it('stops a job that outlives its budget with a permanent CORRUPT_IMAGE that says it timed out', async () => {
    const error = await rejectionOf(
      processImage(readCorpusFile(PHOTO_20MP), {
        limits: { ...LIMITS, jobTimeoutMs: 1 },
        presets: DEFAULT_PRESETS,
      }),
    );
    expect(error).toBeInstanceOf(CorruptImageError);
    expect(error).toMatchObject({ code: 'CORRUPT_IMAGE', permanent: true });
    expect((error as Error).message).toMatch(/timed out after 1 ms/);
  });

  it('leaves the process working after a timeout', async () => {
    await rejectionOf(
      processImage(readCorpusFile(PHOTO_20MP), {
        limits: { ...LIMITS, jobTimeoutMs: 1 },
        presets: DEFAULT_PRESETS,
      }),
    );
    const { variants } = await processImage(readCorpusFile('sharp-fixtures/320x240.jpg'), {
      limits: LIMITS,
      presets: DEFAULT_PRESETS,
    });
    expect(variants).toHaveLength(3);
  });

  it('finishes the PNG that made Debian libvips spin, well inside its budget', async () => {
    const { metadata } = await processImage(readCorpusFile(SPINNING_PNG), {
      limits: { ...LIMITS, jobTimeoutMs: 5_000 },
      presets: DEFAULT_PRESETS,
    });
    expect(metadata).toMatchObject({ format: 'png', width: 73, height: 31 });
  });
});
