import type { AnyFunctionName } from '@imgpipe/pipeline';
import { execFile, execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

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

const RESULT_MARKER = '@@imgpipe-result@@';

// Runs in a fresh `node`: import the bundle, call `handler` with a Lambda-like context, print the result.
const RUNNER = `
const [bundle, eventJson, remaining] = process.argv.slice(1);
const started = performance.now();
const mod = await import(bundle);
const loadMs = performance.now() - started;
const deadline = Date.now() + Number(remaining);
const context = {
  awsRequestId: 'bundle-' + process.pid,
  functionName: 'bundle-test',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:bundle-test',
  getRemainingTimeInMillis: () => deadline - Date.now(),
};
try {
  const result = await mod.handler(JSON.parse(eventJson), context);
  console.log('${RESULT_MARKER}' + JSON.stringify({ ok: true, result, loadMs, exports: Object.keys(mod) }));
} catch (err) {
  console.log('${RESULT_MARKER}' + JSON.stringify({ ok: false, error: { name: err.name, message: err.message }, loadMs }));
}
`;

export interface BundleRun {
  readonly ok: boolean;
  readonly result?: unknown;
  readonly error?: { readonly name: string; readonly message: string };
  /** Milliseconds to import the bundle in a fresh process. */
  readonly loadMs: number;
  readonly exports?: readonly string[];
}

/**
 * Loads a built function bundle in a fresh `node` child process and invokes its `handler` on `event`,
 * the way the local stack's workers and the Lambda runtime do.
 */
export function invokeBundle(
  bundlePath: string,
  event: unknown,
  env: Readonly<Record<string, string>>,
  remainingMs = 60_000,
): Promise<BundleRun> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        RUNNER,
        pathToFileURL(bundlePath).href,
        JSON.stringify(event),
        String(remainingMs),
      ],
      { env: { PATH: process.env['PATH'] ?? '', ...env }, maxBuffer: 16 * 1024 * 1024, timeout: 60_000 },
      (error, stdout, stderr) => {
        const line = stdout.split('\n').find((l) => l.startsWith(RESULT_MARKER));
        if (!line) {
          reject(
            new Error(`The bundle printed no result (exit ${error?.code ?? 0}): ${stderr.slice(-2000)}`),
          );
          return;
        }
        resolve(JSON.parse(line.slice(RESULT_MARKER.length)) as BundleRun);
      },
    );
  });
}
