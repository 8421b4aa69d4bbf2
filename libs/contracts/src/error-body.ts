import * as z from 'zod';

/** `{"error":{"code","message"}}`: how every JSON API of imgpipe answers a refused request. */
export const ErrorBodySchema = z.object({
  error: z.object({ code: z.string().min(1), message: z.string() }),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;
