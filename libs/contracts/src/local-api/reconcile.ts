import * as z from 'zod';

/** Where an unfinished reconcile run resumes. */
export const ReconcileCheckpointSchema = z.strictObject({
  phase: z.enum(['source', 'derived', 'rows']),
  token: z.string().optional(),
  startedAt: z.iso.datetime(),
});

/**
 * `POST /_imgpipe/api/reconcile` 200: what one reconcile run found and fixed (libs/core `ReconcileReport`);
 * also what `npx imgpipe reconcile --aws` reads from the deployed function.
 */
export const ReconcileReportSchema = z.strictObject({
  /** Source objects, derived objects and rows examined. */
  scanned: z.number().int().nonnegative(),
  /** Objects whose variants were rendered again. */
  rendered: z.number().int().nonnegative(),
  /** Rows written, finalised or whose metadata was synced again. */
  rowsRepaired: z.number().int().nonnegative(),
  /** Derived objects removed because no source or preset explains them. */
  orphansRemoved: z.number().int().nonnegative(),
  /** Rows turned into tombstones because their source is gone. */
  tombstoned: z.number().int().nonnegative(),
  /** True when every phase finished. */
  complete: z.boolean(),
  nextCheckpoint: ReconcileCheckpointSchema.optional(),
  /** Set when another run holds the lease: nothing was done. */
  skipped: z.literal('lease-held').optional(),
});
export type ReconcileReport = z.infer<typeof ReconcileReportSchema>;
