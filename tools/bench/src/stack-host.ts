/**
 * Runs the built local stack (`apps/local-stack/dist/main.mjs`, its `npm start` entry) as a child
 * process through the engine's testing export (`spawnLocalStack`: free port, fresh data directory,
 * waits for `/_imgpipe/health` and parses it with the contracts' `HealthSchema`; tools may not import
 * apps). Samples `/_imgpipe/api/metrics` (parsed with `MetricsSchema`) while the
 * load runs (to report the concurrency the stack really used) and, on Linux, the CPU time of the stack
 * process and of its function workers (its child processes) from `/proc`.
 */
import { readFileSync } from 'node:fs';
import { type Metrics, MetricsSchema } from '@imgpipe/contracts';
import { workerEnvironment } from '@imgpipe/local-aws';
import { spawnLocalStack } from '@imgpipe/local-aws/testing';
import { definePipeline, FUNCTION_NAMES } from '@imgpipe/pipeline';
import { bundlePath } from './coldstart';

export const BUILD_STACK = 'npx nx run-many -t build -p local-stack resize metadata-sync reconcile';
/** Asked of the stack for the function concurrency (the local stack reads it, as `--concurrency` does). */
export const CONCURRENCY_ENV = 'IMGPIPE_FUNCTION_CONCURRENCY';

export interface StackInfo {
  readonly endpoint: string;
  readonly table: string;
  readonly sourceBucket: string;
  /** The environment the stack gives each function's workers (the engine's own `workerEnvironment`). */
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

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * How often the metrics are sampled. Each sample is a 60 KB answer (every function's 15-minute series)
 * that the stack builds and this process parses with the contract's schema, about 1.5 CPU ms on the two
 * cores being measured; a burst keeps its functions at their concurrency for seconds, so a sample every
 * half second still sees the peak.
 */
const SAMPLE_MS = 500;

/** The stack's metrics (`GET /_imgpipe/api/metrics`, parsed with the contract's schema); null when it does not answer. */
async function readMetrics(endpoint: string): Promise<Metrics | null> {
  let body: unknown;
  try {
    const res = await fetch(`${endpoint}/_imgpipe/api/metrics`, { signal: AbortSignal.timeout(5_000) });
    if (!res.ok) return null;
    body = await res.json();
  } catch {
    return null; // a sample the stack is too busy to answer is skipped
  }
  const metrics = MetricsSchema.safeParse(body);
  // An answer the contract refuses is a stale build or a bug, not a busy stack: say so.
  if (!metrics.success)
    throw new Error(`/_imgpipe/api/metrics refused by MetricsSchema: ${metrics.error.issues[0]?.message}`);
  return metrics.data;
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
  const pipeline = definePipeline();
  const names = pipeline.names;
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
      const metrics = await readMetrics(endpoint);
      for (const fn of FUNCTION_NAMES) {
        const inFlight = metrics?.functions[fn]?.inFlight;
        if (inFlight !== undefined) peaks[fn] = Math.max(peaks[fn] ?? 0, inFlight);
      }
      sampleWorkers();
      await sleep(SAMPLE_MS);
    }
  })();
  return {
    info: {
      endpoint,
      table: names.table,
      sourceBucket: names.sourceBucket,
      env: Object.fromEntries(
        FUNCTION_NAMES.map((fn) => [
          fn,
          workerEnvironment(pipeline, pipeline.functions[fn], bundlePath(fn), endpoint),
        ]),
      ),
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
