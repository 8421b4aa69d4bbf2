import { S3Client } from '@aws-sdk/client-s3';
import { SourceTooLargeError } from '@imgpipe/core';
import { S3ObjectStore } from '../src';
import { startLocalAws, type LocalAws } from '@imgpipe/local-aws/testing';

jest.setTimeout(60_000);

let aws: LocalAws;
let store: S3ObjectStore;
let bucket: string;

beforeAll(async () => {
  aws = await startLocalAws();
  bucket = aws.names.derivedBucket;
  store = new S3ObjectStore(
    new S3Client({
      endpoint: aws.s3Endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    }),
  );
});

afterAll(async () => {
  await aws.stop();
});

describe('S3ObjectStore against an S3-compatible server', () => {
  it('writes an object with its headers and metadata and heads it back', async () => {
    await store.put(bucket, 'a b/thumb.webp', Buffer.from('abc'), {
      contentType: 'image/webp',
      cacheControl: 'public, max-age=60',
      metadata: { 'source-sequencer': '0065A1' },
    });
    const head = await store.head(bucket, 'a b/thumb.webp');
    expect(head).toEqual({
      key: 'a b/thumb.webp',
      size: 3,
      etag: expect.stringMatching(/^[0-9a-f]{32}$/),
      metadata: { 'source-sequencer': '0065A1' },
    });
    expect(await store.head(bucket, 'a b/missing.webp')).toBeUndefined();
  });

  it('reads the version asked for, and nothing when the object changed or is gone', async () => {
    await store.put(bucket, 'read/me.jpg', Buffer.from('hello'), {
      contentType: 'image/jpeg',
      cacheControl: 'no-store',
      metadata: {},
    });
    const head = await store.head(bucket, 'read/me.jpg');
    expect(await store.getBytes(bucket, 'read/me.jpg', { maxBytes: 10, ifMatch: head!.etag })).toEqual(
      Buffer.from('hello'),
    );
    expect(
      await store.getBytes(bucket, 'read/me.jpg', {
        maxBytes: 10,
        ifMatch: 'b1946ac92492d2347c6235b4d2611184',
      }),
    ).toBeUndefined();
    expect(await store.getBytes(bucket, 'read/gone.jpg', { maxBytes: 10 })).toBeUndefined();
  });

  it('refuses to read past maxBytes with TOO_LARGE', async () => {
    await store.put(bucket, 'big/one.jpg', Buffer.alloc(64), {
      contentType: 'image/jpeg',
      cacheControl: 'no-store',
      metadata: {},
    });
    await expect(store.getBytes(bucket, 'big/one.jpg', { maxBytes: 63 })).rejects.toThrow(
      SourceTooLargeError,
    );
  });

  it('lists page by page, with sub-prefixes under a delimiter, and deletes in a batch', async () => {
    const keys = ['list/a.jpg', 'list/b.jpg', 'list/c.jpg', 'list/d/e.jpg', 'list/f.jpg'];
    for (const key of keys)
      await store.put(bucket, key, Buffer.from('x'), {
        contentType: 'image/jpeg',
        cacheControl: 'no-store',
        metadata: {},
      });

    const seen: string[] = [];
    const prefixes: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await store.list(bucket, {
        prefix: 'list/',
        delimiter: '/',
        maxKeys: 2,
        ...(token ? { continuationToken: token } : {}),
      });
      seen.push(...page.objects.map((o) => o.key));
      prefixes.push(...(page.prefixes ?? []));
      token = page.nextToken;
      pages += 1;
    } while (token);
    expect(seen).toEqual(['list/a.jpg', 'list/b.jpg', 'list/c.jpg', 'list/f.jpg']);
    expect(prefixes).toEqual(['list/d/']);
    // Five entries at two a page: the listing really paged (S3 counts a sub-prefix as one entry).
    expect(pages).toBeGreaterThan(1);

    const result = await store.deleteMany(
      bucket,
      [...keys, 'list/never-there.jpg'].map((key) => ({ key })),
    );
    expect(result).toEqual({ refused: [] });
    expect((await store.list(bucket, { prefix: 'list/' })).objects).toEqual([]);
  });

  it('writes conditionally: If-None-Match only on a free key, If-Match only over the object seen', async () => {
    const options = { contentType: 'image/webp', cacheControl: 'no-store', metadata: {} };
    const key = 'cond/thumb.webp';
    expect(
      await store.put(bucket, key, Buffer.from('v1'), { ...options, condition: { ifNoneMatch: '*' } }),
    ).toBe(true);
    expect(
      await store.put(bucket, key, Buffer.from('v2'), { ...options, condition: { ifNoneMatch: '*' } }),
    ).toBe(false);
    const seen = await store.head(bucket, key);
    expect(
      await store.put(bucket, key, Buffer.from('v2'), {
        ...options,
        condition: { ifMatch: 'b1946ac92492d2347c6235b4d2611184' },
      }),
    ).toBe(false);
    expect(
      await store.put(bucket, key, Buffer.from('v2'), { ...options, condition: { ifMatch: seen!.etag } }),
    ).toBe(true);
    expect(await store.getBytes(bucket, key, { maxBytes: 10 })).toEqual(Buffer.from('v2'));
    expect(
      await store.put(bucket, 'cond/missing.webp', Buffer.from('v1'), {
        ...options,
        condition: { ifMatch: seen!.etag },
      }),
    ).toBe(false);
    expect(await store.head(bucket, 'cond/missing.webp')).toBeUndefined();
  });

  it('deletes conditionally: a key whose ETag changed since it was seen is refused and stays', async () => {
    const options = { contentType: 'image/webp', cacheControl: 'no-store', metadata: {} };
    await store.put(bucket, 'cdel/a.webp', Buffer.from('a'), options);
    await store.put(bucket, 'cdel/b.webp', Buffer.from('b'), options);
    const a = await store.head(bucket, 'cdel/a.webp');
    const b = await store.head(bucket, 'cdel/b.webp');
    await store.put(bucket, 'cdel/b.webp', Buffer.from('newer b'), options);
    const result = await store.deleteMany(bucket, [
      { key: 'cdel/a.webp', etag: a!.etag },
      { key: 'cdel/b.webp', etag: b!.etag },
    ]);
    expect(result).toEqual({ refused: ['cdel/b.webp'] });
    expect((await store.list(bucket, { prefix: 'cdel/' })).objects.map((o) => o.key)).toEqual([
      'cdel/b.webp',
    ]);
    expect(await store.getBytes(bucket, 'cdel/b.webp', { maxBytes: 10 })).toEqual(Buffer.from('newer b'));
  });
});
