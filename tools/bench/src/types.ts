/**
 * The shapes `npm run bench -- --json` prints (one JSON object, last line). The required fields
 * are the issue's; the rest (`missing`, `targets`, `machine`, `ratios`, ...) are extras.
 */

/**
 * Tools compared on the variants workload. `imgpipe` is the reference for every ratio, except the
 * per-upload tools (`pillow-upload*`, `imgpipe-process`), whose reference is `imgpipe-upload` (`ratioBase`).
 */
export const VARIANT_TOOLS = [
  'imgpipe',
  'pillow-draft',
  'pillow-gated',
  'sharp-naive',
  'sharp-naive-parallel',
  'floor',
  'floor-gated',
  'imgpipe-upload',
  'pillow-upload',
  'pillow-upload-gated',
  'imgpipe-process',
] as const;
export type VariantTool = (typeof VARIANT_TOOLS)[number] | 'imgpipe-no-arena-max';

/**
 * The tool a ratio divides by: `imgpipe-upload` for the per-upload comparators (and for
 * `imgpipe-process`, one function doing both), `imgpipe` otherwise.
 */
export function ratioBase(tool: VariantTool): 'imgpipe' | 'imgpipe-upload' {
  return tool.startsWith('pillow-upload') || tool === 'imgpipe-process' ? 'imgpipe-upload' : 'imgpipe';
}

/** One tool on one image: medians over the measured iterations of every round. */
export interface VariantResult {
  readonly workload: 'variants';
  /** Corpus id of the input. */
  readonly image: string;
  readonly tool: VariantTool;
  /** Median wall-clock milliseconds for all three variants of one image. */
  readonly msPerImage: number;
  /** Median user+system CPU milliseconds of the measuring process for one image. */
  readonly cpuMsPerImage: number;
  /** Median over rounds of the measuring process's peak resident set, MiB. */
  readonly peakRssMb: number;
  /** Measured iterations behind the medians (warm-ups excluded). */
  readonly samples: number;
  /** What the tool produced on the last iteration, to check every tool did the same work. */
  readonly outputs: readonly OutputSummary[];
  /**
   * Butteraugli distance of the tool's `large` variant from the same size rendered from a
   * full-scale decode (lossless; 1.0 = just noticeable), or null when butteraugli is missing.
   */
  readonly largeButteraugli: number | null;
}

export interface OutputSummary {
  readonly name: string;
  readonly format: string;
  readonly width: number;
  readonly height: number;
  readonly bytes: number;
}

/** `tool / base`, per round in the same run, median over rounds (above 1: imgpipe is faster). */
export interface RatioResult {
  readonly image: string;
  readonly tool: VariantTool;
  /** What the ratio divides by (`ratioBase(tool)`): `imgpipe`, or `imgpipe-upload` per upload. */
  readonly base?: 'imgpipe' | 'imgpipe-upload';
  readonly wall: number;
  readonly cpu: number;
  readonly rss: number;
}

export interface ColdStartResult {
  readonly handler: string;
  /** The Node.js version that ran it (`process.version` of the measuring process). */
  readonly node: string;
  /** Median ms for `await import(bundle)` inside a fresh Node process (Node start-up excluded). */
  readonly loadMs: number;
  /** Median user+system CPU ms of that import (trustworthy on a loaded machine, unlike `loadMs`). */
  readonly loadCpuMs?: number;
  /** Median CPU ms a bare Node process has spent when its first line of user code runs. */
  readonly bareNodeCpuMs?: number;
  /** First handler invocation after the load; null when it could not be run (see `firstInvokeNote`). */
  readonly firstInvokeMs: number | null;
  readonly firstInvokeNote: string;
  /** What the import reads: the bundle and the chunks it imports statically (not the on-demand chunks). */
  readonly bundleBytes: number;
  /** Median ms from spawn to exit of that process, and of a bare `node -e 0`, for context. */
  readonly processMs: number;
  readonly bareNodeMs: number;
}

