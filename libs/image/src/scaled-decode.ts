/**
 * The two ways a job's one decode is made: JPEGs at libjpeg's largest DCT scale through sharp's
 * own libvips (`libvips-ffi.ts`) then resized by sharp, and everything else through sharp alone.
 * Both apply EXIF orientation, convert to 8-bit sRGB and place an RGB profile's transform after the
 * resize when the binding is there (`profileStep`).
 */
import type { Sharp } from 'sharp';
import type { Deadline } from './deadline';
import type { DecodeJob } from './decode-job';
import { CorruptImageError } from './errors';
import { profileStep } from './icc';
import { sourceOptions } from './inspect';
import { type FfiLoad, type FfiRaster, type LibvipsFfi, loadLibvipsFfi } from './libvips-ffi';
import type { ImageLimits } from './types';
import { loadSharp, vips } from './vips';

/** Pixels out of a decode path, before the channel check of `decodeOnce`. */
export interface DecodedPixels {
  readonly data: Buffer;
  readonly width: number;
  readonly height: number;
  readonly channels: number;
}

let enabled = true;

/**
 * Switches the libvips binding on (the default) or off for this process: off, every input goes
 * through sharp alone (JPEG shrink-on-load by sharp's own rule, profiles applied before the resize).
 * For comparisons and tests; the output contract is the same either way.
 * @example useLibvipsFfi(false); // sharp alone from now on
 */
export function useLibvipsFfi(on: boolean): void {
  enabled = on;
}

/** The binding when it is switched on and loads; undefined otherwise. Needs `loadSharp()` first. */
export async function libvipsFfi(): Promise<LibvipsFfi | undefined> {
  return enabled ? (await loadLibvipsFfi(vips())).ffi : undefined;
}

/**
 * Which decode path this process uses and, when it is sharp alone, why (koffi or its native build
 * missing, sharp's libvips not found). Loads sharp.
 * @example await decodePath() // { path: 'libvips-ffi' }
 */
export async function decodePath(): Promise<{ path: 'libvips-ffi' | 'sharp'; reason?: string }> {
  const load: FfiLoad = await loadLibvipsFfi(await loadSharp());
  if (!enabled) return { path: 'sharp', reason: 'switched off (useLibvipsFfi(false))' };
  return load.ffi ? { path: 'libvips-ffi' } : { path: 'sharp', reason: load.reason };
}

/**
 * How much Lanczos shrinking must remain after a DCT-scaled decode, chosen by the quality gate
 * (`tests/quality-gate.spec.ts`, butteraugli): libjpeg's reduced-size IDCT aliases, and a variant
 * resized less than 2x from it differs from a full-scale decode by butteraugli 3.8-5.2 (more than
 * the variants' own q80/q82 encoding, 1.8-2.9); from 2x on it stays within 2.5.
 */
export const DCT_MIN_RESIDUAL = 2;

/**
 * The DCT shrink (8, 4, 2 or 1) for a JPEG of `width` x `height` (stored) whose largest preset
 * needs `target`: the largest factor f whose decode (libvips: `floor(w / f)` px) is still at least
 * `minResidual` times the target on both sides.
 * @example dctShrink(6028, 3391, { width: 1280, height: 720 }) // 2 (1/4 would leave a 1.18x resize)
 */
export function dctShrink(
  width: number,
  height: number,
  target: { width: number; height: number },
  minResidual: number = DCT_MIN_RESIDUAL,
): number {
  for (const f of [8, 4, 2]) {
    const w = Math.floor(width / f);
    const h = Math.floor(height / f);
    if (w >= 1 && h >= 1 && w >= target.width * minResidual && h >= target.height * minResidual) return f;
  }
  return 1;
}

/**
 * The factor sharp 0.35's own JPEG shrink-on-load picks for the same target (src/pipeline.cc):
 * 8/4/2 from a shrink of 8/4/2 (`fastShrinkOnLoad`, the default) or of 16/8/4 (`false`: "leave at
 * least a factor of two for the final resize step"), halved when the integer part of the shrink
 * equals the factor (EXIF orientation swaps the target; it is applied after the resize). Our
 * `decodeWithSharp` asks `fastShrinkOnLoad: false` exactly when a 2x residual is wanted, which is
 * then the quality gate's rule.
 * @example sharpJpegShrink(6028, 3391, { width: 1280, height: 720 }) // 2
 */
export function sharpJpegShrink(
  width: number,
  height: number,
  target: { width: number; height: number },
  options: { fast?: boolean } = {},
): number {
  const shrink = Math.min(width / target.width, height / target.height);
  const at = options.fast === false ? 2 : 1;
  const factor = shrink >= 8 * at ? 8 : shrink >= 4 * at ? 4 : shrink >= 2 * at ? 2 : 1;
  return factor > 1 && Math.trunc(shrink) === factor ? factor / 2 : factor;
}

/** Whether `decodeWithSharp` asks sharp for `fastShrinkOnLoad` (JPEG only: for WebP it would switch scaling off). */
function fastShrinkOnLoad(job: DecodeJob): boolean {
  return job.minResidual < 2;
}

/** The stored-orientation size a job's decode must cover. */
function storedTarget(job: DecodeJob): { width: number; height: number } {
  return job.header.inspection.orientation >= 5
    ? { width: job.size.height, height: job.size.width }
    : job.size;
}

/**
 * The DCT shrink to decode a JPEG job at through the binding, or undefined when sharp's own
 * shrink-on-load already picks the same factor (sharp's one pipeline is then a little cheaper: no
 * copy between the decode and the resize).
 */
