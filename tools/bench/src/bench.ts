/** One benchmark run: the stages asked for, in order, into one `BenchReport`. */
import { rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { runApiBench } from './api';
import type { BenchOptions } from './args';
import { runColdStart } from './coldstart';
import { runEndToEnd } from './e2e';
import { type BenchImage, ICC_IMAGE_KEYS, variantImages } from './images';
import { iccFixtures, imageFromPath } from './icc-fixtures';
import { workspaceRoot } from './paths';
import { checkTargets, type ImageKind } from './targets';
import type {
  ApiBenchResult,
  BenchReport,
  ColdStartResult,
  EndToEndResult,
  MachineInfo,
  Missing,
  RatioResult,
  VariantResult,
} from './types';
import { buildWorkers } from './variants/build';
import { findPythonWithPillow } from './variants/python';
import { runVariants } from './variants/run';

function machine(
  python: ReturnType<typeof findPythonWithPillow>,
  threads: number | null,
): Omit<MachineInfo, 'loadAtStart'> {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
    node: process.version,
    sharp: sharp.versions.sharp ?? 'unknown',
    libvips: sharp.versions.vips,
    pillow: python?.pillowVersion ?? null,
    python: python ? `${python.python} ${python.pythonVersion}` : null,
    sharpConcurrency: threads ?? sharp.concurrency(),
    date: new Date().toISOString(),
  };
}

/** Which targets an image id falls under, by the built-in workload it is. */
function kindOf(id: string, all: Record<string, BenchImage>): ImageKind {
  const key = Object.values(all).find((i) => i.id === id)?.key;
  if (key === '6mp') return 'baseline-6mp';
  if (key === '20mp') return 'baseline-large';
  if (key === 'progressive') return 'progressive';
  if (key !== undefined && (ICC_IMAGE_KEYS as readonly string[]).includes(key)) return 'icc';
  return 'other';
}

/** Runs the bench. Progress lines go to `log` (stderr in the CLI); the report is the result. */
export async function runBench(
  options: BenchOptions,
  command: string,
  log: (line: string) => void = () => undefined,
): Promise<BenchReport> {
  const missing: Missing[] = [];
  let results: VariantResult[] = [];
  let ratios: RatioResult[] = [];
  let coldStart: ColdStartResult[] = [];
  let importReferences: BenchReport['importReferences'] = [];
  let contextBytes: number | null = null;
  let e2e: EndToEndResult | null = null;
  let api: ApiBenchResult | null = null;
  let python = null as ReturnType<typeof findPythonWithPillow>;
  let threads: number | null = null;
  const loadAtStart = loadavg()[0] ?? 0;
  const runId = `run-${process.pid}-${Date.now()}`;
  const all = variantImages();
  const bundles = await buildWorkers(runId);
  try {
    if (options.stages.includes('variants')) {
      const fixtures = await iccFixtures(options.images, join(bundles.dir, 'fixtures'));
      missing.push(...fixtures.missing);
      Object.assign(all, fixtures.images);
      const files = await Promise.all(
        // npm run starts the script in tools/bench; a relative path is the caller's (INIT_CWD).
        options.imagePaths.map((p) =>
          imageFromPath(p, resolve(process.env['INIT_CWD'] ?? workspaceRoot(), p)),
        ),
      );
      const images = [...options.images.map((k) => all[k]).filter((i) => i !== undefined), ...files];
      const run = await runVariants({ ...options, images, bundles, onProgress: log });
      ({ results, ratios, python, threads } = run);
      missing.push(...run.missing);
    }
    if (options.stages.includes('coldstart')) {
      const run = await runColdStart(options.coldStartSpawns, log);
      ({ coldStart, contextBytes } = run);
      importReferences = run.references;
      missing.push(...run.missing);
    }
    if (options.stages.includes('e2e')) {
      const run = await runEndToEnd({
        uploads: options.uploads,
        rounds: options.e2eRounds,
        concurrency: options.concurrency,
        rate: options.rate,
        warmUploads: options.warmUploads,
        bundles,
        log,
      });
      e2e = run.e2e;
      missing.push(...run.missing);
      if (run.firstInvoke.length > 0) {
        coldStart = coldStart.map((c) => {
          const first = run.firstInvoke.find((f) => f.handler === c.handler);
          // The local stack's workers run on the Node that runs the bench: shown on the machine's row.
          return first && c.node.startsWith(process.version)
            ? { ...c, firstInvokeMs: first.ms, firstInvokeNote: first.note }
            : c;
        });
      }
    }
    if (options.stages.includes('api')) {
      try {
        api = await runApiBench(options.quick ? 100 : 500, log);
      } catch (error) {
        missing.push({
          what: 'api',
          reason: error instanceof Error ? error.message : String(error),
          install: 'npx nx run-many -t build -p api local-stack',
        });
      }
    }
  } finally {
    rmSync(bundles.dir, { recursive: true, force: true });
  }
  const info = machine(python, threads);
  return {
    command,
    mode: options.quick ? 'quick' : 'full',
    machine: { ...info, loadAtStart: Math.round(loadAtStart * 100) / 100 },
    results,
    ratios,
    coldStart,
    importReferences,
    contextBytes,
    e2e,
    api,
    missing,
    targets: checkTargets(results, ratios, coldStart, e2e, (id) => kindOf(id, all)),
  };
}
