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

/** ThumbHash and dominant colour from a ≤100 px copy of the job's one decode. */
async function placeholderOf(
  raster: Raster,
  deadline: Deadline,
): Promise<{ placeholder: string; dominantColor: string }> {
  const small = await deadline.race(
    fromRaster(raster, deadline)
      .resize(PLACEHOLDER_EDGE, PLACEHOLDER_EDGE, { fit: 'inside', withoutEnlargement: true })
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true }),
  );
  const { width, height } = small.info;
  const placeholder = Buffer.from(rgbaToThumbHash(width, height, small.data)).toString('base64');
  const stats = await deadline.race(
    fromRaster({ data: small.data, width, height, channels: 4 }, deadline).removeAlpha().stats(),
  );
  const { r, g, b } = stats.dominant;
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
