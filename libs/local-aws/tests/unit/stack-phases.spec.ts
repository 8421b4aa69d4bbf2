import { LocalStackError, StackPhaseError, type StackPhaseName } from '../../src/errors';
import { type PhaseEvent, PhaseRunner } from '../../src/stack/phases';

/** A runner whose phases and stops write what they did into `trace`. */
function traced() {
  const trace: string[] = [];
  const events: PhaseEvent[] = [];
  const phases = new PhaseRunner((event) => events.push(event));
  const ok = (name: StackPhaseName) =>
    phases.run(name, () => {
      trace.push(`start ${name}`);
      return { value: name, stop: () => void trace.push(`stop ${name}`) };
    });
  return { trace, events, phases, ok };
}

describe('PhaseRunner', () => {
  it('starts phases in order, hands on each part, and stops them in reverse', async () => {
    const { trace, phases, ok } = traced();
    expect(await ok('data-dir')).toBe('data-dir');
    await ok('emulators');
    await phases.run('resources', () => ({ value: 42 })); // nothing to stop
    await ok('edge');
    expect(phases.phases()).toEqual(['data-dir', 'emulators', 'resources', 'edge']);

    await phases.stop();

    expect(trace).toEqual([
      'start data-dir',
      'start emulators',
      'start edge',
      'stop edge',
      'stop emulators',
      'stop data-dir',
    ]);
  });

  it('waits for each asynchronous stop before the next one', async () => {
    const trace: string[] = [];
    const phases = new PhaseRunner();
    await phases.run('emulators', () => ({ value: 1, stop: () => void trace.push('emulators') }));
    await phases.run('runtimes', () => ({
      value: 2,
      stop: () => new Promise<void>((resolve) => setTimeout(() => (trace.push('runtimes'), resolve()), 20)),
    }));

    await phases.stop();

    expect(trace).toEqual(['runtimes', 'emulators']);
  });

  it('stops exactly the started phases, in reverse, when one fails to start, and names it', async () => {
    const { trace, events, phases, ok } = traced();
    await ok('data-dir');
    await ok('emulators');
    await ok('functions');
    const cause = new Error('listen EADDRINUSE: address already in use 127.0.0.1:4566');

    const failed = phases.run('edge', () => {
      trace.push('start edge');
      throw cause;
    });

    await expect(failed).rejects.toBeInstanceOf(StackPhaseError);
    await expect(failed).rejects.toBeInstanceOf(LocalStackError);
    await expect(failed).rejects.toMatchObject({
      code: 'START_FAILED',
      phase: 'edge',
      cause,
      message:
        "The local stack's edge phase failed to start: listen EADDRINUSE: address already in use 127.0.0.1:4566",
    });
    expect(trace).toEqual([
      'start data-dir',
      'start emulators',
      'start functions',
      'start edge',
      'stop functions',
      'stop emulators',
      'stop data-dir',
    ]);
    expect(events).toEqual([
      { phase: 'data-dir', step: 'started' },
      { phase: 'emulators', step: 'started' },
      { phase: 'functions', step: 'started' },
      { phase: 'edge', step: 'start failed' },
      { phase: 'functions', step: 'stopped' },
      { phase: 'emulators', step: 'stopped' },
      { phase: 'data-dir', step: 'stopped' },
    ]);
  });

  it('reports an asynchronous start failure the same way', async () => {
    const { trace, phases, ok } = traced();
    await ok('data-dir');

    const failed = phases.run('emulators', () => Promise.reject(new Error('dynalite did not start')));

    await expect(failed).rejects.toMatchObject({ code: 'START_FAILED', phase: 'emulators' });
    expect(trace).toEqual(['start data-dir', 'stop data-dir']);
  });

  it('runs every stop even when one fails, then reports the first failure with its phase', async () => {
    const { trace, phases, ok } = traced();
    await ok('data-dir');
    await phases.run('emulators', () => ({
      value: 1,
      stop: () => Promise.reject(new Error('dynalite would not close')),
    }));
    await ok('edge');

    const stopped = phases.stop();

    await expect(stopped).rejects.toMatchObject({
      code: 'STOP_FAILED',
      phase: 'emulators',
      message: "The local stack's emulators phase failed to stop: dynalite would not close",
    });
    expect(trace).toEqual(['start data-dir', 'start edge', 'stop edge', 'stop data-dir']);
  });

  it('stops once however often stop is called, and starts nothing after', async () => {
    const { trace, phases, ok } = traced();
    await ok('data-dir');

    await Promise.all([phases.stop(), phases.stop()]);
    await phases.stop();

    expect(trace).toEqual(['start data-dir', 'stop data-dir']);
    await expect(ok('emulators')).rejects.toMatchObject({ code: 'START_FAILED', phase: 'emulators' });
    expect(trace).toEqual(['start data-dir', 'stop data-dir']);
  });
});
