import {
  objectCreatedRecord,
  PERMANENT_IMAGE_CODES,
  resizeObject,
  syncMetadata,
  type ObjectStore,
} from '@imgpipe/core';
import { extractMetadata, inspectImage, renderVariants } from '@imgpipe/image';
import { DEFAULT_LIMITS } from '@imgpipe/pipeline';
import { readCorpusFile } from '@imgpipe/testing';
import { composeFunction, objectEventHandler, type FunctionRuntime } from '../src';
import { lambdaContext, startPipelineServers, type PipelineServers } from '@imgpipe/local-aws/testing';

jest.setTimeout(60_000);

const images = { renderVariants, extractMetadata };
const PHOTO = readCorpusFile('sharp-fixtures/320x240.jpg');
const OTHER_PHOTO = readCorpusFile('sharp-fixtures/Landscape_9.jpg');

let servers: PipelineServers;
let resizeRuntime: FunctionRuntime;
let metadataRuntime: FunctionRuntime;
let resize: ReturnType<typeof objectEventHandler>;
let metadata: ReturnType<typeof objectEventHandler>;

beforeAll(async () => {
  servers = await startPipelineServers();
  resizeRuntime = composeFunction('resize', servers.env('resize'), images);
  metadataRuntime = composeFunction('metadata-sync', servers.env('metadata-sync'), images);
  resize = objectEventHandler(resizeObject, () => resizeRuntime);
  metadata = objectEventHandler(syncMetadata, () => metadataRuntime);
});

afterAll(async () => {
  await servers.stop();
});

/** EventBridge delivers the event to both targets; order between them is not guaranteed. */
async function deliver(event: unknown, order: 'resize-first' | 'metadata-first' = 'resize-first') {
  const [first, second] = order === 'resize-first' ? [resize, metadata] : [metadata, resize];
  const a = await first(event, lambdaContext());
  const b = await second(event, lambdaContext());
  return order === 'resize-first' ? { resize: a, metadata: b } : { resize: b, metadata: a };
}

async function variantSizes(key: string) {
  const keys = await servers.derivedKeys(`${key}/`);
  return Promise.all(
    keys.map(async (k) => {
      const info = await inspectImage(await servers.derivedBytes(k), DEFAULT_LIMITS);
      return { key: k, format: info.format, width: info.width, height: info.height };
    }),
  );
}

