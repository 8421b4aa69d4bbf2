/**
 * The end-to-end bench's load shapes and summaries, kept free of I/O and clocks so they are unit tested:
 * a fixed-rate (open-loop) arrival schedule, the runner that fires it, and the latency summary.
 */
import { percentile } from './stats';

/**
 * When each of `count` uploads starts, in ms after the first, at a fixed `ratePerSecond`: arrivals do not
 * wait for earlier uploads to finish (an open loop, as independent users upload), so a stack slower
 * than the rate shows as growing latency, never as a slower arrival rate.
 * @example arrivalOffsets(3, 4) // [0, 250, 500]
 */
export function arrivalOffsets(count: number, ratePerSecond: number): number[] {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`Expected a whole count, got ${count}`);
  if (!(ratePerSecond > 0) || !Number.isFinite(ratePerSecond))
    throw new RangeError(`Expected a positive rate, got ${ratePerSecond}`);
  const gap = 1000 / ratePerSecond;
  return Array.from({ length: count }, (_, i) => i * gap);
}

/** The clock a schedule runs on (the real one in the bench, a fake one in tests). */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * Starts `fire(i)` at `start + offsets[i]` for every i, without waiting for earlier ones to finish, and
 * resolves with their results once all have settled. A late start (the machine was busy) fires at once:
 * the schedule never drifts, it catches up.
 */
export async function runSchedule<T>(
  offsets: readonly number[],
  fire: (index: number) => Promise<T>,
  clock: Clock = realClock,
): Promise<PromiseSettledResult<T>[]> {
  const start = clock.now();
  const started: Promise<T>[] = [];
  for (let i = 0; i < offsets.length; i += 1) {
    const wait = start + (offsets[i] as number) - clock.now();
    if (wait > 0) await clock.sleep(wait);
    started.push(fire(i));
  }
  return Promise.allSettled(started);
}

/** Upload-to-ready latencies of one run, summarised. */
export interface LatencySummary {
  readonly count: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/**
 * p50, p99 (linear interpolation, as every percentile of the bench) and the maximum; zeros for none.
 * @example summarizeLatencies([100, 200, 300]) // { count: 3, p50Ms: 200, p99Ms: 298, maxMs: 300 }
 */
export function summarizeLatencies(latencies: readonly number[]): LatencySummary {
  if (latencies.length === 0) return { count: 0, p50Ms: 0, p99Ms: 0, maxMs: 0 };
  return {
    count: latencies.length,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    maxMs: Math.max(...latencies),
  };
}

/**
 * The steady rate to offer when none is asked: half the rate the stack drained the burst at, measured
 * in the same run (so the stack is loaded, not overloaded). Null when the burst drained nothing.
 */
export function defaultSteadyRate(burstImagesPerSecond: number): number | null {
  return burstImagesPerSecond > 0 ? burstImagesPerSecond / 2 : null;
}

/** A stage's throttle as API Gateway applies it: a bucket of `burstLimit` tokens refilled at `rateLimit`/s. */
export interface StageThrottle {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

/**
 * The shortest gap between request starts that keeps a client inside a stage's throttle: `headroom` of
 * the refill rate, so the bucket (full at start) refills faster than requests drain it and a sequential
 * loop is never refused, however fast each request is. The burst is not needed for that.
 * @example throttleGapMs({ rateLimit: 50, burstLimit: 100 }) // 25 (40 requests/s)
 */
export function throttleGapMs(throttle: StageThrottle, headroom = 0.8): number {
  if (!(throttle.rateLimit > 0) || !Number.isFinite(throttle.rateLimit))
    throw new RangeError(`Expected a positive rate limit, got ${throttle.rateLimit}`);
  if (!(headroom > 0 && headroom <= 1))
    throw new RangeError(`Expected a headroom in (0, 1], got ${headroom}`);
  return 1000 / (throttle.rateLimit * headroom);
}

/**
 * A closed loop's pacer: each call resolves no sooner than `gapMs` after the previous call resolved, so
 * request starts stay at least `gapMs` apart (a slow request uses up its own gap; no catch-up bursts).
 */
export function pacer(gapMs: number, clock: Clock = realClock): () => Promise<void> {
  let next = Number.NEGATIVE_INFINITY;
  return async () => {
    const wait = next - clock.now();
    if (wait > 0) await clock.sleep(wait);
    next = clock.now() + gapMs;
  };
}

/**
 * Runs `work(0..count-1)` with at most `width` in flight, each lane taking the next index when its last
 * one is done (a closed loop, as a client with `width` connections sends).
 * @example await lanes(200, 4, (i) => s3.send(new PutObjectCommand({ ..., Key: `k${i}` })));
 */
export async function lanes(count: number, width: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    for (let i = next++; i < count; i = next++) await work(i);
  };
  await Promise.all(Array.from({ length: width }, lane));
}
