import { randomUUID } from 'node:crypto';
import type { HttpFunctionName } from '@imgpipe/pipeline';
import { FunctionMetrics, type FunctionMetricsSnapshot } from '../metrics';
import type { InvocationOutcome } from '../runtime/types';
import { WorkerPool, type WorkerPoolOptions } from '../runtime/worker-pool';

/** How one HTTP function runs locally (from `pipeline.httpFunctions`). */
export interface FunctionPoolOptions extends WorkerPoolOptions {
  readonly name: HttpFunctionName;
  /** Reserved concurrency: at most this many invocations run at once; more wait for a slot. */
  readonly concurrency: number;
  readonly timeoutMs: number;
}

/** The outcome of one synchronous invocation. */
export type PoolOutcome = InvocationOutcome;

/**
 * Lambda's synchronous (RequestResponse) invocation for the HTTP functions (`api`, `render`): no queue, no
 * retries, no dead-letter queue — the caller (API Gateway, the CDN) gets the error. At most `concurrency`
 * run at once and the rest wait; the workers are the same `WorkerPool` the event functions run in.
 */
export class FunctionPool {
  /** Invocations, errors, durations and cold starts, as `GET /_imgpipe/api/metrics` shows them. */
  readonly metrics = new FunctionMetrics('http');
  private readonly pool: WorkerPool;
  private readonly waiters: (() => void)[] = [];
  private inFlight = 0;
  private stopped = false;

  constructor(private readonly options: FunctionPoolOptions) {
    this.pool = new WorkerPool(options);
  }

  get name(): HttpFunctionName {
    return this.options.name;
  }

  /** Runs one invocation and resolves with its outcome; never rejects. */
  async invoke(event: unknown): Promise<PoolOutcome> {
    while (this.inFlight >= this.options.concurrency && !this.stopped) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    if (this.stopped) {
      return {
        ok: false,
        error: { type: 'Runtime.ExitError', message: 'The stack is stopping' },
        durationMs: 0,
        coldStart: false,
      };
    }
    this.inFlight += 1;
    this.metrics.recordInFlight(this.inFlight);
    const outcome = await this.pool.run(randomUUID(), event, this.options.timeoutMs);
    this.inFlight -= 1;
    this.metrics.recordInFlight(this.inFlight);
    this.metrics.recordInvocation(outcome.durationMs, outcome.ok, outcome.coldStart, outcome.initMs);
    this.waiters.shift()?.();
    return outcome;
  }

  /** The metrics now; `queued` counts requests waiting for a slot. */
  snapshot(): FunctionMetricsSnapshot {
    return this.metrics.snapshot(this.waiters.length);
  }

  /** Ends every worker (in-flight requests answer with the worker's exit). */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const wake of this.waiters.splice(0)) wake();
    await this.pool.stop();
  }
}
