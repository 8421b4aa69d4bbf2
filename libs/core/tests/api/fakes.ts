import { definePipeline, functionEnvironment, ownerPrefixOf, ownerStatusKey } from '@imgpipe/pipeline';
import {
  callerFromClaims,
  CursorCodec,
  readConfig,
  type ApiDeps,
  type Caller,
  type ImageIndex,
  type ImageRow,
  type IndexQuery,
  type PresignPostInput,
  type StoredObject,
} from '../../src';

export const CDN = 'https://cdn.example';
export const KEY = 'a-cursor-key-of-at-least-32-characters';

export function caller(sub: string, scope = 'images.read images.write'): Caller {
  return callerFromClaims({ sub, scope });
}

/** A row as the writers leave it (with the index keys). */
export function row(
  objectKey: string,
  status: ImageRow['status'],
  updatedAt: string,
  extra: Partial<ImageRow> = {},
): ImageRow {
  const owner = ownerPrefixOf(objectKey);
  return {
    objectKey,
    bucket: 'imgpipe-source',
    status,
    sequencer: '01',
    seqKey: '01'.padEnd(32, '0'),
    updatedAt,
    ownerPrefix: owner,
    ownerStatus: ownerStatusKey(owner, status),
    ...extra,
  };
}

/**
 * The listing indexes over rows in memory, with DynamoDB's semantics: `Limit` counts evaluated items,
 * filters apply after it, and `lastKey` is the last evaluated item's key.
 */
export class MemoryIndex implements ImageIndex {
  readonly queries: IndexQuery[] = [];
  constructor(private readonly rows: () => readonly ImageRow[]) {}

  query(q: IndexQuery): Promise<{ rows: ImageRow[]; lastKey?: Record<string, string> }> {
    this.queries.push(q);
    const byOwner = q.index === 'byOwner';
    const sortKey = (r: ImageRow) => (byOwner ? r.objectKey : `${r.updatedAt}\u0000${r.objectKey}`);
    let all = this.rows()
      .filter((r) => (byOwner ? r.ownerPrefix : r.ownerStatus) === q.partition)
      .filter((r) => !byOwner || !q.prefix || r.objectKey.startsWith(q.prefix))
      .sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : 1));
    if (!byOwner) all = all.reverse();
    const start = q.startKey ? all.findIndex((r) => r.objectKey === q.startKey?.['objectKey']) + 1 : 0;
    const evaluated = all.slice(start, start + q.limit);
    const kept = evaluated
      .filter((r) => byOwner || !q.prefix || r.objectKey.startsWith(q.prefix))
      .filter((r) => !q.excludeDeleted || r.status !== 'deleted');
    const last = evaluated.at(-1);
    const more = start + q.limit < all.length;
    return Promise.resolve({
      rows: kept,
      ...(more && last
        ? { lastKey: { objectKey: last.objectKey, [byOwner ? 'ownerPrefix' : 'ownerStatus']: q.partition } }
        : {}),
    });
  }
}

export function apiDeps(rows: ImageRow[] = [], objects: StoredObject[] = []) {
  const signed: PresignPostInput[] = [];
  const deleted: string[] = [];
  const index = new MemoryIndex(() => rows);
  const deps: ApiDeps = {
    config: readConfig(functionEnvironment(definePipeline(), 'api')),
    api: { cdnBaseUrl: CDN, cursors: new CursorCodec([KEY]), scopePrefix: '' },
    objects: {
      head: (_bucket, key) => Promise.resolve(objects.find((o) => o.key === key)),
      deleteMany: (_bucket, targets) => {
        deleted.push(...targets.map((t) => t.key));
        return Promise.resolve({ refused: [] });
      },
    },
    table: { get: (key) => Promise.resolve(rows.find((r) => r.objectKey === key)) },
    index,
    signer: {
      presignPost: (input) => {
        signed.push(input);
        return Promise.resolve({
          url: 'http://s3.example/imgpipe-source',
          fields: { key: input.key, Policy: 'p' },
        });
      },
    },
    now: () => new Date('2026-11-27T17:00:00.000Z'),
  };
  return { deps, signed, deleted, index };
}
