import { DEFAULT_PRESETS } from '@imgpipe/pipeline';
import { readCorpusFile } from '@imgpipe/testing';
import sharp from 'sharp';
import { cascade } from '../src/cascade';
import { Deadline } from '../src/deadline';
import type { Raster } from '../src/decode';
import { loadSharp } from '../src/vips';
import { type Preset, renderVariants } from '../src';
import { dHash, hamming, LIMITS, SAME_PICTURE_BITS } from './helpers';

// cascade is internal: the public entries load sharp before it runs.
beforeAll(() => loadSharp());

const deadline = (): Deadline => new Deadline(LIMITS.jobTimeoutMs);

/** A real-pixel raster of the given size (a photo, so resampling has something to do). */
async function rasterOf(width: number, height: number, channels: 3 | 4 = 3): Promise<Raster> {
  const photo = sharp(readCorpusFile('sharp-fixtures/2569067123_aca715a2ee_o.jpg')).resize(width, height, {
    fit: 'fill',
  });
  const { data, info } = await (channels === 4 ? photo.ensureAlpha() : photo)
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels };
}

function preset(name: string, fit: Preset['fit'], width: number, height: number): Preset {
  return { name, fit, width, height, format: 'webp', quality: 80 };
}

function named(presets: readonly Preset[], name: string): Preset {
  const found = presets.find((p) => p.name === name);
  if (!found) throw new Error(`no preset ${name}`);
  return found;
}

describe('cascade', () => {
  it('renders each default preset from the next larger raster: large from the decode, small from it, thumb from small', async () => {
    const decoded = await rasterOf(1280, 720);
    const sources = await cascade(decoded, DEFAULT_PRESETS, deadline());
    const [thumb, small, large] = ['thumb', 'small', 'large'].map((n) =>
      sources.get(named(DEFAULT_PRESETS, n)),
    );
    expect(large).toBe(decoded);
    expect(small).toMatchObject({ width: 320, height: 180, channels: 3 });
    expect(thumb).toBe(small);
  });

  it('never feeds a preset from a raster smaller than it needs (a cover thumbnail of a panorama)', async () => {
    const presets = [
      preset('wide', 'inside', 1280, 1280),
      preset('narrow', 'inside', 320, 320),
      preset('square', 'cover', 128, 128),
    ];
    const decoded = await rasterOf(1280, 320);
    const sources = await cascade(decoded, presets, deadline());
    expect(sources.get(named(presets, 'narrow'))).toMatchObject({ width: 320, height: 80 });
    // 320x80 cannot cover 128x128 from real pixels: the square comes from the 1280x320 decode.
    expect(sources.get(named(presets, 'square'))).toBe(decoded);
  });

  it('keeps an image smaller than every preset as it is (no resample, no enlargement)', async () => {
    const decoded = await rasterOf(90, 60, 4);
    const sources = await cascade(decoded, DEFAULT_PRESETS, deadline());
    for (const p of DEFAULT_PRESETS) expect(sources.get(p)).toBe(decoded);
  });

  it('keeps alpha in the rasters it makes', async () => {
    const { data, info } = await sharp({
      create: { width: 1280, height: 720, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0.5 } },
    })
      .raw()
      .toBuffer({ resolveWithObject: true });
    const sources = await cascade(
      { data, width: info.width, height: info.height, channels: 4 },
      DEFAULT_PRESETS,
      deadline(),
    );
    expect(sources.get(named(DEFAULT_PRESETS, 'small'))).toMatchObject({
      width: 320,
      height: 180,
      channels: 4,
    });
  });
});

describe('cascaded variants', () => {
  it.each([['sharp-fixtures/2569067123_aca715a2ee_o.jpg'], ['debian/mate-backgrounds/Storm.jpg']])(
    'of %s look like sharp rendering each preset straight from the input, at the same sizes',
    async (id) => {
      const input = readCorpusFile(id);
      const { variants } = await renderVariants(input, { limits: LIMITS, presets: DEFAULT_PRESETS });
      for (const p of DEFAULT_PRESETS) {
        const direct = await sharp(input)
          .rotate()
          .resize(p.width, p.height, {
            fit: p.fit,
            position: sharp.strategy.attention,
            withoutEnlargement: true,
          })
          .png()
          .toBuffer({ resolveWithObject: true });
        const ours = variants.find((v) => v.name === p.name);
        expect(ours).toMatchObject({ width: direct.info.width, height: direct.info.height });
        expect(
          hamming(await dHash(ours?.data ?? Buffer.alloc(0)), await dHash(direct.data)),
        ).toBeLessThanOrEqual(SAME_PICTURE_BITS);
      }
    },
  );
});
