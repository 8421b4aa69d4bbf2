import type { Image, ImageStatus } from '@imgpipe/contracts';
import {
  ALL_IMAGES,
  EMPTY_LIST,
  appendPage,
  countByStatus,
  keyOfRowEvent,
  listPrefix,
  matchesQuery,
  mergeImage,
  removeImage,
  thumbVariant,
  type GalleryList,
} from '../src/lib/gallery';

const FOLDER = 'u/local-user/';

const image = (
  name: string,
  status: ImageStatus = 'ready',
  updatedAt = '2024-01-01T00:00:00.000Z',
): Image => ({
  id: `id-${name}`,
  key: `${FOLDER}${name}`,
  status,
  format: 'jpeg',
  width: 320,
  height: 240,
  bytes: 1000,
  metadata: null,
  placeholder: null,
  error: null,
  variants: [],
  updatedAt,
});

const names = (list: GalleryList): string[] => list.items.map((i) => i.key.slice(FOLDER.length));

describe('listPrefix', () => {
  it('lists the folder by default (no prefix sent) and the folder plus the name typed otherwise', () => {
    expect(listPrefix(FOLDER, ALL_IMAGES)).toBeUndefined();
    expect(listPrefix(FOLDER, { status: 'ready', name: 'IMG_' })).toBe('u/local-user/IMG_');
  });
});

describe('matchesQuery', () => {
  it('leaves tombstones out without a status filter, as the API lists', () => {
    expect(matchesQuery(image('a.jpg', 'ready'), FOLDER, ALL_IMAGES)).toBe(true);
    expect(matchesQuery(image('a.jpg', 'pending'), FOLDER, ALL_IMAGES)).toBe(true);
    expect(matchesQuery(image('a.jpg', 'deleted'), FOLDER, ALL_IMAGES)).toBe(false);
  });

  it('filters by status and by the start of the name inside the folder', () => {
    expect(matchesQuery(image('a.jpg', 'deleted'), FOLDER, { status: 'deleted', name: '' })).toBe(true);
    expect(matchesQuery(image('a.jpg', 'ready'), FOLDER, { status: 'failed', name: '' })).toBe(false);
    expect(matchesQuery(image('cat.jpg'), FOLDER, { status: '', name: 'ca' })).toBe(true);
    expect(matchesQuery(image('dog.jpg'), FOLDER, { status: '', name: 'ca' })).toBe(false);
    expect(matchesQuery({ key: 'u/bob/cat.jpg', status: 'ready' }, FOLDER, ALL_IMAGES)).toBe(false);
  });
});

describe('appendPage', () => {
  it('appends the next page and its cursor, without repeating an image inserted live meanwhile', () => {
    const list: GalleryList = { items: [image('a.jpg'), image('c.jpg')], nextCursor: 'c1' };
    const next = appendPage(list, { items: [image('c.jpg'), image('d.jpg')], nextCursor: null });
    expect(names(next)).toEqual(['a.jpg', 'c.jpg', 'd.jpg']);
    expect(next.nextCursor).toBeNull();
  });
});

