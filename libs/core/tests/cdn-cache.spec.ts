import { CDN_NOT_FOUND_KEY, definePipeline, functionEnvironment } from '@imgpipe/pipeline';
import deleted from './fixtures/events/eventbridge-object-deleted.json';
import {
  deletionReference,
  parseObjectEvents,
  readConfig,
  resizeObject,
  seqKey,
  variantsPath,
  type CdnCache,
  type ImageTable,
  type DeleteTarget,
  type ObjectStore,
  type ReconcileDeps,
  type UseCaseDeps,
  type WriteOutcome,
} from '../src';
import { derivedPage } from '../src/reconcile/phases';
import { emptyReport } from '../src/reconcile/types';

const config = readConfig(functionEnvironment(definePipeline(), 'resize'));

/** A deletion's world: the derived bucket holds three variants; the table answers `tombstone`. */
function deletionDeps(tombstone: WriteOutcome, cdn?: CdnCache) {
  const order: string[] = [];
  const sourceKey = parseObjectEvents(deleted)[0]!.key;
  const objects = {
    list: () =>
      Promise.resolve({
        objects: ['thumb.webp', 'small.webp', 'large.jpg'].map((name) => ({
          key: `${sourceKey}/${name}`,
          size: 3,
          etag: 'e',
        })),
      }),
    head: (_bucket: string, key: string) => Promise.resolve({ key, size: 3, etag: 'e' }),
    deleteMany: (_bucket: string, targets: readonly DeleteTarget[]) => {
      order.push(`delete ${targets.length}`);
      return Promise.resolve({ refused: [] });
    },
  } as unknown as ObjectStore;
  const table = { writeTombstone: () => Promise.resolve(tombstone) } as unknown as ImageTable;
  const images = {} as UseCaseDeps['images'];
  const deps: UseCaseDeps = { config, objects, table, images, ...(cdn ? { cdn } : {}) };
  return { deps, order };
}

function recordingCdn(order: string[]) {
  const calls: { paths: readonly string[]; reference: string }[] = [];
  const cdn: CdnCache = {
    invalidate: (paths, reference) => {
      calls.push({ paths, reference });
      order.push('invalidate');
      return Promise.resolve();
    },
  };
  return { cdn, calls };
}

describe('variantsPath', () => {
  it('covers every variant of a key, encoded as the API encodes variant URLs', () => {
    expect(variantsPath('photos/cat.jpg')).toBe('/photos/cat.jpg/*');
    expect(variantsPath('u/alice/my cat #1.jpg')).toBe('/u/alice/my%20cat%20%231.jpg/*');
    expect(variantsPath('a*b/c')).toBe('/a%2Ab/c/*');
  });
});

describe('resizeObject on a deletion', () => {
  const [event] = parseObjectEvents(deleted);

  it('invalidates the image on the CDN once, after its variants are gone', async () => {
    const order: string[] = [];
    const { cdn, calls } = recordingCdn(order);
    const { deps, order: steps } = deletionDeps('applied', cdn);
    const outcome = await resizeObject(event!, deps);
    expect(outcome).toMatchObject({ action: 'deleted', tombstone: 'applied' });
    expect(calls).toEqual([
      {
        paths: [variantsPath(event!.key)],
        reference: deletionReference(event!.key, seqKey(event!.sequencer)),
      },
    ]);
    expect([...steps, ...order]).toEqual(['delete 3', 'invalidate']);
  });

  it('invalidates again with the same reference when the deletion is retried', async () => {
    const order: string[] = [];
    const { cdn, calls } = recordingCdn(order);
    await resizeObject(event!, deletionDeps('applied', cdn).deps);
    await resizeObject(event!, deletionDeps('duplicate', cdn).deps);
    expect(calls).toHaveLength(2);
    expect(calls[1]).toEqual(calls[0]);
  });

  it('leaves the CDN alone when a newer version exists (stale deletion)', async () => {
    const order: string[] = [];
    const { cdn, calls } = recordingCdn(order);
    const outcome = await resizeObject(event!, deletionDeps('stale', cdn).deps);
    expect(outcome).toEqual({ action: 'stale', reason: 'a newer version exists' });
    expect(calls).toEqual([]);
  });

  it('needs no CDN where nothing caches variants (the local stack)', async () => {
    const outcome = await resizeObject(event!, deletionDeps('applied').deps);
    expect(outcome).toMatchObject({ action: 'deleted', variantsRemoved: 3 });
  });
});

describe('reconcile over the derived bucket', () => {
  it("leaves the CDN's own error body and removes real orphans", async () => {
    const deleted: string[] = [];
    const objects = {
      list: () =>
        Promise.resolve({
          objects: [CDN_NOT_FOUND_KEY, 'gone.jpg/thumb.webp'].map((key) => ({ key, size: 1, etag: 'e' })),
        }),
      head: () => Promise.resolve(undefined),
      deleteMany: (_bucket: string, targets: readonly DeleteTarget[]) => {
        deleted.push(...targets.map((t) => t.key));
        return Promise.resolve({ refused: [] });
      },
    } as unknown as ObjectStore;
    const deps = {
      config,
      objects,
      table: {} as ImageTable,
      images: {} as UseCaseDeps['images'],
    } as unknown as ReconcileDeps;
    const report = emptyReport();
    await derivedPage(deps, undefined, report);
    expect(deleted).toEqual(['gone.jpg/thumb.webp']);
    expect(report).toMatchObject({ scanned: 2, orphansRemoved: 1 });
  });
});
