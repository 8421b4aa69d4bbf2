import type { OutputSummary } from '../types';

/** The Python worker's tools (`pillow_worker.py`). */
export const PILLOW_TOOLS = ['pillow-draft', 'pillow-gated', 'pillow-upload', 'pillow-upload-gated'] as const;
export type PillowTool = (typeof PILLOW_TOOLS)[number];

/** One output with its bytes, inside a measuring child (only the summary leaves it). */
export interface Rendered extends OutputSummary {
  readonly data: Buffer;
}

/** What a measuring child process is asked to do (passed as JSON in argv[2]). */
export interface WorkerJob {
  readonly tool:
    | 'imgpipe'
    | 'imgpipe-upload'
    | 'imgpipe-process'
    | 'sharp-naive'
    | 'sharp-naive-parallel'
    | 'floor'
    | 'floor-gated'
    | PillowTool;
  /** Inputs; each measured iteration renders every one of them once. */
  readonly paths: readonly string[];
  readonly warmup: number;
  readonly iterations: number;
  /** Bundled `imgpipe-tool` module (imgpipe only). */
  readonly imgpipeModule?: string;
  /** Presets to render (the Python worker has no access to `@imgpipe/pipeline`). */
  readonly presets?: readonly unknown[];
  /** The quality gate's `DCT_MIN_RESIDUAL`, for the gated Pillow tools (Python cannot import it). */
  readonly minResidual?: number;
  /** Write the last `large` output here, for the quality metric beside the bytes. */
  readonly saveLargeTo?: string;
}

/** One measured iteration. */
export interface Sample {
  readonly wallMs: number;
  readonly cpuMs: number;
}

/** What a child prints as its last stdout line. */
export interface WorkerOutput {
  readonly samples: readonly Sample[];
  readonly peakRssMb: number;
  readonly outputs: readonly OutputSummary[];
  /** libvips threads per image (sharp.concurrency()) in Node children; null in Python. */
  readonly threads: number | null;
}