describe('mergeImage', () => {
  it('replaces an image on screen in place', () => {
    const list: GalleryList = { items: [image('a.jpg'), image('b.jpg', 'pending')], nextCursor: null };
    const { list: next, outcome } = mergeImage(
      list,
      image('b.jpg', 'ready', '2024-01-02T00:00:00.000Z'),
      FOLDER,
      ALL_IMAGES,
    );
    expect(outcome).toBe('updated');
    expect(next.items.map((i) => i.status)).toEqual(['ready', 'ready']);
    expect(list.items[1]?.status).toBe('pending');
  });

  it('ignores a copy older than the one shown', () => {
    const list: GalleryList = {
      items: [image('a.jpg', 'ready', '2024-01-01T00:00:05.000Z')],
      nextCursor: null,
    };
    expect(
      mergeImage(list, image('a.jpg', 'pending', '2024-01-01T00:00:01.000Z'), FOLDER, ALL_IMAGES),
    ).toEqual({
      list,
      outcome: 'unchanged',
    });
  });

  it('removes an image that no longer matches (deleted, or another status than the filter)', () => {
    const list: GalleryList = { items: [image('a.jpg'), image('b.jpg')], nextCursor: null };
    const deleted = mergeImage(
      list,
      image('a.jpg', 'deleted', '2024-01-02T00:00:00.000Z'),
      FOLDER,
      ALL_IMAGES,
    );
    expect(deleted.outcome).toBe('removed');
    expect(names(deleted.list)).toEqual(['b.jpg']);
    const failedOnly = mergeImage(list, image('b.jpg', 'ready'), FOLDER, { status: 'failed', name: '' });
    expect(names(failedOnly.list)).toEqual(['a.jpg']);
  });

  it('inserts a new image in key order without a status filter', () => {
    const list: GalleryList = { items: [image('a.jpg'), image('c.jpg')], nextCursor: null };
    expect(names(mergeImage(list, image('b.jpg'), FOLDER, ALL_IMAGES).list)).toEqual([
      'a.jpg',
      'b.jpg',
      'c.jpg',
    ]);
    expect(names(mergeImage(list, image('d.jpg'), FOLDER, ALL_IMAGES).list)).toEqual([
      'a.jpg',
      'c.jpg',
      'd.jpg',
    ]);
    expect(names(mergeImage(EMPTY_LIST, image('d.jpg'), FOLDER, ALL_IMAGES).list)).toEqual(['d.jpg']);
  });

  it('leaves an image past the last loaded card to "load more" while more pages remain', () => {
    const list: GalleryList = { items: [image('a.jpg'), image('c.jpg')], nextCursor: 'more' };
    expect(mergeImage(list, image('d.jpg'), FOLDER, ALL_IMAGES)).toEqual({ list, outcome: 'unchanged' });
    expect(names(mergeImage(list, image('b.jpg'), FOLDER, ALL_IMAGES).list)).toEqual([
      'a.jpg',
      'b.jpg',
      'c.jpg',
    ]);
  });

  it('inserts newest first with a status filter', () => {
    const ready = { status: 'ready', name: '' } as const;
    const list: GalleryList = {
      items: [
        image('x.jpg', 'ready', '2024-01-03T00:00:00.000Z'),
        image('y.jpg', 'ready', '2024-01-01T00:00:00.000Z'),
      ],
      nextCursor: null,
    };
    const merged = mergeImage(list, image('z.jpg', 'ready', '2024-01-02T00:00:00.000Z'), FOLDER, ready);
    expect(merged.outcome).toBe('inserted');
    expect(names(merged.list)).toEqual(['x.jpg', 'z.jpg', 'y.jpg']);
  });

  it('does not insert what the filter leaves out', () => {
    expect(mergeImage(EMPTY_LIST, image('cat.jpg'), FOLDER, { status: '', name: 'dog' }).outcome).toBe(
      'unchanged',
    );
  });
});

describe('removeImage', () => {
  it('drops the image with the id and keeps the list itself when it is not shown', () => {
    const list: GalleryList = { items: [image('a.jpg'), image('b.jpg')], nextCursor: 'n' };
    expect(removeImage(list, 'id-a.jpg')).toEqual({ items: [image('b.jpg')], nextCursor: 'n' });
    expect(removeImage(list, 'id-zzz')).toBe(list);
  });
});

describe('thumbVariant', () => {
  it('prefers the thumb, else the smallest variant', () => {
    expect(
      thumbVariant([
        { name: 'large', width: 1280, height: 960 },
        { name: 'thumb', width: 128, height: 128 },
      ])?.name,
    ).toBe('thumb');
    expect(
      thumbVariant([
        { name: 'large', width: 1280, height: 960 },
        { name: 'small', width: 320, height: 240 },
      ])?.name,
    ).toBe('small');
    expect(thumbVariant([])).toBeUndefined();
  });
});

describe('countByStatus', () => {
  it('counts images per status', () => {
    expect(countByStatus([image('a'), image('b'), image('c', 'failed')])).toEqual({ ready: 2, failed: 1 });
  });
});

describe('keyOfRowEvent', () => {
  it('reads the key a live row event names, and nothing from anything else', () => {
    expect(keyOfRowEvent({ objectKey: 'u/local-user/a.jpg', status: 'ready' })).toBe('u/local-user/a.jpg');
    expect(keyOfRowEvent({ objectKey: 3 })).toBeUndefined();
    expect(keyOfRowEvent(undefined)).toBeUndefined();
  });
});