export function scaledJpegShrink(job: DecodeJob): number | undefined {
  if (job.header.inspection.format !== 'jpeg') return undefined;
  const { width, height } = job.header.inspection;
  const target = storedTarget(job);
  const ours = dctShrink(width, height, target, job.minResidual);
  const theirs = sharpJpegShrink(width, height, target, { fast: fastShrinkOnLoad(job) });
  return ours === theirs ? undefined : ours;
}

/** Runs FFI work under the job's deadline; on a timeout libvips is asked to stop as well. */
async function killable<T>(
  deadline: Deadline,
  start: (onStart: (kill: () => void) => void) => Promise<T>,
): Promise<T> {
  let kill: (() => void) | undefined;
  const work = start((k) => {
    kill = k;
  });
  try {
    return await deadline.race(work);
  } catch (error) {
    if (deadline.expired()) kill?.();
    throw error;
  }
}

/** EXIF orientation 2-8 as sharp operations (sharp flops before it rotates). */
function orient(pipeline: Sharp, orientation: number): Sharp {
  switch (orientation) {
    case 2:
      return pipeline.flop();
    case 3:
      return pipeline.rotate(180);
    case 4:
      return pipeline.flip();
    case 5:
      return pipeline.flop().rotate(270);
    case 6:
      return pipeline.rotate(90);
    case 7:
      return pipeline.flop().rotate(90);
    case 8:
      return pipeline.rotate(270);
    default:
      return pipeline;
  }
}

async function toRaw(pipeline: Sharp, deadline: Deadline): Promise<DecodedPixels> {
  const { data, info } = await deadline.race(
    pipeline
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .timeout({ seconds: deadline.sharpSeconds() })
      .toBuffer({ resolveWithObject: true }),
  );
  return { data, width: info.width, height: info.height, channels: info.channels };
}

async function profileAfterResize(
  ffi: LibvipsFfi,
  pixels: DecodedPixels,
  profile: Buffer,
  deadline: Deadline,
): Promise<DecodedPixels> {
  const raster: FfiRaster = { ...pixels, bands: pixels.channels };
  const out = await killable(deadline, (onStart) => ffi.iccToSrgb(raster, profile, onStart));
  return { data: out.data, width: out.width, height: out.height, channels: out.bands };
}

/**
 * A JPEG decoded at 1/`dctShrink` scale by libvips (`fail_on=error`, CMYK and grey profiles
 * converted there), then oriented and resized to `job.size` by sharp from the raw pixels, then an
 * RGB profile converted at the output size.
 */
export async function decodeJpegScaled(
  ffi: LibvipsFfi,
  input: Buffer,
  limits: ImageLimits,
  job: DecodeJob,
  shrink: number,
  deadline: Deadline,
): Promise<DecodedPixels> {
  const { header, size } = job;
  const { orientation } = header.inspection;
  const transposed = orientation >= 5;
  const profile = header.meta.icc;
  const step = profileStep(profile, true);
  const cmyk = header.meta.space === 'cmyk' || header.meta.channels === 4;
  const decoded = await killable(deadline, (onStart) =>
    ffi.jpegDecode(input, shrink, cmyk || step === 'decode', onStart),
  );
  const channels = decoded.bands;
  if (channels !== 1 && channels !== 3) {
    throw new CorruptImageError(`JPEG decodes to ${channels} bands where 1 or 3 were expected`);
  }
  let pipeline = orient(
    vips()(decoded.data, {
      raw: { width: decoded.width, height: decoded.height, channels },
      limitInputPixels: limits.maxPixels,
    }),
    orientation,
  );
  const upright = transposed
    ? { width: decoded.height, height: decoded.width }
    : { width: decoded.width, height: decoded.height };
  if (upright.width !== size.width || upright.height !== size.height) {
    pipeline = pipeline.resize(size.width, size.height, { fit: 'fill' });
  }
  const pixels = await toRaw(pipeline, deadline);
  return step === 'after-resize' && !cmyk && profile
    ? profileAfterResize(ffi, pixels, profile, deadline)
    : pixels;
}

/**
 * sharp alone: shrink-on-load by sharp's rule straight to `job.size`, orientation from EXIF; the
 * profile is skipped when it is sRGB, applied after the resize when the binding is there and the
 * profile is RGB, and applied by sharp in the decode otherwise.
 */
export async function decodeWithSharp(
  ffi: LibvipsFfi | undefined,
  input: Buffer,
  limits: ImageLimits,
  job: DecodeJob,
  deadline: Deadline,
): Promise<DecodedPixels> {
  const { header, size, displayed } = job;
  const profile = header.meta.icc;
  const step = profileStep(profile, ffi !== undefined);
  let pipeline = vips()(
    input,
    sourceOptions(limits, { autoOrient: true, sequentialRead: true, ignoreIcc: step !== 'decode' }),
  );
  if (size.width !== displayed.width || size.height !== displayed.height) {
    const jpeg = header.inspection.format === 'jpeg';
    pipeline = pipeline.resize(size.width, size.height, {
      fit: 'fill',
      ...(jpeg ? { fastShrinkOnLoad: fastShrinkOnLoad(job) } : {}),
    });
  }
  const pixels = await toRaw(pipeline, deadline);
  return ffi && step === 'after-resize' && profile
    ? profileAfterResize(ffi, pixels, profile, deadline)
    : pixels;
}
