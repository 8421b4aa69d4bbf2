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

/** Nearest-rank percentile of a sample (null when empty). */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return Math.round((sorted[rank - 1] as number) * 10) / 10;
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

  snapshot(queued: number): FunctionMetricsSnapshot {
    const nowKey = Math.floor(this.now() / BUCKET_MS) * BUCKET_MS;
    const series: SeriesPoint[] = [];
    for (let i = BUCKETS - 1; i >= 0; i -= 1) {
      const key = nowKey - i * BUCKET_MS;
      const b = this.buckets.get(key);
      series.push({
        start: new Date(key).toISOString(),
        invocations: b?.invocations ?? 0,
        errors: b?.errors ?? 0,
        throttles: b?.throttles ?? 0,
        coldStarts: b?.coldStarts ?? 0,
        durationMsP50: b ? percentile(b.durations, 50) : null,
        durationMsP99: b ? percentile(b.durations, 99) : null,
      });
    }
    return {
      kind: this.kind,
      invocations: this.invocations,
      errors: this.errors,
      throttles: this.throttles,
      coldStarts: this.coldStarts,
      inFlight: this.inFlight,
      queued,
      durationMs: {
        p50: percentile(this.durations, 50),
        p95: percentile(this.durations, 95),
        p99: percentile(this.durations, 99),
      },
      initDurationMs: {
        p50: percentile(this.inits, 50),
        max: this.inits.length ? Math.max(...this.inits) : null,
      },
      series,
    };
  }
}
