import type { SeriesPoint } from '@imgpipe/contracts';

/**
 * Turns a function's `series` from the metrics API (`SeriesPointSchema` in @imgpipe/contracts) into
 * points the charts draw: the bucket's `start` (its one time field, ISO-8601) as epoch milliseconds.
 */
export interface ChartPoint {
  /** Epoch milliseconds of the bucket's start. */
  readonly t: number;
  readonly invocations: number;
  readonly errors: number;
  readonly throttles: number;
  readonly coldStarts: number;
  readonly p50: number | undefined;
  readonly p99: number | undefined;
}

/** One point; `undefined` when its `start` is not a time (the schema checks it, so only a hand-made point). */
export function normalisePoint(raw: SeriesPoint): ChartPoint | undefined {
  const t = Date.parse(raw.start);
  if (Number.isNaN(t)) return undefined;
  return {
    t,
    invocations: raw.invocations,
    errors: raw.errors,
    throttles: raw.throttles,
    coldStarts: raw.coldStarts,
    p50: raw.durationMsP50 ?? undefined,
    p99: raw.durationMsP99 ?? undefined,
  };
}

/** All usable points, oldest first. */
export function normaliseSeries(raw: readonly SeriesPoint[]): ChartPoint[] {
  return raw
    .map(normalisePoint)
    .filter((p): p is ChartPoint => p !== undefined)
    .sort((a, b) => a.t - b.t);
}

/**
 * The points within `windowMs` of the newest one.
 * @example recent(points, 5 * 60_000) // the last five minutes
 */
export function recent(points: readonly ChartPoint[], windowMs: number): ChartPoint[] {
  const newest = points.at(-1)?.t;
  return newest === undefined ? [] : points.filter((p) => p.t > newest - windowMs);
}

/** Sum of one counter over the points. */
export function total(
  points: readonly ChartPoint[],
  field: 'invocations' | 'errors' | 'throttles' | 'coldStarts',
): number {
  return points.reduce((sum, p) => sum + p[field], 0);
}
