/**
 * "Library alone" for the end-to-end ratio: the same files, the same work per upload as the stack does
 * (variants and metadata, two decodes: see e2e-library-worker.ts), in as many processes as the stack's
 * function concurrency, with no storage, events or workers around it.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { build } from 'esbuild';
import { BENCH_DIR } from './paths';
import { resizeEnvironment } from './variants/run';

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

async function bundle(dir: string): Promise<string> {
  const outfile = join(dir, 'e2e-library-worker.mjs');
  await build({
    entryPoints: [join(BENCH_DIR, 'src', 'e2e-library-worker.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['sharp', '@img/*', 'koffi'],
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
    logLevel: 'silent',
  });
  return outfile;
}

function run(worker: string, paths: readonly string[]): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [worker, JSON.stringify(paths)], {
      env: resizeEnvironment(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        reject(
          new Error(`library alone exited ${String(code)}: ${stderr.trim().split('\n').slice(-3).join(' ')}`),
        );
        return;
      }
      try {
        resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '') as WorkerResult);
      } catch {
        reject(new Error(`library alone printed no result: ${stdout.slice(0, 200)}`));
      }
    });
  });
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
  const worker = await bundle(dir);
  const shares = Array.from({ length: processes }, (_, i) => paths.filter((_, j) => j % processes === i));
  const results = await Promise.all(shares.filter((s) => s.length > 0).map((share) => run(worker, share)));
  const slowest = Math.max(...results.map((r) => r.wallMs));
  const cpu = results.reduce((sum, r) => sum + r.cpuMs, 0);
  return {
    imagesPerSecond: slowest > 0 ? paths.length / (slowest / 1000) : 0,
    cpuMsPerImage: paths.length > 0 ? cpu / paths.length : 0,
  };
}
