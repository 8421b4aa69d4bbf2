import { readdirSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import { Readable } from 'node:stream';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { compareSequencers } from '@imgpipe/core';
import type { InvocationReport, LocalStack } from '../../src';
import { dynamoFor, s3For, startFixtureStack, tempDir, waitFor } from '../support/helpers';
import { send } from '../support/raw-http';

jest.setTimeout(60_000);

function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? allFiles(path) : [path];
  });
}

describe('the edge (S3 and DynamoDB on one endpoint)', () => {
  const root = tempDir('edge');
  const dataDir = join(root, 'data');
  const reports: InvocationReport[] = [];
  let stack: LocalStack;
  const source = 'imgpipe-source';

  beforeAll(async () => {
    stack = await startFixtureStack(dataDir, { faultRate: 1, onInvocation: (r) => reports.push(r) });
  });
  afterAll(async () => {
    await stack.stop();
  });

  const eventsFor = (key: string) =>
    reports
      .filter((r) => r.function === 'resize')
      .map(
        (r) =>
          r.event as {
            'detail-type': string;
            detail: { object: { key: string; size?: number; sequencer: string }; reason: string };
          },
      )
      .filter((e) => decodeURIComponent(e.detail.object.key.replace(/\+/g, ' ')) === key);

  it('round-trips awkward keys with the SDK (streamed aws-chunked uploads with CRC32 trailers)', async () => {
    const s3 = s3For(stack.endpoint);
    const keys = [
      'with space/a+b%20c.jpg',
      'ünïcødé/日本語/😀.png',
      "odd/(1)!'*~.jpg",
      'deep/'.repeat(20) + 'x.jpg',
    ];
    for (const key of keys) {
      const body = Buffer.from(`content of ${key}`);
      // A stream body makes SDK v3 send content-encoding: aws-chunked with a trailing checksum.
      await s3.send(
        new PutObjectCommand({
          Bucket: source,
          Key: key,
          Body: Readable.from([body]),
          ContentLength: body.length,
        }),
      );
      const got = await s3.send(new GetObjectCommand({ Bucket: source, Key: key }));
      expect(await got.Body?.transformToString()).toBe(`content of ${key}`);
    }
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: source }));
    expect(listed.Contents?.map((c) => c.Key).sort()).toEqual(expect.arrayContaining(keys));
  });

  it('round-trips a key with a literal "+" over raw HTTP (a plus in a path is not a space)', async () => {
    expect(
      (await send(stack.endpoint, 'PUT', `/${source}/raw/a+b%25c%20d.txt`, {}, Buffer.from('plus'))).status,
    ).toBe(200);
    const listed = await s3For(stack.endpoint).send(
      new ListObjectsV2Command({ Bucket: source, Prefix: 'raw/' }),
    );
    expect(listed.Contents?.map((c) => c.Key)).toEqual(['raw/a+b%c d.txt']);
    expect((await send(stack.endpoint, 'GET', `/${source}/raw/a%2Bb%25c%20d.txt`)).body).toBe('plus');
  });

  it('answers dangerous keys with S3-style errors and writes nothing outside the data directory', async () => {
    const dots = await send(
      stack.endpoint,
      'PUT',
      `/${source}/a/..%2F..%2F..%2F..%2F..%2Fescape.txt`,
      {},
      Buffer.from('x'),
    );
    expect(dots.status).toBe(400);
    expect(dots.body).toMatch(/<Code>InvalidArgument<\/Code>/);
    const long = await send(stack.endpoint, 'PUT', `/${source}/${'x'.repeat(1025)}`, {}, Buffer.from('x'));
    expect(long.status).toBe(400);
    expect(long.body).toMatch(/<Code>KeyTooLongError<\/Code>/);
    const bucket = await send(stack.endpoint, 'PUT', `/..%2F..%2F..%2Fescape/x`, {}, Buffer.from('x'));
    expect(bucket.status).toBe(400);
    const upload = await send(
      stack.endpoint,
      'PUT',
      `/${source}/k?partNumber=1&uploadId=..%2F..%2F..%2Fx`,
      {},
      Buffer.from('x'),
    );
    expect(upload.status).toBe(404);
    await expect(
      s3For(stack.endpoint).send(
        new PutObjectCommand({ Bucket: source, Key: '../../../../sdk-escape', Body: 'x' }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidArgument' });
    expect(allFiles(root).filter((f) => !f.startsWith(dataDir + sep))).toEqual([]);
    expect(allFiles(dataDir).filter((f) => /escape/.test(f))).toEqual([]);
    expect((await fetch(`${stack.endpoint}/_imgpipe/health`)).status).toBe(200);
  });

  it('emits one event per write and delete, with increasing sequencers, for single, copy, multipart and batch operations', async () => {
    const s3 = s3For(stack.endpoint);
    await s3.send(new PutObjectCommand({ Bucket: source, Key: 'ev/one.jpg', Body: 'one' }));
    await s3.send(
      new CopyObjectCommand({ Bucket: source, Key: 'ev/copy.jpg', CopySource: `${source}/ev/one.jpg` }),
    );
    const { UploadId } = await s3.send(
      new CreateMultipartUploadCommand({ Bucket: source, Key: 'ev/multi.jpg' }),
    );
    const part = Buffer.alloc(5 * 1024 * 1024, 1);
    const p1 = await s3.send(
      new UploadPartCommand({ Bucket: source, Key: 'ev/multi.jpg', UploadId, PartNumber: 1, Body: part }),
    );
    const p2 = await s3.send(
      new UploadPartCommand({
        Bucket: source,
        Key: 'ev/multi.jpg',
        UploadId,
        PartNumber: 2,
        Body: Buffer.from('tail'),
      }),
    );
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: source,
        Key: 'ev/multi.jpg',
        UploadId,
        MultipartUpload: {
          Parts: [
            { PartNumber: 1, ETag: p1.ETag },
            { PartNumber: 2, ETag: p2.ETag },
          ],
        },
      }),
    );
    await s3.send(new DeleteObjectCommand({ Bucket: source, Key: 'ev/one.jpg' }));
    await s3.send(
      new DeleteObjectsCommand({
        Bucket: source,
        Delete: { Objects: [{ Key: 'ev/copy.jpg' }, { Key: 'ev/multi.jpg' }] },
      }),
    );

    await waitFor(
      () =>
        eventsFor('ev/multi.jpg').length >= 2 &&
        eventsFor('ev/copy.jpg').length >= 2 &&
        eventsFor('ev/one.jpg').length >= 2,
    );
    expect(
      eventsFor('ev/one.jpg')
        .map((e) => e.detail.reason)
        .sort(),
    ).toEqual(['DeleteObject', 'PutObject']);
    expect(
      eventsFor('ev/copy.jpg')
        .map((e) => e.detail.reason)
        .sort(),
    ).toEqual(['CopyObject', 'DeleteObject']);
    const multi = eventsFor('ev/multi.jpg');
    expect(multi.map((e) => e.detail.reason).sort()).toEqual(['CompleteMultipartUpload', 'DeleteObject']);
    expect(multi.find((e) => e.detail.reason === 'CompleteMultipartUpload')?.detail.object.size).toBe(
      part.length + 4,
    );
    const all = ['ev/one.jpg', 'ev/copy.jpg', 'ev/multi.jpg'].flatMap(eventsFor);
    const created = (k: string) =>
      eventsFor(k).find((e) => e['detail-type'] === 'Object Created')!.detail.object.sequencer;
    const deleted = (k: string) =>
      eventsFor(k).find((e) => e['detail-type'] === 'Object Deleted')!.detail.object.sequencer;
    expect(new Set(all.map((e) => e.detail.object.sequencer)).size).toBe(all.length);
    expect(compareSequencers(created('ev/one.jpg'), created('ev/copy.jpg'))).toBe(-1);
    expect(compareSequencers(created('ev/copy.jpg'), created('ev/multi.jpg'))).toBe(-1);
    expect(compareSequencers(created('ev/multi.jpg'), deleted('ev/one.jpg'))).toBe(-1);
    expect(compareSequencers(deleted('ev/one.jpg'), deleted('ev/copy.jpg'))).toBe(-1);
  });

  it('pages ListObjectsV2 with continuation tokens, delimiters and awkward keys', async () => {
    const s3 = s3For(stack.endpoint);
    const keys = [
      'page/a b.jpg',
      'page/ü.jpg',
      'page/😀.jpg',
      'page/dir/1.jpg',
      'page/dir/2.jpg',
      'page/z+.jpg',
    ];
    for (const key of keys) await s3.send(new PutObjectCommand({ Bucket: source, Key: key, Body: 'x' }));
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page: ListObjectsV2CommandOutput = await s3.send(
        new ListObjectsV2Command({ Bucket: source, Prefix: 'page/', MaxKeys: 2, ContinuationToken: token }),
      );
      seen.push(...(page.Contents ?? []).map((c) => c.Key!));
      token = page.NextContinuationToken;
    } while (token);
    expect(seen.sort()).toEqual([...keys].sort());
    const top: string[] = [];
    token = undefined;
    do {
      const page: ListObjectsV2CommandOutput = await s3.send(
        new ListObjectsV2Command({
          Bucket: source,
          Prefix: 'page/',
          Delimiter: '/',
          MaxKeys: 1,
          ContinuationToken: token,
        }),
      );
      top.push(
        ...(page.Contents ?? []).map((c) => c.Key!),
        ...(page.CommonPrefixes ?? []).map((p) => p.Prefix!),
      );
      token = page.NextContinuationToken;
    } while (token);
    expect(top.sort()).toEqual(
      ['page/a b.jpg', 'page/dir/', 'page/z+.jpg', 'page/ü.jpg', 'page/😀.jpg'].sort(),
    );
  });

  it('serves DynamoDB on the same endpoint', async () => {
    const dynamo = dynamoFor(stack.endpoint);
    await dynamo.send(
      new PutItemCommand({
        TableName: 'imgpipe-images',
        Item: { objectKey: { S: 'edge/test.jpg' }, status: { S: 'pending' } },
      }),
    );
    const got = await dynamo.send(
      new GetItemCommand({ TableName: 'imgpipe-images', Key: { objectKey: { S: 'edge/test.jpg' } } }),
    );
    expect(got.Item?.['status']).toEqual({ S: 'pending' });
  });

  it('injects retryable faults into requests made by the functions only', async () => {
    expect.assertions(3);
    await expect(
      s3For(stack.endpoint, 'imgpipe-fn/resize').send(new ListObjectsV2Command({ Bucket: source })),
    ).rejects.toMatchObject({
      $metadata: { httpStatusCode: expect.any(Number) },
      name: expect.stringMatching(/^(SlowDown|InternalError)$/),
    });
    await expect(
      dynamoFor(stack.endpoint, 'imgpipe-fn/metadata-sync').send(
        new GetItemCommand({ TableName: 'imgpipe-images', Key: { objectKey: { S: 'x' } } }),
      ),
    ).rejects.toMatchObject({
      name: expect.stringMatching(/^(ProvisionedThroughputExceededException|InternalServerError)$/),
    });
    const plain = await s3For(stack.endpoint).send(new ListObjectsV2Command({ Bucket: source, MaxKeys: 1 }));
    expect(plain.$metadata.httpStatusCode).toBe(200);
  });

  it('says how to build the console when it is not built', async () => {
    const page = await fetch(`${stack.endpoint}/_imgpipe/`);
    expect(await page.text()).toMatch(/console not built: run npx nx build console/);
  });
});
