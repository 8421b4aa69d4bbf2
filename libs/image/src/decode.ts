import type { Sharp } from 'sharp';
import type { Deadline } from './deadline';
import { CorruptImageError, firstLine, ImageError } from './errors';
import type { DecodeJob } from './decode-job';
import { decodeJpegScaled, decodeWithSharp, libvipsFfi, scaledJpegShrink } from './scaled-decode';
import type { ImageLimits, Preset } from './types';
import { vips } from './vips';

/** The one decode of a job: upright, sRGB, 8-bit, at the largest size any preset needs. */
export interface Raster {
  readonly data: Buffer;
  readonly width: number;
  readonly height: number;
  readonly channels: 3 | 4;
}

/** Edge of the raster the placeholder and dominant colour are computed from. */
export const PLACEHOLDER_EDGE = 100;

/** The scale of an image of `width` x `height` at which `preset` is rendered from real pixels. */
export function presetScale(
  width: number,
  height: number,
  preset: Pick<Preset, 'fit' | 'width' | 'height'>,
): number {
  return preset.fit === 'cover'
    ? Math.max(preset.width / width, preset.height / height)
    : Math.min(preset.width / width, preset.height / height);
}

/**
 * The size to decode to: the largest any preset needs (a `cover` preset needs the image to cover
 * its box, an `inside` preset to fit it), never larger than the displayed image, and at least
 * `minEdge` on the longer side (the placeholder's raster when metadata is computed too).
 * @example decodeSize(6028, 3391, DEFAULT_PRESETS) // { width: 1280, height: 720 }
 */
export function decodeSize(
  width: number,
  height: number,
  presets: readonly Pick<Preset, 'fit' | 'width' | 'height'>[],
  minEdge: number = PLACEHOLDER_EDGE,
): { width: number; height: number } {
  const scales = presets.map((p) => presetScale(width, height, p));
  const scale = Math.min(1, Math.max(minEdge / Math.max(width, height), ...scales));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** Wraps a libvips failure of an accepted input; keeps our own errors (a timeout) as they are. */
export function decodeFailure(cause: unknown, what: string, deadline: Deadline): ImageError {
  if (cause instanceof ImageError) return cause;
  if (deadline.expired()) return deadline.timedOut(cause);
  return new CorruptImageError(`Input cannot be decoded (${what}): ${firstLine(cause)}`, { cause });
}

/**
 * Decodes the first frame once, straight to `job.size`, EXIF orientation applied, converted to
 * sRGB 8-bit (CMYK, 16-bit, palette, greyscale and ICC profiles all end up here). A JPEG whose
 * gate-chosen DCT scale (`dctShrink`) differs from sharp's own decodes through sharp's libvips
 * directly (`decodeJpegScaled`); everything else, and everything when the binding is missing,
 * goes through sharp.
 */
export async function decodeOnce(
  input: Buffer,
  limits: ImageLimits,
  job: DecodeJob,
  deadline: Deadline,
): Promise<Raster> {
  try {
    const ffi = await libvipsFfi();
    const shrink = ffi ? scaledJpegShrink(job) : undefined;
    const raster =
      ffi && shrink !== undefined
        ? await decodeJpegScaled(ffi, input, limits, job, shrink, deadline)
        : await decodeWithSharp(ffi, input, limits, job, deadline);
    const { channels } = raster;
    if (channels !== 3 && channels !== 4) {
      throw new CorruptImageError(`Input decodes to ${channels} channels after sRGB conversion`);
    }
    return { ...raster, channels };
  } catch (cause) {
    throw decodeFailure(cause, 'pixel data', deadline);
  }
}

/** A sharp pipeline reading the decoded raster: every variant and the placeholder start here. */
export function fromRaster(raster: Raster, deadline: Deadline): Sharp {
  return vips()(raster.data, {
    raw: { width: raster.width, height: raster.height, channels: raster.channels },
  }).timeout({ seconds: deadline.sharpSeconds() });
}
