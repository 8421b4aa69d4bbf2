/**
 * `imgpipe` as the functions run it, bundled on its own so that a library that does not build yet
 * makes only these comparators missing.
 * - `render`: resize's work, `renderVariants` with the pipeline's presets and limits (the variants
 *   alone, from one decode).
 * - `upload`: per upload, resize's `renderVariants` **and** metadata-sync's `extractMetadata`
 *   (header, EXIF, ICC description, its own small scaled decode, ThumbHash, dominant colour) on the
 *   same bytes, one after the other: the two functions' library work. The bytes come from memory;
 *   each function's S3 download is not in it (nor in Pillow's).
 * - `processAll`: what one function doing both would cost: `processImage`, variants and metadata
 *   from one decode (the placeholder from the variants' raster), as the Pillow comparator does.
 */
import { extractMetadata, processImage, renderVariants } from '@imgpipe/image';
import { DEFAULT_LIMITS, DEFAULT_PRESETS } from '@imgpipe/pipeline';
import type { Rendered } from './worker-protocol';

/** A rendered variant as the worker protocol carries it. */
function rendered(v: Rendered): Rendered {
  return { name: v.name, format: v.format, width: v.width, height: v.height, bytes: v.bytes, data: v.data };
}

/** The metadata's ThumbHash placeholder as one more output, sized like the image it stands for. */
function placeholderOf(metadata: {
  readonly placeholder: string;
  readonly width: number;
  readonly height: number;
}): Rendered {
  const placeholder = Buffer.from(metadata.placeholder, 'base64');
  return {
    name: 'placeholder',
    format: 'thumbhash',
    width: metadata.width,
    height: metadata.height,
    bytes: placeholder.length,
    data: placeholder,
  };
}

export async function render(input: Buffer): Promise<Rendered[]> {
  const { variants } = await renderVariants(input, { presets: DEFAULT_PRESETS, limits: DEFAULT_LIMITS });
  return variants.map(rendered);
}

export async function upload(input: Buffer): Promise<Rendered[]> {
  const variants = await render(input);
  const metadata = await extractMetadata(input, { limits: DEFAULT_LIMITS, gps: false });
  return [...variants, placeholderOf(metadata)];
}

export async function processAll(input: Buffer): Promise<Rendered[]> {
  const { variants, metadata } = await processImage(input, {
    presets: DEFAULT_PRESETS,
    limits: DEFAULT_LIMITS,
    gps: false,
  });
  return [...variants.map(rendered), placeholderOf(metadata)];
}
