/**
 * `imgpipe` as the resize function runs it: `renderVariants` with the pipeline's presets and limits
 * (the variants alone, from one decode; metadata-sync computes the metadata with its own call).
 * Bundled on its own so that a library that does not build yet makes only this comparator missing.
 */
import { renderVariants } from '@imgpipe/image';
import { DEFAULT_LIMITS, DEFAULT_PRESETS } from '@imgpipe/pipeline';
import type { Rendered } from './worker-protocol';

export async function render(input: Buffer): Promise<Rendered[]> {
  const { variants } = await renderVariants(input, { presets: DEFAULT_PRESETS, limits: DEFAULT_LIMITS });
  return variants.map((v) => ({
    name: v.name,
    format: v.format,
    width: v.width,
    height: v.height,
    bytes: v.bytes,
    data: v.data,
  }));
}
