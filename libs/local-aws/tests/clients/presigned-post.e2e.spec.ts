import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import type { InvocationReport, LocalStack } from '../../src';
import { waitFor } from '../support/helpers';
import { eventLines, startClientStack } from './support';

jest.setTimeout(60_000);

/** What the image API signs (libs/aws S3UploadSigner): one key, one Content-Type, 1..max bytes. */
async function presign(s3: S3Client, bucket: string, key: string, expires = 300) {
  return createPresignedPost(s3, {
    Bucket: bucket,
    Key: key,
    Conditions: [
      ['content-length-range', 1, 10],
      ['eq', '$Content-Type', 'image/png'],
    ],
    Fields: { 'Content-Type': 'image/png' },
    Expires: expires,
  });
}

async function post(url: string, fields: Record<string, string>, file: string, type = 'image/png') {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('file', new Blob([file], { type }), 'upload.png');
  const response = await fetch(url, { method: 'POST', body: form });
  const text = await response.text();
  return [response.status, /<Code>([^<]+)<\/Code>/.exec(text)?.[1] ?? ''];
}

describe('browser uploads with an SDK v3 presigned POST (as the image API issues them)', () => {
  let stack: LocalStack;
  let reports: InvocationReport[];
  let signer: S3Client;

  beforeAll(async () => {
    ({ stack, reports } = await startClientStack('post'));
    // A function's own key (the API signs with its own): the stack knows its secret and checks the signature.
    signer = new S3Client({
      endpoint: stack.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'imgpipe-resize', secretAccessKey: 'local' },
      requestChecksumCalculation: 'WHEN_REQUIRED',
    });
  });
  afterAll(async () => {
    signer?.destroy();
    await stack?.stop();
  });

  it('stores a conforming upload and reports it; refuses every other case with S3 error codes', async () => {
    const source = stack.pipeline.names.sourceBucket;
    const good = await presign(signer, source, 'u/me/photo 1.png');
    expect(await post(good.url, good.fields, '12345')).toEqual([204, '']);
    const head = await signer.send(new HeadObjectCommand({ Bucket: source, Key: 'u/me/photo 1.png' }));
    expect([head.ContentLength, head.ContentType]).toEqual([5, 'image/png']);
    const expired = await presign(signer, source, 'u/me/late.png', 1);
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    expect([
      await post(good.url, good.fields, 'x'.repeat(11)),
      await post(good.url, { ...good.fields, 'Content-Type': 'text/html' }, '12345', 'text/html'),
      await post(good.url, { ...good.fields, key: 'u/other/photo.png' }, '12345'),
      await post(good.url, { ...good.fields, 'X-Amz-Signature': '0'.repeat(64) }, '12345'),
      await post(expired.url, expired.fields, '12345'),
    ]).toEqual([
      [400, 'EntityTooLarge'],
      [403, 'AccessDenied'],
      [403, 'AccessDenied'],
      [403, 'SignatureDoesNotMatch'],
      [403, 'AccessDenied'],
    ]);
    await waitFor(() => eventLines(reports).some((l) => l.includes('u/me/')), 30_000, 'the upload event');
    expect(eventLines(reports).filter((l) => l.includes('u/'))).toEqual([
      'Object Created u/me/photo 1.png POST Object',
    ]);
  });
});
