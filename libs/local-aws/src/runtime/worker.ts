import { type ChildProcess, fork } from 'node:child_process';
import type { InvokeMessage, WorkerMessage } from './protocol';
import type { InvocationError } from './types';

/** What a worker answers for one invocation. */
export type WorkerResult =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: InvocationError };

export interface WorkerOptions {
  readonly runner: string;
  readonly bundle: string;
  readonly env: Readonly<Record<string, string>>;
  readonly functionName: string;
  readonly memoryMb: number;
  /** Where the worker's stdout and stderr go (its CloudWatch log stream), chunk by chunk as written. */
  readonly log?: { write(chunk: Buffer): unknown };
}

/**
 * One worker process: a Lambda execution environment. The first invocation pays the init (import of
 * the bundle); later ones are warm. A timeout or a crash ends the process, as on Lambda.
 */
export class Worker {
  readonly process: ChildProcess;
  /** Resolves with the init duration once the bundle is imported; rejects when the import fails. */
  readonly ready: Promise<number>;
  busy = false;
  dead = false;
  idleSince = Date.now();
  /** The bundle's export names, once it is loaded. */
  exports: readonly string[] = [];
  private pending: { id: string; resolve: (r: WorkerResult) => void } | undefined;

  constructor(private readonly options: WorkerOptions) {
    this.process = fork(options.runner, [options.bundle], {
      env: { ...options.env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    // Chunks as the worker wrote them, not line by line: one write per chunk instead of a decode, a
    // split and a write per line (the functions log several lines per invocation).
    const { log } = options;
    if (log) {
      const forward = (chunk: Buffer): unknown => log.write(chunk);
      this.process.stdout?.on('data', forward);
      this.process.stderr?.on('data', forward);
    } else {
      this.process.stdout?.resume();
      this.process.stderr?.resume();
    }
    this.ready = new Promise<number>((resolve, reject) => {
      this.process.on('message', (raw) => {
        const message = raw as WorkerMessage;
        if (message.type === 'ready') {
          this.exports = message.exports;
          resolve(message.initMs);
        } else if (message.type === 'init-error') reject(message.error);
        else if (message.type === 'result' && this.pending && this.pending.id === message.id) {
          const done = this.pending.resolve;
          this.pending = undefined;
          done(message.ok ? { ok: true, value: message.value } : { ok: false, error: message.error });
        }
      });
      this.process.on('exit', (code, signal) => {
        this.dead = true;
        const error: InvocationError = {
          type: 'Runtime.ExitError',
          message: `Runtime exited with error: ${signal ? `signal: ${signal}` : `exit status ${String(code)}`}`,
        };
        reject(error);
        if (this.pending) {
          const { resolve: done } = this.pending;
          this.pending = undefined;
          done({ ok: false, error });
        }
      });
    });
    // Avoid an unhandled rejection when nobody awaits a worker that dies idle.
    this.ready.catch(() => undefined);
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  /** Runs one invocation; resolves with its result, never rejects. */
  invoke(id: string, event: unknown, timeoutMs: number): Promise<WorkerResult> {
    return new Promise<WorkerResult>((resolve) => {
      const timer = setTimeout(() => {
        this.pending = undefined;
        this.kill();
        resolve({
          ok: false,
          error: {
            type: 'Sandbox.Timedout',
            message: `Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`,
          },
        });
      }, timeoutMs);
      this.pending = {
        id,
        resolve: (result) => {
          clearTimeout(timer);
          resolve(result);
        },
      };
      if (this.dead) {
        this.pending.resolve({
          ok: false,
          error: { type: 'Runtime.ExitError', message: 'Runtime exited before the invocation' },
        });
        return;
      }
      const message: InvokeMessage = {
        type: 'invoke',
        id,
        event,
        deadline: Date.now() + timeoutMs,
        functionName: this.options.functionName,
        memoryMb: this.options.memoryMb,
      };
      this.process.send(message);
    });
  }

  kill(): void {
    if (!this.dead) this.process.kill('SIGKILL');
    this.dead = true;
  }
}
