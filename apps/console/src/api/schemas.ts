/**
 * The shapes of the local stack's API (docs/architecture.md, "The local stack's API"), parsed at the edge.
 * Objects are loose: the console reads what it knows and tolerates fields it does not.
 */
import { z } from 'zod';

export const ROW_STATUSES = ['pending', 'ready', 'failed', 'deleted'] as const;
export type RowStatus = (typeof ROW_STATUSES)[number];

const finite = z.number().finite();

export const VariantSchema = z.looseObject({
  name: z.string(),
  key: z.string(),
  format: z.string().optional(),
  width: finite.optional(),
  height: finite.optional(),
  bytes: finite.optional(),
});
export type Variant = z.infer<typeof VariantSchema>;

export const ExifSchema = z.looseObject({
  make: z.string().optional(),
  model: z.string().optional(),
  lens: z.string().optional(),
  takenAt: z.string().optional(),
  exposureTime: finite.optional(),
  fNumber: finite.optional(),
  iso: finite.optional(),
  focalLength: finite.optional(),
});
export type Exif = z.infer<typeof ExifSchema>;

export const RowMetadataSchema = z.looseObject({
  orientation: finite.optional(),
  hasAlpha: z.boolean().optional(),
  colorSpace: z.string().optional(),
  bitDepth: finite.optional(),
  pages: finite.optional(),
  progressive: z.boolean().optional(),
  iccDescription: z.string().optional(),
  exif: ExifSchema.optional(),
  gps: z.looseObject({ latitude: finite, longitude: finite, altitude: finite.optional() }).optional(),
  dominantColor: z.string().optional(),
  placeholder: z.string().optional(),
});
export type RowMetadata = z.infer<typeof RowMetadataSchema>;

export const RowSchema = z.looseObject({
  objectKey: z.string(),
  bucket: z.string().optional(),
  status: z.enum(ROW_STATUSES).or(z.string()),
  sequencer: z.string().optional(),
  etag: z.string().optional(),
  bytes: finite.optional(),
  format: z.string().optional(),
  width: finite.optional(),
  height: finite.optional(),
  metadata: RowMetadataSchema.optional(),
  variants: z.array(VariantSchema).optional(),
  error: z.looseObject({ code: z.string(), message: z.string().optional() }).optional(),
  updatedAt: z.string().optional(),
});
export type Row = z.infer<typeof RowSchema>;

export const ImagePageSchema = z.looseObject({
  items: z.array(RowSchema),
  nextCursor: z.string().nullish(),
});
export type ImagePage = z.infer<typeof ImagePageSchema>;

const Count = finite.nullish().transform((n) => n ?? 0);

/** One bucket of a function's time series; fields other than the time are optional. */
export const SeriesPointSchema = z.looseObject({});
export type SeriesPoint = Record<string, unknown>;

export const FunctionMetricsSchema = z.looseObject({
  invocations: Count,
  errors: Count,
  throttles: Count,
  coldStarts: Count,
  inFlight: Count,
  durationMs: z
    .looseObject({ p50: finite.nullish(), p95: finite.nullish(), p99: finite.nullish() })
    .nullish(),
  series: z
    .array(SeriesPointSchema)
    .nullish()
    .transform((s) => s ?? []),
});
export type FunctionMetrics = z.infer<typeof FunctionMetricsSchema>;

export const ScheduleSchema = z.looseObject({
  name: z.string(),
  expression: z.string().optional(),
  nextRun: z.string().nullish(),
});
export type Schedule = z.infer<typeof ScheduleSchema>;

export const MetricsSchema = z.looseObject({
  functions: z.record(z.string(), FunctionMetricsSchema),
  dlqDepth: Count,
  schedules: z
    .array(ScheduleSchema)
    .nullish()
    .transform((s) => s ?? []),
});
export type Metrics = z.infer<typeof MetricsSchema>;

export const DlqItemSchema = z.looseObject({
  id: z.string(),
  function: z.string().optional(),
  event: z.unknown(),
  error: z.looseObject({ type: z.string().optional(), message: z.string().optional() }).nullish(),
  attempts: finite.optional(),
  firstAttemptAt: z.string().optional(),
  failedAt: z.string().optional(),
});
export type DlqItem = z.infer<typeof DlqItemSchema>;

export const DlqListSchema = z.looseObject({ items: z.array(DlqItemSchema) });

export const RedriveResultSchema = z.looseObject({ redriven: finite });
export type RedriveResult = z.infer<typeof RedriveResultSchema>;

export const HealthSchema = z.looseObject({ status: z.string() });
