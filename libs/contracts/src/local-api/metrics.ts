import * as z from 'zod';

/** `GET /_imgpipe/api/metrics`: every function's counters, duration percentiles and time series. */

const count = z.number().int().nonnegative();
/** Milliseconds, one decimal; `null` when nothing was measured. */
const ms = z.number().nonnegative().nullable();

/**
 * One 10-second bucket of a function's activity. `start` (ISO-8601, the bucket's start) is its one time
 * field; the durations are that bucket's percentiles.
 */
export const SeriesPointSchema = z.strictObject({
  start: z.iso.datetime(),
  invocations: count,
  errors: count,
  throttles: count,
  coldStarts: count,
  durationMsP50: ms,
  durationMsP99: ms,
});
export type SeriesPoint = z.infer<typeof SeriesPointSchema>;

/**
 * How a function is invoked: `event` functions (resize, metadata-sync, reconcile) asynchronously through a
 * queue with retries and a DLQ; `http` functions (api, render) synchronously, the caller waiting.
 */
export const FUNCTION_KINDS = ['event', 'http'] as const;
export const FunctionKindSchema = z.enum(FUNCTION_KINDS);
export type FunctionKind = z.infer<typeof FunctionKindSchema>;

/** One function's metrics. `queued` counts events in its queue (`event`) or requests waiting for a slot (`http`). */
export const FunctionMetricsSchema = z.strictObject({
  kind: FunctionKindSchema,
  invocations: count,
  errors: count,
  throttles: count,
  coldStarts: count,
  inFlight: count,
  queued: count,
  durationMs: z.strictObject({ p50: ms, p95: ms, p99: ms }),
  initDurationMs: z.strictObject({ p50: ms, max: ms }),
  /** The last 15 minutes, oldest first, one point per 10 s. */
  series: z.array(SeriesPointSchema),
});
export type FunctionMetrics = z.infer<typeof FunctionMetricsSchema>;

/** A schedule of the pipeline definition and when it fires next (`null` when it will not). */
export const ScheduleSchema = z.strictObject({
  name: z.string().min(1),
  expression: z.string().min(1),
  target: z.string().min(1),
  nextRun: z.iso.datetime().nullable(),
});
export type Schedule = z.infer<typeof ScheduleSchema>;

/** `GET /_imgpipe/api/metrics` 200. `functions` is keyed by function name (event functions, then http ones). */
export const MetricsSchema = z.strictObject({
  functions: z.record(z.string(), FunctionMetricsSchema),
  dlqDepth: count,
  schedules: z.array(ScheduleSchema),
});
export type Metrics = z.infer<typeof MetricsSchema>;
