import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import {
  type ImageLimits,
  type ImageMetadata,
  isImageError,
  type Preset,
  processImage,
  TooLargeError,
} from '@imgpipe/image';

/** One written variant, as the contract's `--json` line lists it. */
export interface WrittenVariant {
  readonly name: string;
  readonly path: string;
  readonly format: string;
  readonly width: number;
  readonly height: number;
  readonly bytes: number;
}

/** The outcome for one input file: processed, classified as a bad image, or not readable at all. */
export type FileOutcome =
  | {
      readonly file: string;
      readonly ok: true;
      readonly metadata: ImageMetadata;
      readonly variants: WrittenVariant[];
    }
  | {
      readonly file: string;
      readonly ok: false;
      readonly error: { readonly code: string; readonly message: string };
      /** True when the input was judged (an image error); false when it could not even be read or written. */
      readonly classified: boolean;
    };

export interface RunOptions {
  readonly out: string;
  readonly presets: readonly Preset[];
  readonly limits: ImageLimits;
  readonly gps: boolean;
}

/**
 * Output folder names: the input's base name, with `-2`, `-3`… added when two inputs share one,
 * so one file never overwrites another's variants.
 */
export function folderNames(files: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return files.map((file) => {
    const base = basename(file);
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    return count === 1 ? base : `${base}-${count}`;
  });
}

function failure(file: string, error: unknown): FileOutcome {
  if (isImageError(error)) {
    return { file, ok: false, classified: true, error: { code: error.code, message: error.message } };
  }
  const code =
    typeof (error as { code?: unknown }).code === 'string' ? (error as { code: string }).code : 'ERROR';
  const message = error instanceof Error ? error.message : String(error);
  return { file, ok: false, classified: false, error: { code, message } };
}

/** Reads, processes and writes one input; never throws. */
export async function processFile(file: string, folder: string, options: RunOptions): Promise<FileOutcome> {
  try {
    const { size } = await stat(file);
    // Refuse before reading a byte of a file that is over the limit, as the pipeline does before download.
    if (size > options.limits.maxBytes) {
      throw new TooLargeError(`Input has ${size} bytes; the limit is ${options.limits.maxBytes}`);
    }
    const input = await readFile(file);
    const { metadata, variants } = await processImage(input, {
      limits: options.limits,
      presets: options.presets,
      gps: options.gps,
    });
    const dir = join(options.out, folder);
    await mkdir(dir, { recursive: true });
    const written = await Promise.all(
      variants.map(async (variant) => {
        const path = join(dir, `${variant.name}.${variant.extension}`);
        await writeFile(path, variant.data);
        const { name, format, width, height, bytes } = variant;
        return { name, path, format, width, height, bytes };
      }),
    );
    return { file, ok: true, metadata, variants: written };
  } catch (error) {
    return failure(file, error);
  }
}
