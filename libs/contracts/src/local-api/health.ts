import * as z from 'zod';
import { FunctionKindSchema, ScheduleSchema } from './metrics';

export const STACK_STATUSES = ['starting', 'ready', 'stopping'] as const;

/**
 * `GET /_imgpipe/health`: 200 once buckets, table, functions and schedules are up (`ready`), 503 with
 * the same body before (`starting`) and while stopping.
 */
export const HealthSchema = z.strictObject({
  status: z.enum(STACK_STATUSES),
  /** `http://host:port` of the edge. */
  endpoint: z.string().min(1),
  buckets: z.array(z.string().min(1)).readonly(),
  tables: z.array(z.string().min(1)),
  /**
   * Every function (event ones, then http ones, as in the metrics) with its kind and whether its bundle is
   * built.
   */
  functions: z.array(
    z.strictObject({
      name: z.string().min(1),
      kind: FunctionKindSchema,
      bundle: z.string(),
      built: z.boolean(),
    }),
  ),
  schedules: z.array(ScheduleSchema),
});
export type Health = z.infer<typeof HealthSchema>;
