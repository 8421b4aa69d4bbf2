import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpResponse } from './payload';

/** API Gateway's payload limit (10 MB); larger requests are refused before the integration. */
export const MAX_REQUEST_BYTES = 10 * 1024 * 1024;

/** Reads a request body, or undefined once it passes `limit` bytes. */
export async function readBody(req: IncomingMessage, limit = MAX_REQUEST_BYTES): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) return undefined;
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

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
