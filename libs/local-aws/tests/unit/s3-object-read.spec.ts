import {
  CreateBucketCommand,
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
  type GetObjectCommandInput,
} from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describeS3Call } from '../../src/edge/s3/request';
import { createS3Edge } from '../../src/edge/s3/router';
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

const SIZE = 2_500_000;

// Whole, ranges within, across and at the edges of the 1 MiB reads, suffix and open ranges, a part.
const READS: readonly [Omit<GetObjectCommandInput, 'Bucket' | 'Key'>, number, number][] = [
  [{}, 0, SIZE - 1],
  [{ Range: 'bytes=0-0' }, 0, 0],
  [{ Range: 'bytes=100-1099' }, 100, 1099],
  [{ Range: 'bytes=1048000-1049999' }, 1_048_000, 1_049_999],
  [{ Range: 'bytes=1048576-2097151' }, 1_048_576, 2_097_151],
  [{ Range: 'bytes=2499000-' }, 2_499_000, SIZE - 1],
  [{ Range: 'bytes=-777' }, SIZE - 777, SIZE - 1],
  [{ Range: 'bytes=2000000-999999999' }, 2_000_000, SIZE - 1],
  [{ PartNumber: 1 }, 0, SIZE - 1],
];

describe('GetObject from the store', () => {
  it('answers the whole object, every range and the part with exactly their bytes (1 MiB reads)', async () => {
    const store = ObjectStore.open(join(tempDir('read'), 'buckets'));
    const live = await serve(store);
    await live.client.send(new CreateBucketCommand({ Bucket: 'bkt' }));
    const data = randomBytes(SIZE);
    await live.client.send(new PutObjectCommand({ Bucket: 'bkt', Key: 'photo.jpg', Body: data }));
    const answers: Awaited<ReturnType<typeof read>>[] = [];
    for (const [input] of READS) answers.push(await read(live.client, { Key: 'photo.jpg', ...input }));
    expect(answers).toEqual(
      READS.map(([input, start, end]) => ({
        etag: answers[0]?.etag,
        length: end - start + 1,
        range:
          input.Range === undefined && input.PartNumber === undefined
            ? undefined
            : `bytes ${start}-${end}/${SIZE}`,
        parts: input.PartNumber === undefined ? undefined : 1,
        body: data.subarray(start, end + 1).toString('base64'),
      })),
    );
    await stop(live);
  });
});

describe('GetObject of up to 1 MiB (read whole, no stream)', () => {
  it('answers small objects, the 1 MiB edge and ranges with exactly their bytes', async () => {
    const store = ObjectStore.open(join(tempDir('read-small'), 'buckets'));
    const live = await serve(store);
    await live.client.send(new CreateBucketCommand({ Bucket: 'bkt' }));
    const sizes = [1, 16_000, 1024 * 1024, 1024 * 1024 + 1];
    const data = sizes.map((size) => randomBytes(size));
    for (const [i, body] of data.entries())
      await live.client.send(new PutObjectCommand({ Bucket: 'bkt', Key: `o${i}`, Body: body }));
    const whole = [];
    for (const i of sizes.keys()) whole.push((await read(live.client, { Key: `o${i}` })).body);
    expect(whole).toEqual(data.map((d) => d.toString('base64')));
    const ranged = await read(live.client, { Key: 'o1', Range: 'bytes=15000-' });
    expect(ranged).toMatchObject({
      length: 1000,
      range: 'bytes 15000-15999/16000',
      body: data[1]?.subarray(15_000).toString('base64'),
    });
    await stop(live);
  });

  it('cuts the connection when the data file cannot be read, as the stream did', async () => {
    const store = ObjectStore.open(join(tempDir('read-gone'), 'buckets'));
    const live = await serve(store);
    await live.client.send(new CreateBucketCommand({ Bucket: 'bkt' }));
    await live.client.send(new PutObjectCommand({ Bucket: 'bkt', Key: 'gone', Body: randomBytes(5000) }));
    const record = store.latest('bkt', 'gone');
    if (!record) throw new Error('no record');
    rmSync(store.dataRange('bkt', record).path);
    await expect(read(live.client, { Key: 'gone' })).rejects.toThrow();
    await stop(live);
  });
});
