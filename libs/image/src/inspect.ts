import type { Metadata, SharpOptions } from 'sharp';
import { Deadline } from './deadline';
import {
  CorruptImageError,
  firstLine,
  TooLargeError,
  TooManyPixelsError,
  UnsupportedFormatError,
} from './errors';
import { checkGifFrames } from './gif';
import { lockLoaders } from './loaders';
import { isAvifSequence, sniffFormat } from './sniff';
import { DECODABLE_FORMATS, type DecodableFormat, type ImageLimits, type Inspection } from './types';
import { loadSharp } from './vips';

/**
 * How every input is opened. `failOn: 'error'` rejects truncated data, bad checksums and decoder
 * errors, but salvages inputs that only raise libjpeg/libtiff *warnings* (extraneous bytes before a
 * marker, unknown TIFF tags): sharp's default `'warning'` would reject legal files for those.
 */
export function sourceOptions(limits: ImageLimits, extra: SharpOptions = {}): SharpOptions {
  return { failOn: 'error', limitInputPixels: limits.maxPixels, unlimited: false, ...extra };
}

/** What the header says, plus sharp's raw header facts for the metadata. */
export interface Header {
  readonly inspection: Inspection;
  readonly meta: Metadata;
}

function isDecodable(format: string): format is DecodableFormat {
  return (DECODABLE_FORMATS as readonly string[]).includes(format);
}

/** EXIF orientation 1-8; 0, missing and out-of-range values mean "as stored". */
export function normaliseOrientation(value: number | undefined): number {
  return value !== undefined && Number.isInteger(value) && value >= 1 && value <= 8 ? value : 1;
}

function checkFormat(input: Buffer, limits: ImageLimits): DecodableFormat {
  const sniffed = sniffFormat(input);
  if (sniffed === undefined) {
    throw new UnsupportedFormatError('Input is not an image format we recognise by its magic bytes');
  }
  if (!isDecodable(sniffed)) {
    throw new UnsupportedFormatError(
      `Input is ${sniffed}, which is not on the allow-list (${DECODABLE_FORMATS.join(', ')})`,
    );
  }
  if (sniffed === 'avif' && isAvifSequence(input)) {
    throw new UnsupportedFormatError(
      'Input is an AVIF image sequence (brand avis); only still AVIF is supported',
    );
  }
  if (sniffed === 'svg' && !limits.allowSvg) {
    throw new UnsupportedFormatError('Input is SVG, which is switched off (limits.allowSvg)');
  }
  if (sniffed === 'svg' && /<!(DOCTYPE|ENTITY)/i.test(input.toString('utf8'))) {
    throw new UnsupportedFormatError('SVG input with a DOCTYPE or entity declarations is not accepted');
  }
  return sniffed;
}

/** sharp names AVIF and HEIC both `heif`; the compression tells them apart. */
function agreesWithSniff(format: DecodableFormat, meta: Metadata): boolean {
  if (format === 'avif') return meta.format === 'heif' && meta.compression === 'av1';
  return meta.format === format;
}

/**
 * Reads the header (no pixel is decoded) and applies the byte, format, pixel and frame limits.
 * Every failure is an `ImageError`.
 */
export async function readHeader(input: Buffer, limits: ImageLimits, deadline?: Deadline): Promise<Header> {
  if (input.length > limits.maxBytes) {
    throw new TooLargeError(`Input has ${input.length} bytes; the limit is ${limits.maxBytes}`);
  }
  const format = checkFormat(input, limits);
  if (format === 'gif') checkGifFrames(input, limits);
  const sharp = await loadSharp();
  lockLoaders(limits.allowSvg);
  let meta: Metadata;
  try {
    // The pixel limit is ours to apply (below) with a typed error; the header read itself is cheap.
    const reading = sharp(input, sourceOptions(limits, { limitInputPixels: false })).metadata();
    meta = deadline ? await deadline.race(reading) : await reading;
  } catch (cause) {
    if (cause instanceof CorruptImageError) throw cause;
    throw new CorruptImageError(
      `Input looks like ${format} but its header cannot be read: ${firstLine(cause)}`,
      {
        cause,
      },
    );
  }
  if (!agreesWithSniff(format, meta)) {
    const what = meta.format === 'heif' ? `heif (${meta.compression ?? 'unknown'} compression)` : meta.format;
    throw new UnsupportedFormatError(
      `Input starts like ${format} but decodes as ${what}, which is not allowed`,
    );
  }
  const pages = meta.pages ?? 1;
  const width = meta.width;
  const height = meta.pageHeight ?? meta.height;
  if (!(width > 0 && height > 0)) {
    throw new CorruptImageError(`Input header declares an empty image (${width}x${height})`);
  }
  if (width * height > limits.maxPixels) {
    throw new TooManyPixelsError(
      `Input is ${width}x${height} (${width * height} pixels); the limit is ${limits.maxPixels}`,
    );
  }
  if (pages > limits.maxFrames) {
    throw new TooManyPixelsError(`Input has ${pages} frames; the limit is ${limits.maxFrames}`);
  }
  const orientation = normaliseOrientation(meta.orientation);
  return { inspection: { format, width, height, pages, orientation, bytes: input.length }, meta };
}

/**
 * Header-only inspection: format by magic bytes, stored dimensions, frames and orientation,
 * with the byte, pixel and frame limits applied before anything is decoded.
 * @example const { format, width, height } = await inspectImage(bytes, DEFAULT_LIMITS);
 */
export async function inspectImage(input: Buffer, limits: ImageLimits): Promise<Inspection> {
  const { inspection } = await readHeader(input, limits, new Deadline(limits.jobTimeoutMs));
  return inspection;
}
