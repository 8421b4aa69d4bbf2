import * as z from 'zod';

/**
 * The dead-letter queue: `GET /_imgpipe/api/dlq` and `POST /_imgpipe/api/dlq/redrive`. The CLI decodes
 * a deployed stack's SQS dead-letter queue into the same item, where the attempt times may be unknown.
 */

/** An event that exhausted its retries or its maximum age, with Lambda's error (`errorType`, `errorMessage`). */
export const DlqItemSchema = z.strictObject({
  id: z.string().min(1),
  function: z.string().min(1),
  event: z.unknown(),
  error: z.strictObject({ type: z.string(), message: z.string() }),
  attempts: z.number().int().nonnegative().optional(),
  firstAttemptAt: z.iso.datetime().optional(),
  failedAt: z.iso.datetime().optional(),
});
export type DlqItem = z.infer<typeof DlqItemSchema>;

/** `GET /_imgpipe/api/dlq` 200: every parked event, oldest failure first. */
export const DlqListSchema = z.strictObject({ items: z.array(DlqItemSchema) });
export type DlqList = z.infer<typeof DlqListSchema>;

/** `POST /_imgpipe/api/dlq/redrive` body: these ids, or every parked event when `ids` is absent (or the body empty). */
export const RedriveRequestSchema = z.strictObject({ ids: z.array(z.string().min(1)).optional() });
export type RedriveRequest = z.infer<typeof RedriveRequestSchema>;

/** `POST /_imgpipe/api/dlq/redrive` 200: how many events went back to their function. */
export const RedriveResponseSchema = z.strictObject({ redriven: z.number().int().nonnegative() });
export type RedriveResponse = z.infer<typeof RedriveResponseSchema>;
