import { bucketOf, type S3Context } from './context';
import { S3Error } from './errors';
import { el, sendXml } from './http';
import type { VersionRecord } from './store/records';

/** The owner every listing names (the local stack has one account). */
export const OWNER =
  '<Owner><ID>75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a</ID><DisplayName>local</DisplayName></Owner>';

/** S3 orders keys by their UTF-8 bytes. */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Encodes a listed name for `encoding-type=url` (clients decode with unquote_plus or decodeURIComponent). */
function encoder(query: URLSearchParams): (text: string) => string {
  const type = query.get('encoding-type');
  if (type === null || type === '') return (text) => text;
  if (type !== 'url')
    throw new S3Error(400, 'InvalidArgument', 'Invalid Encoding Method specified in Request', {
      ArgumentName: 'encoding-type',
      ArgumentValue: type,
    });
  return (text) => encodeURIComponent(text).replace(/%2F/g, '/');
}

function maxKeys(query: URLSearchParams, name = 'max-keys'): number {
  const text = query.get(name);
  if (text === null || text === '') return 1000;
  if (!/^\d+$/.test(text))
    throw new S3Error(400, 'InvalidArgument', `Provided ${name} not an integer or within integer range`, {
      ArgumentName: name,
      ArgumentValue: text,
    });
  return Math.min(1000, Number(text));
}

export type Entry<T> = { kind: 'item'; key: string; item: T } | { kind: 'prefix'; prefix: string };

/**
 * One page of a listing: keys (or whatever `itemsOf` yields per key) under `prefix`, rolled up at
 * `delimiter`, strictly after `after` (a key or a common prefix returned earlier), at most `max` entries.
 */
export function walk<T>(
  keys: readonly string[],
  options: { prefix: string; delimiter: string; after: string; max: number },
  itemsOf: (key: string) => readonly T[],
): { entries: Entry<T>[]; truncated: boolean } {
  const { prefix, delimiter, after, max } = options;
  const entries: Entry<T>[] = [];
  let lastPrefix: string | undefined;
  for (const key of keys) {
    if (!key.startsWith(prefix)) continue;
    if (after && compareKeys(key, after) <= 0) continue;
    const at = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
    if (at >= 0) {
      const common = key.slice(0, at + delimiter.length);
      if (common === lastPrefix || (after && after.startsWith(common))) continue;
      if (entries.length >= max) return { entries, truncated: true };
      entries.push({ kind: 'prefix', prefix: common });
      lastPrefix = common;
      continue;
    }
    for (const item of itemsOf(key)) {
      if (entries.length >= max) return { entries, truncated: true };
      entries.push({ kind: 'item', key, item });
    }
  }
  return { entries, truncated: false };
}

function contents(record: VersionRecord, encode: (t: string) => string, owner: boolean): string {
  return (
    `<Contents>${el('Key', encode(record.key))}${el('LastModified', record.lastModified)}` +
    `${el('ETag', record.etag)}${el('Size', record.size)}${owner ? OWNER : ''}` +
    `${el('StorageClass', 'STANDARD')}</Contents>`
  );
}

function prefixes(entries: readonly Entry<unknown>[], encode: (t: string) => string): string {
  return entries
    .map((e) =>
      e.kind === 'prefix' ? `<CommonPrefixes>${el('Prefix', encode(e.prefix))}</CommonPrefixes>` : '',
    )
    .join('');
}

const lastName = (entries: readonly Entry<unknown>[]): string => {
  const last = entries[entries.length - 1];
  return last === undefined ? '' : last.kind === 'prefix' ? last.prefix : last.key;
};

function encodeToken(after: string): string {
  return Buffer.from(JSON.stringify({ a: after }), 'utf8').toString('base64url');
}

function decodeToken(token: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { a?: unknown };
    if (typeof parsed.a === 'string') return parsed.a;
  } catch {
    // falls through to the S3 error below
  }
  throw new S3Error(400, 'InvalidArgument', 'The continuation token provided is incorrect', {
    ArgumentName: 'continuation-token',
    ArgumentValue: token,
  });
}

/** ListObjects (V1) and ListObjectsV2 over the current versions. */
export function listObjects(ctx: S3Context): void {
  const { query } = ctx.r;
  const bucket = bucketOf(ctx);
  const encode = encoder(query);
  const v2 = query.get('list-type') === '2';
  const prefix = query.get('prefix') ?? '';
  const delimiter = query.get('delimiter') ?? '';
  const max = maxKeys(query);
  const token = query.get('continuation-token') || null;
  const startAfter = query.get('start-after');
  const marker = query.get('marker') ?? '';
  const after = v2 ? (token !== null ? decodeToken(token) : (startAfter ?? '')) : marker;
  const store = ctx.store;
  const { entries, truncated } = walk(store.sortedKeys(bucket), { prefix, delimiter, after, max }, (key) => {
    const latest = store.latest(bucket, key);
    return latest && !latest.deleteMarker ? [latest] : [];
  });
  const owner = v2 ? query.get('fetch-owner') === 'true' : true;
  const items = entries.map((e) => (e.kind === 'item' ? contents(e.item, encode, owner) : '')).join('');
  const common =
    el('Name', bucket) +
    el('Prefix', encode(prefix)) +
    (delimiter ? el('Delimiter', encode(delimiter)) : '') +
    el('MaxKeys', max) +
    (query.get('encoding-type') ? el('EncodingType', 'url') : '') +
    el('IsTruncated', truncated);
  const body = v2
    ? common +
      el('KeyCount', entries.length) +
      (token !== null ? el('ContinuationToken', token) : '') +
      (truncated ? el('NextContinuationToken', encodeToken(lastName(entries))) : '') +
      (startAfter !== null ? el('StartAfter', encode(startAfter)) : '') +
      items +
      prefixes(entries, encode)
    : common +
      el('Marker', encode(marker)) +
      (truncated && delimiter ? el('NextMarker', encode(lastName(entries))) : '') +
      items +
      prefixes(entries, encode);
  sendXml(ctx, 'ListBucketResult', body);
}

