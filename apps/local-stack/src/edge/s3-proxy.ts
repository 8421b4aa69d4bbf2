import { type IncomingMessage, type ServerResponse, request } from 'node:http';
import { LocalStackError } from '../errors';
import type { S3RequestFacts } from '../iam/s3-actions';
import type { S3Change, S3EventReason } from '../events/s3-event';
import { decodeAwsChunked, verifyCrc32 } from './aws-chunked';
import { pickFault } from './faults';
import { HOP_BY_HOP, readBody, upstream, type UpstreamResponse } from './http-util';
import { translateListV2 } from './list-v2';
import { type KeyRejection, validateBucketName, validateKey, validateUploadId } from './keys';
import { sendS3Error, xmlBlocks, xmlValues } from './s3-xml';

export interface S3ProxyOptions {
  readonly target: { host: string; port: number };
  readonly faultRate: () => number;
  /** Called after a successful write or delete, before the client is answered; must be durable when it returns. */
  readonly onChange: (changes: readonly Omit<S3Change, 'sequencer'>[]) => void;
  /** Decides whether the request's signer may do it: undefined to allow, or AWS's AccessDenied message. */
  readonly authorize?: (req: IncomingMessage, facts: S3RequestFacts) => string | undefined;
}

/** Query parameters that address a sub-resource rather than the object itself. */
const SUBRESOURCES = [
  'tagging',
  'acl',
  'retention',
  'legal-hold',
  'torrent',
  'restore',
  'select',
  'attributes',
];

interface Target {
  readonly bucket?: string;
  readonly key?: string;
  readonly rawPath: string;
  readonly query: URLSearchParams;
}

function parseTarget(url: string): Target | KeyRejection {
  const q = url.indexOf('?');
  const rawPath = q < 0 ? url : url.slice(0, q);
  const query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
  const slash = rawPath.indexOf('/', 1);
  try {
    const bucket = decodeURIComponent(slash < 0 ? rawPath.slice(1) : rawPath.slice(1, slash));
    const key = slash < 0 ? undefined : decodeURIComponent(rawPath.slice(slash + 1));
    return { ...(bucket ? { bucket } : {}), ...(key ? { key } : {}), rawPath, query };
  } catch {
    return { status: 400, code: 'InvalidURI', message: 'Could not parse the specified URI.' };
  }
}

function validate(req: IncomingMessage, target: Target): KeyRejection | undefined {
  if (target.bucket !== undefined) {
    const bad = validateBucketName(target.bucket);
    if (bad) return bad;
  }
  if (target.key !== undefined) {
    const bad = validateKey(target.key);
    if (bad) return bad;
  }
  const uploadId = target.query.get('uploadId');
  if (uploadId !== null) {
    const bad = validateUploadId(uploadId);
    if (bad) return bad;
  }
  for (const name of ['prefix', 'start-after', 'marker']) {
    const value = target.query.get(name);
    if (value && value.split('/').some((s) => s === '..' || s === '.')) {
      return {
        status: 400,
        code: 'InvalidArgument',
        message: `The ${name} must not contain "." or ".." segments.`,
      };
    }
  }
  const copySource = req.headers['x-amz-copy-source'];
  if (typeof copySource === 'string') {
    const parsed = parseTarget(`/${copySource.replace(/^\//, '').split('?')[0] ?? ''}`);
    if ('status' in parsed) return parsed;
    if (!parsed.bucket || !parsed.key)
      return {
        status: 400,
        code: 'InvalidArgument',
        message: 'Copy Source must mention the source bucket and key: sourcebucket/sourcekey.',
      };
    return validate({ headers: {} } as IncomingMessage, parsed);
  }
  return undefined;
}

function operation(req: IncomingMessage, target: Target): S3EventReason | undefined {
  const { key, query } = target;
  if (SUBRESOURCES.some((name) => query.has(name))) return undefined;
  if (req.method === 'POST' && key === undefined && query.has('delete')) return 'DeleteObjects';
  if (key === undefined) return undefined;
  if (req.method === 'PUT' && !query.has('uploadId') && !query.has('partNumber')) {
    return req.headers['x-amz-copy-source'] ? 'CopyObject' : 'PutObject';
  }
  if (req.method === 'POST' && query.has('uploadId')) return 'CompleteMultipartUpload';
  if (req.method === 'DELETE' && !query.has('uploadId')) return 'DeleteObject';
  return undefined;
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
  headers['host'] = `${target.host}:${target.port}`;
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

  async function listV2(req: IncomingMessage, res: ServerResponse, target: Target): Promise<void> {
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

  return async function handleS3(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = parseTarget(req.url ?? '/');
    if ('status' in target)
      return sendS3Error(res, target.status, target.code, target.message, req.url ?? '');
    const rejection = validate(req, target);
    if (rejection) {
      req.resume();
      return sendS3Error(res, rejection.status, rejection.code, rejection.message, target.rawPath);
    }
    const facts: S3RequestFacts = {
      method: req.method ?? 'GET',
      ...(target.bucket === undefined ? {} : { bucket: target.bucket }),
      ...(target.key === undefined ? {} : { key: target.key }),
      query: target.query,
      ...(typeof req.headers['x-amz-copy-source'] === 'string'
        ? { copySource: req.headers['x-amz-copy-source'] }
        : {}),
    };
    const isDeleteObjects = req.method === 'POST' && target.key === undefined && target.query.has('delete');
    // DeleteObjects is authorized key by key, once its body is read.
    const denied = isDeleteObjects ? undefined : options.authorize?.(req, facts);
    if (denied !== undefined) {
      req.resume();
      return sendS3Error(res, 403, 'AccessDenied', denied, target.rawPath);
    }
    const fault = pickFault(req, 's3', options.faultRate());
    if (fault) {
      req.resume();
      return sendS3Error(res, fault.status, fault.code, fault.message, target.rawPath);
    }
    if (
      req.method === 'GET' &&
      target.bucket &&
      target.key === undefined &&
      target.query.get('list-type') === '2'
    ) {
      return listV2(req, res, target);
    }
    const op = operation(req, target);
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
    if (isDeleteObjects) {
      const deleteKeys = xmlBlocks(body?.toString('utf8') ?? '', 'Object').flatMap((block) => {
        const [key] = xmlValues(block, 'Key');
        const [versionId] = xmlValues(block, 'VersionId');
        return key === undefined ? [] : [{ key, ...(versionId ? { versionId } : {}) }];
      });
      const refused = options.authorize?.(req, { ...facts, deleteKeys });
      if (refused !== undefined) return sendS3Error(res, 403, 'AccessDenied', refused, target.rawPath);
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
  target: Target,
  answer: UpstreamResponse,
  body: Buffer | undefined,
  objectFacts: (rawPath: string) => Promise<{ size: number; etag: string } | undefined>,
): Promise<Omit<S3Change, 'sequencer'>[]> {
  const bucket = target.bucket as string;
  const requestId = String(answer.headers['x-amz-request-id'] ?? '') || undefined;
  const base = { bucket, ...(requestId ? { requestId } : {}) };
  if (op === 'DeleteObjects') {
    const deleted = xmlBlocks(answer.body.toString('utf8'), 'Deleted').flatMap((block) =>
      xmlValues(block, 'Key'),
    );
    // Some emulator versions answer with <Deleted><Key>; fall back to the request's keys on an empty answer.
    const keys = deleted.length ? deleted : xmlValues(body?.toString('utf8') ?? '', 'Key');
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
      sendS3Error(res, 500, 'InternalError', `The local S3 emulator failed: ${error.message}`);
    else res.destroy(error);
  });
  req.pipe(proxied);
}
