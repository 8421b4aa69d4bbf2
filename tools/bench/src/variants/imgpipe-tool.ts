/**
 * `imgpipe` as the resize function runs it: `processImage` with the pipeline's presets and limits
 * (variants, metadata and placeholder from one decode). Bundled on its own so that a library that
 * does not build yet makes only this comparator missing.
 */
import { processImage } from '@imgpipe/image';
import { DEFAULT_LIMITS, DEFAULT_PRESETS } from '@imgpipe/pipeline';
import type { OutputSummary } from '../types';

export async function render(input: Buffer): Promise<OutputSummary[]> {
  const { variants } = await processImage(input, { presets: DEFAULT_PRESETS, limits: DEFAULT_LIMITS });
  return variants.map((v) => ({ name: v.name, format: v.format, width: v.width, height: v.height, bytes: v.bytes }));
}
