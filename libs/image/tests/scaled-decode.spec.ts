import { DEFAULT_PRESETS } from '@imgpipe/pipeline';
import { readCorpusFile } from '@imgpipe/testing';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { decodePath, isImageError, renderVariants, useLibvipsFfi } from '../src';
import { Deadline } from '../src/deadline';
import { decodeSize } from '../src/decode';
import { isSrgbProfile, profileStep } from '../src/icc';
import { readHeader } from '../src/inspect';
import { loadLibvipsFfi } from '../src/libvips-ffi';
import { dctShrink, decodeJpegScaled, scaledJpegShrink, sharpJpegShrink } from '../src/scaled-decode';
import { loadSharp } from '../src/vips';
import { dHash, hamming, LIMITS, rejectionOf, SAME_PICTURE_BITS } from './helpers';

const PHOTO = 'sharp-fixtures/2569067123_aca715a2ee_o.jpg';

/** Decodes `input` through the binding at `shrink`, to the size the default presets need. */
async function scaled(input: Buffer, shrink: number, budgetMs = LIMITS.jobTimeoutMs) {
  const ffi = (await loadLibvipsFfi(await loadSharp())).ffi;
  if (!ffi) throw new Error('the libvips binding did not load');
  const deadline = new Deadline(budgetMs);
  const header = await readHeader(input, LIMITS, deadline);
  const { width, height, orientation } = header.inspection;
  const displayed = orientation >= 5 ? { width: height, height: width } : { width, height };
  const size = decodeSize(displayed.width, displayed.height, DEFAULT_PRESETS, 0);
  return decodeJpegScaled(
    ffi,
    input,
    { ...LIMITS, jobTimeoutMs: budgetMs },
    { header, displayed, size, minResidual: 2 },
    shrink,
    deadline,
  );
}

function meanAbsDiff(a: Buffer, b: Buffer): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs((a[i] ?? 0) - (b[i] ?? 0));
  return sum / a.length;
}

/** The photo re-encoded with its pixels converted to `profile` and that profile embedded. */
async function profiled(profile: string): Promise<Buffer> {
  return sharp(readCorpusFile(PHOTO)).resize(1600).withIccProfile(profile).jpeg({ quality: 95 }).toBuffer();
}

