import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startLocalAws, type LocalAws } from '@imgpipe/local-aws/testing';
import { presignedUploader } from '../src/uploader';

// The end-to-end bench's uploads: presigned PUTs over node:http, against the local S3 over the wire.

jest.setTimeout(60_000);

let aws: LocalAws;
let s3: S3Client;

beforeAll(async () => {
  aws = await startLocalAws();
  s3 = new S3Client({
    endpoint: aws.s3Endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    forcePathStyle: true,
  });
});

afterAll(async () => {
  s3.destroy();
  await aws.stop();
});

describe('presignedUploader', () => {
  it('stores each body under its key, keys that need encoding included', async () => {
    const keys = ['bench/a photo.jpg', 'bench/ünïcödé/+plus&amp.png'];
    const uploader = await presignedUploader(aws.s3Endpoint, aws.names.sourceBucket, keys);
    const bodies = keys.map((k) => Buffer.from(`bytes of ${k}`));
    await Promise.all(keys.map((k, i) => uploader.put(k, bodies[i] as Buffer)));
    uploader.close();
    const stored = await Promise.all(
      keys.map(async (Key) => {
        const out = await s3.send(new GetObjectCommand({ Bucket: aws.names.sourceBucket, Key }));
        return Buffer.from(await out.Body!.transformToByteArray()).toString();
      }),
    );
    expect(stored).toEqual(bodies.map((b) => b.toString()));
  });

  it("rejects a key it has no URL for, and S3's refusal with its status and message", async () => {
    const uploader = await presignedUploader(aws.s3Endpoint, 'no-such-bucket', ['bench/x.jpg']);
    await expect(uploader.put('bench/other.jpg', Buffer.from('x'))).rejects.toThrow(
      'Expected a presigned URL for "bench/other.jpg" but none was made',
    );
    await expect(uploader.put('bench/x.jpg', Buffer.from('x'))).rejects.toThrow(
      /^Expected 200 for the upload of "bench\/x.jpg" but received 404: .*NoSuchBucket/s,
    );
    uploader.close();
  });
});
