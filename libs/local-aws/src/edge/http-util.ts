import { type IncomingHttpHeaders, type IncomingMessage, request } from 'node:http';
import type { Readable } from 'node:stream';

/**
 * Reads a whole request or response body, or gives undefined once it passes `limit` bytes (the rest
 * is not read and the stream is destroyed): for a caller that answers 413. A stream that errors or
 * closes before its end rejects. Listeners rather than `for await`: the async iterator cost ~20 us of
 * the edge's main thread per request body (docs/benchmarks.md, "Sixth pass: CPU per request"), with
 * the same outcomes (tested in tests/unit/http-util.spec.ts).
 */
export function readBodyWithin(stream: NodeJS.ReadableStream, limit: number): Promise<Buffer | undefined> {
  const readable = stream as NodeJS.ReadableStream & Partial<Readable>;
  return new Promise((resolve, reject) => {
    if (readable.readableEnded) return resolve(Buffer.alloc(0));
    if (readable.destroyed) return reject(prematureClose());
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (): void => {
      stream.removeListener('data', onData);
      stream.removeListener('end', onEnd);
      stream.removeListener('error', onError);
      stream.removeListener('close', onClose);
    };
    const onData = (chunk: Buffer | string): void => {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += buf.length;
      if (size > limit) {
        done();
        readable.destroy?.();
        resolve(undefined);
        return;
      }
      chunks.push(buf);
    };
    const onEnd = (): void => {
      done();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (error: Error): void => {
      done();
      reject(error);
    };
    const onClose = (): void => {
      done();
      reject(prematureClose());
    };
    stream.on('data', onData);
    stream.once('end', onEnd);
    stream.once('error', onError);
    stream.once('close', onClose);
  });
}

function prematureClose(): Error {
  return Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
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
