import { definePipeline, functionEnvironment } from '@imgpipe/pipeline';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  parseObjectEvents,
  readConfig,
  resizeObject,
  syncMetadata,
  type ImageTable,
  type ObjectStore,
  type StoredObject,
  type UseCaseDeps,
} from '../src';

const config = readConfig(functionEnvironment(definePipeline(), 'resize'));

function event(file: string) {
  const [parsed] = parseObjectEvents(
    JSON.parse(readFileSync(join(__dirname, 'fixtures', 'events', file), 'utf8')),
  );
  return parsed!;
}

/** Records what a deletion did: the HEADs it made, the tombstones it wrote, the variants it listed. */
function fakeDeps(current: StoredObject | undefined) {
  const heads: string[] = [];
  const tombstones: string[] = [];
  const listed: string[] = [];
  const objects: ObjectStore = {
    head: (bucket, key) => {
      heads.push(`${bucket}/${key}`);
      return Promise.resolve(current);
    },
    getBytes: () => Promise.reject(new Error('a deletion must not read the object')),
    put: () => Promise.reject(new Error('a deletion must not write variants')),
    deleteMany: () => Promise.resolve({ refused: [] }),
    list: (bucket) => {
      listed.push(bucket);
      return Promise.resolve({ objects: [] });
    },
  };
  const table = {
    writeTombstone: (version) => {
      tombstones.push(version.objectKey);
      return Promise.resolve('applied');
    },
  } as Pick<ImageTable, 'writeTombstone'> as ImageTable;
  const deps: UseCaseDeps = { config, objects, table, images: {} as UseCaseDeps['images'] };
  return { deps, heads, tombstones, listed };
}

const KEY = 'photos/red floweré 1+1.jpg';
const STILL_THERE: StoredObject = { key: KEY, size: 5, etag: 'b1946ac92492d2347c6235b4d2611184' };

describe.each([
  ['resize', resizeObject],
  ['metadata-sync', syncMetadata],
] as const)('%s on S3 deletion events', (_name, useCase) => {
  it('tombstones on a delete marker without asking S3 (the marker proves the object is hidden)', async () => {
    const { deps, heads, tombstones } = fakeDeps(STILL_THERE);
    const outcome = await useCase(event('eventbridge-object-deleted.json'), deps);
    expect(outcome).toMatchObject({ action: 'deleted', tombstone: 'applied' });
    expect(heads).toEqual([]);
    expect(tombstones).toEqual([KEY]);
  });

  it.each(['eventbridge-object-deleted-version.json', 'eventbridge-object-deleted-lifecycle.json'])(
    'ignores %s while the current object is still there (an old version expired)',
    async (file) => {
      const { deps, heads, tombstones, listed } = fakeDeps(STILL_THERE);
      const outcome = await useCase(event(file), deps);
      expect(outcome).toEqual({ action: 'ignored', reason: 'object-still-present' });
      expect(heads).toEqual([`imgpipe-source/${KEY}`]);
      expect(tombstones).toEqual([]);
      expect(listed).toEqual([]);
    },
  );

  it.each(['eventbridge-object-deleted-version.json', 'eventbridge-object-deleted-lifecycle.json'])(
    'tombstones on %s when the object is really gone',
    async (file) => {
      const { deps, heads, tombstones } = fakeDeps(undefined);
      const outcome = await useCase(event(file), deps);
      expect(outcome).toMatchObject({ action: 'deleted', tombstone: 'applied' });
      expect(heads).toEqual([`imgpipe-source/${KEY}`]);
      expect(tombstones).toEqual([KEY]);
    },
  );
});
