import * as z from 'zod';
import { DlqItemSchema } from './dlq';
import { RowSchema } from './rows';

/**
 * `GET /_imgpipe/api/stream`: server-sent events. Each frame is `event: <name>` and `data: <JSON>`, the
 * JSON one of the payloads below: `invocation` after every attempt of an event function, `row` with the
 * row an invocation touched, `dlq` when an event is parked.
 */
export const STREAM_EVENT_NAMES = ['invocation', 'row', 'dlq'] as const;
export const StreamEventNameSchema = z.enum(STREAM_EVENT_NAMES);
export type StreamEventName = z.infer<typeof StreamEventNameSchema>;

/** One attempt of an event function; `durationMs` and `initMs` are whole milliseconds. */
export const InvocationEventSchema = z.strictObject({
  function: z.string().min(1),
  /** The queued event's id (the same across its attempts). */
  id: z.string().min(1),
  attempt: z.number().int().positive(),
  ok: z.boolean(),
  durationMs: z.number().int().nonnegative(),
  coldStart: z.boolean(),
  initMs: z.number().int().nonnegative().optional(),
  error: z.strictObject({ type: z.string(), message: z.string() }).optional(),
});
export type InvocationEvent = z.infer<typeof InvocationEventSchema>;

/** The payload schema of each event name. */
export const STREAM_EVENT_SCHEMAS = {
  invocation: InvocationEventSchema,
  row: RowSchema,
  dlq: DlqItemSchema,
} as const satisfies Record<StreamEventName, z.ZodType>;

/** What the server may send as each event's data (producers type their payloads with this). */
export type StreamEventData = { [E in StreamEventName]: z.input<(typeof STREAM_EVENT_SCHEMAS)[E]> };

/** One parsed event: its name and its payload. */
export const StreamEventSchema = z.discriminatedUnion('event', [
  z.strictObject({ event: z.literal('invocation'), data: InvocationEventSchema }),
  z.strictObject({ event: z.literal('row'), data: RowSchema }),
  z.strictObject({ event: z.literal('dlq'), data: DlqItemSchema }),
]);
export type StreamEvent = z.infer<typeof StreamEventSchema>;
