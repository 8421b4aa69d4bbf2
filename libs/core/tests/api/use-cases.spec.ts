import {
  CreateUploadResponseSchema,
  ImageSchema,
  ListImagesQuerySchema,
  ListImagesResponseSchema,
} from '@imgpipe/contracts';
import { imageId } from '@imgpipe/contracts';
import { ApiError, createUpload, deleteImage, getImage, listImages, type ImageRow } from '../../src';
import { apiDeps, caller, row } from './fakes';

const alice = caller('alice');
const admin = caller('root', 'images.admin');
const query = (q: Record<string, string> = {}) => ListImagesQuerySchema.parse(q);

describe('createUpload', () => {
  it("signs a policy for exactly the caller's key, type and declared size, expiring per the rules", async () => {
    const { deps, signed } = apiDeps();
    const out = await createUpload(
      { filename: 'cat 1.jpg', contentType: 'image/jpeg', bytes: 5000 },
      alice,
      deps,
    );

    expect(signed).toEqual([
      {
        bucket: 'imgpipe-source',
        key: 'u/alice/cat 1.jpg',
        contentType: 'image/jpeg',
        maxBytes: 5000,
        expiresInSeconds: 300,
      },
    ]);
    expect(CreateUploadResponseSchema.parse(out)).toEqual({
      id: imageId('u/alice/cat 1.jpg'),
      key: 'u/alice/cat 1.jpg',
      upload: { url: 'http://s3.example/imgpipe-source', fields: { key: 'u/alice/cat 1.jpg', Policy: 'p' } },
      expiresAt: '2026-11-27T17:05:00.000Z',
    });
  });

  it('refuses a type outside the allow-list and too many bytes before signing anything', async () => {
    const { deps, signed } = apiDeps();
    await expect(
      createUpload({ filename: 'a.svg', contentType: 'image/svg+xml', bytes: 10 }, alice, deps),
    ).rejects.toThrow(
      new ApiError(
        'UNSUPPORTED_CONTENT_TYPE',
        'Expected a content type among image/jpeg, image/png, image/webp, image/gif, image/avif, image/tiff but received "image/svg+xml"',
      ),
    );
    await expect(
      createUpload(
        { filename: 'a.jpg', contentType: 'image/jpeg', bytes: 50 * 1024 * 1024 + 1 },
        alice,
        deps,
      ),
    ).rejects.toMatchObject({
      code: 'TOO_LARGE',
      status: 400,
      message: 'Expected at most 52428800 bytes but received 52428801',
    });
    expect(signed).toEqual([]);
  });

  it('refuses file names that would leave the folder or not fit S3 keys', async () => {
    const { deps, signed } = apiDeps();
    for (const filename of ['../b/x.jpg', 'a/b.jpg', '..', 'tab\there.jpg']) {
      await expect(
        createUpload({ filename, contentType: 'image/jpeg', bytes: 1 }, alice, deps),
      ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    }
    // A longer file-name limit than the default (255 characters) can reach S3's key limit.
    const long = {
      ...deps,
      config: { ...deps.config, uploads: { ...deps.config.uploads, maxFilenameLength: 2000 } },
    };
    await expect(
      createUpload({ filename: 'é'.repeat(600), contentType: 'image/jpeg', bytes: 1 }, alice, long),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      message:
        "Expected a file name short enough for its variant keys to fit S3's 1024 bytes but received 1200 bytes",
    });
    expect(signed).toEqual([]);
  });

  it("refuses a file name the pipeline's key filter would never process", async () => {
    const { deps, signed } = apiDeps();
    const filtered = { ...deps, config: { ...deps.config, keySuffixes: ['.jpg'] } };
    await expect(
      createUpload({ filename: 'cat.png', contentType: 'image/png', bytes: 1 }, alice, filtered),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      message:
        'Expected a file name the pipeline processes (keys under "" ending with .jpg) but received "cat.png"',
    });
    expect(signed).toEqual([]);
  });
});

