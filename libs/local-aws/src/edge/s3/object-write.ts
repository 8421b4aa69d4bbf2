import {
  attributesFrom,
  checkContentMd5,
  checkWriteConditions,
  copySourceConditions,
  deletePrecondition,
  md5Etag,
  parseCopySource,
  writePrecondition,
} from './attributes';
import { checkCopySource } from './conditions';
import { bucketOf, keyOf, type S3Context } from './context';
import { malformedXml, noSuchKey, S3Error } from './errors';
import { el, header, requestBody, sendEmpty, sendXml } from './http';
import { resolveVersion, versionHeaders } from './object-read';
import { validateKey } from './keys';
import { readDeleteObjects, readTagging } from './xml';
import type { VersionRecord } from './store/records';

/** PutObject (with Content-MD5, CRC32 and conditional-write checks). */
export async function putObject(ctx: S3Context): Promise<void> {
  const { r, store } = ctx;
  const bucket = bucketOf(ctx);
  const key = keyOf(ctx);
  store.bucket(bucket);
  const body = await requestBody(r);
  checkContentMd5(r, body);
  checkWriteConditions(r, store.latest(bucket, key));
  const precondition = writePrecondition(r);
  const record = await store.putObject(bucket, key, body, attributesFrom(r), {
    size: body.length,
    etag: md5Etag(body),
    ...(precondition ? { precondition } : {}),
  });
  ctx.emit([created(ctx, record, 'PutObject')]);
  sendEmpty(r, ctx.res, 200, { etag: record.etag, ...versionHeaders(ctx, record) });
}

/** The change report of a created object. */
export function created(
  ctx: S3Context,
  record: VersionRecord,
  reason: 'PutObject' | 'POST Object' | 'CopyObject' | 'CompleteMultipartUpload',
) {
  return {
    bucket: bucketOf(ctx),
    key: record.key,
    reason,
    size: record.size,
    etag: record.etag,
    requestId: ctx.r.requestId,
    ...versionHeadersToChange(ctx, record),
  };
}

function versionHeadersToChange(ctx: S3Context, record: { versionId: string }) {
  const v = versionHeaders(ctx, record)['x-amz-version-id'];
  return v === undefined ? {} : { versionId: v };
}

/** The source version of a copy, with its preconditions checked. */
export function copySource(ctx: S3Context): { bucket: string; record: VersionRecord } {
  const source = parseCopySource(ctx.r);
  const bad = validateKey(source.key);
  if (bad) throw new S3Error(bad.status, bad.code, bad.message);
  ctx.store.bucket(source.bucket);
  const record = source.versionId
    ? ctx.store.version(source.bucket, source.key, source.versionId)
    : ctx.store.latest(source.bucket, source.key);
  if (!record || record.deleteMarker) throw noSuchKey();
  checkCopySource(copySourceConditions(ctx.r), record);
  return { bucket: source.bucket, record };
}

/** CopyObject: any key, metadata and tagging directives, source preconditions, versions. */
export async function copyObject(ctx: S3Context): Promise<void> {
  const { r, store } = ctx;
  const bucket = bucketOf(ctx);
  const key = keyOf(ctx);
  store.bucket(bucket);
  const source = copySource(ctx);
  const metadataDirective = header(r, 'x-amz-metadata-directive').toUpperCase() || 'COPY';
  const taggingDirective = header(r, 'x-amz-tagging-directive').toUpperCase() || 'COPY';
  if (!['COPY', 'REPLACE'].includes(metadataDirective) || !['COPY', 'REPLACE'].includes(taggingDirective))
    throw new S3Error(400, 'InvalidArgument', 'Unknown metadata or tagging directive.');
  if (
    source.bucket === bucket &&
    source.record.key === key &&
    metadataDirective === 'COPY' &&
    !store.bucket(bucket).versioning
  )
    throw new S3Error(
      400,
      'InvalidRequest',
      "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
    );
  checkWriteConditions(r, store.latest(bucket, key));
  const precondition = writePrecondition(r);
  const requested = attributesFrom(r);
  const attributes = {
    headers: metadataDirective === 'REPLACE' ? requested.headers : source.record.headers,
    metadata: metadataDirective === 'REPLACE' ? requested.metadata : source.record.metadata,
    tags: taggingDirective === 'REPLACE' ? requested.tags : source.record.tags,
  };
  // The source's bytes: a file of its own, or its range of a segment.
  const from = store.dataRange(source.bucket, source.record);
  const record = await store.putObject(
    bucket,
    key,
    source.record.size === 0
      ? Buffer.alloc(0)
      : [{ path: from.path, start: from.start, end: from.start + source.record.size - 1 }],
    attributes,
    {
      size: source.record.size,
      etag: source.record.etag,
      ...(source.record.parts ? { parts: source.record.parts } : {}),
      ...(precondition ? { precondition } : {}),
    },
  );
  ctx.emit([created(ctx, record, 'CopyObject')]);
  const sourceVersion: Record<string, string> = store.bucket(source.bucket).versioning
    ? { 'x-amz-copy-source-version-id': source.record.versionId }
    : {};
  sendXml(ctx, 'CopyObjectResult', el('LastModified', record.lastModified) + el('ETag', record.etag), {
    headers: { ...versionHeaders(ctx, record), ...sourceVersion },
  });
}

