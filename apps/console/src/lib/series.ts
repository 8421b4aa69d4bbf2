/**
 * Normalises a function's `series` from the metrics API into points the charts draw. The API gives one
 * bucket per interval; this accepts the time as `t`/`time`/`timestamp`/`at`/`start` (epoch ms, epoch s or
 * ISO-8601) and durations flat (`p50`, `p99`, `durationMsP50`, `durationMsP99`) or nested (`durationMs: {p50, p99}`).
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

const TIME_FIELDS = ['t', 'time', 'timestamp', 'at', 'start', 'minute', 'bucket'] as const;

/** Reads one point; `undefined` when it has no usable time. */
export function normalisePoint(raw: Record<string, unknown>): ChartPoint | undefined {
  const t = readTime(raw);
  if (t === undefined) return undefined;
  const duration = isRecord(raw['durationMs'])
    ? raw['durationMs']
    : isRecord(raw['duration'])
      ? raw['duration']
      : {};
  return {
    t,
    invocations: count(raw['invocations']),
    errors: count(raw['errors']),
    throttles: count(raw['throttles']),
    coldStarts: count(raw['coldStarts']),
    p50: num(raw['p50']) ?? num(duration['p50']) ?? num(raw['durationMsP50']) ?? num(raw['durationP50']),
    p99: num(raw['p99']) ?? num(duration['p99']) ?? num(raw['durationMsP99']) ?? num(raw['durationP99']),
  };
}

/** All usable points, oldest first. */
export function normaliseSeries(raw: readonly Record<string, unknown>[]): ChartPoint[] {
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

function readTime(raw: Record<string, unknown>): number | undefined {
  for (const field of TIME_FIELDS) {
    const value = raw[field];
    if (typeof value === 'number' && Number.isFinite(value)) {
      // Seconds until the year 2286 are below 1e10; milliseconds since 1970-04 are above.
      return value < 1e10 ? value * 1000 : value;
    }
    if (typeof value === 'string') {
      const parsed = Date.parse(value);
      if (!Number.isNaN(parsed)) return parsed;
    }
  }
  return undefined;
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function count(value: unknown): number {
  const n = num(value);
  return n !== undefined && n > 0 ? n : 0;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
