import { rgbaToThumbHash } from 'thumbhash';
import type { Deadline } from './deadline';
import { fromRaster, PLACEHOLDER_EDGE, type Raster } from './decode';
import { readExif } from './exif';
import { iccDescription } from './icc';
import type { Header } from './inspect';
import type { ImageMetadata } from './types';

const BITS_BY_DEPTH: Readonly<Record<string, number>> = {
  uchar: 8,
  char: 8,
  ushort: 16,
  short: 16,
  uint: 32,
  int: 32,
  float: 32,
  double: 64,
};

function hex(value: number): string {
  return Math.max(0, Math.min(255, Math.round(value)))
    .toString(16)
    .padStart(2, '0');
}

/**
 * The histogram bin of each 8-bit value, as libvips' `hist_find_ndim` behind sharp's `stats()` puts
 * it (measured: 1-16 in bin 0, 17-32 in bin 1, ..., 0 in bin 0), so the colour stays what it was.
 */
const BIN = Uint8Array.from({ length: 256 }, (_, v) => Math.max(0, v - 1) >> 4);

/**
 * sharp's `stats().dominant`, without the rest of `stats()` (per-band statistics, entropy and a
 * Laplacian for sharpness: ~8 ms CPU on a 100 px raster, more than the ThumbHash): the fullest bin
 * of a 16 x 16 x 16 RGB histogram, as the bin's centre. Alpha is ignored, as sharp removes it.
 * Ties go to the first bin in libvips' scan order (green, then red, then blue).
 * @example dominantColour(Buffer.from([250, 10, 10, 255]), 4) // { r: 248, g: 8, b: 8 }
 */
export function dominantColour(pixels: Uint8Array, channels: number): { r: number; g: number; b: number } {
  const bins = new Uint32Array(4096);
  // Indexed reads: a `subarray` per pixel (10,000 views for a 100 px raster) cost more than the counting.
  // Typed arrays read as numbers, so the `?? 0` only satisfies `noUncheckedIndexedAccess`.
  for (let i = 0; i + 2 < pixels.length; i += channels) {
    const bin =
      ((BIN[pixels[i + 1] ?? 0] ?? 0) << 8) |
      ((BIN[pixels[i] ?? 0] ?? 0) << 4) |
      (BIN[pixels[i + 2] ?? 0] ?? 0);
    bins[bin] = (bins[bin] ?? 0) + 1;
  }
  let best = 0;
  for (let bin = 1; bin < bins.length; bin++) if ((bins[bin] ?? 0) > (bins[best] ?? 0)) best = bin;
  return { r: ((best >> 4) & 15) * 16 + 8, g: (best >> 8) * 16 + 8, b: (best & 15) * 16 + 8 };
}

/** `raster`'s pixels with an opaque alpha channel, as sharp's `ensureAlpha()` gives them. */
function withAlpha(raster: Raster): Buffer {
  if (raster.channels === 4) return raster.data;
  const { data } = raster;
  const out = Buffer.allocUnsafe((data.length / 3) * 4);
  for (let i = 0, j = 0; i + 2 < data.length; i += 3, j += 4) {
    out[j] = data[i] ?? 0;
    out[j + 1] = data[i + 1] ?? 0;
    out[j + 2] = data[i + 2] ?? 0;
    out[j + 3] = 255;
  }
  return out;
}

/**
 * The ≤100 px RGBA raster the placeholder and dominant colour are computed from. metadata-sync's own
 * decode is already that size (`decodeSize` with no presets), where the resize would change nothing:
 * its pixels are taken as they are, without a sharp pipeline (the same bytes, measured over the corpus
 * in tests/metadata-decode.spec.ts). A larger raster (variants and metadata from one decode) is
 * resized by sharp.
 */
export async function placeholderPixels(
  raster: Raster,
  deadline: Deadline,
): Promise<{ data: Buffer; width: number; height: number }> {
  const { width, height } = raster;
  if (width <= PLACEHOLDER_EDGE && height <= PLACEHOLDER_EDGE)
    return { data: withAlpha(raster), width, height };
  const small = await deadline.race(
    fromRaster(raster, deadline)
      .resize(PLACEHOLDER_EDGE, PLACEHOLDER_EDGE, { fit: 'inside', withoutEnlargement: true })
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true }),
  );
  return { data: small.data, width: small.info.width, height: small.info.height };
}

/** ThumbHash and dominant colour from a ≤100 px copy of the job's one decode. */
async function placeholderOf(
  raster: Raster,
  deadline: Deadline,
): Promise<{ placeholder: string; dominantColor: string }> {
  const { data, width, height } = await placeholderPixels(raster, deadline);
  const placeholder = Buffer.from(rgbaToThumbHash(width, height, data)).toString('base64');
  const { r, g, b } = dominantColour(data, 4);
  return { placeholder, dominantColor: `#${hex(r)}${hex(g)}${hex(b)}` };
}

/** Everything metadata-sync records, from the header and the job's single decode. */
export async function buildMetadata(
  header: Header,
  raster: Raster,
  gps: boolean,
  deadline: Deadline,
): Promise<ImageMetadata> {
  const { inspection, meta } = header;
  const transposed = inspection.orientation >= 5;
  const { placeholder, dominantColor } = await placeholderOf(raster, deadline);
  const icc = iccDescription(meta.icc);
  return {
    format: inspection.format,
    width: transposed ? inspection.height : inspection.width,
    height: transposed ? inspection.width : inspection.height,
    orientation: inspection.orientation,
    hasAlpha: meta.hasAlpha,
    colorSpace: meta.space,
    bitDepth: meta.bitsPerSample ?? BITS_BY_DEPTH[meta.depth] ?? 8,
    pages: inspection.pages,
    progressive: meta.isProgressive,
    ...(icc ? { iccDescription: icc } : {}),
    ...readExif(meta.exif, gps),
    dominantColor,
    placeholder,
  };
}