/** DeleteObject: a delete marker in a versioned bucket, or a permanent delete (of a version). */
export async function deleteObject(ctx: S3Context): Promise<void> {
  const { r, store } = ctx;
  const bucket = bucketOf(ctx);
  const key = keyOf(ctx);
  const versionId = r.query.get('versionId') || undefined;
  const ifMatch = r.req.headers['if-match'] === undefined ? undefined : header(r, 'if-match');
  const outcome = await store.deleteObject(bucket, key, versionId, deletePrecondition(ifMatch));
  ctx.emit([
    {
      bucket,
      key,
      reason: 'DeleteObject',
      requestId: r.requestId,
      deletionType: outcome.deletionType,
      ...(outcome.versionId === undefined ? {} : { versionId: outcome.versionId }),
    },
  ]);
  sendEmpty(r, ctx.res, 204, {
    ...(outcome.versionId === undefined ? {} : { 'x-amz-version-id': outcome.versionId }),
    ...(outcome.deleteMarker ? { 'x-amz-delete-marker': 'true' } : {}),
  });
}

/** DeleteObjects: each key on its own; events for every key deleted even when others fail. */
export async function deleteObjects(ctx: S3Context): Promise<void> {
  const { r, store } = ctx;
  const bucket = bucketOf(ctx);
  store.bucket(bucket);
  const body = (await requestBody(r, 2 * 1024 * 1024)).toString('utf8');
  const request = readDeleteObjects(body);
  if (!request) throw malformedXml();
  const { objects, quiet } = request;
  if (objects.length === 0 || objects.length > 1000) throw malformedXml();
  const results: string[] = [];
  const changes = [];
  for (const { key, versionId, etag } of objects) {
    if (key === undefined) throw malformedXml();
    const bad = validateKey(key);
    const refused = bad ?? ctx.refuseDelete(key, versionId || undefined, etag);
    if (refused) {
      results.push(
        `<Error>${el('Key', key)}${versionId ? el('VersionId', versionId) : ''}` +
          `${el('Code', refused.code)}${el('Message', refused.message)}</Error>`,
      );
      continue;
    }
    try {
      const outcome = await store.deleteObject(bucket, key, versionId || undefined, deletePrecondition(etag));
      changes.push({
        bucket,
        key,
        reason: 'DeleteObjects' as const,
        requestId: r.requestId,
        deletionType: outcome.deletionType,
        ...(outcome.versionId === undefined ? {} : { versionId: outcome.versionId }),
      });
      if (!quiet)
        results.push(
          `<Deleted>${el('Key', key)}` +
            (versionId ? el('VersionId', versionId) : '') +
            (outcome.deleteMarker ? el('DeleteMarker', true) : '') +
            (outcome.deleteMarker && outcome.versionId
              ? el('DeleteMarkerVersionId', outcome.versionId)
              : '') +
            '</Deleted>',
        );
    } catch (error: unknown) {
      const e = error instanceof S3Error ? error : new S3Error(500, 'InternalError', String(error));
      results.push(
        `<Error>${el('Key', key)}${versionId ? el('VersionId', versionId) : ''}${el('Code', e.code)}${el('Message', e.message)}</Error>`,
      );
    }
  }
  ctx.emit(changes);
  sendXml(ctx, 'DeleteResult', results.join(''));
}

/** GetObjectTagging / PutObjectTagging / DeleteObjectTagging. */
export async function objectTagging(ctx: S3Context): Promise<void> {
  const { r, store } = ctx;
  const record = resolveVersion(ctx);
  if (r.method === 'GET') {
    const tags = Object.entries(record.tags)
      .map(([k, v]) => `<Tag>${el('Key', k)}${el('Value', v)}</Tag>`)
      .join('');
    return sendXml(ctx, 'Tagging', `<TagSet>${tags}</TagSet>`, { headers: versionHeaders(ctx, record) });
  }
  let tags: Record<string, string> = {};
  if (r.method === 'PUT') {
    const body = (await requestBody(r, 1024 * 1024)).toString('utf8');
    const requested = readTagging(body);
    if (!requested) throw malformedXml();
    for (const { key: k, value } of requested) {
      if (k === undefined) throw malformedXml();
      tags[k] = value;
    }
    if (Object.keys(tags).length > 10)
      throw new S3Error(400, 'BadRequest', 'Object tags cannot be greater than 10');
  } else tags = {};
  await store.setTags(bucketOf(ctx), keyOf(ctx), record.versionId, tags);
  sendEmpty(r, ctx.res, r.method === 'PUT' ? 200 : 204, versionHeaders(ctx, record));
}
