import { randomUUID } from 'node:crypto';
import type { HttpFunctionName } from '@imgpipe/pipeline';
import type { InvocationError } from '../runtime/types';
import { Worker } from '../runtime/worker';

/** How one HTTP function runs locally (from `pipeline.httpFunctions`). */
export interface FunctionPoolOptions {
  readonly name: HttpFunctionName;
  readonly bundle: string;
  readonly runner: string;
  readonly env: Readonly<Record<string, string>>;
  readonly memoryMb: number;
  /** Reserved concurrency: at most this many invocations run at once; more wait for a slot. */
  readonly concurrency: number;
  readonly timeoutMs: number;
  readonly idleMs?: number;
  readonly onLog?: (line: string) => void;
}

/** The outcome of one synchronous invocation. */
export type PoolOutcome =
  | { readonly ok: true; readonly value: unknown; readonly durationMs: number; readonly coldStart: boolean }
  | {
      readonly ok: false;
      readonly error: InvocationError;
      readonly durationMs: number;
      readonly coldStart: boolean;
    };

/**
 * Lambda's synchronous (RequestResponse) invocation for the HTTP functions (`api`, `render`): no queue, no
 * retries, no dead-letter queue — the caller (API Gateway, the CDN) gets the error. Workers are the same
 * processes the event functions run in (cold then warm starts, a timeout that ends the process).
 */
export class FunctionPool {
  private readonly idle: Worker[] = [];
  private readonly all = new Set<Worker>();
  private readonly waiters: (() => void)[] = [];
  private inFlight = 0;
  private stopped = false;
  private readonly reaper: NodeJS.Timeout;

  constructor(private readonly options: FunctionPoolOptions) {
    this.reaper = setInterval(() => this.reapIdle(), 5_000);
    this.reaper.unref();
  }

  get name(): HttpFunctionName {
    return this.options.name;
  }

  /** Runs one invocation and resolves with its outcome; never rejects. */
  async invoke(event: unknown): Promise<PoolOutcome> {
    while (this.inFlight >= this.options.concurrency) {
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
    const { worker, coldStart } = this.acquire();
    worker.busy = true;
    let started = performance.now();
    let outcome: PoolOutcome;
    try {
      if (coldStart) {
        await worker.ready;
        started = performance.now();
      }
      const result = await worker.invoke(randomUUID(), event, this.options.timeoutMs);
      const durationMs = performance.now() - started;
      outcome = result.ok
        ? { ok: true, value: result.value, durationMs, coldStart }
        : { ok: false, error: result.error, durationMs, coldStart };
    } catch (error: unknown) {
      worker.kill();
      const e = error as Partial<InvocationError>;
      outcome = {
        ok: false,
        error: { type: e.type ?? 'Runtime.Unknown', message: e.message ?? String(error) },
        durationMs: performance.now() - started,
        coldStart,
      };
    }
    worker.busy = false;
    this.inFlight -= 1;
    if (!worker.dead) {
      worker.idleSince = Date.now();
      this.idle.push(worker);
    }
    this.waiters.shift()?.();
    return outcome;
  }

  private acquire(): { worker: Worker; coldStart: boolean } {
    while (this.idle.length > 0) {
      const worker = this.idle.pop() as Worker;
      if (!worker.dead) return { worker, coldStart: false };
    }
    const worker = new Worker({
      runner: this.options.runner,
      bundle: this.options.bundle,
      env: this.options.env,
      functionName: this.options.name,
      memoryMb: this.options.memoryMb,
      ...(this.options.onLog ? { onLog: this.options.onLog } : {}),
    });
    this.all.add(worker);
    worker.process.on('exit', () => this.all.delete(worker));
    return { worker, coldStart: true };
  }

  private reapIdle(): void {
    const idleMs = this.options.idleMs ?? 10 * 60_000;
    for (const worker of [...this.idle]) {
      if (Date.now() - worker.idleSince > idleMs) {
        worker.kill();
        this.idle.splice(this.idle.indexOf(worker), 1);
      }
    }
  }

  /** Ends every worker (in-flight requests answer with the worker's exit). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.reaper);
    for (const wake of this.waiters.splice(0)) wake();
    const exits = [...this.all].map(
      (w) =>
        new Promise<void>((resolve) =>
          w.process.exitCode !== null || w.process.signalCode !== null
            ? resolve()
            : w.process.once('exit', () => resolve()),
        ),
    );
    for (const worker of this.all) worker.kill();
    await Promise.race([Promise.all(exits), new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
  }
}