const ready = (key: string, updatedAt: string): ImageRow =>
  row(key, 'ready', updatedAt, {
    format: 'jpeg',
    width: 640,
    height: 480,
    bytes: 1000,
    metadata: { placeholder: 'abc', orientation: 1 },
    variantsSeqKey: '01'.padEnd(32, '0'),
    presetsHash: 'h',
    variants: [
      {
        name: 'thumb',
        key: `${key}/thumb.webp`,
        format: 'webp',
        width: 128,
        height: 128,
        bytes: 10,
        version: 'v1v1v1v1v1v1v1v1',
      },
      { name: 'large', key: `${key}/large.jpg`, format: 'jpeg', width: 640, height: 480, bytes: 99 },
    ],
  });

describe('getImage', () => {
  it('answers a ready row with versioned CDN URLs (recorded version, or one derived for older rows)', async () => {
    const { deps } = apiDeps([ready('u/alice/my cat.jpg', '2026-11-27T16:00:00.000Z')]);
    const image = ImageSchema.parse(await getImage(imageId('u/alice/my cat.jpg'), alice, deps));

    expect(image).toMatchObject({ status: 'ready', width: 640, placeholder: 'abc', error: null });
    expect(image.variants.map((v) => v.url)).toEqual([
      'https://cdn.example/u/alice/my%20cat.jpg/thumb.webp?v=v1v1v1v1v1v1v1v1',
      expect.stringMatching(
        /^https:\/\/cdn\.example\/u\/alice\/my%20cat\.jpg\/large\.jpg\?v=[A-Za-z0-9_-]{16}$/,
      ),
    ]);
  });

  it('answers pending for an uploaded object without a row, and after a tombstone', async () => {
    const { deps } = apiDeps(
      [row('u/alice/again.jpg', 'deleted', '2026-11-27T16:00:00.000Z')],
      [
        { key: 'u/alice/new.jpg', size: 12, etag: 'e' },
        { key: 'u/alice/again.jpg', size: 7, etag: 'f' },
      ],
    );
    expect(await getImage(imageId('u/alice/new.jpg'), alice, deps)).toMatchObject({
      status: 'pending',
      bytes: 12,
      variants: [],
    });
    expect(await getImage(imageId('u/alice/again.jpg'), alice, deps)).toMatchObject({
      status: 'pending',
      bytes: 7,
    });
  });

  it("answers NOT_FOUND alike for another user's image and a missing one", async () => {
    const { deps } = apiDeps([ready('u/bob/cat.jpg', '2026-11-27T16:00:00.000Z')]);
    const other = getImage(imageId('u/bob/cat.jpg'), alice, deps);
    await expect(other).rejects.toMatchObject({ code: 'NOT_FOUND', status: 404 });
    await expect(getImage(imageId('u/alice/none.jpg'), alice, deps)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await getImage(imageId('u/bob/cat.jpg'), admin, deps)).toMatchObject({ key: 'u/bob/cat.jpg' });
  });
});

