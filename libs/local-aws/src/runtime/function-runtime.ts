import { randomUUID } from 'node:crypto';
import type { FunctionName } from '@imgpipe/pipeline';
import { FunctionMetrics } from '../metrics';
import type { DurableDir } from './durable-dir';
import { QueueJournal } from './queue-journal';
import type { DlqEntry, InvocationError, InvocationOutcome, QueuedInvocation } from './types';
import { WorkerPool, type WorkerPoolOptions } from './worker-pool';

/** How one function runs locally (from the pipeline definition, with test overrides). */
export interface FunctionRuntimeOptions extends WorkerPoolOptions {
  readonly name: FunctionName;
  readonly concurrency: number;
  readonly timeoutMs: number;
  readonly maximumRetryAttempts: number;
  readonly maximumEventAgeMs: number;
  /** Delay before retry n (1-based); AWS waits about 1 then 2 minutes, scaled down locally. */
  readonly retryDelayMs: (attempt: number) => number;
  readonly queueDir: string;
  readonly dlq: DurableDir<DlqEntry>;
  readonly onInvocation?: (info: InvocationReport) => void;
  readonly onDlq?: (entry: DlqEntry) => void;
}

/** What happened in one attempt, for the stream and the terminal. */
export interface InvocationReport {
  readonly function: FunctionName;
  readonly id: string;
  readonly attempt: number;
  readonly ok: boolean;
  readonly durationMs: number;
  readonly coldStart: boolean;
  readonly initMs?: number;
  readonly error?: InvocationError;
  readonly event: unknown;
  readonly value?: unknown;
}

/**
 * Lambda's asynchronous invocation semantics for one function: a durable queue, a concurrency limit
 * (waiting counts as a throttle), retries with backoff, a maximum event age, and a dead-letter queue on
 * disk. The worker processes (cold and warm starts, timeouts) are a `WorkerPool`.
 */
