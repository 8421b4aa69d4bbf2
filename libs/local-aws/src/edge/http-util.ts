import { type IncomingHttpHeaders, type IncomingMessage, request } from 'node:http';

/**
 * Reads a whole request or response body, or gives undefined once it passes `limit` bytes (the rest
 * is not read): for a caller that answers 413.
 */
export async function readBodyWithin(
  stream: NodeJS.ReadableStream,
  limit: number,
): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buf.length;
    if (size > limit) return undefined;
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/** Reads a whole request or response body; throws once it passes `limit` bytes. */
export async function readBody(stream: NodeJS.ReadableStream, limit = 1024 * 1024 * 1024): Promise<Buffer> {
  const body = await readBodyWithin(stream, limit);
  if (!body) throw new Error(`Body larger than ${limit} bytes`);
  return body;
}

/** A buffered upstream answer. */
export interface UpstreamResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** Sends one request upstream and buffers the answer. */
export function upstream(
  target: { host: string; port: number },
  method: string,
  path: string,
  headers: Record<string, string | string[] | undefined>,
  body?: Buffer,
): Promise<UpstreamResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: target.host, port: target.port, method, path, headers },
      (res: IncomingMessage) => {
        readBody(res).then(
          (buf) => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: buf }),
          reject,
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
