import { type IncomingMessage, type ServerResponse, request } from 'node:http';
import { LocalStackError } from '../../errors';
import type { S3Change, S3EventReason } from '../../events/s3-event';
import { decodeAwsChunked, verifyCrc32 } from './aws-chunked';
import { pickFault } from '../faults';
import { HOP_BY_HOP, readBody, upstream, type UpstreamResponse } from '../http-util';
import type { S3Call, S3OperationHandler, S3Target } from '../extensions';
import { translateListV2 } from './list-v2';
import { deletedKeys, requestedDeleteKeys, sendS3Error } from './xml';

export interface S3ProxyOptions {
  readonly target: { host: string; port: number };
  readonly faultRate: () => number;
  /** Called after a successful write or delete, before the client is answered; must be durable when it returns. */
  readonly onChange: (changes: readonly Omit<S3Change, 'sequencer'>[]) => void;
  /** Operations answered by the edge itself (the plug-in point's S3 handlers), tried before s3rver. */
  readonly handlers?: readonly S3OperationHandler[];
}

/** The operations whose success S3 reports as an event. */
const EVENT_REASONS: ReadonlySet<string> = new Set<S3EventReason>([
  'PutObject',
  'CopyObject',
  'CompleteMultipartUpload',
  'DeleteObject',
  'DeleteObjects',
]);

function eventReason(call: S3Call): S3EventReason | undefined {
  return EVENT_REASONS.has(call.operation) ? (call.operation as S3EventReason) : undefined;
}

function isChunked(req: IncomingMessage): boolean {
  const encoding = String(req.headers['content-encoding'] ?? '');
  const sha = String(req.headers['x-amz-content-sha256'] ?? '');
  return encoding.split(',').some((e) => e.trim() === 'aws-chunked') || sha.startsWith('STREAMING-');
}

/** The headers s3rver gets: no signature (it would not match what we forward), no chunked framing. */
function forwardHeaders(
  req: IncomingMessage,
  target: { host: string; port: number },
  bodyLength?: number,
): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || HOP_BY_HOP.has(name)) continue;
    if (
      [
        'authorization',
        'x-amz-content-sha256',
        'x-amz-decoded-content-length',
        'x-amz-trailer',
        'host',
      ].includes(name)
    )
      continue;
    if (name === 'content-encoding') {
      const rest = String(value)
        .split(',')
        .map((e) => e.trim())
        .filter((e) => e && e !== 'aws-chunked');
      if (rest.length) headers[name] = rest.join(',');
      continue;
    }
    if (bodyLength !== undefined && name === 'content-length') continue;
    headers[name] = value;
  }
  // s3rver builds Location headers and bodies from Host: keep the client's (the guard checked it is the
  // edge's own), so no answer names the emulator's private port.
  headers['host'] = req.headers.host ?? `${target.host}:${target.port}`;
  if (bodyLength !== undefined) headers['content-length'] = String(bodyLength);
  return headers;
}

async function requestBody(req: IncomingMessage): Promise<Buffer> {
  const raw = await readBody(req);
  if (!isChunked(req)) {
    const crc = req.headers['x-amz-checksum-crc32'];
    if (typeof crc === 'string') verifyCrc32(raw, crc);
    return raw;
  }
  const declared = req.headers['x-amz-decoded-content-length'];
  return decodeAwsChunked(raw, declared === undefined ? undefined : Number(declared)).body;
}

function send(res: ServerResponse, answer: UpstreamResponse): void {
  const headers = Object.fromEntries(
    Object.entries(answer.headers).filter(([name]) => !HOP_BY_HOP.has(name)),
  );
  headers['content-length'] = String(answer.body.length);
  res.writeHead(answer.status, headers);
  res.end(answer.body);
}

/**
 * The S3 half of the edge: validates what the emulator cannot store safely, decodes `aws-chunked`
 * uploads, injects faults for function traffic, forwards to s3rver, and turns each successful write or
 * delete into a durable change before the client hears about it.
 */
