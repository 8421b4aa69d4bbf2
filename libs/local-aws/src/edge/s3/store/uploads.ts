import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { noSuchUpload } from '../errors';
import { concatAtomic, writeDataAtomic, writeJsonAtomic } from './disk';
import type { PartRecord, UploadRecord } from './records';

/** What a write stores besides the bytes. */
export interface ObjectAttributes {
  readonly headers: Readonly<Record<string, string>>;
  readonly metadata: Readonly<Record<string, string>>;
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * Multipart uploads in progress, one directory each under the bucket's `uploads/`: the upload record
 * and each part's bytes and record, every file replaced atomically.
 */
export class MultipartUploads {
  constructor(
    private readonly dirOf: (bucket: string) => string,
    /** Throws NoSuchBucket for a bucket that does not exist. */
    private readonly check: (bucket: string) => void,
  ) {}

  private uploadDir(bucket: string, uploadId: string): string {
    if (!/^[A-Za-z0-9_-]{1,128}$/.test(uploadId)) throw noSuchUpload();
    return join(this.dirOf(bucket), uploadId);
  }

  create(bucket: string, key: string, attributes: ObjectAttributes): UploadRecord {
    this.check(bucket);
    const record: UploadRecord = {
      uploadId: randomBytes(24).toString('base64url'),
      key,
      initiated: new Date().toISOString(),
      ...attributes,
    };
    mkdirSync(this.uploadDir(bucket, record.uploadId), { recursive: true });
    writeJsonAtomic(join(this.uploadDir(bucket, record.uploadId), 'upload.json'), record);
    return record;
  }

  /** The upload, checked against the key it was started for. */
  upload(bucket: string, uploadId: string, key?: string): UploadRecord {
    this.check(bucket);
    const file = join(this.uploadDir(bucket, uploadId), 'upload.json');
    if (!existsSync(file)) throw noSuchUpload();
    const record = JSON.parse(readFileSync(file, 'utf8')) as UploadRecord;
    if (key !== undefined && record.key !== key) throw noSuchUpload();
    return record;
  }

  list(bucket: string): UploadRecord[] {
    this.check(bucket);
    return readdirSync(this.dirOf(bucket))
      .filter((id) => existsSync(join(this.dirOf(bucket), id, 'upload.json')))
      .map((id) => this.upload(bucket, id));
  }

  partPath(bucket: string, uploadId: string, partNumber: number): string {
    return join(this.uploadDir(bucket, uploadId), `part-${partNumber}`);
  }

  async putPart(
    bucket: string,
    uploadId: string,
    partNumber: number,
    content: Buffer | readonly { path: string; start?: number; end?: number }[],
    etag: string,
    size: number,
  ): Promise<PartRecord> {
    this.upload(bucket, uploadId);
    const path = this.partPath(bucket, uploadId, partNumber);
    if (Buffer.isBuffer(content)) await writeDataAtomic(path, content);
    else await concatAtomic(path, content);
    const part: PartRecord = { partNumber, size, etag, lastModified: new Date().toISOString() };
    writeJsonAtomic(`${path}.json`, part);
    return part;
  }

  parts(bucket: string, uploadId: string): PartRecord[] {
    const dir = this.uploadDir(bucket, uploadId);
    this.upload(bucket, uploadId);
    return readdirSync(dir)
      .filter((f) => /^part-\d+\.json$/.test(f))
      .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as PartRecord)
      .sort((a, b) => a.partNumber - b.partNumber);
  }

  remove(bucket: string, uploadId: string): void {
    const dir = this.uploadDir(bucket, uploadId);
    // The record goes first: a crash midway leaves part files no upload names, never a half upload.
    if (existsSync(join(dir, 'upload.json'))) unlinkSync(join(dir, 'upload.json'));
    rmSync(dir, { recursive: true, force: true });
  }
}
