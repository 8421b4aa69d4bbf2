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
  type ListOptions,
  type ListPage,
  type ObjectStore,
  type PutOptions,
  type StoredObject,
} from '@imgpipe/core';
import { DeleteObjectsError, isAwsError } from './errors';

const unquote = (etag: string | undefined): string => (etag ?? '').replace(/^"|"$/g, '');
const quote = (etag: string): string => (etag.startsWith('"') ? etag : `"${etag}"`);

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

  async put(bucket: string, key: string, body: Buffer, options: PutOptions): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: body,
        ContentType: options.contentType,
        CacheControl: options.cacheControl,
        Metadata: { ...options.metadata },
      }),
    );
  }

  async deleteMany(bucket: string, keys: readonly string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += DELETE_BATCH) {
      const batch = keys.slice(i, i + DELETE_BATCH);
      const out = await this.s3.send(
        new DeleteObjectsCommand({
          Bucket: bucket,
          Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
        }),
      );
      const failed = (out.Errors ?? []).filter((e) => e.Code !== 'NoSuchKey');
      if (failed.length > 0) {
        const first = failed[0];
        throw new DeleteObjectsError(
          `DeleteObjects refused ${failed.length} of ${batch.length} keys in s3://${bucket}: ${first?.Code} ${first?.Message}`,
          first?.Code,
        );
      }
    }
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
