import { definePipeline, functionEnvironment } from '@imgpipe/pipeline';
import {
  objectDeletedEvent,
  parseObjectEvents,
  readConfig,
  resizeObject,
  seqKey,
  syncMetadata,
  type ImageTable,
  type ObjectStore,
  type StoredObject,
  type UseCaseDeps,
  type WriteOutcome,
} from '../src';
import { tombstoneExpiry } from '../src/tombstone';

const config = readConfig(functionEnvironment(definePipeline(), 'resize'));
const NOW = new Date('2026-11-21T10:00:00Z');
const DELETION = '00617F08299329D18A';

/** Variants in the derived bucket, each tagged with the sequencer of the source version it came from. */
function fakeDeps(tombstone: WriteOutcome, variants: Record<string, string>) {
  const tombstones: { seqKey: string; expiresAt: number }[] = [];
  const deleted: string[] = [];
  const objects: ObjectStore = {
    head: (_bucket, key) =>
      Promise.resolve<StoredObject>({
        key,
        size: 1,
        etag: 'e',
        metadata: { 'source-sequencer': variants[key] ?? '' },
      }),
    getBytes: () => Promise.reject(new Error('a deletion never downloads')),
    put: () => Promise.reject(new Error('a deletion never writes files')),
    deleteMany: (_bucket, targets) => {
      deleted.push(...targets.map((t) => t.key));
      return Promise.resolve({ refused: [] });
    },
    list: () =>
      Promise.resolve({ objects: Object.keys(variants).map((key) => ({ key, size: 1, etag: 'e' })) }),
  };
  const table = {
    writeTombstone: (version, _now, expiresAt) => {
      tombstones.push({ seqKey: version.seqKey, expiresAt });
      return Promise.resolve(tombstone);
    },
  } as Pick<ImageTable, 'writeTombstone'> as ImageTable;
  const deps: UseCaseDeps = { config, objects, table, images: {} as never, now: () => NOW };
  return { deps, tombstones, deleted };
}

function deletion(key: string, bucket = config.sourceBucket) {
  // What the Object Deleted rule delivers: a delete marker (a permanent deletion is checked with a HEAD first).
  const [event] = parseObjectEvents(
    objectDeletedEvent({ bucket, key, sequencer: DELETION, deletionType: 'Delete Marker Created' }),
  );
  return event!;
}

describe('an Object Deleted event', () => {
  it('lays a tombstone that expires after the configured days, for both writers', async () => {
    for (const useCase of [resizeObject, syncMetadata]) {
      const { deps, tombstones } = fakeDeps('applied', {});
      expect(await useCase(deletion('a b.jpg'), deps)).toEqual({
        action: 'deleted',
        tombstone: 'applied',
        variantsRemoved: 0,
      });
      expect(tombstones).toEqual([
        { seqKey: seqKey(DELETION), expiresAt: tombstoneExpiry(NOW, config.tombstoneTtlDays) },
      ]);
    }
  });

  it("removes the variants up to the deletion's version, never a newer create's", async () => {
    const { deps, deleted } = fakeDeps('duplicate', {
      'a b.jpg/thumb.webp': '00617F08299329D100',
      'a b.jpg/small.webp': '00617F08299329D18A',
      'a b.jpg/large.jpg': '00617F08299329D1FF',
    });
    expect(await resizeObject(deletion('a b.jpg'), deps)).toEqual({
      action: 'deleted',
      tombstone: 'duplicate',
      variantsRemoved: 2,
    });
    expect(deleted).toEqual(['a b.jpg/thumb.webp', 'a b.jpg/small.webp']);
  });

  it('changes nothing when a newer version is on the row', async () => {
    const { deps, deleted } = fakeDeps('stale', { 'a.jpg/thumb.webp': '00' });
    expect(await resizeObject(deletion('a.jpg'), deps)).toEqual({
      action: 'stale',
      reason: 'a newer version exists',
    });
    expect(deleted).toEqual([]);
  });

  it('is ignored in the derived bucket, before any write', async () => {
    const { deps, tombstones } = fakeDeps('applied', {});
    expect(await syncMetadata(deletion('a.jpg/thumb.webp', config.derivedBucket), deps)).toEqual({
      action: 'ignored',
      reason: 'derived-bucket',
    });
    expect(tombstones).toEqual([]);
  });
});
