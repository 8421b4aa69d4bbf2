import { WaitTimeoutError } from './errors';
import type { RowSource } from './rows';
import type { Row } from '@imgpipe/contracts';

const FINAL = new Set(['ready', 'failed', 'deleted']);

/**
 * Polls until the row of `key` describes the upload with ETag `etag` and is final (`ready`,
 * `failed` or `deleted`), or throws {@link WaitTimeoutError} at `deadline` (ms since epoch).
 */
export async function waitForRow(
  rows: RowSource,
  key: string,
  etag: string,
  deadline: number,
  intervalMs = 250,
): Promise<Row> {
  let last: Row | undefined;
  for (;;) {
    last = await rows.get(key);
    if (last && last.etag === etag && FINAL.has(last.status)) return last;
    if (Date.now() >= deadline) {
      const state = last
        ? `its row is ${last.status}${last.etag === etag ? '' : ' for another version'}`
        : 'it has no row yet';
      throw new WaitTimeoutError(
        `"${key}" was uploaded but ${state} after waiting; see: imgpipe show ${JSON.stringify(key)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
