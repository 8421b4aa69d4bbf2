import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LocalStackError } from '../../errors';
import type { S3Call } from '../extensions';
import { decodeAwsChunked, verifyCrc32 } from './aws-chunked';
import { readBody } from '../http-util';
import { xmlEscape } from './xml';
import { S3Error } from './errors';

/** One parsed S3 request (path style: `/<bucket>/<key>`). */
export interface S3Request {
  readonly req: IncomingMessage;
  readonly method: string;
  readonly bucket?: string;
  readonly key?: string;
  readonly rawPath: string;
  readonly query: URLSearchParams;
  readonly requestId: string;
}

/**
 * The request as the local S3's handlers read it, from the call the edge decoded (`request.ts`): the
 * URL is parsed and validated once, there.
 */
export function s3Request(call: S3Call): S3Request {
  const { target, req } = call;
  return {
    req,
    method: (req.method ?? 'GET').toUpperCase(),
    ...(target.bucket !== undefined ? { bucket: target.bucket } : {}),
    ...(target.key !== undefined ? { key: target.key } : {}),
    rawPath: target.rawPath,
    query: target.query,
    requestId: newRequestId(),
  };
}

/** S3's request ids: 16 upper-case hex digits. */
function newRequestId(): string {
  return randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase();
}

/** A header's single value ('' when absent). */
export function header(r: S3Request, name: string): string {
  const value = r.req.headers[name];
  return Array.isArray(value) ? value.join(',') : (value ?? '');
}

function isChunked(req: IncomingMessage): boolean {
  const encoding = String(req.headers['content-encoding'] ?? '');
  const sha = String(req.headers['x-amz-content-sha256'] ?? '');
  return encoding.split(',').some((e) => e.trim() === 'aws-chunked') || sha.startsWith('STREAMING-');
}

/** The request body, with `aws-chunked` framing removed and a CRC32 checked when one is sent. */
export async function requestBody(r: S3Request, limit?: number): Promise<Buffer> {
  let raw: Buffer;
  try {
    raw = await readBody(r.req, limit);
  } catch (error: unknown) {
    throw new S3Error(400, 'EntityTooLarge', error instanceof Error ? error.message : String(error));
  }
  try {
    if (!isChunked(r.req)) {
      const crc = r.req.headers['x-amz-checksum-crc32'];
      if (typeof crc === 'string') verifyCrc32(raw, crc);
      return raw;
    }
    const declared = r.req.headers['x-amz-decoded-content-length'];
    const expected = declared === undefined ? undefined : Number(declared);
    return decodeAwsChunked(raw, Number.isFinite(expected) ? expected : undefined).body;
  } catch (error: unknown) {
    const code =
      error instanceof LocalStackError && error.code === 'CHECKSUM_MISMATCH' ? 'BadDigest' : 'IncompleteBody';
    throw new S3Error(400, code, error instanceof Error ? error.message : String(error));
  }
}

/**
 * Content-Encoding as stored: what the client sent, without the `aws-chunked` transport framing (the
 * other encodings keep their order; a header without `aws-chunked` is kept exactly).
 */
export function storedContentEncoding(r: S3Request): string | undefined {
  const sent = header(r, 'content-encoding');
  const parts = sent.split(',').map((e) => e.trim());
  if (!parts.includes('aws-chunked')) return sent || undefined;
  const rest = parts.filter((e) => e && e !== 'aws-chunked');
  return rest.length ? rest.join(',') : undefined;
}

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n';
const NS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"';

/** `<tag>escaped</tag>`. */
export function el(tag: string, value: string | number | boolean): string {
  return `<${tag}>${xmlEscape(String(value))}</${tag}>`;
}

/**
 * Answers with S3's XML document `<root xmlns=…>inner</root>` (200 unless `status` says otherwise),
 * the one way every S3 result is sent.
 * @example sendXml(ctx, 'CopyPartResult', el('ETag', part.etag))
 */
export function sendXml(
  ctx: { readonly r: S3Request; readonly res: ServerResponse },
  root: string,
  inner: string,
  options: { readonly status?: number; readonly headers?: Record<string, string> } = {},
): void {
  const body = `${XML_HEAD}<${root} ${NS}>${inner}</${root}>`;
  ctx.res.writeHead(options.status ?? 200, {
    ...options.headers,
    'content-type': 'application/xml',
    'content-length': Buffer.byteLength(body),
    'x-amz-request-id': ctx.r.requestId,
  });
  ctx.res.end(body);
}

export function sendEmpty(
  r: S3Request,
  res: ServerResponse,
  status: number,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { ...headers, 'content-length': '0', 'x-amz-request-id': r.requestId });
  res.end();
}

/** Sends an S3Error as S3's XML error document (headers only for HEAD, as S3 does). */
export function sendError(
  r: S3Request | undefined,
  res: ServerResponse,
  error: S3Error,
  resource = '',
): void {
  const requestId = r?.requestId ?? newRequestId();
  const extra = Object.entries(error.extra)
    .map(([name, value]) => el(name, value))
    .join('');
  const body =
    `${XML_HEAD}<Error>${el('Code', error.code)}${el('Message', error.message)}${extra}` +
    `${el('Resource', resource || (r?.rawPath ?? ''))}${el('RequestId', requestId)}</Error>`;
  res.writeHead(error.status, {
    'content-type': 'application/xml',
    'content-length': r?.method === 'HEAD' ? '0' : Buffer.byteLength(body),
    'x-amz-request-id': requestId,
    ...error.headers,
  });
  res.end(r?.method === 'HEAD' ? undefined : body);
}
