import { ConsoleError, describeError } from '../api/errors';
import { uploadKey } from '../api/keys';

export type UploadState = 'queued' | 'uploading' | 'uploaded' | 'failed';

export interface UploadItem {
  readonly key: string;
  readonly name: string;
  readonly bytes: number;
  readonly state: UploadState;
  readonly error?: string;
}

/** The browser `File` fields uploads need (a `Blob` with a name). */
export interface NamedBlob extends Blob {
  readonly name: string;
}

/**
 * Uploads files under `prefix`, at most `concurrency` at a time, reporting each item's state as it changes.
 * A failed file never stops the others; a bad name fails only that file.
 * @example await runUploads(files, 'photos', (key, file) => client.upload(key, file), setItems);
 */
export async function runUploads(
  files: readonly NamedBlob[],
  prefix: string,
  upload: (key: string, file: NamedBlob) => Promise<void>,
  onChange: (items: readonly UploadItem[]) => void,
  concurrency = 3,
): Promise<readonly UploadItem[]> {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new ConsoleError(
      'INVALID_KEY',
      `Expected a positive integer concurrency but received ${concurrency}`,
    );
  }
  const items: UploadItem[] = files.map((file) => {
    try {
      return { key: uploadKey(prefix, file.name), name: file.name, bytes: file.size, state: 'queued' };
    } catch (error) {
      return {
        key: file.name,
        name: file.name,
        bytes: file.size,
        state: 'failed',
        error: describeError(error),
      };
    }
  });
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
      if (index >= files.length) return;
      const item = items[index];
      const file = files[index];
      if (!item || !file || item.state === 'failed') continue;
      update(index, { state: 'uploading' });
      try {
        await upload(item.key, file);
        update(index, { state: 'uploaded' });
      } catch (error) {
        update(index, { state: 'failed', error: describeError(error) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, files.length) }, worker));
  return items;
}

/**
 * Folds one batch's items into the list shown: an item replaces the earlier one with the same key (a
 * re-upload), new keys are appended, and at most `limit` of the latest are kept.
 */
export function mergeUploadItems(
  shown: readonly UploadItem[],
  batch: readonly UploadItem[],
  limit = 200,
): readonly UploadItem[] {
  const keys = new Set(batch.map((i) => i.key));
  const merged = [...shown.filter((i) => !keys.has(i.key)), ...batch];
  return merged.length > limit ? merged.slice(merged.length - limit) : merged;
}
