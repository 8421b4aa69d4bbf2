import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { concatDataFile, writeDataFile } from '../../src/edge/s3/store/disk';
import { importS3rverData } from '../../src/edge/s3/store/import-s3rver';
import { ObjectStore } from '../../src/edge/s3/store/object-store';
import type { VersionRecord } from '../../src/edge/s3/store/records';
import { tempDir } from '../support/helpers';

const plain = { headers: {}, metadata: {}, tags: {} };
const facts = (data: string) => ({ size: data.length, etag: `"${data}"` });
/** A version's bytes where the store says they are (a file of its own, or its range of a segment). */
const bytesOf = (store: ObjectStore, bucket: string, record: VersionRecord): string => {
  const { path, start } = store.dataRange(bucket, record);
  return readFileSync(path)
    .subarray(start, start + record.size)
    .toString();
};
const journalLines = (root: string, bucket: string): string[] =>
  readFileSync(join(root, bucket, 'keys.ndjson'), 'utf8')
    .split('\n')
    .filter(Boolean);

describe('the object store', () => {
  it('keeps versions and delete markers, and finds them again after a restart', async () => {
    const root = join(tempDir('store'), 'buckets');
    const store = ObjectStore.open(root);
    store.createBucket('b');
    store.setVersioning('b', 'Enabled');
    const v1 = await store.putObject('b', 'k', Buffer.from('one'), plain, facts('one'));
    const v2 = await store.putObject('b', 'k', Buffer.from('two!'), plain, facts('two!'));
    const marker = await store.deleteObject('b', 'k');
    expect([marker.deleteMarker, marker.deletionType]).toEqual([true, 'Delete Marker Created']);
    const reopened = ObjectStore.open(root);
    expect(reopened.versions('b', 'k').map((v) => [v.versionId, v.deleteMarker, v.size])).toEqual([
      [marker.versionId, true, 0],
      [v2.versionId, false, 4],
      [v1.versionId, false, 3],
    ]);
    const gone = await reopened.deleteObject('b', 'k', v1.versionId);
    expect([gone.deletionType, reopened.versions('b', 'k').length]).toEqual(['Permanently Deleted', 2]);
    expect(readdirSync(join(root, 'b', 'data'))).toHaveLength(1);
  });

  it('replaces the null version in an unversioned bucket and removes the replaced bytes', async () => {
    const root = join(tempDir('store'), 'buckets');
    const store = ObjectStore.open(root);
    store.createBucket('b');
    await store.putObject('b', 'a//b/../c', Buffer.from('x'), plain, facts('x'));
    await store.putObject('b', 'a//b/../c', Buffer.from('yy'), plain, facts('yy'));
    expect(store.versions('b', 'a//b/../c').map((v) => [v.versionId, v.size])).toEqual([['null', 2]]);
    expect(readdirSync(join(root, 'b', 'data'))).toHaveLength(1);
    expect(await store.deleteObject('b', 'a//b/../c')).toEqual({
      deleteMarker: false,
      deletionType: 'Permanently Deleted',
      changed: true,
    });
    expect([store.sortedKeys('b'), readdirSync(join(root, 'b', 'data'))]).toEqual([[], []]);
  });

  it('stores the last of many concurrent writes to one key, never an older record over a newer one', async () => {
    const root = join(tempDir('store'), 'buckets');
    const store = ObjectStore.open(root);
    store.createBucket('b');
    store.setVersioning('b', 'Enabled');
    const bodies = Array.from({ length: 40 }, (_, i) => `body-${i}`);
    const written = await Promise.all(
      bodies.map((b) => store.putObject('b', 'k', Buffer.from(b), plain, facts(b))),
    );
    await store.setTags('b', 'k', written[3]?.versionId ?? '', { t: 'v' });
    const expected = store.versions('b', 'k').map((v) => [v.versionId, v.etag, v.tags]);
    expect(expected).toHaveLength(40);
    const reopened = ObjectStore.open(root);
    expect(reopened.versions('b', 'k').map((v) => [v.versionId, v.etag, v.tags])).toEqual(expected);
    // One line per write, in the order of the commits; no file per key.
    expect(journalLines(root, 'b')).toHaveLength(41);
    expect(readdirSync(join(root, 'b')).sort()).toEqual(['bucket.json', 'data', 'keys.ndjson', 'uploads']);
  });

  it('answers a write only once its record is stored, and records the removal of a removed key', async () => {
    const root = join(tempDir('store'), 'buckets');
    const store = ObjectStore.open(root);
    store.createBucket('b');
    await store.putObject('b', 'k', Buffer.from('x'), plain, facts('x'));
    expect(
      ObjectStore.open(root)
        .versions('b', 'k')
        .map((v) => v.etag),
    ).toEqual(['"x"']);
    const put = store.putObject('b', 'k2', Buffer.from('y'), plain, facts('y'));
    const removed = store.deleteObject('b', 'k');
    await Promise.all([put, removed]);
    expect(ObjectStore.open(root).sortedKeys('b')).toEqual(['k2']);
    // Both commit in the step they are called in: a small body is appended to its segment synchronously.
    const changes = journalLines(root, 'b').map((line) => {
      const change = JSON.parse(line) as { put?: { key: string }; del?: string };
      return change.put ? `put ${change.put.key}` : `del ${change.del}`;
    });
    expect(changes).toEqual(['put k', 'put k2', 'del k']);
    expect(readdirSync(join(root, 'b', 'data'))).toHaveLength(1);
  });

  it('drops bytes no record names when it opens (a write cut short by a crash)', async () => {
    const root = join(tempDir('store'), 'buckets');
    const store = ObjectStore.open(root);
    store.createBucket('b');
    await store.putObject('b', 'kept', Buffer.from('k'), plain, facts('k'));
    writeFileSync(join(root, 'b', 'data', 'orphan'), 'half a write');
    ObjectStore.open(root);
    expect(readdirSync(join(root, 'b', 'data'))).toHaveLength(1);
  });

  it('writes each data file once under its own new name: no temporary file, never over another file', async () => {
    const root = join(tempDir('store'), 'buckets');
    const store = ObjectStore.open(root);
    store.createBucket('b');
    const source = join(tempDir('store'), 'source');
    writeFileSync(source, 'bytes');
    // File ranges (a copy, a completed multipart upload) get a data file of their own.
    const record = await store.putObject('b', 'k', [{ path: source }], plain, facts('bytes'));
    const { path } = store.dataRange('b', record);
    expect([readdirSync(join(root, 'b', 'data')), record.dataOffset]).toEqual([[record.dataFile], undefined]);
    expect(readFileSync(path, 'utf8')).toBe('bytes');
    await expect(writeDataFile(path, Buffer.from('other'))).rejects.toThrow('EEXIST');
    await expect(concatDataFile(path, [{ path }])).rejects.toThrow('EEXIST');
    expect(readFileSync(path, 'utf8')).toBe('bytes');
    const missing = join(root, 'b', 'data', 'from-a-missing-source');
    await expect(concatDataFile(missing, [{ path: join(root, 'nowhere') }])).rejects.toThrow('ENOENT');
    expect(readdirSync(join(root, 'b', 'data'))).toEqual([record.dataFile]);
  });

  it('appends bodies of up to 1 MiB to one segment at their offsets; a larger one gets a file of its own', async () => {
    const root = join(tempDir('store'), 'buckets');
    const store = ObjectStore.open(root);
    store.createBucket('b');
    const bodies = ['a', '', 'ccc', 'x'.repeat(1024 * 1024), 'y'.repeat(1024 * 1024 + 1)];
    const records = [];
    for (const [i, body] of bodies.entries())
      records.push(await store.putObject('b', `k${i}`, Buffer.from(body), plain, facts(body)));
    const segment = records[0]?.dataFile;
    expect(records.map((r) => [r.dataFile === segment, r.dataOffset])).toEqual([
      [true, 0],
      [true, 1],
      [true, 1],
      [true, 4],
      [false, undefined],
    ]);
    expect(readdirSync(join(root, 'b', 'data')).sort()).toEqual([segment, records[4]?.dataFile].sort());
    const reopened = ObjectStore.open(root);
    expect(
      bodies.map((_, i) => bytesOf(reopened, 'b', reopened.latest('b', `k${i}`) as VersionRecord)),
    ).toEqual(bodies);
  });

  it('removes a segment once none of its versions lives, and compacts one more than half dead when it opens', async () => {
    const root = join(tempDir('store'), 'buckets');
    const store = ObjectStore.open(root);
    store.createBucket('b');
    for (const key of ['k1', 'k2', 'k3', 'k4'])
      await store.putObject('b', key, Buffer.from(key), plain, facts(key));
    for (const key of ['k1', 'k2', 'k3']) await store.deleteObject('b', key);
    const before = readdirSync(join(root, 'b', 'data'));
    expect(before).toHaveLength(1); // the segment a store appends to is never compacted under it
    const reopened = ObjectStore.open(root);
    const moved = reopened.latest('b', 'k4') as VersionRecord;
    const after = readdirSync(join(root, 'b', 'data'));
    expect([after.length, after[0] === before[0], after[0] === moved.dataFile, moved.dataOffset]).toEqual([
      1,
      false,
      true,
      0,
    ]);
    expect([bytesOf(reopened, 'b', moved), bytesOf(ObjectStore.open(root), 'b', moved)]).toEqual([
      'k4',
      'k4',
    ]);
    await reopened.putObject('b', 'k5', Buffer.from('k5'), plain, facts('k5'));
    await reopened.deleteObject('b', 'k4');
    expect(readdirSync(join(root, 'b', 'data'))).toEqual([moved.dataFile]); // k5 joined k4's new segment
    await reopened.deleteObject('b', 'k5');
    expect(readdirSync(join(root, 'b', 'data'))).toEqual([]);
  });

  it('opens with a segment gone: its versions stay listed where they were, nothing moves', async () => {
    const root = join(tempDir('store'), 'buckets');
    const store = ObjectStore.open(root);
    store.createBucket('b');
    for (const key of ['k1', 'k2', 'k3'])
      await store.putObject('b', key, Buffer.from(key), plain, facts(key));
    for (const key of ['k1', 'k2']) await store.deleteObject('b', key);
    const kept = store.latest('b', 'k3') as VersionRecord;
    rmSync(store.dataRange('b', kept).path);
    const reopened = ObjectStore.open(root);
    expect([
      reopened.sortedKeys('b'),
      reopened.latest('b', 'k3'),
      readdirSync(join(root, 'b', 'data')),
    ]).toEqual([['k3'], kept, []]);
  });

  it('refuses to delete a bucket that holds objects or uploads', async () => {
    const store = ObjectStore.open(join(tempDir('store'), 'buckets'));
    store.createBucket('b');
    const upload = store.multipart.create('b', 'k', plain);
    expect(() => store.deleteBucket('b')).toThrow('not empty');
    store.multipart.remove('b', upload.uploadId);
    store.deleteBucket('b');
    expect(store.listBuckets()).toEqual([]);
  });

  it('copies a data directory s3rver wrote: keys, bytes, ETags, content types and metadata', async () => {
    const dir = tempDir('s3rver');
    const old = join(dir, 's3', 'imgpipe-source', 'photos', 'my cat.jpg');
    mkdirSync(join(old, '..'), { recursive: true });
    writeFileSync(`${old}._S3rver_object`, 'jpeg bytes');
    writeFileSync(
      `${old}._S3rver_metadata.json`,
      JSON.stringify({ 'content-type': 'image/jpeg', 'x-amz-meta-who': 'me' }),
    );
    writeFileSync(`${old}._S3rver_object.md5`, 'e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1');
    writeFileSync(join(dir, 's3', 'imgpipe-source', 'top.txt._S3rver_object'), 'no metadata');
    const store = ObjectStore.open(join(dir, 'buckets'));
    expect(await importS3rverData(join(dir, 's3'), store)).toBe(2);
    const cat = store.latest('imgpipe-source', 'photos/my cat.jpg');
    expect([cat?.etag, cat?.headers, cat?.metadata, cat?.size]).toEqual([
      '"e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1"',
      { 'content-type': 'image/jpeg' },
      { who: 'me' },
      10,
    ]);
    const top = store.latest('imgpipe-source', 'top.txt');
    expect([top?.etag, top && bytesOf(store, 'imgpipe-source', top)]).toEqual([
      '"912c183258974e07a7781cdcc95a9e08"',
      'no metadata',
    ]);
  });
});
