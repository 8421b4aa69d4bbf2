import {
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import {
  SourceTooLargeError,
  type DeleteResult,
  type DeleteTarget,
  type ListOptions,
  type ListPage,
  type ObjectStore,
  type PutOptions,
  type StoredObject,
} from '@imgpipe/core';
import { DeleteObjectsError, isAwsError } from './errors';

const unquote = (etag: string | undefined): string => (etag ?? '').replace(/^"|"$/g, '');
const quote = (etag: string): string => (etag.startsWith('"') ? etag : `"${etag}"`);

/** S3's answers to a condition that did not hold (a conditional write or delete did not apply). */
const REFUSED_CODES: readonly string[] = ['PreconditionFailed', 'ConditionalRequestConflict'];

/**
 * A conditional request S3 refused: 412, 409 ConditionalRequestConflict, or 404 NoSuchKey for
 * `If-Match` on no object (by name: NoSuchBucket is a 404 too, and no refusal).
 */
function isConditionRefusal(err: unknown): boolean {
  return isAwsError(err, [...REFUSED_CODES, 'NoSuchKey'], 412);
}

/** DeleteObjects takes at most this many keys. */
const DELETE_BATCH = 1000;

/**
 * The `ObjectStore` port on S3 (SDK v3). Reads stream into memory under a hard byte cap; a changed
 * or vanished object (412/404, or an ETag other than asked for) reads as `undefined`: the event is stale.
 */
export class S3ObjectStore implements ObjectStore {
  constructor(private readonly s3: S3Client) {}

  async head(bucket: string, key: string): Promise<StoredObject | undefined> {
    try {
      const out = await this.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return { key, size: out.ContentLength ?? 0, etag: unquote(out.ETag), metadata: out.Metadata ?? {} };
    } catch (err) {
      if (isAwsError(err, ['NotFound', 'NoSuchKey'], 404)) return undefined;
      throw err;
    }
  }

  async getBytes(bucket: string, key: string, options: { maxBytes: number; ifMatch?: string }) {
    let out;
    try {
      out = await this.s3.send(
        new GetObjectCommand({
          Bucket: bucket,
          Key: key,
          ...(options.ifMatch ? { IfMatch: quote(options.ifMatch) } : {}),
        }),
      );
    } catch (err) {
      if (isAwsError(err, ['PreconditionFailed', 'NoSuchKey', 'NotFound'], 412) || isAwsError(err, [], 404)) {
        return undefined;
      }
      throw err;
    }
    const body = out.Body as (AsyncIterable<Uint8Array> & { destroy?: () => void }) | undefined;
    // Servers that ignore If-Match still tell us which version they sent.
    if (options.ifMatch && out.ETag && unquote(out.ETag) !== unquote(options.ifMatch)) {
      body?.destroy?.();
      return undefined;
    }
    if (out.ContentLength !== undefined && out.ContentLength > options.maxBytes) {
      body?.destroy?.();
      throw new SourceTooLargeError(
        `Expected at most ${options.maxBytes} bytes but s3://${bucket}/${key} has ${out.ContentLength}`,
      );
    }
    if (!body) return Buffer.alloc(0);
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of body) {
      total += chunk.length;
      if (total > options.maxBytes) {
        body.destroy?.();
        throw new SourceTooLargeError(
          `Expected at most ${options.maxBytes} bytes but s3://${bucket}/${key} is larger`,
        );
      }
      // Node's HTTP body chunks are Buffers already: keep them (Buffer.from would copy each one).
      chunks.push(
        Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength),
      );
    }
    return Buffer.concat(chunks, total);
  }

  /**
   * PutObject, conditional when `options.condition` says so (`If-None-Match: *` / `If-Match`). S3
   * refuses a condition that does not hold when the write commits with 412 PreconditionFailed, a
   * concurrent conflicting write with 409 ConditionalRequestConflict, and `If-Match` on a missing key
   * with 404 NoSuchKey (https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html):
   * each is `false`, the write did not apply.
   */
  async put(bucket: string, key: string, body: Buffer, options: PutOptions): Promise<boolean> {
    const { condition } = options;
    try {
      await this.s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: body,
          ContentType: options.contentType,
          CacheControl: options.cacheControl,
          Metadata: { ...options.metadata },
          ...(condition && 'ifNoneMatch' in condition ? { IfNoneMatch: '*' } : {}),
          ...(condition && 'ifMatch' in condition ? { IfMatch: quote(condition.ifMatch) } : {}),
        }),
      );
      return true;
    } catch (err) {
      if (condition && isConditionRefusal(err)) return false;
      throw err;
    }
  }

  /**
   * DeleteObjects in batches; a target with an `etag` is a conditional delete (its `<ETag>` element,
   * https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-deletes.html; it needs
   * s3:GetObject as well as s3:DeleteObject). Keys refused by their ETag (PreconditionFailed, or
   * ConditionalRequestConflict when a write raced it) are reported; a missing key counts as deleted;
   * any other per-key error throws.
   */
  async deleteMany(bucket: string, targets: readonly DeleteTarget[]): Promise<DeleteResult> {
    const refused: string[] = [];
    for (let i = 0; i < targets.length; i += DELETE_BATCH) {
      const batch = targets.slice(i, i + DELETE_BATCH);
      const out = await this.s3.send(
        new DeleteObjectsCommand({
          Bucket: bucket,
          Delete: {
            Objects: batch.map((t) => ({ Key: t.key, ...(t.etag ? { ETag: quote(t.etag) } : {}) })),
            Quiet: true,
          },
        }),
      );
      const errors = out.Errors ?? [];
      for (const e of errors) if (e.Code && REFUSED_CODES.includes(e.Code)) refused.push(e.Key ?? '');
      const failed = errors.filter((e) => e.Code !== 'NoSuchKey' && !REFUSED_CODES.includes(e.Code ?? ''));
      if (failed.length > 0) {
        const first = failed[0];
        throw new DeleteObjectsError(
          `DeleteObjects refused ${failed.length} of ${batch.length} keys in s3://${bucket}: ${first?.Code} ${first?.Message}`,
          first?.Code,
        );
      }
    }
    return { refused };
  }

  async list(bucket: string, options: ListOptions): Promise<ListPage> {
    const out = await this.s3.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: options.prefix,
        Delimiter: options.delimiter,
        ContinuationToken: options.continuationToken,
        StartAfter: options.continuationToken === undefined ? options.startAfter : undefined,
        MaxKeys: options.maxKeys,
      }),
    );
    const objects = (out.Contents ?? []).map((o) => ({
      key: o.Key ?? '',
      size: o.Size ?? 0,
      etag: unquote(o.ETag),
    }));
    const prefixes = (out.CommonPrefixes ?? []).map((p) => p.Prefix ?? '');
    const nextToken = out.IsTruncated ? out.NextContinuationToken : undefined;
    return { objects, prefixes, ...(nextToken ? { nextToken } : {}) };
  }
}
