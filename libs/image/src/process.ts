import { Deadline } from './deadline';
import { decodeOnce, decodeSize } from './decode';
import { TooManyPixelsError } from './errors';
import { readHeader, type Header } from './inspect';
import { buildMetadata } from './metadata';
import type { ImageJobOptions, ImageLimits, ImageMetadata, Preset, ProcessOptions, ProcessResult } from './types';
import { renderAnimated, renderFromRaster } from './variants';

function displayedSize(header: Header): { width: number; height: number } {
  const { width, height, orientation } = header.inspection;
  return orientation >= 5 ? { width: height, height: width } : { width, height };
}

function isAnimated(preset: Preset, header: Header): boolean {
  return preset.animated === true && header.inspection.pages > 1 && ['gif', 'webp'].includes(header.inspection.format);
}

function checkAnimatedPixels(header: Header, limits: ImageLimits): void {
  const { width, height, pages } = header.inspection;
  if (width * height * pages > limits.maxPixels) {
    throw new TooManyPixelsError(
      `Animated input has ${pages} frames of ${width}x${height} (${width * height * pages} pixels); the limit is ${limits.maxPixels}`,
    );
  }
}

/**
 * Inspects, then decodes **once** (shrink-on-load to the largest size a preset needs, upright,
 * sRGB), derives every variant from that raster in parallel, and reads the metadata.
 * Animated inputs give their first frame unless a preset has `animated: true`.
 * @throws ImageError (`UNSUPPORTED_FORMAT`, `CORRUPT_IMAGE`, `TOO_MANY_PIXELS`, `TOO_LARGE`)
 * @example const { metadata, variants } = await processImage(bytes, { limits: DEFAULT_LIMITS, presets: DEFAULT_PRESETS });
 */
export async function processImage(input: Buffer, options: ProcessOptions): Promise<ProcessResult> {
  const { limits, presets } = options;
  const deadline = new Deadline(limits.jobTimeoutMs);
  const header = await readHeader(input, limits, deadline);
  const animated = presets.filter((p) => isAnimated(p, header));
  if (animated.length > 0) checkAnimatedPixels(header, limits);
  const still = presets.filter((p) => !animated.includes(p));
  const displayed = displayedSize(header);
  const raster = await decodeOnce(input, limits, decodeSize(displayed.width, displayed.height, still), displayed, deadline);
  const [metadata, ...variants] = await Promise.all([
    buildMetadata(header, raster, options.gps ?? false, deadline),
    ...presets.map((preset) =>
      animated.includes(preset)
        ? renderAnimated(input, limits, preset, deadline, header.meta.hasAlpha)
        : renderFromRaster(raster, preset, deadline),
    ),
  ]);
  return { metadata: metadata as ImageMetadata, variants: variants as ProcessResult['variants'] };
}

/**
 * The metadata alone (what metadata-sync records), from one small shrink-on-load decode.
 * @example const metadata = await extractMetadata(bytes, { limits: DEFAULT_LIMITS, gps: false });
 */
export async function extractMetadata(input: Buffer, options: ImageJobOptions): Promise<ImageMetadata> {
  const { limits } = options;
  const deadline = new Deadline(limits.jobTimeoutMs);
  const header = await readHeader(input, limits, deadline);
  const displayed = displayedSize(header);
  const raster = await decodeOnce(input, limits, decodeSize(displayed.width, displayed.height, []), displayed, deadline);
  return buildMetadata(header, raster, options.gps ?? false, deadline);
}
