import { join } from 'node:path';
import { decodeS3Key } from '@imgpipe/core';
import { FUNCTION_NAMES, type FunctionName } from '@imgpipe/pipeline';
import type { ImageReader } from '../edge/console-api/images';
import type { EventStream } from '../edge/console-api/stream';
import { openFunctionLogs } from '../data-dir';
import { workerEnvironment } from '../function-env';
import type { FunctionMetricsSnapshot } from '../metrics';
import type { ResolvedOptions } from '../options';
import type { DurableDir } from '../runtime/durable-dir';
import { FunctionRuntime, type InvocationReport } from '../runtime/function-runtime';
import type { DlqEntry, InvocationOutcome } from '../runtime/types';
import { localSizing } from '../runtime/worker-pool';

/** What the event functions need from the phases before them. */
export interface EventFunctionsDeps {
  readonly runner: string;
  readonly dlq: DurableDir<DlqEntry>;
  readonly stream: EventStream;
  readonly images: ImageReader;
}

/** The event functions (`resize`, `metadata-sync`, `reconcile`): one asynchronous runtime each, and their DLQ. */
export interface EventFunctions {
  runtime(fn: FunctionName): FunctionRuntime;
  environment(fn: FunctionName): Readonly<Record<string, string>>;
  /** Durably queues an asynchronous invocation (the event bus and the scheduler deliver through it). */
  enqueue(fn: FunctionName, event: unknown): void;
  /** A synchronous invocation (as the API's "reconcile now" does). */
  invoke(fn: FunctionName, event: unknown): Promise<InvocationOutcome>;
  dlq(): DlqEntry[];
  /** Re-enqueues DLQ entries (all, or those ids) and removes them from the DLQ; returns how many. */
  redrive(ids?: readonly string[]): number;
  snapshots(): Record<FunctionName, FunctionMetricsSnapshot>;
  /** Changes whenever any function's metrics change (the terminal summary prints only then). */
  metricsVersion(): string;
  /** Once the edge listens: the workers' environment names it. */
  pointAt(endpoint: string): void;
  start(): void;
  /** Stops dispatching; in-flight work gets `graceMs`; queued work stays on disk for the next start. */
  stop(graceMs: number): Promise<void>;
  /** Ends the workers and closes the function logs (after `stop`, or when the stack never started them). */
  close(): Promise<void>;
}

/** The invocation as the console's event stream tells it; the row it touched follows when it can be read. */
function observer(stream: EventStream, images: ImageReader, onInvocation: ResolvedOptions['onInvocation']) {
  return (report: InvocationReport): void => {
    onInvocation(report);
    stream.emit('invocation', {
      function: report.function,
      id: report.id,
      attempt: report.attempt,
      ok: report.ok,
      durationMs: Math.round(report.durationMs),
      coldStart: report.coldStart,
      ...(report.initMs === undefined ? {} : { initMs: Math.round(report.initMs) }),
      ...(report.error ? { error: report.error } : {}),
    });
    const key = (report.event as { detail?: { object?: { key?: string } } } | undefined)?.detail?.object?.key;
    // The row lookup is for the console's stream only: without a client it would be a DynamoDB read
    // per invocation on the edge's event loop for nothing.
    if (key === undefined || !stream.listening) return;
    // A malformed key (a hand-made event) makes the lookup fail like a missing row: nothing to show.
    void Promise.resolve()
      .then(() => images.get(decodeS3Key(key)))
      .then(
        (row) => row && stream.emit('row', row),
        () => undefined,
      );
  };
}

/**
 * Builds one `FunctionRuntime` per event function from the definition (nothing runs until `start`);
 * each function's output goes to `logs/<name>.log`, as CloudWatch would hold it.
 */
export function createEventFunctions(opts: ResolvedOptions, deps: EventFunctionsDeps): EventFunctions {
  const { pipeline, dataDir, log } = opts;
  const logs = openFunctionLogs(dataDir, FUNCTION_NAMES);
  const envs = Object.fromEntries(FUNCTION_NAMES.map((n) => [n, {}])) as Record<
    FunctionName,
    Record<string, string>
  >;
  const onInvocation = observer(deps.stream, deps.images, opts.onInvocation);
  const runtimes = Object.fromEntries(
    FUNCTION_NAMES.map((name) => {
      const spec = pipeline.functions[name];
      const runtime = new FunctionRuntime({
        name,
        bundle: opts.bundles[name],
        runner: deps.runner,
        env: envs[name],
        ...localSizing(spec, opts.concurrency),
        maximumRetryAttempts: spec.maximumRetryAttempts,
        maximumEventAgeMs: spec.maximumEventAgeSeconds * 1000,
        retryDelayMs: (attempt) => attempt * 60_000 * opts.retryDelayScale,
        queueDir: join(dataDir, 'queue', name),
        dlq: deps.dlq,
        idleMs: opts.idleWorkerMs,
        onInvocation,
        onDlq: (entry) => {
          deps.stream.emit('dlq', entry);
          log(
            `dlq: ${entry.function} gave up on an event after ${entry.attempts} attempt(s): ${entry.error.type}: ${entry.error.message}`,
          );
        },
        log: logs[name],
      });
      return [name, runtime];
    }),
  ) as Record<FunctionName, FunctionRuntime>;

  const dlq = (): DlqEntry[] => deps.dlq.list().sort((a, b) => a.failedAt.localeCompare(b.failedAt));
  return {
    runtime: (fn) => runtimes[fn],
    environment: (fn) => ({ ...envs[fn] }),
    enqueue: (fn, event) => void runtimes[fn].enqueue(event),
    invoke: (fn, event) => runtimes[fn].invokeSync(event),
    dlq,
    redrive(ids) {
      const chosen = dlq().filter((entry) => !ids || ids.includes(entry.id));
      for (const entry of chosen) {
        runtimes[entry.function].redrive(entry);
        deps.dlq.remove(entry.id);
      }
      return chosen.length;
    },
    snapshots: () =>
      Object.fromEntries(
        FUNCTION_NAMES.map((n) => [n, runtimes[n].metrics.snapshot(runtimes[n].depth)]),
      ) as Record<FunctionName, FunctionMetricsSnapshot>,
    metricsVersion: () => FUNCTION_NAMES.map((n) => runtimes[n].metrics.version).join(','),
    pointAt(endpoint) {
      for (const name of FUNCTION_NAMES)
        Object.assign(
          envs[name],
          workerEnvironment(pipeline, pipeline.functions[name], opts.bundles[name], endpoint),
        );
    },
    start() {
      for (const name of FUNCTION_NAMES) runtimes[name].start();
    },
    async stop(graceMs) {
      await Promise.all(FUNCTION_NAMES.map((n) => runtimes[n].stop(graceMs)));
    },
    async close() {
      await Promise.all(FUNCTION_NAMES.map((n) => runtimes[n].stop(0)));
      for (const stream of Object.values(logs)) stream.end();
    },
  };
}
