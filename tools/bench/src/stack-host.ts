/**
 * Runs the built local stack (`apps/local-stack/dist/main.mjs`, its `npm start` entry) as a child
 * process: tools may not import apps. Waits for `/_imgpipe/health`, samples `/_imgpipe/api/metrics`
 * while the burst runs (to report the concurrency the stack really used) and stops it with SIGTERM.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { definePipeline, FUNCTION_NAMES, functionEnvironment, type FunctionName } from '@imgpipe/pipeline';
import { workspaceRoot } from './paths';

export const BUILD_STACK = 'npx nx build local-stack';
/** Asked of the stack for the function concurrency (the local stack reads it, as `--concurrency` does). */
export const CONCURRENCY_ENV = 'IMGPIPE_FUNCTION_CONCURRENCY';

export interface StackInfo {
  readonly endpoint: string;
  readonly table: string;
  readonly sourceBucket: string;
  /** The environment the stack gives each function's workers (functionEnvironment + the local endpoint). */
  readonly env: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

export interface RunningStack {
  readonly info: StackInfo;
  /** Highest `inFlight` seen per function since start (sampled from the metrics API). */
  readonly maxInFlight: () => Readonly<Record<string, number>>;
  stop(): Promise<void>;
}

export function stackEntry(): string {
  return join(workspaceRoot(), 'apps', 'local-stack', 'dist', 'main.mjs');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** What the stack's workers get (mirrors the stack's worker environment; no host variables). */
function workerEnv(fn: FunctionName, endpoint: string): Record<string, string> {
  const spec = definePipeline().functions[fn];
  return {
    ...functionEnvironment(definePipeline(), fn),
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    // The function's own key id: the edge enforces its IAM policy, as for the stack's workers.
    AWS_ACCESS_KEY_ID: `imgpipe-${fn}`,
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_LAMBDA_FUNCTION_NAME: fn,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(spec.memoryMb),
    TZ: 'UTC',
    IMGPIPE_LOCAL: '1',
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: process.env['HOME'] ?? '/tmp',
  };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function getJson(url: string): Promise<Record<string, unknown> | null> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    return (await res.json()) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/** Starts the stack; rejects with the reason (not built, exited, not healthy in time). */
export async function startStack(
  dataDir: string,
  concurrency: number,
  timeoutMs = 90_000,
): Promise<RunningStack> {
  const entry = stackEntry();
  if (!existsSync(entry)) throw new Error(`${entry} not built`);
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    process.execPath,
    [entry, '--port', String(port), '--data-dir', dataDir, '--fresh', '--no-samples'],
    {
      cwd: workspaceRoot(),
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, [CONCURRENCY_ENV]: String(concurrency) },
    },
  );
  let stderr = '';
  let exited: number | null | undefined;
  child.stderr?.on('data', (c: Buffer) => (stderr = (stderr + c.toString('utf8')).slice(-4000)));
  const exit = new Promise<void>((resolve) => child.on('exit', (code) => ((exited = code), resolve())));
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (exited !== undefined)
      throw new Error(
        `the local stack exited ${String(exited)}: ${stderr.trim().split('\n').slice(-3).join(' ')}`,
      );
    const health = await getJson(`${endpoint}/_imgpipe/health`);
    if (health?.['status'] === 'ready') break;
    if (Date.now() > until) {
      child.kill('SIGKILL');
      throw new Error(`the local stack was not healthy within ${timeoutMs} ms`);
    }
    await sleep(250);
  }
  const names = definePipeline().names;
  const peaks: Record<string, number> = {};
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const metrics = await getJson(`${endpoint}/_imgpipe/api/metrics`);
      const functions = (metrics?.['functions'] ?? metrics) as
        Record<string, { inFlight?: number } | undefined> | undefined;
      for (const fn of FUNCTION_NAMES) {
        const inFlight = functions?.[fn]?.inFlight;
        if (typeof inFlight === 'number') peaks[fn] = Math.max(peaks[fn] ?? 0, inFlight);
      }
      await sleep(100);
    }
  })();
  return {
    info: {
      endpoint,
      table: names.table,
      sourceBucket: names.sourceBucket,
      env: Object.fromEntries(FUNCTION_NAMES.map((fn) => [fn, workerEnv(fn, endpoint)])),
    },
    maxInFlight: () => ({ ...peaks }),
    stop: async () => {
      sampling = false;
      await sampler;
      if (exited === undefined) child.kill('SIGTERM');
      const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exit;
      clearTimeout(force);
    },
  };
}