describe('resize and metadata-sync against real S3 and DynamoDB servers', () => {
  it('renders variants with headers and metadata and records a ready row for an upload (key with space, +, % and unicode)', async () => {
    const key = 'photos/red flower+1 100%/猫.jpg';
    const v = await servers.upload(key, PHOTO);
    const result = await deliver(servers.created(key, v));
    expect(result.resize.results[0]).toMatchObject({ key, action: 'applied' });

    const row = await servers.row(key);
    expect(row).toMatchObject({
      objectKey: key,
      bucket: 'imgpipe-source',
      status: 'ready',
      format: 'jpeg',
      width: 320,
      height: 240,
      bytes: PHOTO.length,
      etag: v.etag,
      sequencer: v.sequencer,
    });
    expect(row?.error).toBeUndefined();
    expect(row?.variants?.map((x) => x.name).sort()).toEqual(['large', 'small', 'thumb']);

    expect(await variantSizes(key)).toEqual([
      { key: `${key}/large.jpg`, format: 'jpeg', width: 320, height: 240 },
      { key: `${key}/small.webp`, format: 'webp', width: 320, height: 240 },
      { key: `${key}/thumb.webp`, format: 'webp', width: 128, height: 128 },
    ]);
    const head = await servers.derivedHead(`${key}/thumb.webp`);
    expect(head.ContentType).toBe('image/webp');
    // Versioned URLs: browsers keep a version an hour, the CDN a year; the version names the bytes.
    expect(head.CacheControl).toBe('public, max-age=3600, s-maxage=31536000');
    const thumb = row?.variants?.find((x) => x.name === 'thumb');
    expect(thumb?.version).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(head.Metadata).toEqual({
      'source-etag': v.etag,
      'source-sequencer': v.sequencer,
      'imgpipe-version': thumb?.version,
    });
    expect(row).toMatchObject({ ownerPrefix: '*', ownerStatus: '*#ready' });
  });

  it('changes nothing on a duplicate event', async () => {
    const key = 'dup.jpg';
    const v = await servers.upload(key, PHOTO);
    await deliver(servers.created(key, v), 'metadata-first');
    const before = await servers.row(key);
    const again = await deliver(servers.created(key, v));
    expect(again.resize.results[0]?.action).toBe('duplicate');
    expect(again.metadata.results[0]?.action).toBe('duplicate');
    expect(await servers.row(key)).toEqual(before);
  });

  it('replaces variants and metadata on an overwrite, and ignores the older event arriving late', async () => {
    const key = 'overwrite.jpg';
    const first = await servers.upload(key, PHOTO);
    await deliver(servers.created(key, first));
    const before = (await servers.row(key))?.variants?.map((x) => x.version);
    const second = await servers.upload(key, OTHER_PHOTO);
    await deliver(servers.created(key, second), 'metadata-first');
    const row = await servers.row(key);
    // New bytes, new versions: every variant URL changes on an overwrite.
    const after = row?.variants?.map((x) => x.version);
    expect(after).toHaveLength(3);
    expect(after?.filter((version) => before?.includes(version))).toEqual([]);
    expect(row).toMatchObject({
      status: 'ready',
      etag: second.etag,
      sequencer: second.sequencer,
      width: 480,
      height: 369,
    });
    const large = (await variantSizes(key)).find((x) => x.key.endsWith('large.jpg'));
    expect(large).toMatchObject({ width: 480, height: 369 });
    expect((await servers.derivedHead(`${key}/large.jpg`)).Metadata?.['source-sequencer']).toBe(
      second.sequencer,
    );

    const late = await deliver(servers.created(key, first));
    expect(late.resize.results[0]?.action).toBe('stale');
    expect(late.metadata.results[0]?.action).toBe('stale');
    expect(await servers.row(key)).toEqual(row);
  });

  it('removes every variant and leaves a tombstone with a TTL on delete', async () => {
    const key = 'to delete.jpg';
    const v = await servers.upload(key, PHOTO);
    await deliver(servers.created(key, v));
    expect(await servers.derivedKeys(`${key}/`)).toHaveLength(3);
    const d = await servers.remove(key);
    await deliver(servers.deleted(key, d));
    const row = await servers.row(key);
    expect(row).toMatchObject({ status: 'deleted', sequencer: d.sequencer });
    expect(row?.expiresAt).toBeGreaterThan(Date.now() / 1000 + 29 * 24 * 3600);
    expect(row?.variants).toBeUndefined();
    expect(await servers.derivedKeys(`${key}/`)).toEqual([]);
  });

  it('never lets a create older than a deletion resurrect the row (reversed delivery)', async () => {
    const key = 'reversed.jpg';
    const v = await servers.upload(key, PHOTO);
    const d = await servers.remove(key);
    await deliver(servers.deleted(key, d));
    const late = await deliver(servers.created(key, v));
    expect(late.resize.results[0]?.action).toBe('stale');
    expect(late.metadata.results[0]?.action).toBe('stale');
    expect(await servers.row(key)).toMatchObject({ status: 'deleted', sequencer: d.sequencer });
    expect(await servers.derivedKeys(`${key}/`)).toEqual([]);
  });

  it('lets a newer create replace a tombstone', async () => {
    const key = 'revived.jpg';
    const d = await servers.remove(key);
    await deliver(servers.deleted(key, d));
    const v = await servers.upload(key, PHOTO);
    await deliver(servers.created(key, v));
    expect(await servers.row(key)).toMatchObject({ status: 'ready', sequencer: v.sequencer });
    expect(await servers.derivedKeys(`${key}/`)).toHaveLength(3);
  });

  it('recovers from a crash between two variant writes when the event is retried', async () => {
    const key = 'crash.jpg';
    const v = await servers.upload(key, PHOTO);
    const real = resizeRuntime.deps.objects;
    let puts = 0;
    const crashing: ObjectStore = {
      ...real,
      head: (b, k) => real.head(b, k),
      getBytes: (b, k, o) => real.getBytes(b, k, o),
      list: (b, o) => real.list(b, o),
      deleteMany: (b, k) => real.deleteMany(b, k),
      put: async (b, k, body, o) => {
        puts += 1;
        if (puts === 2) throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
        return real.put(b, k, body, o);
      },
    };
    const crashingResize = objectEventHandler(resizeObject, () => ({
      ...resizeRuntime,
      deps: { ...resizeRuntime.deps, objects: crashing },
    }));
    const event = servers.created(key, v);
    await metadata(event, lambdaContext());
    await expect(crashingResize(event, lambdaContext())).rejects.toThrow('socket hang up');
    const afterCrash = await servers.row(key);
    expect(afterCrash?.status).toBe('pending');
    expect(afterCrash?.variants).toBeUndefined();

    await resize(event, lambdaContext()); // the platform's retry
    expect(await servers.row(key)).toMatchObject({ status: 'ready' });
    expect(await servers.derivedKeys(`${key}/`)).toHaveLength(3);
  });

  it('never works on objects of the derived bucket (recursion guard)', async () => {
    const key = 'loop.jpg/thumb.webp';
    const v = await servers.upload(key, PHOTO, servers.pipeline.names.derivedBucket);
    const result = await deliver(servers.created(key, v, servers.pipeline.names.derivedBucket));
    expect(result.resize.results[0]).toMatchObject({ action: 'ignored', reason: 'derived-bucket' });
    expect(result.metadata.results[0]).toMatchObject({ action: 'ignored', reason: 'derived-bucket' });
    expect(await servers.row(key)).toBeUndefined();
    expect(await servers.derivedKeys(`${key}/`)).toEqual([]);
  });

  it('records a permanent failure on the row and ends successfully (no retry storm)', async () => {
    const key = 'notes.txt';
    const v = await servers.upload(key, Buffer.from('this is not an image, just some text\n'));
    const result = await deliver(servers.created(key, v));
    expect(result.resize.results[0]).toMatchObject({
      action: 'failed',
      error: { code: 'UNSUPPORTED_FORMAT' },
    });
    const row = await servers.row(key);
    expect(row).toMatchObject({ status: 'failed', error: { code: 'UNSUPPORTED_FORMAT' } });
    expect(row?.variants).toBeUndefined();
    expect(await servers.derivedKeys(`${key}/`)).toEqual([]);
  });

  it('records a corrupt image from the corpus with its code', async () => {
    const key = 'corrupt.png';
    const v = await servers.upload(key, readCorpusFile('pngsuite/xc1n0g08.png'));
    await deliver(servers.created(key, v), 'metadata-first');
    const row = await servers.row(key);
    expect(row?.status).toBe('failed');
    expect(PERMANENT_IMAGE_CODES).toContain(row?.error?.code);
  });

  it('refuses an object over the byte limit from the event, before downloading', async () => {
    const key = 'huge.jpg';
    const v = await servers.upload(key, PHOTO);
    const result = await deliver(servers.created(key, { ...v, size: DEFAULT_LIMITS.maxBytes + 1 }));
    expect(result.resize.results[0]).toMatchObject({ action: 'failed', error: { code: 'TOO_LARGE' } });
    // The failure is on the row for this version: the second writer has nothing left to do.
    expect(result.metadata.results[0]).toMatchObject({ action: 'duplicate' });
    expect(await servers.row(key)).toMatchObject({ status: 'failed', error: { code: 'TOO_LARGE' } });
  });

  it('throws on a transient S3 failure so the platform retries, then succeeds on retry', async () => {
    const key = 'transient.jpg';
    const v = await servers.upload(key, PHOTO);
    const broken = composeFunction(
      'resize',
      { ...servers.env('resize'), IMGPIPE_DERIVED_BUCKET: 'no-such-bucket' },
      images,
    );
    const brokenResize = objectEventHandler(resizeObject, () => broken);
    const event = servers.created(key, v);
    await expect(brokenResize(event, lambdaContext())).rejects.toMatchObject({ name: 'NoSuchBucket' });
    await metadata(event, lambdaContext());
    expect((await servers.row(key))?.status).toBe('pending');
    await resize(event, lambdaContext());
    expect((await servers.row(key))?.status).toBe('ready');
  });

  it('accepts classic S3 notification records with + for space', async () => {
    const key = 'classic shape.jpg';
    const v = await servers.upload(key, PHOTO);
    const record = objectCreatedRecord({ bucket: 'imgpipe-source', key, ...v });
    expect(record.s3.object.key).toBe('classic+shape.jpg');
    await deliver({ Records: [record] });
    expect(await servers.row(key)).toMatchObject({ status: 'ready', objectKey: key });
  });

  it('rejects an unknown event shape with INVALID_EVENT without throwing', async () => {
    const result = await resize({ hello: 'world' }, lambdaContext());
    expect(result.rejected?.code).toBe('INVALID_EVENT');
    expect(result.results).toEqual([]);
  });
});
