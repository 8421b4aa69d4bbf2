import { cascade } from './cascade';
import { Deadline } from './deadline';
import { decodeOnce, decodeSize, PLACEHOLDER_EDGE, type Raster } from './decode';
import { TooManyPixelsError } from './errors';
import { readHeader, type Header } from './inspect';
import { buildMetadata } from './metadata';
import type {
  ImageJobOptions,
  ImageLimits,
  ImageMetadata,
  Preset,
  ProcessOptions,
  ProcessResult,
  RenderedVariant,
  RenderOptions,
  RenderResult,
} from './types';
import { renderAnimated, renderFromRaster } from './variants';
import { DCT_MIN_RESIDUAL } from './scaled-decode';

function displayedSize(header: Header): { width: number; height: number } {
  const { width, height, orientation } = header.inspection;
  return orientation >= 5 ? { width: height, height: width } : { width, height };
}

function isAnimated(preset: Preset, header: Header): boolean {
  return (
    preset.animated === true &&
    header.inspection.pages > 1 &&
    ['gif', 'webp'].includes(header.inspection.format)
  );
}

function checkAnimatedPixels(header: Header, limits: ImageLimits): void {
  const { width, height, pages } = header.inspection;
  if (width * height * pages > limits.maxPixels) {
    throw new TooManyPixelsError(
      `Animated input has ${pages} frames of ${width}x${height} (${width * height * pages} pixels); the limit is ${limits.maxPixels}`,
    );
  }
}

/** A job after its header read and its one decode (absent when only animated presets were asked for). */
interface Decoded {
  readonly header: Header;
  readonly displayed: { width: number; height: number };
  readonly animated: readonly Preset[];
  readonly raster?: Raster;
}

async function decodeJob(
  input: Buffer,
  limits: ImageLimits,
  presets: readonly Preset[],
  deadline: Deadline,
  withMetadata: boolean,
): Promise<Decoded> {
  const header = await readHeader(input, limits, deadline);
  const animated = presets.filter((p) => isAnimated(p, header));
  if (animated.length > 0) checkAnimatedPixels(header, limits);
  const still = presets.filter((p) => !animated.includes(p));
  const displayed = displayedSize(header);
  if (still.length === 0 && !withMetadata) return { header, displayed, animated };
  // Without metadata there is no placeholder to feed: the decode is only as large as the presets need.
  const size = decodeSize(displayed.width, displayed.height, still, withMetadata ? PLACEHOLDER_EDGE : 0);
  // Variants need the gate's DCT residual; the metadata alone only a raster covering the placeholder.
  const minResidual = still.length > 0 ? DCT_MIN_RESIDUAL : 1;
  const raster = await decodeOnce(input, limits, { header, displayed, size, minResidual }, deadline);
  return { header, displayed, animated, raster };
}

function rasterOf(job: Decoded): Raster {
  if (job.raster === undefined)
    throw new Error('Internal: a still preset or metadata was asked for without a decode');
  return job.raster;
}

/** Every variant, in the order of `presets`: still ones through the cascade, then encoded in parallel. */
async function renderAll(
  input: Buffer,
  limits: ImageLimits,
  presets: readonly Preset[],
  job: Decoded,
  deadline: Deadline,
): Promise<RenderedVariant[]> {
  const still = presets.filter((p) => !job.animated.includes(p));
  const sources =
    still.length > 0 ? await cascade(rasterOf(job), still, deadline) : new Map<Preset, Raster>();
  return Promise.all(
    presets.map((preset) => {
      const source = sources.get(preset);
      return source === undefined
        ? renderAnimated(input, limits, preset, deadline, job.header.meta.hasAlpha)
        : renderFromRaster(source, preset, deadline);
    }),
  );
}

/**
 * Inspects, then decodes **once** (shrink-on-load to the largest size a preset needs, upright,
 * sRGB), derives the variants from that raster by a cascade (each preset from the smallest raster
 * still large enough, see `cascade`), encodes them in parallel, and reads the metadata.
 * Animated inputs give their first frame unless a preset has `animated: true`.
 * @throws ImageError (`UNSUPPORTED_FORMAT`, `CORRUPT_IMAGE`, `TOO_MANY_PIXELS`, `TOO_LARGE`)
 * @example const { metadata, variants } = await processImage(bytes, { limits: DEFAULT_LIMITS, presets: DEFAULT_PRESETS });
 */
export async function processImage(input: Buffer, options: ProcessOptions): Promise<ProcessResult> {
  const { limits, presets } = options;
  const deadline = new Deadline(limits.jobTimeoutMs);
  const job = await decodeJob(input, limits, presets, deadline, true);
  const [metadata, variants] = await Promise.all([
    buildMetadata(job.header, rasterOf(job), options.gps ?? false, deadline),
    renderAll(input, limits, presets, job, deadline),
  ]);
  return { metadata, variants };
}

/**
 * The variants alone (what the resize function stores): the same checks, decode and rendering as
 * `processImage`, without the metadata work (EXIF, ICC, dominant colour, ThumbHash placeholder).
 * Returns the displayed format and size from the header.
 * @throws ImageError (`UNSUPPORTED_FORMAT`, `CORRUPT_IMAGE`, `TOO_MANY_PIXELS`, `TOO_LARGE`)
 * @example const { variants, width } = await renderVariants(bytes, { limits: DEFAULT_LIMITS, presets: DEFAULT_PRESETS });
 */
export async function renderVariants(input: Buffer, options: RenderOptions): Promise<RenderResult> {
  const { limits, presets } = options;
  const deadline = new Deadline(limits.jobTimeoutMs);
  const job = await decodeJob(input, limits, presets, deadline, false);
  const variants = await renderAll(input, limits, presets, job, deadline);
  return { format: job.header.inspection.format, ...job.displayed, variants };
}

/**
 * The metadata alone (what metadata-sync records), from one small shrink-on-load decode.
 * @example const metadata = await extractMetadata(bytes, { limits: DEFAULT_LIMITS, gps: false });
 */
export async function extractMetadata(input: Buffer, options: ImageJobOptions): Promise<ImageMetadata> {
  const { limits } = options;
  const deadline = new Deadline(limits.jobTimeoutMs);
  const job = await decodeJob(input, limits, [], deadline, true);
  return buildMetadata(job.header, rasterOf(job), options.gps ?? false, deadline);
}
