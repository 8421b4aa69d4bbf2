import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import {
  attributesFrom,
  checkContentMd5,
  checkWriteConditions,
  md5Etag,
  writePrecondition,
} from './attributes';
import { bucketOf, keyOf, type S3Context } from './context';
import { malformedXml, noSuchUpload, S3Error } from './errors';
import { el, header, requestBody, sendEmpty, sendXml } from './http';
import { versionHeaders } from './object-read';
import { copySource, created } from './object-write';
import { readCompleteParts } from './xml';

/** S3's smallest part (all but the last). */
export const MIN_PART_BYTES = 5 * 1024 * 1024;

/** Uploads being completed right now: a second completion must not read parts the first is removing. */
const completing = new Set<string>();

function uploadId(ctx: S3Context): string {
  return ctx.r.query.get('uploadId') ?? '';
}

function partNumber(ctx: S3Context): number {
  const text = ctx.r.query.get('partNumber') ?? '';
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > 10_000)
    throw new S3Error(
      400,
      'InvalidArgument',
      'Part number must be an integer between 1 and 10000, inclusive',
      {
        ArgumentName: 'partNumber',
        ArgumentValue: text,
      },
    );
  return n;
}

/** CreateMultipartUpload. */
export function createUpload(ctx: S3Context): void {
  const upload = ctx.store.multipart.create(bucketOf(ctx), keyOf(ctx), attributesFrom(ctx.r));
  sendXml(
    ctx,
    'InitiateMultipartUploadResult',
    el('Bucket', bucketOf(ctx)) + el('Key', upload.key) + el('UploadId', upload.uploadId),
  );
}

/** UploadPart. */
export async function uploadPart(ctx: S3Context): Promise<void> {
  const n = partNumber(ctx);
  ctx.store.multipart.upload(bucketOf(ctx), uploadId(ctx), keyOf(ctx));
  const body = await requestBody(ctx.r);
  checkContentMd5(ctx.r, body);
  const part = await ctx.store.multipart.putPart(
    bucketOf(ctx),
    uploadId(ctx),
    n,
    body,
    md5Etag(body),
    body.length,
  );
  sendEmpty(ctx.r, ctx.res, 200, { etag: part.etag });
}

/** UploadPartCopy: a part from (a byte range of) an existing object, as the CLI copies objects over 8 MB. */
export async function uploadPartCopy(ctx: S3Context): Promise<void> {
  const n = partNumber(ctx);
  ctx.store.multipart.upload(bucketOf(ctx), uploadId(ctx), keyOf(ctx));
  const source = copySource(ctx);
  const size = source.record.size;
  let start = 0;
  let end = size - 1;
  const rangeHeader = header(ctx.r, 'x-amz-copy-source-range');
  if (rangeHeader) {
    const match = /^bytes=(\d+)-(\d+)$/.exec(rangeHeader.trim());
    if (!match)
      throw new S3Error(
        400,
        'InvalidArgument',
        'The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy',
        {
          ArgumentName: 'x-amz-copy-source-range',
          ArgumentValue: rangeHeader,
        },
      );
    start = Number(match[1]);
    end = Number(match[2]);
    if (end < start || end >= size)
      throw new S3Error(416, 'InvalidRange', 'The requested range is not satisfiable', {
        RangeRequested: rangeHeader,
        ActualObjectSize: String(size),
      });
  }
  const length = Math.max(0, end - start + 1);
  const data = Buffer.alloc(length);
  if (length > 0) {
    const { path, start: base } = ctx.store.dataRange(source.bucket, source.record);
    const file = await open(path, 'r');
    try {
      await file.read(data, 0, length, base + start);
    } finally {
      await file.close();
    }
  }
  const part = await ctx.store.multipart.putPart(
    bucketOf(ctx),
    uploadId(ctx),
    n,
    data,
    md5Etag(data),
    length,
  );
  sendXml(ctx, 'CopyPartResult', el('LastModified', part.lastModified) + el('ETag', part.etag), {
    headers: ctx.store.bucket(source.bucket).versioning
      ? { 'x-amz-copy-source-version-id': source.record.versionId }
      : {},
  });
}