/** The photo in ProPhoto RGB (the corpus's prophoto.png carries the profile): a very wide gamut. */
async function proPhoto(): Promise<Buffer> {
  const icc = (await sharp(readCorpusFile('sharp-fixtures/prophoto.png')).metadata()).icc;
  if (!icc) throw new Error('prophoto.png has no profile');
  const dir = mkdtempSync(join(tmpdir(), 'imgpipe-icc-'));
  try {
    writeFileSync(join(dir, 'prophoto.icc'), icc);
    return await profiled(join(dir, 'prophoto.icc'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

afterEach(() => useLibvipsFfi(true));

describe('DCT scale', () => {
  it.each([
    [6028, 3391, 1280, 720, 2, 2],
    [2725, 2225, 1280, 1045, 1, 1],
    [5312, 2988, 1280, 720, 2, 2],
    [7000, 4000, 1280, 731, 2, 4],
    [3900, 2600, 1280, 853, 1, 2],
    [2725, 2225, 122, 100, 8, 8],
    [1, 1, 1, 1, 1, 1],
  ])('decodes %ix%i for %ix%i at 1/%i (sharp would use 1/%i)', (w, h, tw, th, ours, theirs) => {
    expect(dctShrink(w, h, { width: tw, height: th })).toBe(ours);
    expect(sharpJpegShrink(w, h, { width: tw, height: th })).toBe(theirs);
    // sharp's own `fastShrinkOnLoad: false` is the gate's rule: upright JPEGs need no binding.
    expect(sharpJpegShrink(w, h, { width: tw, height: th }, { fast: false })).toBe(ours);
  });

  it('leaves every JPEG whose factor sharp picks itself to sharp (one pipeline), upright or oriented', async () => {
    const input = await sharp(readCorpusFile(PHOTO)).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const header = await readHeader(input, LIMITS);
    expect(header.inspection.orientation).toBe(6);
    const job = { header, displayed: { width: 2225, height: 2725 }, minResidual: 2 };
    expect(scaledJpegShrink({ ...job, size: { width: 1045, height: 1280 } })).toBeUndefined();
    expect(scaledJpegShrink({ ...job, size: { width: 66, height: 80 } })).toBeUndefined();
    // Metadata alone (no residual): sharp's default rule halves 1/8 to 1/4 for a shrink of 8.x.
    expect(scaledJpegShrink({ ...job, minResidual: 1, size: { width: 262, height: 320 } })).toBe(8);
  });

  it('picks the largest covering scale when no residual is asked for (what the gate rejects)', () => {
    expect(dctShrink(6028, 3391, { width: 1280, height: 720 }, 1)).toBe(4);
    expect(dctShrink(2725, 2225, { width: 1280, height: 1045 }, 1)).toBe(2);
  });
});

describe('the libvips binding', () => {
  it('loads here (koffi and sharp libvips for this platform are installed)', async () => {
    await expect(decodePath()).resolves.toEqual({ path: 'libvips-ffi' });
  });

  it('decodes the 6 MP photo at 1/2 (1362x1112) and resizes it to the 1280x1045 the presets need', async () => {
    await expect(scaled(readCorpusFile(PHOTO), 2)).resolves.toMatchObject({
      width: 1280,
      height: 1045,
      channels: 3,
    });
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8])('renders Landscape_%i upright through the scaled decode', async (n) => {
    const upright = await sharp(readCorpusFile('exif-orientation-examples/Landscape_1.jpg'))
      .resize(320)
      .toBuffer();
    const pixels = await scaled(readCorpusFile(`exif-orientation-examples/Landscape_${n}.jpg`), 2);
    expect(pixels.width).toBeGreaterThan(pixels.height);
    const raw = { width: pixels.width, height: pixels.height, channels: 3 as const };
    expect(hamming(await dHash(sharp(pixels.data, { raw })), await dHash(upright))).toBeLessThanOrEqual(
      SAME_PICTURE_BITS,
    );
  });

  it.each([
    ['sharp-fixtures/Channel_digital_image_CMYK_color.jpg', 'CMYK with its profile'],
    ['sharp-fixtures/Channel_digital_image_CMYK_color_no_profile.jpg', "CMYK with libvips' built-in profile"],
    ['sharp-fixtures/concert.jpg', 'greyscale with a grey profile'],
  ])('converts %s (%s) to three-band sRGB close to sharp', async (id) => {
    const input = readCorpusFile(id);
    const pixels = await scaled(input, 1);
    expect(pixels.channels).toBe(3);
    const expected = await sharp(input)
      .resize(pixels.width, pixels.height, { fit: 'fill' })
      .toColourspace('srgb')
      .removeAlpha()
      .raw()
      .toBuffer();
    expect(meanAbsDiff(pixels.data, expected)).toBeLessThan(3);
  });

  it.each(['imagetestsuite/jpg/28968137f4fc75fbf56f16d7a7a8551a.jpg', 'sharp-fixtures/truncated.jpg'])(
    'refuses the corrupt %s with CORRUPT_IMAGE through the binding (fail_on=error)',
    async (id) => {
      const error = await rejectionOf(
        renderVariants(readCorpusFile(id), { limits: LIMITS, presets: DEFAULT_PRESETS }),
      );
      expect(isImageError(error) && error.code).toBe('CORRUPT_IMAGE');
      await expect(scaled(readCorpusFile(id), 2)).rejects.toThrow(/jpeg|libvips|premature|corrupt|decode/i);
    },
  );

  it('answers a job past its budget with a timed-out CORRUPT_IMAGE', async () => {
    const error = await rejectionOf(scaled(readCorpusFile(PHOTO), 2, 1));
    expect(isImageError(error) && error.code).toBe('CORRUPT_IMAGE');
    expect((error as Error).message).toMatch(/timed out after 1 ms/);
  });
});

describe('colour management', () => {
  it('recognises sRGB-described profiles and leaves them untouched', async () => {
    const srgb = (await sharp(await profiled('srgb')).metadata()).icc;
    const p3 = (await sharp(await profiled('p3')).metadata()).icc;
    expect([isSrgbProfile(srgb), isSrgbProfile(p3)]).toEqual([true, false]);
    expect([
      profileStep(srgb, true),
      profileStep(p3, true),
      profileStep(p3, false),
      profileStep(undefined, true),
    ]).toEqual(['none', 'after-resize', 'decode', 'none']);
  });

  it.each([true, false])(
    'renders a ProPhoto RGB photo as sRGB close to the original photo (binding %s)',
    async (binding) => {
      useLibvipsFfi(binding);
      const input = await proPhoto();
      const { variants } = await renderVariants(input, { limits: LIMITS, presets: DEFAULT_PRESETS });
      const large = variants.find((v) => v.name === 'large');
      if (!large) throw new Error('no large variant');
      const meta = await sharp(large.data).metadata();
      expect([meta.icc, meta.exif]).toEqual([undefined, undefined]);
      const ours = await sharp(large.data).raw().toBuffer();
      const original = await sharp(readCorpusFile(PHOTO))
        .resize(large.width, large.height, { fit: 'fill' })
        .raw()
        .toBuffer();
      const ignored = await sharp(input, { ignoreIcc: true })
        .resize(large.width, large.height, { fit: 'fill' })
        .raw()
        .toBuffer();
      // Ignoring the profile would be visibly off; converting it lands within JPEG noise of the original.
      expect(meanAbsDiff(ignored, original)).toBeGreaterThan(2 * meanAbsDiff(ours, original));
      expect(meanAbsDiff(ours, original)).toBeLessThan(3);
    },
    30_000,
  );
});

describe('without the binding', () => {
  it('falls back to sharp with the reason when koffi cannot load, and still renders', async () => {
    await jest.isolateModulesAsync(async () => {
      jest.doMock('koffi', () => {
        throw new Error('no native build for this platform');
      });
      const image = await import('../src');
      await expect(image.decodePath()).resolves.toEqual({
        path: 'sharp',
        reason: expect.stringMatching(/koffi is not available: no native build for this platform/) as unknown,
      });
      const { variants } = await image.renderVariants(readCorpusFile(PHOTO), {
        limits: LIMITS,
        presets: DEFAULT_PRESETS,
      });
      expect(variants.map((v) => `${v.name} ${v.width}x${v.height}`)).toEqual([
        'thumb 128x128',
        'small 320x261',
        'large 1280x1045',
      ]);
    });
  });

  it('says so when switched off', async () => {
    useLibvipsFfi(false);
    await expect(decodePath()).resolves.toEqual({
      path: 'sharp',
      reason: 'switched off (useLibvipsFfi(false))',
    });
  });
});
