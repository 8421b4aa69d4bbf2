import { createHash } from 'node:crypto';
import type { DeleteResult, DeleteTarget, ListPage, ObjectStore, PutOptions, StoredObject } from '../src';

interface FakeObject {
  readonly body: Buffer;
  readonly etag: string;
  readonly metadata: Readonly<Record<string, string>>;
}

/**
 * An in-memory S3 with S3's conditional writes and deletes, checked when the change commits (as S3
 * does). `beforeCommit` runs just before a put or delete commits, `afterHead` after each HEAD: the
 * hooks where a test lets another writer in, to replay a race step by step.
 */
export class FakeS3 implements ObjectStore {
  readonly objects = new Map<string, FakeObject>();
  /** Every request, in order: `put key`, `put key if-none-match`, `head key`, `delete key`... */
  readonly requests: string[] = [];
  afterHead?: (key: string) => Promise<void>;
  beforeCommit?: (key: string) => Promise<void>;

  private id(bucket: string, key: string): string {
    return `${bucket}/${key}`;
  }

  async head(bucket: string, key: string): Promise<StoredObject | undefined> {
    this.requests.push(`head ${key}`);
    const found = this.objects.get(this.id(bucket, key));
    const answer = found
      ? { key, size: found.body.length, etag: found.etag, metadata: found.metadata }
      : undefined;
    await this.afterHead?.(key);
    return answer;
  }

  getBytes(bucket: string, key: string, options: { maxBytes: number; ifMatch?: string }) {
    const found = this.objects.get(this.id(bucket, key));
    if (!found || (options.ifMatch !== undefined && options.ifMatch !== found.etag))
      return Promise.resolve(undefined);
    return Promise.resolve(found.body);
  }

  async put(bucket: string, key: string, body: Buffer, options: PutOptions): Promise<boolean> {
    const { condition } = options;
    this.requests.push(
      `put ${key}${condition ? ('ifMatch' in condition ? ' if-match' : ' if-none-match') : ''}`,
    );
    await this.beforeCommit?.(key);
    const current = this.objects.get(this.id(bucket, key));
    if (condition && 'ifNoneMatch' in condition && current) return false;
    if (condition && 'ifMatch' in condition && current?.etag !== condition.ifMatch) return false;
    const etag = createHash('md5').update(body).digest('hex');
    this.objects.set(this.id(bucket, key), { body, etag, metadata: { ...options.metadata } });
    return true;
  }

  async deleteMany(bucket: string, targets: readonly DeleteTarget[]): Promise<DeleteResult> {
    const refused: string[] = [];
    for (const { key, etag } of targets) {
      this.requests.push(`delete ${key}${etag === undefined ? '' : ' if-match'}`);
      await this.beforeCommit?.(key);
      const current = this.objects.get(this.id(bucket, key));
      if (etag !== undefined && current && current.etag !== etag) refused.push(key);
      else this.objects.delete(this.id(bucket, key));
    }
    return { refused };
  }

  list(bucket: string, options: { prefix?: string }): Promise<ListPage> {
    const prefix = `${bucket}/${options.prefix ?? ''}`;
    const objects = [...this.objects.entries()]
      .filter(([id]) => id.startsWith(prefix))
      .map(([id, o]) => ({ key: id.slice(bucket.length + 1), size: o.body.length, etag: o.etag }));
    return Promise.resolve({ objects });
  }

  /** Stores an object with no condition (a source upload, or an old variant). */
  seed(bucket: string, key: string, body: Buffer, metadata: Record<string, string> = {}): string {
    const etag = createHash('md5').update(body).digest('hex');
    this.objects.set(this.id(bucket, key), { body, etag, metadata });
    return etag;
  }
}
