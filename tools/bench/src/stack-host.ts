/**
 * Runs the built local stack (`apps/local-stack/dist/main.mjs`, its `npm start` entry) as a child
 * process through the engine's testing export (`spawnLocalStack`: free port, fresh data directory,
 * waits for `/_imgpipe/health`; tools may not import apps). Samples `/_imgpipe/api/metrics` while the
 * load runs (to report the concurrency the stack really used) and, on Linux, the CPU time of the stack
 * process and of its function workers (its child processes) from `/proc`.
 */
import { readFileSync } from 'node:fs';
import { spawnLocalStack } from '@imgpipe/local-aws/testing';
import { definePipeline, FUNCTION_NAMES, functionEnvironment, type FunctionName } from '@imgpipe/pipeline';

export const BUILD_STACK = 'npx nx run-many -t build -p local-stack resize metadata-sync reconcile';
/** Asked of the stack for the function concurrency (the local stack reads it, as `--concurrency` does). */
export const CONCURRENCY_ENV = 'IMGPIPE_FUNCTION_CONCURRENCY';

export interface StackInfo {
  readonly endpoint: string;
  readonly table: string;
  readonly sourceBucket: string;
  /** The environment the stack gives each function's workers (functionEnvironment + the local endpoint). */
  readonly env: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** CPU seconds used so far by the stack's own process and by its workers (null where /proc is absent). */
export interface StackCpu {
  readonly stack: number;
  readonly workers: number;
}

export interface RunningStack {
  readonly info: StackInfo;
  /** Highest `inFlight` seen per function since start (sampled from the metrics API). */
  readonly maxInFlight: () => Readonly<Record<string, number>>;
  /** CPU used since start, stack and workers apart; null when it cannot be read. */
  readonly cpu: () => StackCpu | null;
  stop(): Promise<void>;
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

/** user + system CPU seconds of a process from `/proc/<pid>/stat` (clock ticks of 1/100 s on Linux). */
function procCpu(pid: number): number | null {
  try {
    const fields = (readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1] ?? '').split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

function childrenOf(pid: number): number[] {
  try {
    const text = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    return text ? text.split(/\s+/).map(Number) : [];
  } catch {
    return [];
  }
}

/** Starts the stack; rejects with the reason (not built, exited, not healthy in time). */
export async function startStack(
  dataDir: string,
  concurrency: number,
  timeoutMs = 90_000,
): Promise<RunningStack> {
  const stack = await spawnLocalStack({
    dataDir,
    env: { [CONCURRENCY_ENV]: String(concurrency) },
    readyTimeoutMs: timeoutMs,
  });
  const endpoint = stack.url;
  const names = definePipeline().names;
  const peaks: Record<string, number> = {};
  // Highest CPU seen per worker pid, so a worker that exits keeps what it used.
  const workerCpu = new Map<number, number>();
  const stackCpuAtStart = procCpu(stack.pid);
  const sampleWorkers = (): void => {
    for (const pid of childrenOf(stack.pid)) {
      const used = procCpu(pid);
      if (used !== null) workerCpu.set(pid, Math.max(used, workerCpu.get(pid) ?? 0));
    }
  };
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
      sampleWorkers();
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
    cpu: () => {
      const own = procCpu(stack.pid);
      if (own === null || stackCpuAtStart === null) return null;
      sampleWorkers();
      return { stack: own, workers: [...workerCpu.values()].reduce((a, b) => a + b, 0) };
    },
    stop: async () => {
      sampling = false;
      await sampler;
      await stack.stop();
    },
  };
}
