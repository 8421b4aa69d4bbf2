import type { BaseFunctionSpec } from '@imgpipe/pipeline';
import type { InvocationError, InvocationOutcome } from './types';
import { Worker, type WorkerOptions } from './worker';

/** The processes of one function: its bundle, environment and memory. */
export interface WorkerPoolOptions {
  readonly name: string;
  readonly bundle: string;
  readonly runner: string;
  readonly env: Readonly<Record<string, string>>;
  readonly memoryMb: number;
  /** Idle workers are stopped after this long (the next invocation is cold again). */
  readonly idleMs?: number;
  /** Where the workers' output goes (see `WorkerOptions.log`). */
  readonly log?: WorkerOptions['log'];
}

/** A function's size as it runs locally: a worker's memory, how many run at once, its timeout. */
export interface LocalSizing {
  readonly memoryMb: number;
  readonly concurrency: number;
  readonly timeoutMs: number;
}

/**
 * The definition's sizing of a function, with its reserved concurrency capped by the stack's
 * per-function `concurrency` (the event functions and the HTTP ones alike).
 */
export function localSizing(spec: BaseFunctionSpec, concurrency: number): LocalSizing {
  return {
    memoryMb: spec.memoryMb,
    concurrency: Math.min(spec.reservedConcurrency, concurrency),
    timeoutMs: spec.timeoutSeconds * 1000,
  };
}

/**
 * Lambda's execution environments for one function: a warm worker process is reused, a new one starts
 * cold (its init time is the fork plus the bundle's import), a timeout or crash ends the process, and
 * idle processes are reaped. Admission (concurrency, throttles, queues, retries) is the caller's: the
 * asynchronous invoker (`FunctionRuntime`) and the synchronous one (`FunctionPool`) share this pool.
 */
export class WorkerPool {
  private readonly idle: Worker[] = [];
  private readonly all = new Set<Worker>();
  private readonly reaper: NodeJS.Timeout;

  constructor(private readonly options: WorkerPoolOptions) {
    this.reaper = setInterval(() => this.reapIdle(), 5_000);
    this.reaper.unref();
  }

  /** The worker processes, for tests that kill one mid-job. */
  workers(): { pid: number | undefined; busy: boolean }[] {
    return [...this.all].filter((w) => !w.dead).map((w) => ({ pid: w.pid, busy: w.busy }));
  }

  /** Runs one invocation in a warm worker, or a new one; never rejects. */
  async run(id: string, event: unknown, timeoutMs: number): Promise<InvocationOutcome> {
    let started = performance.now();
    const { worker, coldStart } = this.acquire();
    worker.busy = true;
    let initMs: number | undefined;
    let outcome: InvocationOutcome;
    try {
      if (coldStart) {
        // Init duration: from the fork to the bundle being imported (process start included, as users feel it).
        await worker.ready;
        initMs = performance.now() - started;
        started = performance.now();
      }
      const result = await worker.invoke(id, event, timeoutMs);
      const timing = {
        durationMs: performance.now() - started,
        coldStart,
        ...(initMs === undefined ? {} : { initMs }),
      };
      outcome = result.ok
        ? { ok: true, value: result.value, ...timing }
        : { ok: false, error: result.error, ...timing };
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
    if (!worker.dead) {
      worker.idleSince = Date.now();
      this.idle.push(worker);
    }
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
      ...(this.options.log ? { log: this.options.log } : {}),
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

  /** Ends every worker (an invocation still running answers with its worker's exit). */
  async stop(): Promise<void> {
    clearInterval(this.reaper);
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
