import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { BENCH_DIR } from '../paths';

/** Bundled measuring children: plain `node` runs them, as Lambda runs the esbuild-bundled resize. */
export interface WorkerBundles {
  readonly dir: string;
  readonly nodeWorker: string;
  /** The imgpipe comparator, or why it could not be bundled. */
  readonly imgpipe: { readonly path: string } | { readonly error: string };
}

/**
 * Bundles one measuring child (`entry`, a path) into `outfile` as an ES module that plain `node` runs,
 * with sharp and koffi left to resolve from `tools/bench`.
 */
export async function bundleWorker(entry: string, outfile: string): Promise<void> {
  await build({
    entryPoints: [entry],
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
}

function variantsEntry(name: string): string {
  return join(BENCH_DIR, 'src', 'variants', name);
}

/** Bundles the Node worker and the imgpipe comparator under `tools/bench/dist/<runId>` (sharp resolves from there). */
export async function buildWorkers(runId: string): Promise<WorkerBundles> {
  const dir = join(BENCH_DIR, 'dist', runId);
  mkdirSync(dir, { recursive: true });
  const nodeWorker = join(dir, 'node-worker.mjs');
  await bundleWorker(variantsEntry('node-worker.ts'), nodeWorker);
  const imgpipePath = join(dir, 'imgpipe-tool.mjs');
  try {
    await bundleWorker(variantsEntry('imgpipe-tool.ts'), imgpipePath);
    return { dir, nodeWorker, imgpipe: { path: imgpipePath } };
  } catch (error) {
    return {
      dir,
      nodeWorker,
      imgpipe: {
        error: error instanceof Error ? error.message.split('\n').slice(0, 4).join(' ') : String(error),
      },
    };
  }
}
