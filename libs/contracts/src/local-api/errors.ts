/**
 * The stable codes of the local stack's API errors (`{"error":{"code","message"}}`, `ErrorBodySchema`):
 * 400 `INVALID_LIMIT` (a `limit` outside 1-1000), `INVALID_QUERY` (another query value the route refuses,
 * e.g. an unknown `status`), `INVALID_BODY`; 404 `NOT_FOUND`; 405 `METHOD_NOT_ALLOWED`;
 * 500 `RECONCILE_FAILED` (the reconcile function failed or did not answer its report), `INTERNAL`.
 */
export const LOCAL_API_ERROR_CODES = [
  'INVALID_LIMIT',
  'INVALID_QUERY',
  'INVALID_BODY',
  'NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'RECONCILE_FAILED',
  'INTERNAL',
] as const;
export type LocalApiErrorCode = (typeof LOCAL_API_ERROR_CODES)[number];
