import { createHash } from 'node:crypto';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { COMPACT_MIN_SLACK, KEY_JOURNAL } from '../../src/edge/s3/store/key-journal';
import { ObjectStore } from '../../src/edge/s3/store/object-store';
import type { VersionRecord } from '../../src/edge/s3/store/records';
import { tempDir } from '../support/helpers';

const plain = { headers: {}, metadata: {}, tags: {} };
const facts = (data: string) => ({ size: data.length, etag: `"${data}"` });
const journal = (root: string): string => join(root, 'b', KEY_JOURNAL);
const lines = (root: string): number =>
  readFileSync(journal(root), 'utf8').split('\n').filter(Boolean).length;

/**
 * Everything a reader sees of a bucket: its keys in order, each key's versions (`without places`: not
 * where their bytes are, which a compaction of segments moves).
 */
function index(store: ObjectStore, without?: 'without places'): unknown {
  return store
    .sortedKeys('b')
    .map((key) => [
      key,
      store
        .versions('b', key)
        .map(({ dataFile, dataOffset, ...rest }) => (without ? rest : { ...rest, dataFile, dataOffset })),
    ]);
}

/** The bytes of a key's current version, where the store says they are. */
function bytesOf(store: ObjectStore, key: string): string {
  const record = store.latest('b', key) as VersionRecord;
  const { path, start } = store.dataRange('b', record);
  return readFileSync(path)
    .subarray(start, start + record.size)
    .toString();
}

function versionRecord(key: string, seq: number, dataFile: string, versionId = 'null'): VersionRecord {
  return {
    key,
    versionId,
    deleteMarker: false,
    size: 1,
    etag: `"${key}"`,
    lastModified: '2026-01-01T00:00:00.000Z',
    headers: { 'content-type': 'text/plain' },
    metadata: {},
    tags: {},
    dataFile,
    seq,
  };
}

describe("the object store's key journal", () => {
  it('skips a torn last line at open and appends the next record on a line of its own', async () => {
    const root = join(tempDir('store'), 'buckets');
    const store = ObjectStore.open(root);
    store.createBucket('b');
    await store.putObject('b', 'k', Buffer.from('x'), plain, facts('x'));
    // A power cut in the middle of the next record's write.
    appendFileSync(journal(root), '{"put":{"key":"torn","versions":[{"key":"to');
    const reopened = ObjectStore.open(root);
    expect(reopened.sortedKeys('b')).toEqual(['k']);
    await reopened.putObject('b', 'k2', Buffer.from('y'), plain, facts('y'));
    expect(index(ObjectStore.open(root))).toEqual(index(reopened));
    expect(ObjectStore.open(root).sortedKeys('b')).toEqual(['k', 'k2']);
    expect(lines(root)).toBe(2);
  });

  it('takes over a data directory of the older layout (a JSON file per key) once, with every object', async () => {
    const root = join(tempDir('store'), 'buckets');
    const bucket = join(root, 'b');
    for (const sub of ['keys', 'data', 'uploads']) mkdirSync(join(bucket, sub), { recursive: true });
    writeFileSync(
      join(bucket, 'bucket.json'),
      JSON.stringify({ name: 'b', created: '2026-01-01T00:00:00.000Z' }),
    );
    const keyFile = (key: string) =>
      join(bucket, 'keys', `${createHash('sha256').update(key).digest('hex')}.json`);
    const versioned = [versionRecord('v', 7, 'd-v2', 'id2'), versionRecord('v', 3, 'd-v1', 'id1')];
    writeFileSync(keyFile('a/b c.txt'), JSON.stringify([versionRecord('a/b c.txt', 5, 'd-a')]));
    writeFileSync(keyFile('v'), JSON.stringify(versioned));
    // A record write a crash cut short under the older layout: the record it would have replaced stands.
    writeFileSync(`${keyFile('v')}.0f3a.tmp`, '[{"key":"v","half');
    for (const data of ['d-a', 'd-v1', 'd-v2', 'orphan']) writeFileSync(join(bucket, 'data', data), 'x');

    const store = ObjectStore.open(root);
    expect(store.sortedKeys('b')).toEqual(['a/b c.txt', 'v']);
    expect(store.versions('b', 'v')).toEqual(versioned);
    expect(store.latest('b', 'a/b c.txt')).toEqual(versionRecord('a/b c.txt', 5, 'd-a'));
    expect(readdirSync(bucket).sort()).toEqual(['bucket.json', 'data', KEY_JOURNAL, 'uploads']);
    expect(readdirSync(join(bucket, 'data')).sort()).toEqual(['d-a', 'd-v1', 'd-v2']);
    // Writes go on from the highest sequence number the old records held.
    const next = await store.putObject('b', 'n', Buffer.from('n'), plain, facts('n'));
    expect(next.seq).toBe(8);
    expect(index(ObjectStore.open(root))).toEqual(index(store));
  });

  it('starts a bucket re-created after a delete a crash cut short with no keys of the deleted one', async () => {
    const root = join(tempDir('store'), 'buckets');
    const store = ObjectStore.open(root);
    store.createBucket('b');
    await store.putObject('b', 'k', Buffer.from('x'), plain, facts('x'));
    // The delete removes the bucket's record first; the crash comes before the rest is removed.
    rmSync(join(root, 'b', 'bucket.json'));
    const reopened = ObjectStore.open(root);
    expect(reopened.hasBucket('b')).toBe(false);
    reopened.createBucket('b');
    expect([reopened.sortedKeys('b'), ObjectStore.open(root).sortedKeys('b')]).toEqual([[], []]);
  });

  it('stays bounded through many overwrites and deletes (compaction) and reopens to the same index', async () => {
    const root = join(tempDir('store'), 'buckets');
    const store = ObjectStore.open(root);
    store.createBucket('b');
    const writes = 3 * COMPACT_MIN_SLACK;
    let most = 0;
    for (let i = 0; i < writes; i++) {
      const key = `k${i % 7}`;
      if (i % 5 === 4) await store.deleteObject('b', key);
      else await store.putObject('b', key, Buffer.from(`${i}`), plain, facts(`${i}`));
      if (i % 50 === 0) most = Math.max(most, lines(root));
    }
    // Never more than the live keys plus the slack a compaction waits for (and the line that triggers it).
    expect(most).toBeGreaterThan(COMPACT_MIN_SLACK / 2);
    expect(most).toBeLessThanOrEqual(COMPACT_MIN_SLACK + 7 + 1);
    expect(lines(root)).toBeLessThan(writes / 2);
    expect(existsSync(`${journal(root)}.tmp`)).toBe(false);
    const reopened = ObjectStore.open(root);
    expect(index(reopened, 'without places')).toEqual(index(store, 'without places'));
    // The bytes: the writes' segment was mostly dead, so the reopened store moved the live ones out.
    const named = new Set(reopened.sortedKeys('b').map((key) => reopened.latest('b', key)?.dataFile));
    expect([readdirSync(join(root, 'b', 'data')), named.size]).toEqual([[...named], 1]);
    expect(reopened.sortedKeys('b').map((key) => bytesOf(reopened, key))).toEqual(
      reopened.sortedKeys('b').map((key) => JSON.parse(reopened.latest('b', key)?.etag ?? '""') as string),
    );
  });
});
