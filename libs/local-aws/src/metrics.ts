import type {
  FunctionKind,
  FunctionMetrics as FunctionMetricsSnapshot,
  SeriesPoint,
} from '@imgpipe/contracts';

/** A function's metrics as the JSON API shows them (`FunctionMetricsSchema` in @imgpipe/contracts). */
export type { FunctionMetricsSnapshot };

const BUCKET_MS = 10_000;
const BUCKETS = 90; // 15 minutes
const SAMPLES = 2000;

interface Bucket {
  invocations: number;
  errors: number;
  throttles: number;
  coldStarts: number;
  durations: number[];
}

/** A sample sorted ascending, once for all the percentiles asked of it. */
function sortedOf(values: readonly number[]): Float64Array {
  return Float64Array.from(values).sort();
}

/** Nearest-rank percentile of a sample sorted ascending (null when empty). */
function rankOf(sorted: Float64Array, p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return Math.round((sorted[rank - 1] as number) * 10) / 10;
}

/** Nearest-rank percentile of a sample (null when empty). */
export function percentile(values: readonly number[], p: number): number | null {
  return rankOf(sortedOf(values), p);
}

/** What a snapshot derives from the recorded invocations alone (recomputed only after a change or a new bucket). */
interface Derived {
  readonly version: number;
  readonly nowKey: number;
  readonly durationMs: FunctionMetricsSnapshot['durationMs'];
  readonly initDurationMs: FunctionMetricsSnapshot['initDurationMs'];
  readonly series: readonly SeriesPoint[];
}

/** Counters, duration percentiles and a 15-minute series of 10-second buckets for one function. */
export class FunctionMetrics {
  invocations = 0;
  errors = 0;
  throttles = 0;
  coldStarts = 0;
  /** What the runtime last reported as executing; only observed here (admission is the runtime's). */
  private inFlight = 0;
  private durations: number[] = [];
  private inits: number[] = [];
  private buckets = new Map<number, Bucket>();
  /** Bumped on every change, so the terminal summary prints only when something happened. */
  version = 0;
  /**
   * The console and the bench poll snapshots (the bench ten times a second): the percentiles and the
   * series are kept until the next change, and a closed bucket's point is computed once.
   */
  private derived: Derived | undefined;
  private closedPoints = new Map<number, SeriesPoint>();

  /** Observes how many invocations are executing now. */
  recordInFlight(count: number): void {
    this.inFlight = count;
  }

  /** `kind`: `event` for the queued functions, `http` for the synchronous ones (`api`, `render`). */
  constructor(
    private readonly kind: FunctionKind = 'event',
    private readonly now: () => number = Date.now,
  ) {}

  private bucket(): Bucket {
    const key = Math.floor(this.now() / BUCKET_MS) * BUCKET_MS;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { invocations: 0, errors: 0, throttles: 0, coldStarts: 0, durations: [] };
      this.buckets.set(key, bucket);
      for (const old of this.buckets.keys()) if (old < key - BUCKETS * BUCKET_MS) this.buckets.delete(old);
    }
    // Only if the clock went back: a point computed for this bucket while it was closed is stale now.
    this.closedPoints.delete(key);
    return bucket;
  }

  recordInvocation(durationMs: number, ok: boolean, coldStart: boolean, initMs?: number): void {
    const bucket = this.bucket();
    this.invocations += 1;
    bucket.invocations += 1;
    if (!ok) {
      this.errors += 1;
      bucket.errors += 1;
    }
    if (coldStart) {
      this.coldStarts += 1;
      bucket.coldStarts += 1;
      if (initMs !== undefined) this.inits = [...this.inits.slice(-(SAMPLES - 1)), initMs];
    }
    this.durations.push(durationMs);
    if (this.durations.length > SAMPLES) this.durations.shift();
    bucket.durations.push(durationMs);
    this.version += 1;
  }

  recordThrottle(): void {
    this.throttles += 1;
    this.bucket().throttles += 1;
    this.version += 1;
  }

  private point(key: number, nowKey: number): SeriesPoint {
    const cached = this.closedPoints.get(key);
    if (cached) return cached;
    const b = this.buckets.get(key);
    const sorted = sortedOf(b?.durations ?? []);
    const point: SeriesPoint = {
      start: new Date(key).toISOString(),
      invocations: b?.invocations ?? 0,
      errors: b?.errors ?? 0,
      throttles: b?.throttles ?? 0,
      coldStarts: b?.coldStarts ?? 0,
      durationMsP50: rankOf(sorted, 50),
      durationMsP99: rankOf(sorted, 99),
    };
    // A bucket before the current one never changes again (records land in the current bucket).
    if (key < nowKey) this.closedPoints.set(key, point);
    return point;
  }

  private derive(nowKey: number): Derived {
    if (this.derived?.version === this.version && this.derived.nowKey === nowKey) return this.derived;
    for (const key of this.closedPoints.keys())
      if (key <= nowKey - BUCKETS * BUCKET_MS) this.closedPoints.delete(key);
    const series: SeriesPoint[] = [];
    for (let i = BUCKETS - 1; i >= 0; i -= 1) series.push(this.point(nowKey - i * BUCKET_MS, nowKey));
    const all = sortedOf(this.durations);
    this.derived = {
      version: this.version,
      nowKey,
      durationMs: { p50: rankOf(all, 50), p95: rankOf(all, 95), p99: rankOf(all, 99) },
      initDurationMs: {
        p50: percentile(this.inits, 50),
        max: this.inits.length ? Math.max(...this.inits) : null,
      },
      series,
    };
    return this.derived;
  }

  snapshot(queued: number): FunctionMetricsSnapshot {
    const derived = this.derive(Math.floor(this.now() / BUCKET_MS) * BUCKET_MS);
    return {
      kind: this.kind,
      invocations: this.invocations,
      errors: this.errors,
      throttles: this.throttles,
      coldStarts: this.coldStarts,
      inFlight: this.inFlight,
      queued,
      durationMs: { ...derived.durationMs },
      initDurationMs: { ...derived.initDurationMs },
      series: [...derived.series],
    };
  }
}
