import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { InvocationReport, LocalStack } from '../../src';
import { s3For, waitFor } from '../support/helpers';
import { eventLines, s3Outcome, startClientStack } from './support';

jest.setTimeout(90_000);

describe('AWS SDK v3 against the local stack', () => {
  let stack: LocalStack;
  let reports: InvocationReport[];
  let s3: S3Client;
  const bucket = 'sdk-bucket';

  beforeAll(async () => {
    ({ stack, reports } = await startClientStack('sdk'));
    s3 = s3For(stack.endpoint);
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });
  afterAll(async () => {
    s3?.destroy();
    await stack?.stop();
  });

  it('presigned PUT and GET URLs work with any credentials, over plain HTTP', async () => {
    const key = 'presigned/a b+c&d=e%.txt';
    const put = await getSignedUrl(s3, new PutObjectCommand({ Bucket: bucket, Key: key }), {
      expiresIn: 300,
    });
    expect((await fetch(put, { method: 'PUT', body: 'via presigned PUT' })).status).toBe(200);
    const get = await getSignedUrl(
      s3,
      new GetObjectCommand({
        Bucket: bucket,
        Key: key,
        ResponseContentDisposition: 'attachment; filename="x.txt"',
      }),
      { expiresIn: 300 },
    );
    const response = await fetch(get);
    expect([response.status, response.headers.get('content-disposition'), await response.text()]).toEqual([
      200,
      'attachment; filename="x.txt"',
      'via presigned PUT',
    ]);
    const soon = await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: 1 });
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const late = await fetch(soon);
    expect([
      late.status,
      /<Code>AccessDenied<\/Code><Message>Request has expired/.test(await late.text()),
    ]).toEqual([403, true]);
  });

  it('lib-storage uploads a stream in parts; the ETag is S3\'s "-N" form and the bytes come back', async () => {
    const data = randomBytes(11 * 1024 * 1024);
    const upload = new Upload({
      client: s3,
      params: { Bucket: bucket, Key: 'big/üpload.bin', Body: data },
      partSize: 5 * 1024 * 1024,
      queueSize: 2,
    });
    await upload.done();
    const digests = [0, 1, 2].map((i) =>
      createHash('md5')
        .update(data.subarray(i * 5 * 1024 * 1024, (i + 1) * 5 * 1024 * 1024))
        .digest(),
    );
    const etag = `"${createHash('md5').update(Buffer.concat(digests)).digest('hex')}-3"`;
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'big/üpload.bin' }));
    expect([head.ETag, head.ContentLength]).toEqual([etag, data.length]);
    const part2 = await s3.send(
      new GetObjectCommand({ Bucket: bucket, Key: 'big/üpload.bin', PartNumber: 2 }),
    );
    expect([part2.ContentLength, part2.PartsCount]).toEqual([5 * 1024 * 1024, 3]);
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'big/üpload.bin' }));
    const back = Buffer.from(await (got.Body?.transformToByteArray() ?? Promise.resolve(new Uint8Array())));
    expect(back.equals(data)).toBe(true);
  });

  it('answers conditional reads and writes as S3 does', async () => {
    const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'cond.txt', Body: 'v1' }));
    const etag = put.ETag ?? '';
    const past = new Date(Date.now() - 3_600_000);
    const future = new Date(Date.now() + 3_600_000);
    const get = (extra: Record<string, unknown>) =>
      s3Outcome(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'cond.txt', ...extra })));
    expect(
      await Promise.all([
        get({ IfMatch: etag }),
        get({ IfMatch: '"other"' }),
        get({ IfNoneMatch: etag }),
        get({ IfModifiedSince: future }),
        get({ IfModifiedSince: past }),
        get({ IfUnmodifiedSince: past }),
        s3Outcome(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'cond.txt', IfNoneMatch: etag }))),
      ]),
    ).toEqual([
      ['ok', 200],
      ['PreconditionFailed', 412],
      // A 304 has no body, so the SDK cannot name it.
      ['Unknown', 304],
      ['Unknown', 304],
      ['ok', 200],
      ['PreconditionFailed', 412],
      ['Unknown', 304],
    ]);
    const write = (extra: Record<string, unknown>, key = 'cond.txt') =>
      s3Outcome(s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'v2', ...extra })));
    expect(
      await Promise.all([
        write({ IfNoneMatch: '*' }),
        write({ IfMatch: '"other"' }),
        write({ IfNoneMatch: '*' }, 'cond-new.txt'),
      ]),
    ).toEqual([
      ['PreconditionFailed', 412],
      ['PreconditionFailed', 412],
      ['ok', 200],
    ]);
    expect(await write({ IfMatch: etag })).toEqual(['ok', 200]);
    const after = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'cond.txt' }));
    expect(await after.Body?.transformToString()).toBe('v2');
  });

  it('answers non-ASCII metadata RFC 2047-encoded as S3 does, and copies objects with "+", "&", "=" in the source key', async () => {
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'src/1+1=2&x.txt',
        Body: 'copy me',
        Metadata: { who: 'Zoë Ünï' },
      }),
    );
    await s3.send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: 'dst/copied.txt',
        CopySource: `${bucket}/${encodeURIComponent('src/1+1=2&x.txt')}`,
      }),
    );
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'dst/copied.txt' }));
    const text = await (
      await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'dst/copied.txt' }))
    ).Body?.transformToString();
    const encoded = `=?UTF-8?B?${Buffer.from('Zoë Ünï').toString('base64')}?=`;
    expect([head.Metadata?.['who'], text]).toEqual([encoded, 'copy me']);
    // A stream body goes out aws-chunked: the stored Content-Encoding is the client's own, without it.
    const zipped = Buffer.from('not really gzip');
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'enc.txt',
        Body: Readable.from([zipped]),
        ContentLength: zipped.length,
        ContentEncoding: 'gzip',
      }),
    );
    expect((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'enc.txt' }))).ContentEncoding).toBe(
      'gzip',
    );
  });

  it('lists with StartAfter and an empty continuation token, without Owner unless asked', async () => {
    for (const key of ['l/a', 'l/b', 'l/c'])
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: 'l/', StartAfter: 'l/a', MaxKeys: 1 }),
    );
    expect([page.Contents?.map((c) => [c.Key, c.Owner]), page.StartAfter, page.IsTruncated]).toEqual([
      [['l/b', undefined]],
      'l/a',
      true,
    ]);
    const next = await s3.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: 'l/',
        StartAfter: 'l/a',
        ContinuationToken: page.NextContinuationToken,
        FetchOwner: true,
      }),
    );
    expect([next.Contents?.map((c) => [c.Key, c.Owner?.DisplayName]), next.StartAfter]).toEqual([
      [['l/c', 'local']],
      'l/a',
    ]);
  });

  it('reports every change in the versioned source bucket that the rules match, as AWS does', async () => {
    const source = stack.pipeline.names.sourceBucket;
    await s3.send(new PutObjectCommand({ Bucket: source, Key: 'sdk/put.txt', Body: 'p' }));
    await new Upload({
      client: s3,
      params: { Bucket: source, Key: 'sdk/multi.bin', Body: randomBytes(6 * 1024 * 1024) },
      partSize: 5 * 1024 * 1024,
    }).done();
    await s3.send(
      new CopyObjectCommand({ Bucket: source, Key: 'sdk/copy.txt', CopySource: `${source}/sdk/put.txt` }),
    );
    const v = await s3.send(new PutObjectCommand({ Bucket: source, Key: 'sdk/version.txt', Body: 'v' }));
    const deleted = await s3.send(
      new DeleteObjectsCommand({
        Bucket: source,
        Delete: {
          Objects: [
            { Key: 'sdk/put.txt' },
            { Key: 'sdk/version.txt', VersionId: v.VersionId },
            { Key: 'sdk/../bad' },
          ],
        },
      }),
    );
    expect([
      deleted.Deleted?.map((d) => [d.Key, d.DeleteMarker ?? false]),
      deleted.Errors?.map((e) => [e.Key, e.Code]),
    ]).toEqual([
      [
        ['sdk/put.txt', true],
        ['sdk/version.txt', false],
      ],
      [['sdk/../bad', 'InvalidArgument']],
    ]);
    const expected = [
      'Object Created sdk/put.txt PutObject',
      'Object Created sdk/multi.bin CompleteMultipartUpload',
      'Object Created sdk/copy.txt CopyObject',
      'Object Created sdk/version.txt PutObject',
      'Object Deleted sdk/put.txt DeleteObject Delete Marker Created',
      // Deleting a version is "Permanently Deleted", which the deletion rule leaves out (as on AWS: the
      // object's current version, if any, is still there).
    ];
    const seen = () => eventLines(reports).filter((l) => l.includes(' sdk/'));
    await waitFor(() => seen().length >= expected.length, 30_000, 'events');
    expect(seen().sort()).toEqual([...expected].sort());
  });
});
