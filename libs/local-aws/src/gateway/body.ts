import type { ServerResponse } from 'node:http';
import type { HttpResponse } from './payload';

/** API Gateway's payload limit (10 MB); larger requests are refused (413) before the integration. */
export const MAX_REQUEST_BYTES = 10 * 1024 * 1024;

/** Writes a mapped response; HEAD gets the headers only. */
export function send(
  res: ServerResponse,
  response: HttpResponse,
  head = false,
  extra: Record<string, string> = {},
): void {
  res.writeHead(response.status, {
    ...response.headers,
    ...extra,
    'content-length': String(response.body.length),
  });
  res.end(head ? undefined : response.body);
}
