/**
 * The variants workload: every tool on every image, each measurement in its own child process,
 * tools interleaved round by round so that a noisy neighbour hits all of them alike.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DCT_MIN_RESIDUAL } from '@imgpipe/image';
import { DEFAULT_PRESETS, definePipeline, functionEnvironment } from '@imgpipe/pipeline';
import type { BenchImage } from '../images';
import { median } from '../stats';
import { type Missing, ratioBase, type RatioResult, type VariantResult, type VariantTool } from '../types';
import { BENCH_DIR } from '../paths';
import type { WorkerBundles } from './build';
import { findPythonWithPillow, PILLOW_INSTALL, type PythonWithPillow } from './python';
import { BUTTERAUGLI_INSTALL, butteraugliAvailable, largeDistance } from './quality';
import { runWorker } from './spawn';
import { PILLOW_TOOLS, type PillowTool, type WorkerJob, type WorkerOutput } from './worker-protocol';

const isPillow = (tool: VariantTool): tool is PillowTool =>
  (PILLOW_TOOLS as readonly string[]).includes(tool);

export interface VariantOptions {
  readonly images: readonly BenchImage[];
  readonly tools: readonly VariantTool[];
  readonly rounds: number;
  readonly warmup: number;
  readonly iterations: number;
  readonly bundles: WorkerBundles;
  readonly onProgress?: (line: string) => void;
}

export interface VariantRun {
  readonly results: VariantResult[];
  readonly ratios: RatioResult[];
  readonly missing: Missing[];
  readonly python: PythonWithPillow | null;
  readonly threads: number | null;
}

/** The resize function's environment (MALLOC_ARENA_MAX=2 among it) on top of ours. */
export function resizeEnvironment(): NodeJS.ProcessEnv {
  return { ...process.env, ...functionEnvironment(definePipeline(), 'resize') };
}

/** Where a tool's last `large` variant of an image is kept for the quality metric. */
function largePath(bundles: WorkerBundles, image: BenchImage, tool: string): string {
  mkdirSync(join(bundles.dir, 'quality'), { recursive: true });
  return join(bundles.dir, 'quality', `${image.key.replace(/[^\w.-]+/g, '_')}-${tool}.bin`);
}

interface Runner {
  readonly run: (image: BenchImage) => Promise<WorkerOutput>;
}

function runners(
  options: VariantOptions,
  python: PythonWithPillow | null,
  missing: Missing[],
): Map<VariantTool, Runner> {
  const { bundles, warmup, iterations } = options;
  const env = resizeEnvironment();
  const noArena = { ...env };
  delete noArena['MALLOC_ARENA_MAX'];
  const job = (tool: WorkerJob['tool'], image: BenchImage, extra: Partial<WorkerJob> = {}): WorkerJob => ({
    tool,
    paths: [image.path],
    warmup,
    iterations,
    saveLargeTo: largePath(bundles, image, tool),
    ...extra,
  });
  const map = new Map<VariantTool, Runner>();
  for (const tool of options.tools) {
    if (isPillow(tool)) {
      if (!python) {
        missing.push({
          what: tool,
          reason: 'no Python with PIL found (tried IMGPIPE_BENCH_PYTHON, python3 on PATH, /usr/bin/python3)',
          install: PILLOW_INSTALL,
        });
        continue;
      }
      const script = join(BENCH_DIR, 'src', 'variants', 'pillow_worker.py');
      map.set(tool, {
        run: (image) =>
          runWorker(
            python.python,
            [script],
            job(tool, image, { presets: DEFAULT_PRESETS, minResidual: DCT_MIN_RESIDUAL }),
            env,
          ),
      });
      continue;
    }
    if (
      tool === 'imgpipe' ||
      tool === 'imgpipe-no-arena-max' ||
      tool === 'imgpipe-upload' ||
      tool === 'imgpipe-process'
    ) {
      if ('error' in bundles.imgpipe) {
        missing.push({ what: tool, reason: `@imgpipe/image does not bundle: ${bundles.imgpipe.error}` });
        continue;
      }
      const imgpipeModule = bundles.imgpipe.path;
      const toolEnv = tool === 'imgpipe' ? env : noArena;
      map.set(tool, {
        run: (image) =>
          runWorker(
            process.execPath,
            [bundles.nodeWorker],
            job(tool === 'imgpipe-no-arena-max' ? 'imgpipe' : tool, image, {
              imgpipeModule,
              saveLargeTo: largePath(bundles, image, tool),
            }),
            toolEnv,
          ),
      });
      continue;
    }
    map.set(tool, {
      run: (image) => runWorker(process.execPath, [bundles.nodeWorker], job(tool, image), env),
    });
  }
  return map;
}

