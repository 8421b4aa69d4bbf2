import { DEFAULT_PRESETS } from '@imgpipe/pipeline';
import { readCorpusFile } from '@imgpipe/testing';
import sharp from 'sharp';
import { thumbHashToApproximateAspectRatio } from 'thumbhash';
import { decodeSize } from '../src/decode';
import { extractMetadata, type Preset, processImage } from '../src';
import { ANIMATED_PRESET, ANIMATED_WEBP, LIMITS } from './helpers';

async function centrePixel(data: Buffer): Promise<{ r: number; g: number; b: number }> {
  const { data: px, info } = await sharp(data).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const at = (Math.floor(info.height / 2) * info.width + Math.floor(info.width / 2)) * info.channels;
  return { r: px[at] ?? -1, g: px[at + 1] ?? -1, b: px[at + 2] ?? -1 };
}

async function photoWithGps(): Promise<Buffer> {
  return sharp({ create: { width: 64, height: 48, channels: 3, background: '#336699' } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'TestCam', Model: 'T1' },
      IFD3: {
        GPSLatitudeRef: 'S',
        GPSLatitude: '33/1 51/1 36/1',
        GPSLongitudeRef: 'E',
        GPSLongitude: '151/1 12/1 36/1',
        GPSAltitudeRef: '0',
        GPSAltitude: '58/1',
      },
    })
    .toBuffer();
}

describe('decodeSize', () => {
  it('decodes a 20 MP photo once at the size of the largest default variant', () => {
    expect(decodeSize(6028, 3391, DEFAULT_PRESETS)).toEqual({ width: 1280, height: 720 });
  });

  it('lets a cover preset of a panorama ask for more than the inside presets', () => {
    const presets: Pick<Preset, 'fit' | 'width' | 'height'>[] = [
      { fit: 'cover', width: 400, height: 400 },
      { fit: 'inside', width: 320, height: 320 },
    ];
    expect(decodeSize(4000, 1000, presets)).toEqual({ width: 1600, height: 400 });
  });

  it('never enlarges', () => {
    expect(decodeSize(32, 32, DEFAULT_PRESETS)).toEqual({ width: 32, height: 32 });
  });
});

describe('colour', () => {
  it.each([
    ['sharp-fixtures/Channel_digital_image_CMYK_color.jpg', 'CMYK with a SWOP profile'],
    ['sharp-fixtures/Channel_digital_image_CMYK_color_no_profile.jpg', 'CMYK without a profile'],
  ])('converts %s (%s) to sRGB that matches a colour-managed reference', async (id) => {
    const input = readCorpusFile(id);
    const { variants } = await processImage(input, { limits: LIMITS, presets: DEFAULT_PRESETS });
    const large = variants.find((v) => v.name === 'large');
    const reference = await sharp(input).toColourspace('srgb').png().toBuffer();
    const [ours, theirs] = await Promise.all([
      centrePixel(large?.data ?? Buffer.alloc(0)),
      centrePixel(reference),
    ]);
    for (const channel of ['r', 'g', 'b'] as const)
      expect(Math.abs(ours[channel] - theirs[channel])).toBeLessThan(24);
    expect((await sharp(large?.data).metadata()).space).toBe('srgb');
  });

  it('keeps a 16-bit PNG as 8-bit sRGB variants with its colours', async () => {
    const { metadata, variants } = await processImage(
      readCorpusFile('sharp-fixtures/Flag_of_the_Netherlands-16bit.png'),
      {
        limits: LIMITS,
        presets: DEFAULT_PRESETS,
      },
    );
    expect(metadata).toMatchObject({ bitDepth: 16, colorSpace: 'rgb16' });
    const written = await sharp(variants[2]?.data).metadata();
    expect(written).toMatchObject({ depth: 'uchar', space: 'srgb' });
    // The flag's middle band is white.
    expect(await centrePixel(variants[2]?.data ?? Buffer.alloc(0))).toEqual({ r: 255, g: 255, b: 255 });
  });

  it('puts transparent pixels on white in JPEG variants and keeps alpha in WebP ones', async () => {
    const { variants } = await processImage(readCorpusFile('sharp-fixtures/full-transparent.png'), {
      limits: LIMITS,
      presets: DEFAULT_PRESETS,
    });
    const [thumb, , large] = variants;
    expect(await centrePixel(large?.data ?? Buffer.alloc(0))).toEqual({ r: 255, g: 255, b: 255 });
    expect((await sharp(thumb?.data).metadata()).hasAlpha).toBe(true);
  });
});

