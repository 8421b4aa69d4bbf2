import { FunctionMetrics } from '../../src/metrics';

/** A clock the test moves by hand. */
function clock(start: number) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms), set: (ms: number) => void (now = ms) };
}

const T0 = Date.UTC(2026, 10, 27, 12, 0, 0);

describe('FunctionMetrics snapshots', () => {
  it('reports percentiles and the series point of each 10-second bucket', () => {
    const time = clock(T0);
    const metrics = new FunctionMetrics('event', time.now);
    for (const ms of [10, 20, 30, 40]) metrics.recordInvocation(ms, true, false);
    time.advance(10_000);
    metrics.recordInvocation(100, false, true, 250);
    const snapshot = metrics.snapshot(3);
    expect(snapshot.durationMs).toEqual({ p50: 30, p95: 100, p99: 100 });
    expect(snapshot.initDurationMs).toEqual({ p50: 250, max: 250 });
    expect([snapshot.invocations, snapshot.errors, snapshot.coldStarts, snapshot.queued]).toEqual([
      5, 1, 1, 3,
    ]);
    expect(snapshot.series).toHaveLength(90);
    expect(snapshot.series.slice(-2)).toEqual([
      {
        start: new Date(T0).toISOString(),
        invocations: 4,
        errors: 0,
        throttles: 0,
        coldStarts: 0,
        durationMsP50: 20,
        durationMsP99: 40,
      },
      {
        start: new Date(T0 + 10_000).toISOString(),
        invocations: 1,
        errors: 1,
        throttles: 0,
        coldStarts: 1,
        durationMsP50: 100,
        durationMsP99: 100,
      },
    ]);
  });

  it('shows every change made after an earlier snapshot (current bucket, throttles, in flight, a new bucket)', () => {
    const time = clock(T0);
    const metrics = new FunctionMetrics('event', time.now);
    metrics.recordInvocation(50, true, false);
    expect(metrics.snapshot(0).series.at(-1)?.invocations).toBe(1);
    metrics.recordInvocation(70, true, false);
    metrics.recordThrottle();
    metrics.recordInFlight(2);
    const same = metrics.snapshot(1);
    expect(same.series.at(-1)).toMatchObject({
      invocations: 2,
      throttles: 1,
      durationMsP50: 50,
      durationMsP99: 70,
    });
    expect([same.durationMs.p99, same.inFlight, same.queued, same.throttles]).toEqual([70, 2, 1, 1]);
    time.advance(25_000);
    const later = metrics.snapshot(0);
    // The bucket moved three places back; a new, empty one is last.
    expect(later.series.at(-3)).toMatchObject({ invocations: 2, durationMsP99: 70 });
    expect(later.series.at(-1)).toMatchObject({ invocations: 0, durationMsP50: null });
    expect(later.series.at(-1)?.start).toBe(new Date(T0 + 20_000).toISOString());
  });

  it('recomputes a closed bucket the clock went back into', () => {
    const time = clock(T0 + 10_000);
    const metrics = new FunctionMetrics('event', time.now);
    metrics.recordInvocation(10, true, false);
    time.set(T0 + 20_000);
    expect(metrics.snapshot(0).series.at(-2)).toMatchObject({ invocations: 1, durationMsP99: 10 });
    time.set(T0 + 10_500);
    metrics.recordInvocation(90, true, false);
    time.set(T0 + 20_000);
    expect(metrics.snapshot(0).series.at(-2)).toMatchObject({ invocations: 2, durationMsP99: 90 });
  });

  it('gives callers copies: changing one snapshot does not change the next', () => {
    const metrics = new FunctionMetrics('http', clock(T0).now);
    metrics.recordInvocation(5, true, false);
    const first = metrics.snapshot(0);
    first.series.pop();
    (first.durationMs as { p50: number | null }).p50 = 999;
    const second = metrics.snapshot(0);
    expect(second.series).toHaveLength(90);
    expect(second.durationMs.p50).toBe(5);
    expect(second.kind).toBe('http');
  });

  it('drops points older than the 15-minute window', () => {
    const time = clock(T0);
    const metrics = new FunctionMetrics('event', time.now);
    metrics.recordInvocation(10, true, false);
    metrics.snapshot(0);
    time.advance(16 * 60_000);
    const snapshot = metrics.snapshot(0);
    expect(snapshot.series.every((p) => p.invocations === 0)).toBe(true);
    expect(snapshot.invocations).toBe(1);
  });
});
