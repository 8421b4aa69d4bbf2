import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { describeError } from '../api/errors';
import { RowSchema, type Row } from '@imgpipe/contracts';
import {
  FIRST_PAGE,
  countByStatus,
  currentCursor,
  matchesQuery,
  mergeRow,
  nextPage,
  previousPage,
  type GalleryQuery,
  type Paging,
} from '../lib/gallery';
import { subscribe, useConsole } from './context';
import { Filters } from './Filters';
import { ImageCard } from './ImageCard';
import { ImageDetail } from './ImageDetail';
import { Upload } from './Upload';

export const PAGE_SIZE = 48;

/**
 * Source images, one server page at a time (cursor paging keeps the DOM small on galleries of thousands),
 * kept current by live `row` events and polling.
 */
export function Gallery(): preact.JSX.Element {
  const { client, bus } = useConsole();
  const [query, setQuery] = useState<GalleryQuery>({ status: '', prefix: '' });
  const [paging, setPaging] = useState<Paging>(FIRST_PAGE);
  const [items, setItems] = useState<readonly Row[]>([]);
  const [nextCursor, setNextCursor] = useState<string | undefined>(undefined);
  // The view (filters + page) whose answer is on screen; anything else means a load is under way.
  const [shownView, setShownView] = useState<string | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [selected, setSelected] = useState<string | undefined>(undefined);
  const itemsRef = useRef(items);
  itemsRef.current = items;
  const refetchTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const request = useRef<AbortController | undefined>(undefined);

  const view = `${query.status}|${query.prefix}|${paging.index}`;
  const loading = shownView !== view;

  const load = useCallback(() => {
    request.current?.abort();
    const controller = new AbortController();
    request.current = controller;
    client
      .listImages(
        {
          status: query.status || undefined,
          prefix: query.prefix || undefined,
          limit: PAGE_SIZE,
          cursor: currentCursor(paging),
        },
        controller.signal,
      )
      .then((page) => {
        if (controller.signal.aborted) return;
        setItems(page.items);
        setNextCursor(page.nextCursor ?? undefined);
        setError(undefined);
      })
      .catch((e: unknown) => {
        if (!controller.signal.aborted) setError(describeError(e));
      })
      .finally(() => {
        if (!controller.signal.aborted) setShownView(view);
      });
  }, [client, query, paging, view]);

  useEffect(() => {
    load();
    return () => request.current?.abort();
  }, [load]);

  const scheduleRefetch = useCallback(() => {
    if (refetchTimer.current !== undefined) return;
    refetchTimer.current = setTimeout(() => {
      refetchTimer.current = undefined;
      load();
    }, 250);
  }, [load]);

  useEffect(() => {
    const applyRow = (row: Row): void => {
      const { items: next, outcome } = mergeRow(itemsRef.current, row);
      if (outcome === 'updated') setItems(next);
      else if (outcome === 'missing' && paging.index === 0 && matchesQuery(row, query)) scheduleRefetch();
    };
    const off = subscribe(bus, ['row', 'poll'], (event) => {
      if (!event) {
        load();
        return;
      }
      const parsed = RowSchema.safeParse(event.data);
      if (parsed.success) {
        applyRow(parsed.data);
        return;
      }
      // A bare `{ objectKey }` notification: fetch the row it names.
      const key =
        typeof event.data === 'object' && event.data !== null
          ? (event.data as { objectKey?: unknown }).objectKey
          : undefined;
      if (typeof key === 'string') {
        client
          .getImage(key)
          .then((row) => (row ? applyRow(row) : undefined))
          .catch(() => undefined);
      } else {
        scheduleRefetch();
      }
    });
    return () => {
      off();
      if (refetchTimer.current !== undefined) clearTimeout(refetchTimer.current);
      refetchTimer.current = undefined;
    };
  }, [bus, client, load, paging.index, query, scheduleRefetch]);

  const changeQuery = (next: GalleryQuery): void => {
    setQuery(next);
    setPaging(FIRST_PAGE);
  };
  const counts = countByStatus(items);
  const selectedRow = selected === undefined ? undefined : items.find((r) => r.objectKey === selected);

  return (
    <div class="gallery">
      <h2 class="sr-only">Gallery</h2>
      <Upload />
      <Filters query={query} onChange={changeQuery} />
      <p class="summary" aria-live="polite" data-testid="gallery-summary">
        {loading && items.length === 0
          ? 'Loading…'
          : `${items.length} image${items.length === 1 ? '' : 's'} on page ${paging.index + 1}` +
            Object.entries(counts)
              .map(([status, n]) => ` · ${n} ${status}`)
              .join('')}
      </p>
      {error ? (
        <p class="error" role="alert">
          {error}{' '}
          <button type="button" onClick={load}>
            Retry
          </button>
        </p>
      ) : null}
      {!loading && items.length === 0 && !error ? (
        <p class="empty">
          No images {query.status || query.prefix ? 'match these filters' : 'yet: drop some above'}.
        </p>
      ) : null}
      <ul
        class="grid"
        aria-label="Images"
        aria-busy={loading}
        data-status={query.status}
        data-prefix={query.prefix}
      >
        {items.map((row) => (
          <li key={row.objectKey}>
            <ImageCard row={row} onOpen={() => setSelected(row.objectKey)} />
          </li>
        ))}
      </ul>
      <nav class="pager" aria-label="Gallery pages">
        <button type="button" disabled={paging.index === 0} onClick={() => setPaging(previousPage(paging))}>
          Previous page
        </button>
        <span aria-current="page">Page {paging.index + 1}</span>
        <button
          type="button"
          disabled={nextCursor === undefined}
          onClick={() => nextCursor && setPaging(nextPage(paging, nextCursor))}
        >
          Next page
        </button>
      </nav>
      {selectedRow ? <ImageDetail row={selectedRow} onClose={() => setSelected(undefined)} /> : null}
    </div>
  );
}