describe('animation', () => {
  it('gives the first frame of an animated WebP by default', async () => {
    const { variants } = await processImage(readCorpusFile(ANIMATED_WEBP), {
      limits: LIMITS,
      presets: DEFAULT_PRESETS,
    });
    const pages = await Promise.all(variants.map(async (v) => (await sharp(v.data).metadata()).pages ?? 1));
    expect(pages).toEqual([1, 1, 1]);
  });

  it('keeps every frame when a preset asks for animation', async () => {
    const { variants } = await processImage(readCorpusFile(ANIMATED_WEBP), {
      limits: LIMITS,
      presets: [ANIMATED_PRESET, ...DEFAULT_PRESETS],
    });
    const anim = variants[0];
    expect(anim).toMatchObject({ name: 'anim', width: 40, height: 40, format: 'webp' });
    expect((await sharp(anim?.data).metadata()).pages).toBe(9);
  });
});

describe('metadata', () => {
  it('reads the camera EXIF subset of a real photo', async () => {
    const metadata = await extractMetadata(readCorpusFile('debian/mate-backgrounds/Storm.jpg'), {
      limits: LIMITS,
    });
    expect(metadata.exif).toEqual({
      make: 'Canon',
      model: 'Canon EOS 400D DIGITAL',
      takenAt: '2008-04-20T19:12:06',
      exposureTime: 0.4,
      fNumber: 3.5,
      iso: 100,
      focalLength: 18,
    });
  });

  it('reads GPS only when asked, and never writes it into variants', async () => {
    const input = await photoWithGps();
    const without = await extractMetadata(input, { limits: LIMITS });
    const { metadata, variants } = await processImage(input, {
      limits: LIMITS,
      presets: DEFAULT_PRESETS,
      gps: true,
    });
    expect(without.gps).toBeUndefined();
    expect(metadata.gps?.latitude).toBeCloseTo(-33.86, 2);
    expect(metadata.gps?.longitude).toBeCloseTo(151.21, 2);
    expect(metadata.gps?.altitude).toBe(58);
    const written = await Promise.all(variants.map(async (v) => (await sharp(v.data).metadata()).exif));
    expect(written).toEqual([undefined, undefined, undefined]);
  });

  it('survives damaged EXIF and edge-case GPS values without inventing data', async () => {
    const damaged = await extractMetadata(readCorpusFile('pillow/invalid-exif.jpg'), {
      limits: LIMITS,
      gps: true,
    });
    const edge = await extractMetadata(readCorpusFile('pillow/exif_gps.jpg'), { limits: LIMITS, gps: true });
    expect(damaged.exif).toBeUndefined();
    expect(edge.gps).toBeUndefined();
    expect(edge.exif).toEqual({ make: 'Make', model: 'XXX-XXX', takenAt: '2099-09-29T10:10:10' });
  });

  it('names the ICC profile and the colour facts of the input', async () => {
    const metadata = await extractMetadata(
      readCorpusFile('sharp-fixtures/Channel_digital_image_CMYK_color.jpg'),
      {
        limits: LIMITS,
      },
    );
    expect(metadata).toMatchObject({
      format: 'jpeg',
      colorSpace: 'cmyk',
      bitDepth: 8,
      hasAlpha: false,
      iccDescription: 'U.S. Web Coated (SWOP) v2',
    });
  });

  it('gives a dominant colour and a ThumbHash of the displayed image', async () => {
    const metadata = await extractMetadata(readCorpusFile('exif-orientation-examples/Landscape_6.jpg'), {
      limits: LIMITS,
    });
    expect(metadata.dominantColor).toMatch(/^#[0-9a-f]{6}$/);
    const ratio = thumbHashToApproximateAspectRatio(Buffer.from(metadata.placeholder, 'base64'));
    expect(ratio).toBeCloseTo(1800 / 1200, 0);
  });

  it('agrees with processImage', async () => {
    const input = readCorpusFile('sharp-fixtures/Landscape_9.jpg');
    const alone = await extractMetadata(input, { limits: LIMITS });
    const { metadata } = await processImage(input, { limits: LIMITS, presets: DEFAULT_PRESETS });
    expect({ ...alone, placeholder: '', dominantColor: '' }).toEqual({
      ...metadata,
      placeholder: '',
      dominantColor: '',
    });
  });
});
