import { DEFAULT_PRESETS } from '@imgpipe/pipeline';
import { readCorpusFile } from '@imgpipe/testing';
import sharp from 'sharp';
import { processImage, type RenderedVariant } from '../src';
import { dHash, hamming, LIMITS, SAME_PICTURE_BITS } from './helpers';

const LANDSCAPE = (n: number): string => `exif-orientation-examples/Landscape_${n}.jpg`;

async function variantsOf(id: string): Promise<readonly RenderedVariant[]> {
  const { variants } = await processImage(readCorpusFile(id), { limits: LIMITS, presets: DEFAULT_PRESETS });
  return variants;
}

function byName(variants: readonly RenderedVariant[], name: string): RenderedVariant {
  const found = variants.find((v) => v.name === name);
  if (!found) throw new Error(`no variant ${name}`);
  return found;
}

describe('EXIF orientation', () => {
  let reference: Map<string, bigint>;

  beforeAll(async () => {
    const variants = await variantsOf(LANDSCAPE(1));
    reference = new Map(await Promise.all(variants.map(async (v) => [v.name, await dHash(v.data)] as const)));
  });

  it('tells pictures apart: a mirrored Landscape_1 hashes far from the original', async () => {
    const mirrored = await dHash(sharp(readCorpusFile(LANDSCAPE(1))).flop());
    expect(hamming(mirrored, reference.get('small') ?? 0n)).toBeGreaterThan(SAME_PICTURE_BITS * 2);
  });

  it.each([0, 1, 2, 3, 4, 5, 6, 7, 8])(
    'renders Landscape_%i upright: every variant looks like Landscape_1',
    async (n) => {
      const variants = await variantsOf(LANDSCAPE(n));
      for (const variant of variants) {
        const expected = reference.get(variant.name) ?? 0n;
        expect(hamming(await dHash(variant.data), expected)).toBeLessThanOrEqual(SAME_PICTURE_BITS);
        expect(variant.width).toBeGreaterThanOrEqual(variant.height);
      }
    },
    20_000,
  );

  // Orientation 3 stored where libvips and browsers ignore it: we follow them and keep the stored pixels.
  it.each([
    ['pillow/exif_imagemagick_orientation.png', 'EXIF only as ImageMagick hex text in a PNG tEXt chunk'],
    ['pillow/avif/xmp_tags_orientation.avif', 'orientation only in AVIF XMP (tiff:Orientation)'],
  ])(
    'keeps %s as stored (%s), as browsers display it',
    async (id) => {
      const input = readCorpusFile(id);
      const { metadata, variants } = await processImage(input, { limits: LIMITS, presets: DEFAULT_PRESETS });
      expect(metadata.orientation).toBe(1);
      expect(
        hamming(await dHash(byName(variants, 'large').data), await dHash(sharp(input))),
      ).toBeLessThanOrEqual(SAME_PICTURE_BITS);
    },
    20_000,
  );

  it('does not turn the XMP-oriented AVIF: its variant is far from the stored picture turned by 180 degrees', async () => {
    const input = readCorpusFile('pillow/avif/xmp_tags_orientation.avif');
    const { variants } = await processImage(input, { limits: LIMITS, presets: DEFAULT_PRESETS });
    const turned = await dHash(sharp(input).rotate(180));
    expect(hamming(await dHash(byName(variants, 'large').data), turned)).toBeGreaterThan(SAME_PICTURE_BITS);
  });
});
