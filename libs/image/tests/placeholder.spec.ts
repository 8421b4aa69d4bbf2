import { loadManifest, readCorpusFile } from '@imgpipe/testing';
import sharp from 'sharp';
import { isImageError } from '../src';
import { Deadline } from '../src/deadline';
import { decodeOnce, decodeSize, PLACEHOLDER_EDGE, type Raster } from '../src/decode';
import { readHeader } from '../src/inspect';
import { placeholderPixels } from '../src/metadata';
import { loadSharp } from '../src/vips';
import { LIMITS } from './helpers';

/** The pipeline `placeholderPixels` skips when the raster already fits: sharp's resize and ensureAlpha. */
async function viaSharp(raster: Raster): Promise<{ data: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(raster.data, {
    raw: { width: raster.width, height: raster.height, channels: raster.channels },
  })
    .resize(PLACEHOLDER_EDGE, PLACEHOLDER_EDGE, { fit: 'inside', withoutEnlargement: true })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** metadata-sync's own decode of `input` (`extractMetadata`: no presets, the placeholder's size). */
async function metadataRaster(input: Buffer): Promise<Raster | undefined> {
  const deadline = new Deadline(LIMITS.jobTimeoutMs);
  try {
    const header = await readHeader(input, LIMITS, deadline);
    const { width, height, orientation } = header.inspection;
    const displayed = orientation >= 5 ? { width: height, height: width } : { width, height };
    const size = decodeSize(displayed.width, displayed.height, [], PLACEHOLDER_EDGE);
    return await decodeOnce(input, LIMITS, { header, displayed, size, minResidual: 1 }, deadline);
  } catch (error) {
    if (isImageError(error)) return undefined; // refused inputs have no placeholder (corpus.spec.ts)
    throw error;
  }
}

const valid = loadManifest().filter((r) => r.category === 'valid' || r.category === 'tricky-valid');

describe('placeholder pixels', () => {
  beforeAll(() => loadSharp());

  // Every valid corpus file decoded at 100 px one after another: seconds on a loaded machine.
  it('equal sharp resize + ensureAlpha byte for byte on metadata-sync decode of every valid corpus image', async () => {
    let compared = 0;
    const differing: string[] = [];
    for (const record of valid) {
      const raster = await metadataRaster(readCorpusFile(record.id));
      if (!raster) continue;
      expect(Math.max(raster.width, raster.height)).toBeLessThanOrEqual(PLACEHOLDER_EDGE);
      const ours = await placeholderPixels(raster, new Deadline(LIMITS.jobTimeoutMs));
      const theirs = await viaSharp(raster);
      compared += 1;
      if (ours.width !== theirs.width || ours.height !== theirs.height || !ours.data.equals(theirs.data)) {
        differing.push(record.id);
      }
    }
    expect(differing).toEqual([]);
    expect(compared).toBeGreaterThan(50);
  }, 120_000);

  it.each([3, 4] as const)('resizes a larger %i-channel raster with sharp, as before', async (channels) => {
    const raster: Raster = {
      data: Buffer.from(Array.from({ length: 400 * 300 * channels }, (_, i) => (i * 31) % 256)),
      width: 400,
      height: 300,
      channels,
    };
    const ours = await placeholderPixels(raster, new Deadline(LIMITS.jobTimeoutMs));
    const theirs = await viaSharp(raster);
    expect([ours.width, ours.height]).toEqual([100, 75]);
    expect(ours.data.equals(theirs.data)).toBe(true);
  });

  it('adds an opaque alpha channel to a small RGB raster', async () => {
    const raster: Raster = { data: Buffer.from([1, 2, 3, 4, 5, 6]), width: 2, height: 1, channels: 3 };
    const ours = await placeholderPixels(raster, new Deadline(LIMITS.jobTimeoutMs));
    expect([...ours.data]).toEqual([1, 2, 3, 255, 4, 5, 6, 255]);
    expect(ours.data.equals((await viaSharp(raster)).data)).toBe(true);
  });
});
