import type { ImageStatus } from '@imgpipe/contracts';
import { ConsoleError, errorDetail } from '../api/errors';
import type { NamedBlob, UploadProgress } from '../api/image-api';

/**
 * One file's way into the pipeline: `queued`, `requesting` (asking the image API for a presigned POST),
 * `sending` (the form POST to the storage, `sent` of `bytes`), then `uploaded` (the API named its key and
 * id) or `failed` (with the API's or the storage's code and message).
 */
export type UploadState = 'queued' | 'requesting' | 'sending' | 'uploaded' | 'failed';

export interface UploadItem {
  /** Local to this page: the key is known only once the API has answered. */
  readonly id: string;
  readonly name: string;
  readonly bytes: number;
  readonly state: UploadState;
  /** Bytes sent so far while `sending`. */
  readonly sent?: number;
  /** The source key and image id the API gave the upload. */
  readonly key?: string;
  readonly imageId?: string;
  readonly error?: { readonly code: string; readonly message: string };
}

/** What an upload function reports back: where the file went. */
export interface Uploaded {
  readonly key: string;
  readonly id: string;
}

export type UploadOne = (
  file: NamedBlob,
  onProgress: (progress: UploadProgress) => void,
) => Promise<Uploaded>;

let batches = 0;

/**
 * Uploads files, at most `concurrency` at a time, reporting every item's state and progress as it changes.
 * A refused or failed file never stops the others.
 * @example await runUploads(files, (file, progress) => api.upload(file, progress), setItems);
 */
export async function runUploads(
  files: readonly NamedBlob[],
  upload: UploadOne,
  onChange: (items: readonly UploadItem[]) => void,
  concurrency = 3,
): Promise<readonly UploadItem[]> {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new ConsoleError(
      'UPLOAD_FAILED',
      `Expected a positive integer concurrency but received ${concurrency}`,
    );
  }
  batches += 1;
  const items: UploadItem[] = files.map((file, i) => ({
    id: `${batches}.${i}`,
    name: file.name,
    bytes: file.size,
    state: 'queued',
  }));
  const update = (index: number, patch: Partial<UploadItem>): void => {
    const current = items[index];
    if (!current) return;
    items[index] = { ...current, ...patch };
    onChange(items.slice());
  };
  onChange(items.slice());
  let next = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      const index = next;
      next += 1;
      const file = files[index];
      if (!file) return;
      try {
        const done = await upload(file, (p) =>
          update(
            index,
            p.phase === 'requesting' ? { state: 'requesting' } : { state: 'sending', sent: p.sent },
          ),
        );
        update(index, { state: 'uploaded', sent: file.size, key: done.key, imageId: done.id });
      } catch (error) {
        update(index, { state: 'failed', error: errorDetail(error) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, files.length) }, worker));
  return items;
}

/**
 * Folds one batch's items into the list shown: an item replaces the earlier one with the same id, new ones
 * are appended, and at most `limit` of the latest are kept.
 */
export function mergeUploadItems(
  shown: readonly UploadItem[],
  batch: readonly UploadItem[],
  limit = 200,
): readonly UploadItem[] {
  const ids = new Set(batch.map((i) => i.id));
  const merged = [...shown.filter((i) => !ids.has(i.id)), ...batch];
  return merged.length > limit ? merged.slice(merged.length - limit) : merged;
}

/** Statuses after which the pipeline has nothing more to do with an upload. */
export const SETTLED: ReadonlySet<ImageStatus> = new Set(['ready', 'failed', 'deleted']);

/** The pipeline's state of an uploaded image, as the API last answered it. */
export interface PipelineState {
  readonly status: ImageStatus;
  /** `null` while the image is `pending` without a row. */
  readonly updatedAt: string | null;
}

/**
 * Whether `next` should replace `current`: answers can arrive out of order (a poll and a live hint in
 * flight together), so an older row never overwrites a newer one, and `pending` without a row never
 * overwrites a row.
 */
export function isFresher(current: PipelineState | undefined, next: PipelineState): boolean {
  if (!current) return true;
  if (current.updatedAt === null) return true;
  if (next.updatedAt === null) return false;
  return next.updatedAt >= current.updatedAt;
}

/**
 * The uploaded items whose pipeline status is not settled yet (what the Upload view keeps asking the API
 * about), from the states known by image id.
 */
export function awaitingPipeline(
  items: readonly UploadItem[],
  states: Readonly<Record<string, PipelineState>>,
): readonly UploadItem[] {
  return items.filter((u) => {
    if (u.state !== 'uploaded' || u.imageId === undefined) return false;
    const state = states[u.imageId];
    return state === undefined || !SETTLED.has(state.status);
  });
}

/** Percentage of the file sent, for a progress bar (0 to 100). */
export function percentSent(item: Pick<UploadItem, 'sent' | 'bytes' | 'state'>): number {
  if (item.state === 'uploaded') return 100;
  if (item.bytes === 0 || item.sent === undefined) return 0;
  return Math.min(100, Math.round((item.sent / item.bytes) * 100));
}
