import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
  type GetObjectCommandInput,
} from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describeS3Call } from '../../src/edge/s3/request';
import { createS3Edge } from '../../src/edge/s3/router';
import { DataCache } from '../../src/edge/s3/store/data-cache';
import { ObjectStore } from '../../src/edge/s3/store/object-store';
import { tempDir } from '../support/helpers';

/** The local S3 over `store` on a free port, as the edge serves it. */
async function serve(store: ObjectStore): Promise<{ client: S3Client; server: Server }> {
  const handle = createS3Edge({ store, faultRate: () => 0, onChange: () => undefined });
  const server = createServer((req, res) => {
    const call = describeS3Call(req);
    if ('status' in call) {
      res.writeHead(call.status).end(call.message);
      return;
    }
    void handle(call, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = new S3Client({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  return { client, server };
}

async function stop({ client, server }: { client: S3Client; server: Server }): Promise<void> {
  client.destroy();
  await new Promise((resolve) => server.close(resolve));
}

/** What a GET answers: status-relevant headers and the bytes. */
async function read(client: S3Client, input: Omit<GetObjectCommandInput, 'Bucket'>) {
  const out = await client.send(new GetObjectCommand({ Bucket: 'bkt', ...input }));
  const body = Buffer.from(await (out.Body?.transformToByteArray() ?? new Uint8Array()));
  return {
    etag: out.ETag,
    length: out.ContentLength,
    range: out.ContentRange,
    parts: out.PartsCount,
    body: body.toString('base64'),
  };
}

const READS: readonly Omit<GetObjectCommandInput, 'Bucket' | 'Key'>[] = [
  {},
  { Range: 'bytes=0-0' },
  { Range: 'bytes=100-1099' },
  { Range: 'bytes=299000-' },
  { Range: 'bytes=-777' },
  { Range: 'bytes=250000-999999999' },
  { PartNumber: 1 },
];

describe('the store keeps recently written bytes for GETs', () => {
  it('answers every read of a just-written object from memory with the bytes and ranges the disk gives', async () => {
    const root = join(tempDir('cache'), 'buckets');
    const store = ObjectStore.open(root);
    const live = await serve(store);
    await live.client.send(new CreateBucketCommand({ Bucket: 'bkt' }));
    const data = randomBytes(300_000);
    await live.client.send(new PutObjectCommand({ Bucket: 'bkt', Key: 'photo.jpg', Body: data }));
    const record = store.latest('bkt', 'photo.jpg');
    if (!record) throw new Error('not stored');
    expect(store.cachedData('bkt', record)?.equals(data)).toBe(true);
    const fromMemory = [];
    for (const read1 of READS) fromMemory.push(await read(live.client, { Key: 'photo.jpg', ...read1 }));
    // The same reads from a store opened afresh (nothing cached: every answer comes from the disk).
    const cold = ObjectStore.open(root);
    expect(cold.cachedData('bkt', record)).toBeUndefined();
    const disk = await serve(cold);
    const fromDisk = [];
    for (const read1 of READS) fromDisk.push(await read(disk.client, { Key: 'photo.jpg', ...read1 }));
    expect(fromMemory).toEqual(fromDisk);
    expect(fromDisk.map((r) => [r.length, r.range])).toEqual([
      [300_000, undefined],
      [1, 'bytes 0-0/300000'],
      [1000, 'bytes 100-1099/300000'],
      [1000, 'bytes 299000-299999/300000'],
      [777, 'bytes 299223-299999/300000'],
      [50_000, 'bytes 250000-299999/300000'],
      [300_000, 'bytes 0-299999/300000'],
    ]);
    expect(fromDisk[0]?.body).toBe(data.toString('base64'));
    // Proof that the live store answered from memory: its bytes still come back without the file.
    rmSync(store.dataPath('bkt', record));
    expect(await read(live.client, { Key: 'photo.jpg', Range: 'bytes=5-9' })).toEqual({
      ...fromDisk[0],
      length: 5,
      range: 'bytes 5-9/300000',
      body: data.subarray(5, 10).toString('base64'),
    });
    await Promise.all([stop(live), stop(disk)]);
  });

  it('never answers with the bytes of an overwritten, deleted or removed version', async () => {
    const store = ObjectStore.open(join(tempDir('cache'), 'buckets'));
    const live = await serve(store);
    await live.client.send(new CreateBucketCommand({ Bucket: 'bkt' }));
    await live.client.send(new PutObjectCommand({ Bucket: 'bkt', Key: 'k', Body: 'first' }));
    const first = store.latest('bkt', 'k');
    await live.client.send(new PutObjectCommand({ Bucket: 'bkt', Key: 'k', Body: 'second' }));
    expect(first && store.cachedData('bkt', first)).toBeUndefined();
    expect((await read(live.client, { Key: 'k' })).body).toBe(Buffer.from('second').toString('base64'));
    const second = store.latest('bkt', 'k');
    await live.client.send(new DeleteObjectCommand({ Bucket: 'bkt', Key: 'k' }));
    expect(second && store.cachedData('bkt', second)).toBeUndefined();
    await expect(read(live.client, { Key: 'k' })).rejects.toThrow('does not exist');

    await live.client.send(new CreateBucketCommand({ Bucket: 'vbkt' }));
    await live.client.send(
      new PutBucketVersioningCommand({ Bucket: 'vbkt', VersioningConfiguration: { Status: 'Enabled' } }),
    );
    const one = await live.client.send(new PutObjectCommand({ Bucket: 'vbkt', Key: 'k', Body: 'one' }));
    await live.client.send(new PutObjectCommand({ Bucket: 'vbkt', Key: 'k', Body: 'two' }));
    const [newer, older] = store.versions('vbkt', 'k');
    // Both versions stay readable, each with its own bytes.
    expect([newer, older].map((v) => v && store.cachedData('vbkt', v)?.toString())).toEqual(['two', 'one']);
    const byVersion = await live.client.send(
      new GetObjectCommand({ Bucket: 'vbkt', Key: 'k', VersionId: one.VersionId }),
    );
    expect(await byVersion.Body?.transformToString()).toBe('one');
    await live.client.send(new DeleteObjectCommand({ Bucket: 'vbkt', Key: 'k', VersionId: one.VersionId }));
    expect(older && store.cachedData('vbkt', older)).toBeUndefined();
    await live.client.send(
      new DeleteObjectCommand({ Bucket: 'vbkt', Key: 'k', VersionId: newer?.versionId }),
    );
    store.deleteBucket('vbkt');
    expect(newer && store.cachedData('vbkt', newer)).toBeUndefined();
    await stop(live);
  });
});

describe('DataCache', () => {
  it('keeps at most its budget, drops the oldest writes first and never keeps an object over the cap', () => {
    const cache = new DataCache(10, 4);
    cache.set('/d/a', Buffer.from('aaaa'));
    cache.set('/d/b', Buffer.from('bbb'));
    cache.set('/d/big', Buffer.from('12345'));
    expect([cache.get('/d/big'), cache.size()]).toEqual([undefined, 7]);
    cache.set('/d/c', Buffer.from('cccc'));
    expect(['/d/a', '/d/b', '/d/c'].map((p) => cache.get(p)?.toString())).toEqual([undefined, 'bbb', 'cccc']);
    expect(cache.size()).toBe(7);
    cache.delete('/d/b');
    cache.set('/e/x', Buffer.from('x'));
    cache.deleteUnder('/d');
    expect([cache.get('/d/c'), cache.get('/e/x')?.toString(), cache.size()]).toEqual([undefined, 'x', 1]);
  });
});