/** The steady-rate run: uploads arriving at a fixed rate (open loop), after the burst, on the same stack. */
export interface SteadyRateResult {
  /** Uploads per second offered. */
  readonly ratePerSecond: number;
  /** `--rate`, or half the burst's drain rate measured just before. */
  readonly rateSource: 'asked' | 'half the burst drain rate';
  readonly uploads: number;
  /** Seconds from the first upload's start to the last one's acknowledgement (the rate really offered). */
  readonly offeredSeconds: number;
  /** Upload acknowledgement to the row's `updatedAt` when it turned `ready`. */
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly failed: number;
  readonly lost: number;
}

/** One timed burst and the library alone on the same files right after it. */
export interface EndToEndRound {
  readonly seconds: number;
  readonly imagesPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly lost: number;
  readonly failed: number;
  /**
   * The image library alone on the same files in as many processes as the concurrency, doing the
   * stack's work per upload (variants and metadata, two decodes), for the ratio target.
   */
  readonly libraryImagesPerSecond: number | null;
  /** CPU ms per image during the burst: the stack process (edge, emulators, runtime) and its workers. */
  readonly stackCpuMsPerImage: number | null;
  readonly workerCpuMsPerImage: number | null;
  /** The library alone's CPU ms per image (all its processes). */
  readonly libraryCpuMsPerImage: number | null;
}

/**
 * The end-to-end run. Its burst figures are those of the median round by ratio (one round's burst and
 * library alone, never a mix of rounds); `lost` and `failed` count every round's uploads.
 */
export interface EndToEndResult extends EndToEndRound {
  /**
   * Uploads drained before the burst was timed (every worker started and warm, as the library alone
   * is); 0: the burst was timed from a cold stack, its workers' start-up included.
   */
  readonly warmUploads: number;
  /** Each burst: `uploads` at once (16 in flight), drained. */
  readonly uploads: number;
  /** The function concurrency asked of the stack. */
  readonly concurrency: number;
  /** Highest in-flight invocations per function seen in the stack's metrics during the bursts. */
  readonly observedMaxInFlight: Readonly<Record<string, number>>;
  /** Every round, in the order run (`--e2e-rounds`). */
  readonly rounds: readonly EndToEndRound[];
  /** null when it was not run (the bursts drained nothing). */
  readonly steady: SteadyRateResult | null;
}

/** A comparator or stage that could not run: why, and how to get it. */
export interface Missing {
  readonly what: string;
  readonly reason: string;
  readonly install?: string;
}

export interface TargetCheck {
  readonly target: string;
  readonly measured: string;
  readonly met: boolean | null;
}

export interface MachineInfo {
  readonly cpus: number;
  readonly cpuModel: string;
  /** 1-minute load average when the run started (other work on the machine makes timings noisy). */
  readonly loadAtStart: number;
  /** `os.loadavg()` (1, 5, 15 minutes) when it ended. */
  readonly loadAverage: readonly number[];
  readonly node: string;
  readonly sharp: string;
  readonly libvips: string;
  readonly pillow: string | null;
  readonly python: string | null;
  readonly sharpConcurrency: number;
  readonly date: string;
}

export interface BenchReport {
  readonly command: string;
  readonly mode: 'quick' | 'full';
  readonly machine: MachineInfo;
  readonly results: readonly VariantResult[];
  readonly ratios: readonly RatioResult[];
  readonly coldStart: readonly ColdStartResult[];
  /** The same import timing for the handlers' heaviest dependencies alone (where the load time goes). */
  readonly importReferences: readonly { readonly module: string; readonly loadMs: number }[];
  readonly contextBytes: number | null;
  readonly e2e: EndToEndResult | null;
  /** The image API on the local stack (`api.ts`); null when the stage did not run. */
  readonly api: ApiBenchResult | null;
  readonly missing: readonly Missing[];
  readonly targets: readonly TargetCheck[];
}

/** The image API bench (`api.ts`): its import and warm `GET /v1/images/{id}` latencies. */
export interface ApiBenchResult {
  /** `await import()` of `apps/api/dist/api.mjs` in a fresh Node process. */
  readonly importMs: number;
  readonly requests: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Requests started per second at most (below the stage's `rateLimit`). */
  readonly pacedPerSecond: number;
  /** 429s received (and retried); 0 when the pacing holds. */
  readonly throttled: number;
}
