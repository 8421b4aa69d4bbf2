import { DEFAULT_PRESETS } from '@imgpipe/pipeline';
import { readCorpusFile } from '@imgpipe/testing';
import * as thumbhash from 'thumbhash';
import { processImage, renderVariants } from '../src';
import { ANIMATED_PRESET, ANIMATED_WEBP, dHash, hamming, LIMITS, SAME_PICTURE_BITS } from './helpers';

// A spy around the real encoder: it proves whether a call computed the ThumbHash placeholder.
jest.mock('thumbhash', () => {
  const actual = jest.requireActual<typeof import('thumbhash')>('thumbhash');
  return { ...actual, rgbaToThumbHash: jest.fn(actual.rgbaToThumbHash) };
});
const placeholderCalls = thumbhash.rgbaToThumbHash as jest.MockedFunction<typeof thumbhash.rgbaToThumbHash>;

const PHOTO = 'sharp-fixtures/2569067123_aca715a2ee_o.jpg';
/** Stored 1200x1800 with EXIF orientation 6: displayed 1800x1200. */
const ROTATED = 'exif-orientation-examples/Landscape_6.jpg';

beforeEach(() => placeholderCalls.mockClear());

describe('renderVariants', () => {
  it('gives the same variants as processImage (names, formats, sizes, pictures)', async () => {
    const input = readCorpusFile(PHOTO);
    const options = { limits: LIMITS, presets: DEFAULT_PRESETS };
    const [alone, full] = await Promise.all([renderVariants(input, options), processImage(input, options)]);
    expect(alone.variants.map((v) => [v.name, v.format, v.contentType, v.width, v.height])).toEqual(
      full.variants.map((v) => [v.name, v.format, v.contentType, v.width, v.height]),
    );
    for (const [i, variant] of alone.variants.entries()) {
      const other = full.variants[i]?.data ?? Buffer.alloc(0);
      expect(hamming(await dHash(variant.data), await dHash(other))).toBeLessThanOrEqual(SAME_PICTURE_BITS);
      expect(variant.bytes).toBe(variant.data.length);
    }
  });

  it('computes no placeholder, where processImage does', async () => {
    const input = readCorpusFile(PHOTO);
    await renderVariants(input, { limits: LIMITS, presets: DEFAULT_PRESETS });
    expect(placeholderCalls).not.toHaveBeenCalled();
    await processImage(input, { limits: LIMITS, presets: DEFAULT_PRESETS });
    expect(placeholderCalls).toHaveBeenCalledTimes(1);
  });

  it('reports the displayed format and size (after EXIF orientation) from the header', async () => {
    const result = await renderVariants(readCorpusFile(ROTATED), {
      limits: LIMITS,
      presets: DEFAULT_PRESETS,
    });
    expect(result).toMatchObject({ format: 'jpeg', width: 1800, height: 1200 });
    const large = result.variants.find((v) => v.name === 'large');
    expect(large?.width).toBeGreaterThan(large?.height ?? Infinity);
  });

  it('renders an animated-only preset list without a still decode', async () => {
    const result = await renderVariants(readCorpusFile(ANIMATED_WEBP), {
      limits: LIMITS,
      presets: [ANIMATED_PRESET],
    });
    expect(result.variants).toHaveLength(1);
    expect(result.variants[0]).toMatchObject({ name: 'anim', width: 40, height: 40 });
  });

  it('rejects what processImage rejects, with the same code', async () => {
    expect.assertions(1);
    await renderVariants(Buffer.from('not an image'), { limits: LIMITS, presets: DEFAULT_PRESETS }).catch(
      (err: unknown) => expect(err).toMatchObject({ code: 'UNSUPPORTED_FORMAT' }),
    );
  });
});
