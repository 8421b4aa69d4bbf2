import type { Image, ImageStatus, ListImagesResponse } from '@imgpipe/contracts';

/**
 * What the gallery shows of the caller's folder: one status (or every status but `deleted`, as the API lists
 * by default) and the start of the file name.
 */
export interface GalleryQuery {
  readonly status: ImageStatus | '';
  /** The start of the key below the caller's folder (`u/<sub>/`), e.g. `IMG_2024`. */
  readonly name: string;
}

export const ALL_IMAGES: GalleryQuery = { status: '', name: '' };

/** The `prefix` to list with: the folder plus the name typed, or none (the API's default, the folder). */
export function listPrefix(folder: string, query: GalleryQuery): string | undefined {
  return query.name === '' ? undefined : `${folder}${query.name}`;
}

/** True when the image belongs in a gallery of `folder` filtered by `query`. */
export function matchesQuery(
  image: Pick<Image, 'key' | 'status'>,
  folder: string,
  query: GalleryQuery,
): boolean {
  if (query.status === '' ? image.status === 'deleted' : image.status !== query.status) return false;
  return image.key.startsWith(`${folder}${query.name}`);
}

/** The images loaded so far ("load more" appends) and the cursor of the next page (`null`: all loaded). */
export interface GalleryList {
  readonly items: readonly Image[];
  readonly nextCursor: string | null;
}

export const EMPTY_LIST: GalleryList = { items: [], nextCursor: null };

/** Appends the next page; an image already shown (inserted live meanwhile) is not shown twice. */
export function appendPage(list: GalleryList, page: ListImagesResponse): GalleryList {
  const shown = new Set(list.items.map((i) => i.id));
  return {
    items: [...list.items, ...page.items.filter((i) => !shown.has(i.id))],
    nextCursor: page.nextCursor,
  };
}

/**
 * Whether `a` comes before `b` in the API's order: key order without a status filter; newest `updatedAt`
 * first with one. (Keys compare by UTF-16 code unit here and by UTF-8 byte in DynamoDB; they differ only
 * between astral characters and U+E000..U+FFFF, which at worst places a live insert off by a few cards.)
 */
function before(a: Image, b: Image, query: GalleryQuery): boolean {
  if (query.status === '') return a.key < b.key;
  return (a.updatedAt ?? '') > (b.updatedAt ?? '');
}

export type MergeOutcome = 'updated' | 'inserted' | 'removed' | 'unchanged';

/**
 * Applies a fresh copy of one image (fetched from the API after a live hint) to the list on screen: shown
 * and still matching, it is replaced in place unless older than the copy shown; no longer matching (deleted,
 * another status), it is removed; new and matching, it is inserted where the API would list it, unless
 * that is past the last loaded card while more pages remain ("load more" will bring it).
 */
export function mergeImage(
  list: GalleryList,
  image: Image,
  folder: string,
  query: GalleryQuery,
): { list: GalleryList; outcome: MergeOutcome } {
  const index = list.items.findIndex((i) => i.id === image.id);
  const current = list.items[index];
  if (!matchesQuery(image, folder, query)) {
    if (index < 0) return { list, outcome: 'unchanged' };
    return { list: { ...list, items: list.items.filter((i) => i.id !== image.id) }, outcome: 'removed' };
  }
  if (current) {
    if (current.updatedAt !== null && image.updatedAt !== null && current.updatedAt > image.updatedAt) {
      return { list, outcome: 'unchanged' };
    }
    const items = list.items.slice();
    items[index] = image;
    return { list: { ...list, items }, outcome: 'updated' };
  }
  const at = list.items.findIndex((i) => before(image, i, query));
  if (at < 0 && list.nextCursor !== null) return { list, outcome: 'unchanged' };
  const items = list.items.slice();
  items.splice(at < 0 ? items.length : at, 0, image);
  return { list: { ...list, items }, outcome: 'inserted' };
}

/** Drops the image with `id` (the API no longer shows it to this caller). */
export function removeImage(list: GalleryList, id: string): GalleryList {
  return list.items.some((i) => i.id === id)
    ? { ...list, items: list.items.filter((i) => i.id !== id) }
    : list;
}

/** Counts of images by status in what is shown, for the summary line. */
export function countByStatus(items: readonly Pick<Image, 'status'>[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const image of items) counts[image.status] = (counts[image.status] ?? 0) + 1;
  return counts;
}

/** The variant to show on a card: `thumb` when present, else the smallest by pixel count. */
export function thumbVariant<V extends { name: string; width: number; height: number }>(
  variants: readonly V[],
): V | undefined {
  if (variants.length === 0) return undefined;
  const thumb = variants.find((v) => v.name === 'thumb');
  if (thumb) return thumb;
  return variants.reduce((best, v) => (v.width * v.height < best.width * best.height ? v : best));
}

/** The source key a live `row` event names (`{ objectKey }`), if any. */
export function keyOfRowEvent(data: unknown): string | undefined {
  const key =
    typeof data === 'object' && data !== null ? (data as { objectKey?: unknown }).objectKey : undefined;
  return typeof key === 'string' ? key : undefined;
}