export class FunctionRuntime {
  readonly metrics = new FunctionMetrics();
  private readonly queue: QueueJournal<QueuedInvocation>;
  private pendingEntries: QueuedInvocation[];
  private readonly inFlight = new Set<string>();
  /** Invocations executing now: the concurrency limit admits against this, metrics only observe it. */
  private running = 0;
  private readonly throttled = new Set<string>();
  private readonly pool: WorkerPool;
  private readonly syncWaiters: (() => void)[] = [];
  private timer: NodeJS.Timeout | undefined;
  private stopping = false;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly options: FunctionRuntimeOptions) {
    this.queue = new QueueJournal<QueuedInvocation>(options.queueDir);
    this.pool = new WorkerPool(options);
    // Anything left from a previous run (including invocations cut off by a stop) runs again.
    this.pendingEntries = this.queue.list().sort((a, b) => a.notBefore - b.notBefore);
  }

  get name(): FunctionName {
    return this.options.name;
  }

  /** Starts dispatching. */
  start(): void {
    this.pump();
  }

  /** Durably queues an asynchronous invocation; returns once it is in the journal (see QueueJournal). */
  enqueue(event: unknown): QueuedInvocation {
    const entry: QueuedInvocation = {
      id: randomUUID(),
      function: this.options.name,
      event,
      enqueuedAt: new Date().toISOString(),
      attempts: 0,
      notBefore: Date.now(),
    };
    this.queue.put(entry.id, entry);
    this.pendingEntries.push(entry);
    queueMicrotask(() => this.pump());
    return entry;
  }

  /** Queue depth (waiting, including retries not yet due). */
  get depth(): number {
    return this.pendingEntries.length + this.inFlight.size;
  }

  /** The worker processes, for tests that kill one mid-job. */
  workers(): { pid: number | undefined; busy: boolean }[] {
    return this.pool.workers();
  }

  /** A synchronous (RequestResponse) invocation: waits for a slot, no retries, no queue. */
  async invokeSync(event: unknown): Promise<InvocationOutcome> {
    while (this.running >= this.options.concurrency) {
      this.metrics.recordThrottle();
      await new Promise<void>((resolve) => this.syncWaiters.push(resolve));
    }
    const id = randomUUID();
    return this.run(id, event, 1);
  }

  private pump(): void {
    if (this.stopping) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const now = Date.now();
    const ready = this.pendingEntries.filter((e) => e.notBefore <= now && !this.inFlight.has(e.id));
    for (const entry of ready) {
      if (this.running >= this.options.concurrency || this.syncWaiters.length > 0) {
        if (!this.throttled.has(entry.id)) {
          this.throttled.add(entry.id);
          this.metrics.recordThrottle();
        }
        continue;
      }
      this.throttled.delete(entry.id);
      void this.dispatch(entry);
    }
    const next = this.pendingEntries
      .filter((e) => e.notBefore > now)
      .reduce((min, e) => Math.min(min, e.notBefore), Infinity);
    if (Number.isFinite(next)) this.timer = setTimeout(() => this.pump(), Math.max(5, next - now));
  }

  private async dispatch(entry: QueuedInvocation): Promise<void> {
    this.inFlight.add(entry.id);
    const age = Date.now() - Date.parse(entry.enqueuedAt);
    if (age > this.options.maximumEventAgeMs) {
      this.toDlq(entry, {
        type: 'EventAgeExceeded',
        message: `The event is ${Math.round(age / 1000)} s old, older than the maximum event age`,
      });
      this.pump();
      return;
    }
    const attempt = entry.attempts + 1;
    const started: QueuedInvocation = {
      ...entry,
      attempts: attempt,
      firstAttemptAt: entry.firstAttemptAt ?? new Date().toISOString(),
    };
    this.queue.put(entry.id, started);
    this.replace(started);
    const outcome = await this.run(entry.id, entry.event, attempt);
    if (this.stopping && !outcome.ok && outcome.error.type === 'Runtime.ExitError') {
      // Cut off by the stop: the entry stays in the durable queue and runs again on the next start.
      this.inFlight.delete(entry.id);
      return;
    }
    if (outcome.ok) {
      this.queue.remove(entry.id);
      this.forget(entry.id);
    } else if (
      attempt <= this.options.maximumRetryAttempts &&
      Date.now() - Date.parse(entry.enqueuedAt) < this.options.maximumEventAgeMs
    ) {
      const retry: QueuedInvocation = {
        ...started,
        notBefore: Date.now() + this.options.retryDelayMs(attempt),
        lastError: outcome.error,
      };
      this.queue.put(entry.id, retry);
      this.replace(retry);
      this.inFlight.delete(entry.id);
    } else {
      this.toDlq(started, outcome.error);
    }
    this.pump();
  }

  private toDlq(entry: QueuedInvocation, error: InvocationError): void {
    const dlqEntry: DlqEntry = {
      id: entry.id,
      function: this.options.name,
      event: entry.event,
      error,
      attempts: entry.attempts,
      firstAttemptAt: entry.firstAttemptAt ?? entry.enqueuedAt,
      failedAt: new Date().toISOString(),
    };
    // DLQ first, then the queue: a crash in between runs the event once more rather than losing it.
    this.options.dlq.put(dlqEntry.id, dlqEntry);
    this.queue.remove(entry.id);
    this.forget(entry.id);
    this.options.onDlq?.(dlqEntry);
  }

  private replace(entry: QueuedInvocation): void {
    this.pendingEntries = this.pendingEntries.map((e) => (e.id === entry.id ? entry : e));
  }

  private forget(id: string): void {
    this.pendingEntries = this.pendingEntries.filter((e) => e.id !== id);
    this.inFlight.delete(id);
    this.throttled.delete(id);
  }

  private async run(id: string, event: unknown, attempt: number): Promise<InvocationOutcome> {
    this.running += 1;
    this.metrics.recordInFlight(this.running);
    const outcome = await this.pool.run(id, event, this.options.timeoutMs);
    this.running -= 1;
    this.metrics.recordInFlight(this.running);
    this.metrics.recordInvocation(outcome.durationMs, outcome.ok, outcome.coldStart, outcome.initMs);
    this.options.onInvocation?.({
      function: this.options.name,
      id,
      attempt,
      ok: outcome.ok,
      durationMs: outcome.durationMs,
      coldStart: outcome.coldStart,
      ...(outcome.initMs === undefined ? {} : { initMs: outcome.initMs }),
      ...(outcome.ok ? { value: outcome.value } : { error: outcome.error }),
      event,
    });
    this.syncWaiters.shift()?.();
    if (this.running === 0) for (const done of this.idleWaiters.splice(0)) done();
    return outcome;
  }

  /** Re-enqueues a dead-lettered event as a fresh asynchronous invocation. */
  redrive(entry: DlqEntry): void {
    this.enqueue(entry.event);
  }

  /** Stops dispatching, lets in-flight work finish for up to `graceMs`, then ends every worker. */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.running > 0) {
      await Promise.race([
        new Promise<void>((resolve) => this.idleWaiters.push(resolve)),
        new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref()),
      ]);
    }
    await this.pool.stop();
    await this.queue.close();
  }
}
