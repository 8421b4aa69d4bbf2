import type { DeleteImageResponse, Image, ListImagesQuery, ListImagesResponse } from '@imgpipe/contracts';
import { ownerPrefixOf, ownerStatusKey, USER_PREFIX_ROOT } from '@imgpipe/pipeline';
import type { ImageRow } from '../row';
import { mayAccess, type Caller } from './caller';
import { CursorCodec, type IndexKey } from './cursor';
import type { ApiDeps } from './deps';
import { ApiError } from './errors';
import { keyOfImageId } from './image-id';
import { imageOfRow, pendingImage } from './image-view';
import type { IndexQuery } from './ports';

/** Queries one listing page may make to fill itself when filters drop items (each reads at most `limit`). */
const MAX_QUERIES_PER_PAGE = 5;

function notFound(id: string): ApiError {
  // The same answer whether the key is someone else's or does not exist: no existence leak.
  return new ApiError('NOT_FOUND', `No image with id "${id.slice(0, 80)}"`);
}

/** The key of `id` when the caller may see it; NOT_FOUND otherwise. */
function accessibleKey(id: string, caller: Caller): string {
  const key = keyOfImageId(id);
  if (!mayAccess(caller, key)) throw notFound(id);
  return key;
}

/**
 * `GET /v1/images/{id}`: the row as an image; `pending` for an uploaded object without a row (or with
 * only a tombstone of an earlier object); NOT_FOUND for keys the caller may not see or that do not exist.
 */
export async function getImage(id: string, caller: Caller, deps: ApiDeps): Promise<Image> {
  const key = accessibleKey(id, caller);
  const row = await deps.table.get(key);
  if (row && row.status !== 'deleted') return imageOfRow(row, deps.api.cdnBaseUrl, deps.config.cdn);
  const object = await deps.objects.head(deps.config.sourceBucket, key);
  if (object) return pendingImage(key, object.size);
  if (row) return imageOfRow(row, deps.api.cdnBaseUrl, deps.config.cdn);
  throw notFound(id);
}

/**
 * `DELETE /v1/images/{id}`: deletes the source object (a delete marker on a versioned bucket); the
 * pipeline's Object Deleted path then tombstones the row and removes the variants. NOT_FOUND when
 * there is neither an object nor a live row.
 */
export async function deleteImage(id: string, caller: Caller, deps: ApiDeps): Promise<DeleteImageResponse> {
  const key = accessibleKey(id, caller);
  const [object, row] = await Promise.all([
    deps.objects.head(deps.config.sourceBucket, key),
    deps.table.get(key),
  ]);
  if (!object && (!row || row.status === 'deleted')) throw notFound(id);
  await deps.objects.deleteMany(deps.config.sourceBucket, [{ key }]);
  return { id, key };
}

/**
 * The owner partition a listing prefix falls in. A prefix under `u/` must name one user's folder
 * (`u/<sub>/...`): user folders are separate partitions of the index.
 */
function partitionOf(prefix: string): string {
  if (prefix.startsWith(USER_PREFIX_ROOT) && prefix.indexOf('/', USER_PREFIX_ROOT.length) < 0) {
    throw new ApiError(
      'VALIDATION_FAILED',
      `Expected a prefix under ${USER_PREFIX_ROOT} to name one user's folder (${USER_PREFIX_ROOT}<sub>/) but received "${prefix.slice(0, 80)}"`,
    );
  }
  // Any key below the prefix lands in the same partition as this probe.
  return ownerPrefixOf(`${prefix}x`);
}

/**
 * `GET /v1/images`: one page of the caller's images by Query on the table's indexes, never Scan.
 * `prefix` defaults to the caller's `u/<sub>/`; a caller without admin asking outside it gets
 * NOT_FOUND. Without `status`: key order, tombstones left out. With it: that status, newest first.
 */
export async function listImages(
  query: ListImagesQuery,
  caller: Caller,
  deps: ApiDeps,
): Promise<ListImagesResponse> {
  const prefix = query.prefix || caller.prefix;
  if (!caller.admin && !prefix.startsWith(caller.prefix)) {
    throw new ApiError('NOT_FOUND', `No images under "${prefix.slice(0, 80)}"`);
  }
  const owner = partitionOf(prefix);
  const base: Omit<IndexQuery, 'limit' | 'startKey'> = query.status
    ? { index: 'byStatus', partition: ownerStatusKey(owner, query.status), ...narrower(prefix, owner) }
    : { index: 'byOwner', partition: owner, excludeDeleted: true, ...narrower(prefix, owner) };
  const fingerprint = CursorCodec.queryHash([
    caller.sub,
    base.index,
    base.partition,
    prefix,
    query.status ?? '',
  ]);
  let startKey: IndexKey | undefined = query.cursor
    ? deps.api.cursors.decode(query.cursor, fingerprint)
    : undefined;
  const rows: ImageRow[] = [];
  for (let i = 0; i < MAX_QUERIES_PER_PAGE && rows.length < query.limit; i += 1) {
    const page = await deps.index.query({
      ...base,
      limit: query.limit - rows.length,
      ...(startKey ? { startKey } : {}),
    });
    rows.push(...page.rows);
    startKey = page.lastKey;
    if (!startKey) break;
  }
  return {
    items: rows.map((row) => imageOfRow(row, deps.api.cdnBaseUrl, deps.config.cdn)),
    nextCursor: startKey ? deps.api.cursors.encode(fingerprint, startKey) : null,
  };
}

/** The prefix condition when the prefix is narrower than its whole partition. */
function narrower(prefix: string, owner: string): { prefix?: string } {
  return prefix === owner || prefix === '' ? {} : { prefix };
}
