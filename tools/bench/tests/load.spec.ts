import { TokenBucket } from '@imgpipe/local-aws';
import {
  arrivalOffsets,
  type Clock,
  defaultSteadyRate,
  lanes,
  pacer,
  runSchedule,
  summarizeLatencies,
  throttleGapMs,
} from '../src/load';

/** A clock that only moves when the schedule sleeps (or a test pushes it): no real time passes. */
function fakeClock(start = 1_000): Clock & { readonly sleeps: number[]; advance(ms: number): void } {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
    advance: (ms) => {
      now += ms;
    },
  };
}

describe('arrivalOffsets', () => {
  it('spaces arrivals evenly at the rate, from zero', () => {
    expect(arrivalOffsets(4, 2)).toEqual([0, 500, 1000, 1500]);
    expect(arrivalOffsets(3, 0.5)).toEqual([0, 2000, 4000]);
    expect(arrivalOffsets(0, 10)).toEqual([]);
  });

  it('refuses a rate or count that cannot be scheduled', () => {
    expect(() => arrivalOffsets(3, 0)).toThrow(RangeError);
    expect(() => arrivalOffsets(3, -1)).toThrow(RangeError);
    expect(() => arrivalOffsets(3, Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => arrivalOffsets(2.5, 1)).toThrow(RangeError);
  });
});

describe('runSchedule', () => {
  it('starts each arrival at its offset without waiting for earlier ones to finish', async () => {
    const clock = fakeClock();
    const startedAt: number[] = [];
    const unfinished: (() => void)[] = [];
    const settled = runSchedule(
      [0, 250, 500],
      (i) => {
        startedAt.push(clock.now() - 1_000);
        // Arrival 0 never finishes until the end: later arrivals must start anyway (an open loop).
        return i === 0
          ? new Promise<number>((resolve) => unfinished.push(() => resolve(0)))
          : Promise.resolve(i);
      },
      clock,
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(startedAt).toEqual([0, 250, 500]);
    unfinished.forEach((finish) => finish());
    expect((await settled).map((r) => (r.status === 'fulfilled' ? r.value : 'rejected'))).toEqual([0, 1, 2]);
  });

  it('catches up after a late start instead of drifting, and reports failures without stopping', async () => {
    const clock = fakeClock();
    const startedAt: number[] = [];
    const results = await runSchedule(
      [0, 100, 200, 300],
      async (i) => {
        startedAt.push(clock.now() - 1_000);
        if (i === 0) clock.advance(250); // the machine stalled while starting the first upload
        if (i === 2) throw new Error('refused');
        return i;
      },
      clock,
    );
    expect(startedAt).toEqual([0, 250, 250, 300]);
    expect(clock.sleeps).toEqual([50]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
  });
});

describe('summarizeLatencies', () => {
  it('gives p50, p99 by linear interpolation and the maximum', () => {
    expect(summarizeLatencies([300, 100, 200])).toEqual({ count: 3, p50Ms: 200, p99Ms: 298, maxMs: 300 });
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(summarizeLatencies(hundred)).toEqual({ count: 100, p50Ms: 50.5, p99Ms: 99.01, maxMs: 100 });
  });

  it('gives zeros for no latencies', () => {
    expect(summarizeLatencies([])).toEqual({ count: 0, p50Ms: 0, p99Ms: 0, maxMs: 0 });
  });
});

describe('defaultSteadyRate', () => {
  it('is half the burst drain rate, or none when nothing drained', () => {
    expect(defaultSteadyRate(9)).toBe(4.5);
    expect(defaultSteadyRate(0)).toBeNull();
  });
});

describe('throttleGapMs', () => {
  it('spaces request starts below the stage rate, whatever the burst', () => {
    expect(throttleGapMs({ rateLimit: 50, burstLimit: 100 })).toBe(25);
    expect(throttleGapMs({ rateLimit: 50, burstLimit: 1 })).toBe(25);
    expect(throttleGapMs({ rateLimit: 10, burstLimit: 20 }, 0.5)).toBe(200);
  });

  it('refuses a rate or headroom it cannot pace', () => {
    expect(() => throttleGapMs({ rateLimit: 0, burstLimit: 1 })).toThrow(RangeError);
    expect(() => throttleGapMs({ rateLimit: 10, burstLimit: 1 }, 0)).toThrow(RangeError);
    expect(() => throttleGapMs({ rateLimit: 10, burstLimit: 1 }, 1.5)).toThrow(RangeError);
  });
});

describe('pacer', () => {
  it('keeps starts a gap apart after fast requests, and never waits after a slow one', async () => {
    const clock = fakeClock();
    const pace = pacer(25, clock);
    await pace(); // the first request starts at once
    clock.advance(5); // a fast request
    await pace();
    clock.advance(40); // a slow request used up its gap
    await pace();
    expect(clock.sleeps).toEqual([20]);
  });

  it('keeps a closed loop inside the token bucket the local HTTP API enforces', async () => {
    const clock = fakeClock(0);
    const throttle = { rateLimit: 50, burstLimit: 3 };
    const bucket = new TokenBucket(throttle, () => clock.now());
    const pace = pacer(throttleGapMs(throttle), clock);
    const refused: number[] = [];
    for (let i = 0; i < 500; i += 1) {
      await pace();
      if (!bucket.take()) refused.push(i);
      clock.advance(1); // each request takes 1 ms: far faster than the limit
    }
    expect(refused).toEqual([]);
  });

  it('is refused by the same bucket without pacing (the failure the pacing avoids)', () => {
    const clock = fakeClock(0);
    const bucket = new TokenBucket({ rateLimit: 50, burstLimit: 3 }, () => clock.now());
    const answers = Array.from({ length: 5 }, () => {
      clock.advance(1);
      return bucket.take();
    });
    expect(answers).toEqual([true, true, true, false, false]);
  });
});

describe('lanes', () => {
  it('runs every index once, never more than the width at a time', async () => {
    const done: number[] = [];
    let inFlight = 0;
    let most = 0;
    await lanes(10, 3, async (i) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((r) => setTimeout(r, (i * 7) % 5));
      done.push(i);
      inFlight -= 1;
    });
    expect([...done].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(most).toBe(3);
  });

  it('does nothing for no work, and rejects with the first failure', async () => {
    const seen: number[] = [];
    await lanes(0, 4, async (i) => {
      seen.push(i);
    });
    expect(seen).toEqual([]);
    await expect(
      lanes(5, 2, async (i) => {
        if (i === 3) throw new Error('lane failed at 3');
      }),
    ).rejects.toThrow('lane failed at 3');
  });
});
