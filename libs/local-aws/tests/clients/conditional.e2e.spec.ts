import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { LocalStack } from '../../src';
import { s3For, startFixtureStack, tempDir } from '../support/helpers';
import { s3Outcome } from './support';

// S3's conditional writes and deletes over the wire, with the real SDK: the condition holds when the
// write commits (https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html), and a
// delete can be conditioned on the ETag it saw
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-deletes.html).

jest.setTimeout(90_000);

describe('conditional writes and deletes against the local S3', () => {
  let stack: LocalStack;
  let s3: S3Client;
  let dataDir: string;
  const bucket = 'cond-bucket';

  beforeAll(async () => {
    dataDir = tempDir('conditional');
    stack = await startFixtureStack(dataDir);
    s3 = s3For(stack.endpoint);
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });
  afterAll(async () => {
    s3?.destroy();
    await stack?.stop();
  });

  const body = async (key: string) => {
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return Buffer.from(await (got.Body?.transformToByteArray() ?? Promise.resolve(new Uint8Array())));
  };
  const dataFiles = () => readdirSync(join(dataDir, 'buckets', bucket, 'data')).length;

  it('lets exactly one of many concurrent If-None-Match: * PUTs create the key, and keeps no refused bytes', async () => {
    const before = dataFiles();
    const bodies = Array.from({ length: 8 }, () => randomBytes(512 * 1024));
    const results = await Promise.all(
      bodies.map((Body) =>
        s3Outcome(
          s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'race/new.bin', Body, IfNoneMatch: '*' })),
        ),
      ),
    );
    const won = results.flatMap(([name], i) => (name === 'ok' ? [i] : []));
    expect(won).toHaveLength(1);
    expect(results.filter(([name]) => name !== 'ok')).toEqual(
      Array.from({ length: 7 }, () => ['PreconditionFailed', 412]),
    );
    expect((await body('race/new.bin')).equals(bodies[won[0]!]!)).toBe(true);
    expect(dataFiles()).toBe(before + 1);
  });

  it('lets exactly one of concurrent If-Match PUTs over the same ETag replace the object', async () => {
    const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'race/over.bin', Body: 'v1' }));
    const bodies = Array.from({ length: 6 }, () => randomBytes(256 * 1024));
    const results = await Promise.all(
      bodies.map((Body) =>
        s3Outcome(
          s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'race/over.bin', Body, IfMatch: put.ETag })),
        ),
      ),
    );
    const won = results.flatMap(([name], i) => (name === 'ok' ? [i] : []));
    expect(won).toHaveLength(1);
    expect((await body('race/over.bin')).equals(bodies[won[0]!]!)).toBe(true);
  });

  it('deletes with If-Match only the object it names: 412 for another ETag, 404 for no object', async () => {
    const v1 = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'del/one.txt', Body: 'v1' }));
    const v2 = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'del/one.txt', Body: 'v2' }));
    const del = (IfMatch: string | undefined, Key = 'del/one.txt') =>
      s3Outcome(s3.send(new DeleteObjectCommand({ Bucket: bucket, Key, IfMatch })));
    expect(await del(v1.ETag)).toEqual(['PreconditionFailed', 412]);
    expect((await body('del/one.txt')).toString()).toBe('v2');
    expect(await del(v2.ETag)).toEqual(['ok', 200]);
    expect(await s3Outcome(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'del/one.txt' })))).toEqual([
      'NotFound',
      404,
    ]);
    expect(await del(v2.ETag)).toEqual(['NoSuchKey', 404]);
    expect(await del(undefined, 'del/never.txt')).toEqual(['ok', 200]);
  });

  it('deletes each DeleteObjects key only while it has the <ETag> sent, reporting PreconditionFailed for the rest', async () => {
    const a = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'many/a.txt', Body: 'a' }));
    const b = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'many/b.txt', Body: 'b' }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'many/b.txt', Body: 'newer b' }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'many/c.txt', Body: 'c' }));
    const result = await s3.send(
      new DeleteObjectsCommand({
        Bucket: bucket,
        Delete: {
          Objects: [
            { Key: 'many/a.txt', ETag: a.ETag },
            { Key: 'many/b.txt', ETag: b.ETag },
            { Key: 'many/c.txt' },
          ],
        },
      }),
    );
    expect(result.Deleted?.map((d) => d.Key)).toEqual(['many/a.txt', 'many/c.txt']);
    expect(result.Errors?.map((e) => [e.Key, e.Code])).toEqual([['many/b.txt', 'PreconditionFailed']]);
    expect((await body('many/b.txt')).toString()).toBe('newer b');
  });
});
