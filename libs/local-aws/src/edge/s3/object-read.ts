import type { ServerResponse } from 'node:http';
import { close, createReadStream, open, read } from 'node:fs';
import { metadataHeader } from './attributes';
import { type ByteRange, evaluateRead, parseRange } from './conditions';
import { bucketOf, keyOf, type S3Context } from './context';
import { noSuchKey, S3Error } from './errors';
import { header, type S3Request } from './http';
import type { VersionRecord } from './store/records';

/** The read size of a GET served from disk. */
const READ_CHUNK_BYTES = 1024 * 1024;

/** The response-header overrides a GET may ask for (`response-content-type=…`). */
const OVERRIDES = [
  'content-type',
  'content-language',
  'expires',
  'cache-control',
  'content-disposition',
  'content-encoding',
] as const;

/** Whether version ids are reported for this bucket (once versioning was ever configured, as on S3). */
export function versionHeaders(ctx: S3Context, record: { versionId: string }): Record<string, string> {
  return ctx.store.bucket(bucketOf(ctx)).versioning ? { 'x-amz-version-id': record.versionId } : {};
}

/**
 * The version a read addresses: `?versionId=` or the current one. A delete marker answers as S3 does:
 * 404 NoSuchKey when current, 405 MethodNotAllowed when asked for by id, both with `x-amz-delete-marker`.
 */
export function resolveVersion(ctx: S3Context, versionId = ctx.r.query.get('versionId')): VersionRecord {
  const bucket = bucketOf(ctx);
  const key = keyOf(ctx);
  if (versionId !== null && versionId !== '') {
    const record = ctx.store.version(bucket, key, versionId);
    if (record.deleteMarker)
      throw new S3Error(
        405,
        'MethodNotAllowed',
        'The specified method is not allowed against this resource.',
        { Method: ctx.r.method, ResourceType: 'DeleteMarker' },
        { 'x-amz-delete-marker': 'true', 'x-amz-version-id': record.versionId, allow: 'DELETE' },
      );
    return record;
  }
  const record = ctx.store.latest(bucket, key);
  if (!record) throw noSuchKey();
  if (record.deleteMarker) {
    const error = noSuchKey();
    throw new S3Error(
      error.status,
      error.code,
      error.message,
      { Key: key },
      {
        'x-amz-delete-marker': 'true',
        ...versionHeaders(ctx, record),
      },
    );
  }
  return record;
}

/** The headers that describe a stored object. */
export function objectHeaders(ctx: S3Context, record: VersionRecord): Record<string, string> {
  const headers: Record<string, string> = {
    etag: record.etag,
    'last-modified': new Date(record.lastModified).toUTCString(),
    'accept-ranges': 'bytes',
    'content-type': 'binary/octet-stream',
    ...record.headers,
    ...versionHeaders(ctx, record),
  };
  for (const [name, value] of Object.entries(record.metadata))
    headers[`x-amz-meta-${name}`] = metadataHeader(value);
  const tagCount = Object.keys(record.tags).length;
  if (tagCount) headers['x-amz-tagging-count'] = String(tagCount);
  return headers;
}

function readConditions(r: S3Request) {
  const value = (name: string) => (r.req.headers[name] === undefined ? undefined : header(r, name));
  return {
    ...(value('if-match') === undefined ? {} : { ifMatch: value('if-match') }),
    ...(value('if-none-match') === undefined ? {} : { ifNoneMatch: value('if-none-match') }),
    ...(value('if-modified-since') === undefined ? {} : { ifModifiedSince: value('if-modified-since') }),
    ...(value('if-unmodified-since') === undefined
      ? {}
      : { ifUnmodifiedSince: value('if-unmodified-since') }),
  };
}

/** The byte range of `?partNumber=N` in a multipart object (the whole object is part 1 otherwise). */
function partRange(record: VersionRecord, partText: string): { range: ByteRange; count: number } {
  const partNumber = Number(partText);
  const parts = record.parts ?? [record.size];
  if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > 10_000)
    throw new S3Error(
      400,
      'InvalidArgument',
      'Part number must be an integer between 1 and 10000, inclusive',
      {
        ArgumentName: 'partNumber',
        ArgumentValue: partText,
      },
    );
  if (partNumber > parts.length)
    throw new S3Error(416, 'InvalidPartNumber', 'The requested partnumber is not satisfiable', {
      PartNumberRequested: partText,
      ActualPartCount: String(parts.length),
    });
  const start = parts.slice(0, partNumber - 1).reduce((sum, n) => sum + n, 0);
  return { range: { start, end: start + (parts[partNumber - 1] ?? 0) - 1 }, count: parts.length };
}