/** Runs the variants workload; tools that cannot run are listed in `missing`. */
export async function runVariants(options: VariantOptions): Promise<VariantRun> {
  const missing: Missing[] = [];
  const python = options.tools.some(isPillow) ? findPythonWithPillow() : null;
  const tools = runners(options, python, missing);
  const perRound = new Map<string, WorkerOutput[]>();
  const broken = new Set<VariantTool>();
  const names = [...tools.keys()];
  let threads: number | null = null;
  for (let round = 0; round < options.rounds; round++) {
    for (const image of options.images) {
      // Rotate the order each round so no tool always runs first (or right after a heavy one).
      const order = names.map((_, i) => names[(i + round) % names.length] as VariantTool);
      for (const tool of order) {
        if (broken.has(tool)) continue;
        try {
          const out = await (tools.get(tool) as Runner).run(image);
          if (tool === 'imgpipe') threads = out.threads;
          const key = `${image.key}|${tool}`;
          perRound.set(key, [...(perRound.get(key) ?? []), out]);
          options.onProgress?.(
            `round ${round + 1}/${options.rounds} ${image.key} ${tool}: ${median(out.samples.map((s) => s.wallMs)).toFixed(0)} ms`,
          );
        } catch (error) {
          broken.add(tool);
          missing.push({ what: tool, reason: error instanceof Error ? error.message : String(error) });
        }
      }
    }
  }
  const metric = await butteraugliAvailable();
  if (!metric) {
    missing.push({
      what: 'largeButteraugli',
      reason: 'butteraugli is not installed',
      install: BUTTERAUGLI_INSTALL,
    });
  }
  const distance = async (image: BenchImage, tool: VariantTool): Promise<number | null> => {
    if (!metric) return null;
    try {
      return await largeDistance(image.path, largePath(options.bundles, image, tool));
    } catch (error) {
      missing.push({
        what: `largeButteraugli ${tool}`,
        reason: error instanceof Error ? error.message : String(error),
      });
      return null;
    }
  };
  const results: VariantResult[] = [];
  const ratios: RatioResult[] = [];
  for (const image of options.images) {
    for (const tool of names) {
      const baseTool = ratioBase(tool);
      const base = perRound.get(`${image.key}|${baseTool}`);
      const rounds = perRound.get(`${image.key}|${tool}`);
      if (!rounds || broken.has(tool)) continue;
      const samples = rounds.flatMap((r) => r.samples);
      results.push({
        workload: 'variants',
        image: image.id,
        tool,
        msPerImage: median(samples.map((s) => s.wallMs)),
        cpuMsPerImage: median(samples.map((s) => s.cpuMs)),
        peakRssMb: median(rounds.map((r) => r.peakRssMb)),
        samples: samples.length,
        outputs: rounds[rounds.length - 1]?.outputs ?? [],
        largeButteraugli: await distance(image, tool),
      });
      if (base && tool !== baseTool && !broken.has(baseTool)) {
        const pairs = rounds
          .map((r, i) => ({ r, b: base[i] }))
          .filter((p): p is { r: WorkerOutput; b: WorkerOutput } => !!p.b);
        const ratio = (f: (o: WorkerOutput) => number): number => median(pairs.map((p) => f(p.r) / f(p.b)));
        ratios.push({
          image: image.id,
          tool,
          base: baseTool,
          wall: ratio((o) => median(o.samples.map((s) => s.wallMs))),
          cpu: ratio((o) => median(o.samples.map((s) => s.cpuMs))),
          rss: ratio((o) => o.peakRssMb),
        });
      }
    }
  }
  return { results, ratios, missing, python, threads };
}
