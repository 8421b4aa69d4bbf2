import { z } from 'zod';

/** A variant as recorded on the row. */
export const VariantSchema = z.object({
  name: z.string(),
  key: z.string(),
  format: z.string(),
  width: z.number(),
  height: z.number(),
  bytes: z.number(),
});

/** A row of the images table (docs/contract.md); attributes the CLI does not show pass through. */
export const RowSchema = z.looseObject({
  objectKey: z.string(),
  bucket: z.string().optional(),
  status: z.string(),
  sequencer: z.string().optional(),
  etag: z.string().optional(),
  bytes: z.number().optional(),
  format: z.string().optional(),
  width: z.number().optional(),
  height: z.number().optional(),
  variants: z.array(VariantSchema).optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  updatedAt: z.string().optional(),
});
export type Row = z.infer<typeof RowSchema>;

export const RowPageSchema = z.object({ items: z.array(RowSchema), nextCursor: z.string().optional() });

/** A parked event, the same shape locally and (decoded from SQS) on AWS. */
export const DlqItemSchema = z.object({
  id: z.string(),
  function: z.string(),
  event: z.unknown(),
  error: z.object({ type: z.string(), message: z.string() }),
  attempts: z.number().optional(),
  firstAttemptAt: z.string().optional(),
  failedAt: z.string().optional(),
});
export type DlqItem = z.infer<typeof DlqItemSchema>;

export const DlqListSchema = z.object({ items: z.array(DlqItemSchema) });
export const RedriveSchema = z.object({ redriven: z.number() });
export const HealthSchema = z.looseObject({ status: z.string() });
export const ApiErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

/** Reconcile's report (libs/core `ReconcileReport`); extra fields pass through. */
export const ReconcileReportSchema = z.looseObject({
  scanned: z.number(),
  rendered: z.number(),
  rowsRepaired: z.number(),
  orphansRemoved: z.number(),
  tombstoned: z.number(),
  complete: z.boolean(),
  skipped: z.string().optional(),
});
export type ReconcileReport = z.infer<typeof ReconcileReportSchema>;

/** Statuses a row can have; `ls --status` accepts these. */
export const ROW_STATUSES = ['pending', 'ready', 'failed', 'deleted'] as const;