/**
 * Sends `length` bytes of the file from `start` as the whole answer: open, read, close, with no stream.
 * For what one stream read would hold anyway (up to 1 MiB, e.g. every variant and most sources), the
 * same three threadpool calls cost less of the edge's main thread than a ReadStream piped into the
 * response (its construction, flowing, end and destroy). A failed or short read destroys the response,
 * as the stream's error did; the headers (with the length) are already sent.
 */
function sendWhole(path: string, start: number, length: number, res: ServerResponse): void {
  open(path, 'r', (openError, fd) => {
    if (openError) {
      res.destroy();
      return;
    }
    const bytes = Buffer.allocUnsafe(length);
    const fill = (filled: number): void => {
      read(fd, bytes, filled, length - filled, start + filled, (readError, count) => {
        if (readError || count === 0) {
          close(fd, () => undefined);
          res.destroy();
          return;
        }
        if (filled + count < length) return fill(filled + count);
        close(fd, () => undefined);
        res.end(bytes);
      });
    };
    fill(0);
  });
}

/** GetObject and HeadObject: versions, preconditions, ranges, part numbers, response-header overrides. */
export function getObject(ctx: S3Context): void {
  const { r, res } = ctx;
  const record = resolveVersion(ctx);
  const headers = objectHeaders(ctx, record);
  const outcome = evaluateRead(readConditions(r), record);
  if (outcome === 412) {
    throw new S3Error(
      412,
      'PreconditionFailed',
      'At least one of the pre-conditions you specified did not hold',
      {
        Condition: r.req.headers['if-match'] !== undefined ? 'If-Match' : 'If-Unmodified-Since',
      },
    );
  }
  if (outcome === 304) {
    const kept = Object.fromEntries(
      Object.entries(headers).filter(([n]) => ['etag', 'last-modified', 'x-amz-version-id'].includes(n)),
    );
    res.writeHead(304, { ...kept, 'x-amz-request-id': r.requestId });
    res.end();
    return;
  }
  let range: ByteRange | undefined;
  const partNumber = r.query.get('partNumber');
  if (partNumber !== null) {
    const part = partRange(record, partNumber);
    range = part.range;
    headers['x-amz-mp-parts-count'] = String(part.count);
  } else if (r.req.headers.range !== undefined) {
    const parsed = parseRange(header(r, 'range'), record.size);
    if (parsed === 'unsatisfiable')
      throw new S3Error(
        416,
        'InvalidRange',
        'The requested range is not satisfiable',
        {
          RangeRequested: header(r, 'range'),
          ActualObjectSize: String(record.size),
        },
        { 'content-range': `bytes */${record.size}` },
      );
    range = parsed;
  }
  for (const name of OVERRIDES) {
    const value = r.query.get(`response-${name}`);
    if (value !== null) headers[name] = value;
  }
  const status = range ? 206 : 200;
  if (range) headers['content-range'] = `bytes ${range.start}-${range.end}/${record.size}`;
  const length = range ? range.end - range.start + 1 : record.size;
  headers['content-length'] = String(length);
  headers['x-amz-request-id'] = r.requestId;
  res.writeHead(status, headers);
  if (r.method === 'HEAD' || length === 0) {
    res.end();
    return;
  }
  const start = range?.start ?? 0;
  const end = range?.end ?? record.size - 1;
  const { path, start: base } = ctx.store.dataRange(bucketOf(ctx), record);
  if (length <= READ_CHUNK_BYTES) return sendWhole(path, base + start, length, res);
  // The end is always given: the stream then reads no more than the object (no last empty read) and
  // allocates no more than it needs; 1 MiB reads instead of 64 KiB mean fewer threadpool round trips.
  const stream = createReadStream(path, {
    start: base + start,
    end: base + end,
    highWaterMark: READ_CHUNK_BYTES,
  });
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}