/** CompleteMultipartUpload: checks the part list as S3 does and stores the object with a `-N` ETag. */
export async function completeUpload(ctx: S3Context): Promise<void> {
  const bucket = bucketOf(ctx);
  const key = keyOf(ctx);
  const id = uploadId(ctx);
  const upload = ctx.store.multipart.upload(bucket, id, key);
  const body = (await requestBody(ctx.r, 4 * 1024 * 1024)).toString('utf8');
  const requested = readCompleteParts(body);
  if (!requested || requested.length === 0) throw malformedXml();
  for (const [i, p] of requested.entries()) {
    if (!Number.isInteger(p.partNumber)) throw malformedXml();
    if (i > 0 && p.partNumber <= (requested[i - 1]?.partNumber ?? 0))
      throw new S3Error(
        400,
        'InvalidPartOrder',
        'The list of parts was not in ascending order. Parts must be ordered by part number.',
        {
          UploadId: id,
        },
      );
  }
  if (completing.has(id)) throw noSuchUpload();
  completing.add(id);
  try {
    const stored = new Map(ctx.store.multipart.parts(bucket, id).map((p) => [p.partNumber, p]));
    const chosen = requested.map((p, i) => {
      const part = stored.get(p.partNumber);
      if (!part || (p.etag !== undefined && part.etag.replace(/"/g, '') !== p.etag))
        throw new S3Error(
          400,
          'InvalidPart',
          "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
          {
            UploadId: id,
            PartNumber: String(p.partNumber),
            ETag: p.etag ?? '',
          },
        );
      if (i < requested.length - 1 && part.size < MIN_PART_BYTES)
        throw new S3Error(
          400,
          'EntityTooSmall',
          'Your proposed upload is smaller than the minimum allowed object size.',
          {
            ProposedSize: String(part.size),
            MinSizeAllowed: String(MIN_PART_BYTES),
            PartNumber: String(part.partNumber),
          },
        );
      return part;
    });
    checkWriteConditions(ctx.r, ctx.store.latest(bucket, key));
    const precondition = writePrecondition(ctx.r);
    const digest = createHash('md5');
    for (const part of chosen) digest.update(Buffer.from(part.etag.replace(/"/g, ''), 'hex'));
    const etag = `"${digest.digest('hex')}-${chosen.length}"`;
    const record = await ctx.store.putObject(
      bucket,
      key,
      chosen.map((p) => ({ path: ctx.store.multipart.partPath(bucket, id, p.partNumber) })),
      { headers: upload.headers, metadata: upload.metadata, tags: upload.tags },
      {
        size: chosen.reduce((sum, p) => sum + p.size, 0),
        etag,
        parts: chosen.map((p) => p.size),
        ...(precondition ? { precondition } : {}),
      },
    );
    ctx.store.multipart.remove(bucket, id);
    ctx.emit([created(ctx, record, 'CompleteMultipartUpload')]);
    const host = header(ctx.r, 'host') || 'localhost';
    sendXml(
      ctx,
      'CompleteMultipartUploadResult',
      el('Location', `http://${host}/${bucket}/${encodeURIComponent(key)}`) +
        el('Bucket', bucket) +
        el('Key', key) +
        el('ETag', etag),
      { headers: versionHeaders(ctx, record) },
    );
  } finally {
    completing.delete(id);
  }
}

/** AbortMultipartUpload. */
export function abortUpload(ctx: S3Context): void {
  ctx.store.multipart.upload(bucketOf(ctx), uploadId(ctx), keyOf(ctx));
  if (completing.has(uploadId(ctx))) throw noSuchUpload();
  ctx.store.multipart.remove(bucketOf(ctx), uploadId(ctx));
  sendEmpty(ctx.r, ctx.res, 204);
}

/** ListParts (with `part-number-marker` and `max-parts`). */
export function listParts(ctx: S3Context): void {
  const { query } = ctx.r;
  const upload = ctx.store.multipart.upload(bucketOf(ctx), uploadId(ctx), keyOf(ctx));
  const marker = Number(query.get('part-number-marker') ?? 0) || 0;
  const max = Math.min(1000, Math.max(0, Number(query.get('max-parts') ?? 1000) || 1000));
  const after = ctx.store.multipart
    .parts(bucketOf(ctx), upload.uploadId)
    .filter((p) => p.partNumber > marker);
  const page = after.slice(0, max);
  const truncated = after.length > page.length;
  const parts = page
    .map(
      (p) =>
        `<Part>${el('PartNumber', p.partNumber)}${el('LastModified', p.lastModified)}${el('ETag', p.etag)}${el('Size', p.size)}</Part>`,
    )
    .join('');
  sendXml(
    ctx,
    'ListPartsResult',
    el('Bucket', bucketOf(ctx)) +
      el('Key', upload.key) +
      el('UploadId', upload.uploadId) +
      el('PartNumberMarker', marker) +
      (truncated ? el('NextPartNumberMarker', page[page.length - 1]?.partNumber ?? marker) : '') +
      el('MaxParts', max) +
      el('IsTruncated', truncated) +
      el('StorageClass', 'STANDARD') +
      parts,
  );
}
