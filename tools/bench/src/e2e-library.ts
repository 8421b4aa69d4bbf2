/**
 * "Library alone" for the end-to-end ratio: the same files, the same work per upload as the stack does
 * (variants and metadata, two decodes: see e2e-library-worker.ts), in as many processes as the stack's
 * function concurrency, with no storage, events or workers around it.
 */
import { join } from 'node:path';
import { BENCH_DIR } from './paths';
import { bundleWorker } from './variants/build';
import { resizeEnvironment } from './variants/run';
import { lastJsonLine, runChild } from './variants/spawn';

interface WorkerResult {
  readonly images: number;
  readonly wallMs: number;
  readonly cpuMs: number;
}

/** The library's rate on `paths` split over `processes`, and its CPU per image. */
export interface LibraryAlone {
  readonly imagesPerSecond: number;
  readonly cpuMsPerImage: number;
}

async function run(worker: string, paths: readonly string[]): Promise<WorkerResult> {
  const { stdout } = await runChild(
    process.execPath,
    [worker, JSON.stringify(paths)],
    resizeEnvironment(),
    'library alone',
  );
  return lastJsonLine<WorkerResult>(stdout, 'library alone');
}

/**
 * Renders the variants and extracts the metadata of every file once, the files dealt round-robin over
 * `processes` children (bundled into `dir`); the rate is the files over the slowest child's wall time.
 */
export async function libraryAlone(
  dir: string,
  paths: readonly string[],
  processes: number,
): Promise<LibraryAlone> {
  const worker = join(dir, 'e2e-library-worker.mjs');
  await bundleWorker(join(BENCH_DIR, 'src', 'e2e-library-worker.ts'), worker);
  const shares = Array.from({ length: processes }, (_, i) => paths.filter((_, j) => j % processes === i));
  const results = await Promise.all(shares.filter((s) => s.length > 0).map((share) => run(worker, share)));
  const slowest = Math.max(...results.map((r) => r.wallMs));
  const cpu = results.reduce((sum, r) => sum + r.cpuMs, 0);
  return {
    imagesPerSecond: slowest > 0 ? paths.length / (slowest / 1000) : 0,
    cpuMsPerImage: paths.length > 0 ? cpu / paths.length : 0,
  };
}
