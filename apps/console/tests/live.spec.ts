import { parseEventData, startLive, type LiveEvent, type LiveMode } from '../src/lib/live';

/** A minimal stand-in for the browser's EventSource: the test drives open, error and messages. */
class ScriptedEventSource {
  static instances: ScriptedEventSource[] = [];
  readyState = 0;
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  closed = false;
  private listeners = new Map<string, ((e: { data: string }) => void)[]>();
  constructor(readonly url: string) {
    ScriptedEventSource.instances.push(this);
  }
  addEventListener(type: string, fn: (e: { data: string }) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]);
  }
  close(): void {
    this.closed = true;
    this.readyState = 2;
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.();
  }
  fail(readyState: number): void {
    this.readyState = readyState;
    this.onerror?.();
  }
  emit(type: string, data: string): void {
    for (const fn of this.listeners.get(type) ?? []) fn({ data });
  }
}

function start(): { events: LiveEvent[]; modes: LiveMode[]; polls: () => number; stop: () => void } {
  const events: LiveEvent[] = [];
  const modes: LiveMode[] = [];
  let polls = 0;
  const stop = startLive({
    url: '/_imgpipe/api/stream',
    onEvent: (e) => events.push(e),
    onPoll: () => {
      polls += 1;
    },
    onMode: (m) => modes.push(m),
    pollIntervalMs: 1000,
    retryStreamMs: 10_000,
    EventSourceImpl: ScriptedEventSource as unknown as typeof EventSource,
  });
  return { events, modes, polls: () => polls, stop };
}

describe('startLive', () => {
  beforeEach(() => {
    jest.useFakeTimers();
    ScriptedEventSource.instances = [];
  });
  afterEach(() => jest.useRealTimers());

  it('delivers row, invocation and dlq events with their JSON payloads once the stream is open', () => {
    const live = start();
    const es = ScriptedEventSource.instances[0];
    es?.open();
    const row = { objectKey: 'a.jpg', status: 'ready', updatedAt: '2024-01-01T00:00:00.000Z' };
    es?.emit('row', JSON.stringify(row));
    es?.emit('invocation', 'not json');
    // Not the contract's row (no updatedAt): delivered without a payload (the contract tests keep the server from sending one).
    es?.emit('row', '{"objectKey":"b.jpg","status":"ready"}');

    expect(live.modes).toEqual(['connecting', 'live']);
    expect(live.events).toEqual([
      { type: 'row', data: row },
      { type: 'invocation', data: undefined },
      { type: 'row', data: undefined },
    ]);
    expect(live.polls()).toBe(1); // one catch-up refresh on open
    live.stop();
    expect(es?.closed).toBe(true);
  });

  it('falls back to polling when the server refuses the stream, and tries the stream again later', () => {
    const live = start();
    ScriptedEventSource.instances[0]?.fail(2);
    jest.advanceTimersByTime(3000);

    expect(live.modes).toEqual(['connecting', 'polling']);
    expect(live.polls()).toBe(3);

    jest.advanceTimersByTime(7000);
    expect(ScriptedEventSource.instances).toHaveLength(2);
    ScriptedEventSource.instances[1]?.open();
    const pollsWhenLive = live.polls();
    jest.advanceTimersByTime(5000);
    expect(live.polls()).toBe(pollsWhenLive);
    expect(live.modes.at(-1)).toBe('live');
    live.stop();
  });

  it('says polling again when a retried stream is refused again, and keeps one polling timer', () => {
    const live = start();
    ScriptedEventSource.instances[0]?.fail(2);
    jest.advanceTimersByTime(10_000);
    ScriptedEventSource.instances[1]?.fail(2);
    jest.advanceTimersByTime(1000);

    expect(live.modes).toEqual(['connecting', 'polling', 'connecting', 'polling']);
    expect(live.polls()).toBe(11);
    live.stop();
  });

  it('polls while the browser reconnects a dropped stream by itself', () => {
    const live = start();
    const es = ScriptedEventSource.instances[0];
    es?.open();
    es?.fail(0);
    jest.advanceTimersByTime(2000);
    expect(live.polls()).toBe(3);
    expect(ScriptedEventSource.instances).toHaveLength(1);
    live.stop();
  });
});

describe('parseEventData', () => {
  it('parses JSON and keeps anything else as undefined', () => {
    expect(parseEventData('{"a":1}')).toEqual({ a: 1 });
    expect(parseEventData('')).toBeUndefined();
    expect(parseEventData('{')).toBeUndefined();
    expect(parseEventData(undefined)).toBeUndefined();
  });
});
