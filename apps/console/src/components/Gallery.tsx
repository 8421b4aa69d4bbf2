import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ConsoleError, describeError } from '../api/errors';
import { imageId } from '@imgpipe/contracts';
import {
  ALL_IMAGES,
  EMPTY_LIST,
  appendPage,
  countByStatus,
  keyOfRowEvent,
  listPrefix,
  mergeImage,
  removeImage,
  type GalleryList,
  type GalleryQuery,
} from '../lib/gallery';
import { onImage, publishImage, subscribe, useConsole } from './context';
import { Filters } from './Filters';
import { ImageCard } from './ImageCard';
import { ImageDetail } from './ImageDetail';
import { Upload } from './Upload';

export const PAGE_SIZE = 48;
/** Live hints arriving within this window are fetched together (a burst of uploads, a backfill). */
const HINT_BATCH_MS = 200;

/**
 * The caller's images through the image API: `GET /v1/images` pages with its opaque cursor ("Load more"),
 * thumbnails from the versioned CDN URLs it hands out, kept current by fetching an image again whenever the
 * live stream mentions its key (or the first page on every polling tick while the stream is down).
 */
export function Gallery(): preact.JSX.Element {
  const { images, bus } = useConsole();
  const [folder, setFolder] = useState<string | undefined>(undefined);
  const [query, setQuery] = useState<GalleryQuery>(ALL_IMAGES);
  const [list, setList] = useState<GalleryList>(EMPTY_LIST);
  // The filters whose answer is on screen; anything else means a load is under way.
  const [shownView, setShownView] = useState<string | undefined>(undefined);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const [selected, setSelected] = useState<string | undefined>(undefined);
  const request = useRef<AbortController | undefined>(undefined);
  const hinted = useRef(new Set<string>());

  const view = `${query.status}|${query.name}`;
  const loading = shownView !== view;

  // The folder comes with the token: until the issuer has answered, nothing can be listed.
  const fetchFolder = useCallback(() => {
    images
      .folder()
      .then((f) => {
        setFolder(f);
        setError(undefined);
      })
      .catch((e: unknown) => setError(describeError(e)));
  }, [images]);
  useEffect(fetchFolder, [fetchFolder]);

  const listQuery = useCallback(
    (cursor?: string) => ({
      prefix: folder === undefined ? undefined : listPrefix(folder, query),
      status: query.status || undefined,
      limit: PAGE_SIZE,
      cursor,
    }),
    [folder, query],
  );

  const load = useCallback(() => {
    if (folder === undefined) return;
    request.current?.abort();
    const controller = new AbortController();
    request.current = controller;
    images
      .listImages(listQuery(), controller.signal)
      .then((page) => {
        if (controller.signal.aborted) return;
        setList(page);
        setError(undefined);
      })
      .catch((e: unknown) => {
        if (!controller.signal.aborted) setError(describeError(e));
      })
      .finally(() => {
        if (!controller.signal.aborted) setShownView(view);
      });
  }, [images, folder, listQuery, view]);

  useEffect(() => {
    load();
    return () => request.current?.abort();
  }, [load]);

  const loadMore = (): void => {
    const cursor = list.nextCursor;
    if (cursor === null || loadingMore) return;
    setLoadingMore(true);
    const controller = request.current;
    images
      .listImages(listQuery(cursor), controller?.signal)
      .then((page) => {
        if (!controller?.signal.aborted) setList((l) => appendPage(l, page));
      })
      .catch((e: unknown) => {
        if (!controller?.signal.aborted) setError(describeError(e));
      })
      .finally(() => setLoadingMore(false));
  };

  useEffect(() => {
    if (folder === undefined) return undefined;
    const merge = onImage(bus, (image) => setList((l) => mergeImage(l, image, folder, query).list));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const fetchHinted = (): void => {
      timer = undefined;
      const keys = [...hinted.current];
      hinted.current.clear();
      for (const key of keys) {
        const id = imageId(key);
        images
          .image(id)
          .then((image) => publishImage(bus, image))
          .catch((e: unknown) => {
            // Gone (deleted, then its row expired): no longer in this caller's gallery.
            if (e instanceof ConsoleError && e.code === 'NOT_FOUND') setList((l) => removeImage(l, id));
          });
      }
    };
    const live = subscribe(bus, ['row', 'poll'], (event) => {
      if (!event) {
        // Polling while the stream is down: the first page again, merged into what is shown.
        images
          .listImages(listQuery())
          .then((page) => page.items.forEach((image) => publishImage(bus, image)))
          .catch(() => undefined);
        return;
      }
      const key = keyOfRowEvent(event.data);
      // Only the caller's own keys: the API would answer 404 for anything else.
      if (key === undefined || !key.startsWith(folder)) return;
      hinted.current.add(key);
      timer ??= setTimeout(fetchHinted, HINT_BATCH_MS);
    });
    return () => {
      merge();
      live();
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [bus, images, folder, query, listQuery]);

  const { items, nextCursor } = list;
  const counts = countByStatus(items);
  const selectedImage = selected === undefined ? undefined : items.find((i) => i.id === selected);

  return (
    <div class="gallery">
      <h2 class="sr-only">Gallery</h2>
      <Upload />
      <Filters query={query} folder={folder} onChange={setQuery} />
      <p class="summary" aria-live="polite" data-testid="gallery-summary">
        {loading && items.length === 0
          ? 'Loading…'
          : `${items.length} image${items.length === 1 ? '' : 's'} shown${nextCursor === null ? '' : ', more to load'}` +
            Object.entries(counts)
              .map(([status, n]) => ` · ${n} ${status}`)
              .join('')}
      </p>
      {error ? (
        <p class="error" role="alert">
          {error}{' '}
          <button type="button" onClick={folder === undefined ? fetchFolder : load}>
            Retry
          </button>
        </p>
      ) : null}
      {!loading && items.length === 0 && !error ? (
        <p class="empty">
          No images {query.status || query.name ? 'match these filters' : 'yet: drop some above'}.
        </p>
      ) : null}
      <ul
        class="grid"
        aria-label="Images"
        aria-busy={loading}
        data-status={query.status}
        data-name={query.name}
      >
        {items.map((image) => (
          <li key={image.id}>
            <ImageCard image={image} onOpen={() => setSelected(image.id)} />
          </li>
        ))}
      </ul>
      {nextCursor !== null ? (
        <p class="pager">
          <button type="button" onClick={loadMore} disabled={loadingMore || loading} aria-busy={loadingMore}>
            Load more
          </button>
        </p>
      ) : null}
      {selectedImage ? <ImageDetail image={selectedImage} onClose={() => setSelected(undefined)} /> : null}
    </div>
  );
}
