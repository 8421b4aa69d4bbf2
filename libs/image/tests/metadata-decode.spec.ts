import { readCorpusFile } from '@imgpipe/testing';
import sharp from 'sharp';
import { thumbHashToRGBA } from 'thumbhash';
import { extractMetadata, type ImageMetadata, useLibvipsFfi } from '../src';
import { decodeSize } from '../src/decode';
import { readHeader } from '../src/inspect';
import { loadLibvipsFfi } from '../src/libvips-ffi';
import { dominantColour } from '../src/metadata';
import { dctShrink, scaledJpegShrink, sharpJpegShrink } from '../src/scaled-decode';
import { loadSharp } from '../src/vips';
import { LIMITS } from './helpers';

const PHOTO = 'sharp-fixtures/2569067123_aca715a2ee_o.jpg';

afterEach(() => {
  useLibvipsFfi(true);
  jest.restoreAllMocks();
});

/** Mean absolute difference of two ThumbHashes rendered back to RGBA (same size: same aspect). */
function placeholderDistance(a: string, b: string): number {
  const [x, y] = [a, b].map((h) => thumbHashToRGBA(Buffer.from(h, 'base64')));
  if (!x || !y || x.w !== y.w || x.h !== y.h) throw new Error('placeholders of different shapes');
  let sum = 0;
  x.rgba.forEach((v, i) => (sum += Math.abs(v - (y.rgba[i] ?? 0))));
  return sum / x.rgba.length;
}

function rgbOf(hex: string): number[] {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
}

/** The placeholder and colour as a full-scale decode gives them (no DCT scaling, then Lanczos to 100 px). */
async function fullScaleReference(input: Buffer): Promise<{ placeholder: string; dominantColor: string }> {
  const full = await sharp(input, { autoOrient: true })
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  const raw = { width: full.info.width, height: full.info.height, channels: full.info.channels };
  const small = await sharp(full.data, { raw })
    .resize(100, 100, { fit: 'inside' })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const { rgbaToThumbHash } = await import('thumbhash');
  const { r, g, b } = dominantColour(small.data, 4);
  const hex = (v: number): string => v.toString(16).padStart(2, '0');
  return {
    placeholder: Buffer.from(rgbaToThumbHash(small.info.width, small.info.height, small.data)).toString(
      'base64',
    ),
    dominantColor: `#${hex(r)}${hex(g)}${hex(b)}`,
  };
}

describe('metadata-sync decodes at the smallest DCT scale its placeholder needs', () => {
  it.each([
    // [stored width, height, the 100 px raster, our factor, sharp's own]
    [2725, 2225, 100, 82, 8, 8],
    [6028, 3391, 100, 56, 8, 8],
    [850, 694, 100, 82, 8, 4],
    [420, 300, 100, 71, 4, 2],
    [150, 100, 100, 67, 1, 1],
  ])('%ix%i to %ix%i: 1/%i (sharp alone: 1/%i)', (w, h, tw, th, ours, theirs) => {
    expect(decodeSize(w, h, [], 100)).toEqual({ width: tw, height: th });
    expect(dctShrink(w, h, { width: tw, height: th }, 1)).toBe(ours);
    expect(sharpJpegShrink(w, h, { width: tw, height: th })).toBe(theirs);
  });

  it('decodes an 850 px JPEG at 1/8 through the binding (sharp would use 1/4), with the same metadata', async () => {
    const input = await sharp(readCorpusFile(PHOTO)).resize(850).jpeg().toBuffer();
    const header = await readHeader(input, LIMITS);
    const size = decodeSize(850, 694, [], 100);
    expect(scaledJpegShrink({ header, displayed: { width: 850, height: 694 }, size, minResidual: 1 })).toBe(
      8,
    );
    const ffi = (await loadLibvipsFfi(await loadSharp())).ffi;
    if (!ffi) throw new Error('the libvips binding did not load');
    const decode = jest.spyOn(ffi, 'jpegDecode');
    const fast = await extractMetadata(input, { limits: LIMITS });
    expect(decode.mock.calls.map((c) => c[1])).toEqual([8]);
    useLibvipsFfi(false);
    const slow = await extractMetadata(input, { limits: LIMITS });
    expect(decode).toHaveBeenCalledTimes(1);
    expect({ ...fast, placeholder: '', dominantColor: '' }).toEqual({
      ...slow,
      placeholder: '',
      dominantColor: '',
    });
    expect(placeholderDistance(fast.placeholder, slow.placeholder)).toBeLessThan(2);
    const [a, b] = [rgbOf(fast.dominantColor), rgbOf(slow.dominantColor)];
    expect(Math.max(...a.map((v, i) => Math.abs(v - (b[i] ?? 0))))).toBeLessThanOrEqual(16);
  });

  it.each([
    PHOTO,
    'exif-orientation-examples/Landscape_6.jpg',
    'sharp-fixtures/Channel_digital_image_CMYK_color.jpg',
  ])('gives %s the placeholder and colour of a full-scale decode, within tolerance', async (id) => {
    const input = readCorpusFile(id);
    const meta: ImageMetadata = await extractMetadata(input, { limits: LIMITS });
    const reference = await fullScaleReference(input);
    // A ThumbHash rendered back differs by under 2 levels of 255 on average; the colour by at most one bin.
    expect(placeholderDistance(meta.placeholder, reference.placeholder)).toBeLessThan(2);
    const [a, b] = [rgbOf(meta.dominantColor), rgbOf(reference.dominantColor)];
    expect(Math.max(...a.map((v, i) => Math.abs(v - (b[i] ?? 0))))).toBeLessThanOrEqual(16);
  });
});

describe('dominant colour', () => {
  /** sharp's own answer for a raster, which `dominantColour` replaces (without stats()'s other work). */
  async function sharpDominant(data: Buffer, width: number, height: number, channels: 3 | 4) {
    const pipeline = sharp(data, { raw: { width, height, channels } });
    return (await (channels === 4 ? pipeline.removeAlpha() : pipeline).stats()).dominant;
  }

  // 256 sharp pipelines one after another take seconds on a loaded CI machine: a longer budget than Jest's 5 s.
  it('equals sharp stats().dominant for every flat 8-bit grey', async () => {
    const ours: unknown[] = [];
    const theirs: unknown[] = [];
    for (let v = 0; v < 256; v += 1) {
      const flat = Buffer.alloc(16 * 16 * 3, v);
      ours.push(dominantColour(flat, 3));
      theirs.push(await sharpDominant(flat, 16, 16, 3));
    }
    expect(ours).toEqual(theirs);
  }, 60_000);

  it.each([
    PHOTO,
    'sharp-fixtures/prophoto.png',
    'pngsuite/basn3p04.png',
    'pngsuite/oi1n0g16.png',
    'pngsuite/bgyn6a16.png',
    'exif-orientation-examples/Landscape_3.jpg',
    'sharp-fixtures/Channel_digital_image_CMYK_color.jpg',
  ])('equals sharp stats().dominant on the 100 px RGBA raster of %s', async (id) => {
    const small = await sharp(readCorpusFile(id))
      .resize(100, 100, { fit: 'inside' })
      .toColourspace('srgb')
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const { width, height } = small.info;
    expect(dominantColour(small.data, 4)).toEqual(await sharpDominant(small.data, width, height, 4));
  });
});
