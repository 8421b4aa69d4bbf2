import type { AnyFunctionName } from '@imgpipe/pipeline';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { buildRunner } from '../runtime/runner-build';
import type { InvocationError } from '../runtime/types';
import { Worker } from '../runtime/worker';

const REPO_ROOT = resolve(__dirname, '..', '..', '..', '..');

/**
 * Bundles a function exactly as its `build` target does (`tools/scripts/bundle-function.mjs`) and
 * returns the bundle's path, so a test runs what the local stack and the container image run.
 * @example const bundle = buildFunctionBundle('resize'); // .../apps/resize/dist/resize.mjs
 */
export function buildFunctionBundle(fn: AnyFunctionName): string {
  execFileSync(process.execPath, [join(REPO_ROOT, 'tools', 'scripts', 'bundle-function.mjs'), fn], {
    stdio: 'pipe',
  });
  return join(REPO_ROOT, 'apps', fn, 'dist', `${fn}.mjs`);
}

export interface BundleRun {
  readonly ok: boolean;
  readonly result?: unknown;
  readonly error?: { readonly name: string; readonly message: string };
  /** Milliseconds to import the bundle in a fresh process. */
  readonly loadMs: number;
  readonly exports?: readonly string[];
}

/**
 * Loads a built function bundle in a fresh worker process (the local stack's own runner and Lambda
 * context) and invokes its `handler` on `event` once.
 */
export async function invokeBundle(
  bundlePath: string,
  event: unknown,
  env: Readonly<Record<string, string>>,
  remainingMs = 60_000,
): Promise<BundleRun> {
  const runner = buildRunner(REPO_ROOT, join(mkdtempSync(join(tmpdir(), 'imgpipe-runner-')), 'runner.mjs'));
  const worker = new Worker({
    runner,
    bundle: bundlePath,
    env: { PATH: process.env['PATH'] ?? '', ...env },
    functionName: 'bundle-test',
    memoryMb: 1024,
  });
  try {
    const loadMs = await worker.ready.catch((error: InvocationError) => {
      throw new Error(`The bundle did not load: ${error.type}: ${error.message}`);
    });
    const outcome = await worker.invoke(`bundle-${Date.now()}`, event, remainingMs);
    return outcome.ok
      ? { ok: true, result: outcome.value, loadMs, exports: worker.exports }
      : { ok: false, error: { name: outcome.error.type, message: outcome.error.message }, loadMs };
  } finally {
    worker.kill();
    rmSync(dirname(runner), { recursive: true, force: true });
  }
}