/** ListObjectVersions: versions and delete markers, newest first per key, paged by key and version id. */
export function listObjectVersions(ctx: S3Context): void {
  const { query } = ctx.r;
  const bucket = bucketOf(ctx);
  const encode = encoder(query);
  const prefix = query.get('prefix') ?? '';
  const delimiter = query.get('delimiter') ?? '';
  const max = maxKeys(query);
  const keyMarker = query.get('key-marker') ?? '';
  const versionMarker = query.get('version-id-marker') ?? '';
  const store = ctx.store;
  // A version-id marker resumes inside its key; a key marker alone starts after the key.
  const after = versionMarker && keyMarker ? keyPredecessor(store.sortedKeys(bucket), keyMarker) : keyMarker;
  const { entries, truncated } = walk(store.sortedKeys(bucket), { prefix, delimiter, after, max }, (key) => {
    const all = store.versions(bucket, key);
    if (key === keyMarker && versionMarker) {
      const at = all.findIndex((v) => v.versionId === versionMarker);
      return at < 0 ? all : all.slice(at + 1);
    }
    return all;
  });
  const rows = entries
    .map((e) => {
      if (e.kind === 'prefix') return '';
      const v = e.item;
      const isLatest = store.latest(bucket, e.key)?.versionId === v.versionId;
      const common =
        el('Key', encode(v.key)) +
        el('VersionId', v.versionId) +
        el('IsLatest', isLatest) +
        el('LastModified', v.lastModified);
      return v.deleteMarker
        ? `<DeleteMarker>${common}${OWNER}</DeleteMarker>`
        : `<Version>${common}${el('ETag', v.etag)}${el('Size', v.size)}${el('StorageClass', 'STANDARD')}${OWNER}</Version>`;
    })
    .join('');
  const last = entries[entries.length - 1];
  const next = truncated
    ? el('NextKeyMarker', encode(lastName(entries))) +
      (last?.kind === 'item' ? el('NextVersionIdMarker', last.item.versionId) : '')
    : '';
  sendXml(
    ctx,
    'ListVersionsResult',
    el('Name', bucket) +
      el('Prefix', encode(prefix)) +
      el('KeyMarker', encode(keyMarker)) +
      el('VersionIdMarker', versionMarker) +
      (delimiter ? el('Delimiter', encode(delimiter)) : '') +
      el('MaxKeys', max) +
      (query.get('encoding-type') ? el('EncodingType', 'url') : '') +
      el('IsTruncated', truncated) +
      next +
      rows +
      prefixes(entries, encode),
  );
}

/** The greatest listed key before `key` ('' when none), so a walk starts at `key` itself. */
function keyPredecessor(keys: readonly string[], key: string): string {
  let previous = '';
  for (const k of keys) {
    if (compareKeys(k, key) >= 0) break;
    previous = k;
  }
  return previous;
}

/** ListMultipartUploads (prefix, key and upload-id markers, max-uploads). */
export function listUploads(ctx: S3Context): void {
  const { query } = ctx.r;
  const bucket = bucketOf(ctx);
  const encode = encoder(query);
  const prefix = query.get('prefix') ?? '';
  const keyMarker = query.get('key-marker') ?? '';
  const idMarker = query.get('upload-id-marker') ?? '';
  const max = maxKeys(query, 'max-uploads');
  const all = ctx.store.multipart
    .list(bucket)
    .filter((u) => u.key.startsWith(prefix))
    .sort((a, b) => compareKeys(a.key, b.key) || a.initiated.localeCompare(b.initiated))
    .filter((u) => {
      const c = compareKeys(u.key, keyMarker);
      return !keyMarker || c > 0 || (c === 0 && idMarker !== '' && u.uploadId > idMarker);
    });
  const page = all.slice(0, max);
  const truncated = all.length > page.length;
  const last = page[page.length - 1];
  const rows = page
    .map(
      (u) =>
        `<Upload>${el('Key', encode(u.key))}${el('UploadId', u.uploadId)}${OWNER.replace(/Owner>/g, 'Initiator>')}${OWNER}${el('StorageClass', 'STANDARD')}${el('Initiated', u.initiated)}</Upload>`,
    )
    .join('');
  sendXml(
    ctx,
    'ListMultipartUploadsResult',
    el('Bucket', bucket) +
      el('KeyMarker', encode(keyMarker)) +
      el('UploadIdMarker', idMarker) +
      (truncated && last
        ? el('NextKeyMarker', encode(last.key)) + el('NextUploadIdMarker', last.uploadId)
        : '') +
      el('Prefix', encode(prefix)) +
      el('MaxUploads', max) +
      el('IsTruncated', truncated) +
      rows,
  );
}
