import type { Row } from '@imgpipe/contracts';

/** What the gallery shows: the server-side filters. */
export interface GalleryQuery {
  readonly status: string;
  readonly prefix: string;
}

/** True when the row belongs in a gallery filtered by `query`. */
export function matchesQuery(row: Pick<Row, 'objectKey' | 'status'>, query: GalleryQuery): boolean {
  if (query.status !== '' && row.status !== query.status) return false;
  return row.objectKey.startsWith(query.prefix);
}

export type MergeOutcome = 'updated' | 'unchanged' | 'missing';

/**
 * Applies a live row to the page on screen. A row already shown is replaced in place (its card keeps its
 * position); one that is not shown is reported `missing` so the caller can refetch the page, which keeps
 * the server's order and page size. A row that no longer matches the filter stays until that refetch.
 */
export function mergeRow(items: readonly Row[], row: Row): { items: readonly Row[]; outcome: MergeOutcome } {
  const index = items.findIndex((r) => r.objectKey === row.objectKey);
  if (index === -1) return { items, outcome: 'missing' };
  const current = items[index];
  // `updatedAt` is the row's one time field (the contract requires it): an older update never wins.
  if (current && Date.parse(current.updatedAt) > Date.parse(row.updatedAt)) {
    return { items, outcome: 'unchanged' };
  }
  const next = items.slice();
  next[index] = row;
  return { items: next, outcome: 'updated' };
}

/**
 * Cursor paging: the cursors that start each page seen so far (page 0 has none), so "Previous" works on
 * an API that only pages forward.
 */
export interface Paging {
  readonly cursors: readonly (string | undefined)[];
  readonly index: number;
}

export const FIRST_PAGE: Paging = { cursors: [undefined], index: 0 };

export function nextPage(paging: Paging, nextCursor: string): Paging {
  const cursors = paging.cursors.slice(0, paging.index + 1);
  cursors.push(nextCursor);
  return { cursors, index: paging.index + 1 };
}

export function previousPage(paging: Paging): Paging {
  return paging.index === 0 ? paging : { cursors: paging.cursors, index: paging.index - 1 };
}

export function currentCursor(paging: Paging): string | undefined {
  return paging.cursors[paging.index];
}

/** Counts of rows by status in what is shown, for the summary line. */
export function countByStatus(items: readonly Pick<Row, 'status'>[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const row of items) counts[row.status] = (counts[row.status] ?? 0) + 1;
  return counts;
}

/** The variant to show on a card: `thumb` when present, else the smallest by pixel count. */
export function thumbVariant<
  V extends { name: string; width?: number | undefined; height?: number | undefined },
>(variants: readonly V[] | undefined): V | undefined {
  if (!variants || variants.length === 0) return undefined;
  const thumb = variants.find((v) => v.name === 'thumb');
  if (thumb) return thumb;
  return variants.reduce((best, v) =>
    (v.width ?? 0) * (v.height ?? 0) < (best.width ?? 0) * (best.height ?? 0) ? v : best,
  );
}
