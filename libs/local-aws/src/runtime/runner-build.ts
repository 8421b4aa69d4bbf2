import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { buildSync } from 'esbuild';

/**
 * Builds the worker program (runner.ts) into one ES module at `outfile` with esbuild, from the engine's
 * source under `repoRoot` (the local stack runs from a checkout, as its function bundles do).
 */
export function buildRunner(repoRoot: string, outfile: string): string {
  mkdirSync(dirname(outfile), { recursive: true });
  buildSync({
    entryPoints: [join(repoRoot, 'libs', 'local-aws', 'src', 'runtime', 'runner.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    logLevel: 'warning',
  });
  return outfile;
}
