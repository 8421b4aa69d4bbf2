import { StackPhaseError, type StackPhaseName } from '../errors';

/** Undoes what a phase's start did. */
export type PhaseStop = () => void | Promise<void>;

/** What a phase's start hands on: the part it made, and how to stop it (nothing to stop when absent). */
export interface PhaseStart<T> {
  readonly value: T;
  readonly stop?: PhaseStop;
}

/** What the runner did, in order: tests and logs follow the phases through it. */
export interface PhaseEvent {
  readonly phase: StackPhaseName;
  readonly step: 'started' | 'stopped' | 'start failed' | 'stop failed';
}

/**
 * Runs the stack's phases one after another and stops them in reverse. A phase that fails to start
 * stops the phases already started (in reverse) and throws a `StackPhaseError` (`START_FAILED`) naming
 * it. Stopping runs every stop even when one fails, then throws the first failure (`STOP_FAILED`).
 * @example
 * const phases = new PhaseRunner();
 * const store = await phases.run('emulators', async () => ({ value: await open(), stop: () => close() }));
 * await phases.stop();
 */
export class PhaseRunner {
  private readonly started: { readonly phase: StackPhaseName; readonly stop?: PhaseStop }[] = [];
  private stopping: Promise<void> | undefined;

  constructor(private readonly onEvent: (event: PhaseEvent) => void = () => undefined) {}

  /** Starts one phase and returns its part; on failure, stops the started phases first. */
  async run<T>(phase: StackPhaseName, start: () => PhaseStart<T> | Promise<PhaseStart<T>>): Promise<T> {
    if (this.stopping) throw new StackPhaseError('START_FAILED', phase, new Error('the stack is stopping'));
    let started: PhaseStart<T>;
    try {
      started = await start();
    } catch (error: unknown) {
      this.onEvent({ phase, step: 'start failed' });
      // The start's own failure is the one to report; a failing stop on the way out is only logged.
      await this.stop().catch(() => undefined);
      throw new StackPhaseError('START_FAILED', phase, error);
    }
    this.started.push({ phase, ...(started.stop ? { stop: started.stop } : {}) });
    this.onEvent({ phase, step: 'started' });
    return started.value;
  }

  /** The started phases, in start order. */
  phases(): StackPhaseName[] {
    return this.started.map((s) => s.phase);
  }

  /** Stops every started phase in reverse order, once (later calls share the first). */
  stop(): Promise<void> {
    this.stopping ??= this.stopAll();
    return this.stopping;
  }

  private async stopAll(): Promise<void> {
    let failure: StackPhaseError | undefined;
    for (const { phase, stop } of [...this.started].reverse()) {
      try {
        await stop?.();
        this.onEvent({ phase, step: 'stopped' });
      } catch (error: unknown) {
        this.onEvent({ phase, step: 'stop failed' });
        failure ??= new StackPhaseError('STOP_FAILED', phase, error);
      }
    }
    if (failure) throw failure;
  }
}
