import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { ObjectStore } from './object-store';
import { STORED_HEADERS } from './records';

const OBJECT = '._S3rver_object';
const METADATA = '._S3rver_metadata.json';

function objectFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return objectFiles(path);
    return name.endsWith(OBJECT) ? [path] : [];
  });
}

function readMetadata(path: string): Record<string, string> {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    if (typeof parsed !== 'object' || parsed === null) return {};
    return Object.fromEntries(
      Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
    );
  } catch {
    return {};
  }
}

/**
 * Copies the objects of a data directory written by s3rver (before the local S3 had its own store:
 * `<bucket>/<key>._S3rver_object`, `._S3rver_metadata.json` and `._S3rver_object.md5`) into the store. Returns how
 * many objects it imported. No events are published: the pipeline saw these objects when they arrived.
 */
export async function importS3rverData(oldDir: string, store: ObjectStore): Promise<number> {
  if (!existsSync(oldDir)) return 0;
  let imported = 0;
  for (const bucket of readdirSync(oldDir)) {
    const bucketDir = join(oldDir, bucket);
    if (!statSync(bucketDir).isDirectory() || !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) continue;
    store.createBucket(bucket);
    for (const file of objectFiles(bucketDir)) {
      const key = relative(bucketDir, file).split(sep).join('/').slice(0, -OBJECT.length);
      const data = readFileSync(file);
      const meta = readMetadata(file.slice(0, -OBJECT.length) + METADATA);
      const headers: Record<string, string> = {};
      for (const name of STORED_HEADERS) if (meta[name] !== undefined) headers[name] = meta[name];
      const metadata = Object.fromEntries(
        Object.entries(meta)
          .filter(([name]) => name.startsWith('x-amz-meta-'))
          .map(([name, value]) => [name.slice('x-amz-meta-'.length), value]),
      );
      // s3rver keeps the MD5 (its ETag) beside the object; recompute it when that file is missing.
      const md5File = `${file}.md5`;
      const md5 = existsSync(md5File) ? readFileSync(md5File, 'utf8').trim() : '';
      const etag = /^[0-9a-f]{32}(-\d+)?$/.test(md5)
        ? `"${md5}"`
        : `"${createHash('md5').update(data).digest('hex')}"`;
      await store.putObject(bucket, key, data, { headers, metadata, tags: {} }, { size: data.length, etag });
      imported += 1;
    }
  }
  return imported;
}