describe('deleteImage', () => {
  it('deletes the source object of an image the caller may see', async () => {
    const { deps, deleted } = apiDeps([], [{ key: 'u/alice/cat.jpg', size: 1, etag: 'e' }]);
    expect(await deleteImage(imageId('u/alice/cat.jpg'), alice, deps)).toEqual({
      id: imageId('u/alice/cat.jpg'),
      key: 'u/alice/cat.jpg',
    });
    expect(deleted).toEqual(['u/alice/cat.jpg']);
  });

  it("answers NOT_FOUND for nothing to delete and for another user's image, deleting nothing", async () => {
    const { deps, deleted } = apiDeps([], [{ key: 'u/bob/cat.jpg', size: 1, etag: 'e' }]);
    await expect(deleteImage(imageId('u/alice/cat.jpg'), alice, deps)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(deleteImage(imageId('u/bob/cat.jpg'), alice, deps)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(deleted).toEqual([]);
  });
});

describe('listImages', () => {
  const rows = [
    ready('u/alice/a.jpg', '2026-11-27T10:00:00.000Z'),
    row('u/alice/b.jpg', 'deleted', '2026-11-27T11:00:00.000Z'),
    ready('u/alice/c.jpg', '2026-11-27T12:00:00.000Z'),
    row('u/alice/trips/d.jpg', 'failed', '2026-11-27T13:00:00.000Z', {
      error: { code: 'CORRUPT_IMAGE', message: 'm' },
    }),
    ready('u/alice/trips/e.jpg', '2026-11-27T14:00:00.000Z'),
    ready('u/bob/x.jpg', '2026-11-27T15:00:00.000Z'),
    ready('photos/y.jpg', '2026-11-27T16:00:00.000Z'),
  ];

  it("pages the caller's own images in key order, without tombstones, through signed cursors", async () => {
    const { deps, index } = apiDeps(rows);
    const first = ListImagesResponseSchema.parse(await listImages(query({ limit: '2' }), alice, deps));
    expect(first.items.map((i) => i.key)).toEqual(['u/alice/a.jpg', 'u/alice/c.jpg']);
    const second = await listImages(query({ limit: '2', cursor: first.nextCursor ?? '' }), alice, deps);
    expect(second.items.map((i) => i.key)).toEqual(['u/alice/trips/d.jpg', 'u/alice/trips/e.jpg']);
    expect(second.nextCursor).toBeNull();
    expect(index.queries.every((q) => q.index === 'byOwner' && q.partition === 'u/alice/')).toBe(true);
  });

  it('lists one status newest first, narrowed to a prefix', async () => {
    const { deps, index } = apiDeps(rows);
    const out = await listImages(query({ status: 'ready', prefix: 'u/alice/trips/' }), alice, deps);
    expect(out.items.map((i) => i.key)).toEqual(['u/alice/trips/e.jpg']);
    expect(index.queries[0]).toMatchObject({
      index: 'byStatus',
      partition: 'u/alice/#ready',
      prefix: 'u/alice/trips/',
    });
  });

  it("refuses a cursor of another listing and answers NOT_FOUND outside the caller's folder", async () => {
    const { deps } = apiDeps(rows);
    const page = await listImages(query({ limit: '1' }), alice, deps);
    await expect(
      listImages(query({ limit: '1', status: 'ready', cursor: page.nextCursor ?? '' }), alice, deps),
    ).rejects.toMatchObject({ code: 'INVALID_CURSOR' });
    await expect(
      listImages(query({ limit: '1', cursor: page.nextCursor ?? '' }), caller('bob'), deps),
    ).rejects.toMatchObject({
      code: 'INVALID_CURSOR',
    });
    await expect(listImages(query({ prefix: 'u/bob/' }), alice, deps)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('lets an admin list another folder or the shared keys, but not across user folders', async () => {
    const { deps } = apiDeps(rows);
    expect((await listImages(query({ prefix: 'u/bob/' }), admin, deps)).items.map((i) => i.key)).toEqual([
      'u/bob/x.jpg',
    ]);
    expect((await listImages(query({ prefix: 'photos/' }), admin, deps)).items.map((i) => i.key)).toEqual([
      'photos/y.jpg',
    ]);
    await expect(listImages(query({ prefix: 'u/b' }), admin, deps)).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      message: `Expected a prefix under u/ to name one user's folder (u/<sub>/) but received "u/b"`,
    });
  });

  it('fills a page past items the filters drop, never reading more than the limit per query', async () => {
    const many = [
      ...Array.from({ length: 6 }, (_, i) => row(`u/alice/${i}.jpg`, 'deleted', '2026-11-27T10:00:00.000Z')),
      ready('u/alice/z.jpg', '2026-11-27T10:00:00.000Z'),
    ];
    const { deps, index } = apiDeps(many);
    const out = await listImages(query({ limit: '3' }), alice, deps);
    expect(out.items.map((i) => i.key)).toEqual(['u/alice/z.jpg']);
    expect(out.nextCursor).toBeNull();
    expect(index.queries.map((q) => q.limit)).toEqual([3, 3, 3]);
  });
});