export function createS3Proxy(options: S3ProxyOptions) {
  const { target: up } = options;

  async function objectFacts(rawPath: string): Promise<{ size: number; etag: string } | undefined> {
    const head = await upstream(up, 'HEAD', rawPath, { host: `${up.host}:${up.port}` });
    if (head.status !== 200) return undefined;
    return { size: Number(head.headers['content-length'] ?? 0), etag: String(head.headers['etag'] ?? '') };
  }

  async function listV2(req: IncomingMessage, res: ServerResponse, target: S3Target): Promise<void> {
    const plan = translateListV2(target.query);
    if (typeof plan === 'string') return sendS3Error(res, 400, 'InvalidArgument', plan, target.rawPath);
    const answer = await upstream(
      up,
      'GET',
      `${target.rawPath}?${plan.upstreamQuery}`,
      forwardHeaders(req, up),
    );
    if (answer.status !== 200) return send(res, answer);
    send(res, { ...answer, body: Buffer.from(plan.toV2(answer.body.toString('utf8')), 'utf8') });
  }

  const context = { upstream: up, publish: options.onChange };
  return async function handleS3(call: S3Call, res: ServerResponse): Promise<void> {
    const { req, target } = call;
    const fault = pickFault(req, 's3', options.faultRate());
    if (fault) {
      req.resume();
      return sendS3Error(res, fault.status, fault.code, fault.message, target.rawPath);
    }
    for (const handler of options.handlers ?? []) if (await handler(call, res, context)) return;
    if (call.operation === 'ListObjectsV2') return listV2(req, res, target);
    const op = eventReason(call);
    const mustBuffer =
      isChunked(req) || op === 'DeleteObjects' || typeof req.headers['x-amz-checksum-crc32'] === 'string';
    if (!op && !mustBuffer) return pipeThrough(req, res, up);

    let body: Buffer | undefined;
    if (req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'DELETE') {
      try {
        body = await requestBody(req);
      } catch (error: unknown) {
        const code =
          error instanceof LocalStackError && error.code === 'CHECKSUM_MISMATCH'
            ? 'BadDigest'
            : 'IncompleteBody';
        return sendS3Error(
          res,
          400,
          code,
          error instanceof Error ? error.message : String(error),
          target.rawPath,
        );
      }
    } else {
      req.resume();
    }
    const answer = await upstream(
      up,
      req.method ?? 'GET',
      req.url ?? '/',
      forwardHeaders(req, up, body?.length ?? (req.method === 'DELETE' ? undefined : 0)),
      body,
    );
    if (op && answer.status >= 200 && answer.status < 300 && target.bucket) {
      const changes = await describeChanges(op, target, answer, body, objectFacts);
      if (changes.length) options.onChange(changes);
    }
    send(res, answer);
  };
}

async function describeChanges(
  op: S3EventReason,
  target: S3Target,
  answer: UpstreamResponse,
  body: Buffer | undefined,
  objectFacts: (rawPath: string) => Promise<{ size: number; etag: string } | undefined>,
): Promise<Omit<S3Change, 'sequencer'>[]> {
  const bucket = target.bucket as string;
  const requestId = String(answer.headers['x-amz-request-id'] ?? '') || undefined;
  const base = { bucket, ...(requestId ? { requestId } : {}) };
  if (op === 'DeleteObjects') {
    const deleted = deletedKeys(answer.body.toString('utf8'));
    // Some emulator versions answer with <Deleted><Key>; fall back to the request's keys on an empty answer.
    const keys = deleted.length ? deleted : requestedDeleteKeys(body?.toString('utf8') ?? '');
    return keys.map((key) => ({ ...base, key, reason: 'DeleteObjects' as const }));
  }
  const key = target.key as string;
  if (op === 'DeleteObject') return [{ ...base, key, reason: op }];
  if (
    op === 'CompleteMultipartUpload' &&
    !answer.body.toString('utf8').includes('CompleteMultipartUploadResult')
  )
    return [];
  const facts = await objectFacts(target.rawPath);
  if (!facts) return [];
  return [{ ...base, key, reason: op, size: facts.size, etag: facts.etag }];
}

function pipeThrough(req: IncomingMessage, res: ServerResponse, up: { host: string; port: number }): void {
  const proxied = request(
    { host: up.host, port: up.port, method: req.method, path: req.url, headers: forwardHeaders(req, up) },
    (answer) => {
      const headers = Object.fromEntries(
        Object.entries(answer.headers).filter(([name]) => !HOP_BY_HOP.has(name)),
      );
      res.writeHead(answer.statusCode ?? 502, headers);
      answer.pipe(res);
    },
  );
  proxied.on('error', (error) => {
    if (!res.headersSent)
      // The cause stays in the log: its message names the emulator's private address.
      sendS3Error(res, 500, 'InternalError', 'The local S3 emulator failed.');
    else res.destroy(error);
  });
  req.pipe(proxied);
}
