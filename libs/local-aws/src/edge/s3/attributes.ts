import { createHash } from 'node:crypto';
import { type Conditions, etagMatches } from './conditions';
import { noSuchKey, preconditionFailed, S3Error } from './errors';
import { header, type S3Request, storedContentEncoding } from './http';
import type { ObjectAttributes, Precondition } from './store/object-store';
import { STORED_HEADERS, type VersionRecord } from './store/records';

/** The stored headers, metadata and tags a write request carries. */
export function attributesFrom(r: S3Request): ObjectAttributes {
  const headers: Record<string, string> = {};
  for (const name of STORED_HEADERS) {
    const value = name === 'content-encoding' ? storedContentEncoding(r) : header(r, name) || undefined;
    if (value !== undefined) headers[name] = value;
  }
  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(r.req.headers)) {
    if (name.startsWith('x-amz-meta-') && value !== undefined)
      metadata[name.slice('x-amz-meta-'.length)] = metadataText(
        Array.isArray(value) ? value.join(',') : value,
      );
  }
  return { headers, metadata, tags: parseTagging(header(r, 'x-amz-tagging')) };
}

/**
 * A metadata header as text: RFC 2047 encoded words decoded (as S3 does), raw UTF-8 bytes (which Node
 * hands over as latin1) read as UTF-8.
 */
export function metadataText(value: string): string {
  const words = value.replace(/=\?UTF-8\?([BQ])\?([^?]*)\?=/gi, (_, kind: string, text: string) =>
    kind.toUpperCase() === 'B'
      ? Buffer.from(text, 'base64').toString('utf8')
      : Buffer.from(
          text
            .replace(/_/g, ' ')
            .replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) =>
              String.fromCharCode(Number.parseInt(hex, 16)),
            ),
          'latin1',
        ).toString('utf8'),
  );
  if (!/[^ -~\t]/.test(words)) return words;
  const bytes = Buffer.from(words, 'latin1');
  const utf8 = bytes.toString('utf8');
  return Buffer.from(utf8, 'utf8').equals(bytes) ? utf8 : words;
}

/** A metadata value as S3 sends it back: non-ASCII text as an RFC 2047 encoded word. */
export function metadataHeader(text: string): string {
  return /[^\x20-\x7e]/.test(text) ? `=?UTF-8?B?${Buffer.from(text, 'utf8').toString('base64')}?=` : text;
}

/** `x-amz-tagging: a=1&b=2` as a tag map. */
export function parseTagging(value: string): Record<string, string> {
  const tags: Record<string, string> = {};
  if (!value) return tags;
  for (const [k, v] of new URLSearchParams(value)) tags[k] = v;
  if (Object.keys(tags).length > 10)
    throw new S3Error(400, 'BadRequest', 'Object tags cannot be greater than 10');
  return tags;
}

/** `"<md5 hex>"` of bytes, as S3's ETag of a single-part object. */
export function md5Etag(data: Buffer): string {
  return `"${createHash('md5').update(data).digest('hex')}"`;
}

/** Checks `Content-MD5` when sent (BadDigest when it does not match, InvalidDigest when it is not one). */
export function checkContentMd5(r: S3Request, data: Buffer): void {
  const sent = header(r, 'content-md5');
  if (!sent) return;
  if (Buffer.from(sent, 'base64').length !== 16)
    throw new S3Error(400, 'InvalidDigest', 'The Content-MD5 you specified was invalid.');
  if (createHash('md5').update(data).digest('base64') !== sent)
    throw new S3Error(400, 'BadDigest', 'The Content-MD5 you specified did not match what we received.');
}

/** Conditional writes: `If-None-Match: *` (only when absent) and `If-Match: <etag>` (only over that object). */
export function checkWriteConditions(r: S3Request, current: VersionRecord | undefined): void {
  const live = current && !current.deleteMarker ? current : undefined;
  const ifNoneMatch = r.req.headers['if-none-match'];
  if (ifNoneMatch !== undefined) {
    if (header(r, 'if-none-match').trim() !== '*')
      throw new S3Error(501, 'NotImplemented', 'If-None-Match on writes accepts only "*"', {
        Header: 'If-None-Match',
      });
    if (live) throw preconditionFailed('If-None-Match');
  }
  const ifMatch = r.req.headers['if-match'];
  if (ifMatch !== undefined) {
    if (!live) throw noSuchKey();
    if (!etagMatches(header(r, 'if-match'), live.etag)) throw preconditionFailed('If-Match');
  }
}

/**
 * A write's conditions as the store checks them again at commit (`checkWriteConditions` is also run
 * before the body is stored, to refuse early): two concurrent `If-None-Match: *` writes cannot both win.
 */
export function writePrecondition(r: S3Request): Precondition | undefined {
  if (r.req.headers['if-none-match'] === undefined && r.req.headers['if-match'] === undefined)
    return undefined;
  return (current) => checkWriteConditions(r, current);
}

/**
 * A conditional delete's check (`If-Match` on DeleteObject, `<ETag>` per object in DeleteObjects):
 * the key's current version must be a live object whose ETag matches (`*`: any live object);
 * otherwise 412 PreconditionFailed, or 404 NoSuchKey when there is no live object.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-deletes.html
 */
export function deletePrecondition(ifMatch: string | undefined): Precondition | undefined {
  if (ifMatch === undefined) return undefined;
  return (current) => {
    if (!current || current.deleteMarker) throw noSuchKey();
    if (!etagMatches(ifMatch, current.etag)) throw preconditionFailed('If-Match');
  };
}

/** The `x-amz-copy-source-if-*` headers. */
export function copySourceConditions(r: S3Request): Conditions {
  const value = (name: string) =>
    r.req.headers[`x-amz-copy-source-${name}`] === undefined
      ? undefined
      : header(r, `x-amz-copy-source-${name}`);
  const c = {
    ifMatch: value('if-match'),
    ifNoneMatch: value('if-none-match'),
    ifModifiedSince: value('if-modified-since'),
    ifUnmodifiedSince: value('if-unmodified-since'),
  };
  return Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined)) as Conditions;
}

/** `x-amz-copy-source: /bucket/key?versionId=…` (percent-encoded), parsed. */
export function parseCopySource(r: S3Request): { bucket: string; key: string; versionId?: string } {
  const raw = header(r, 'x-amz-copy-source');
  const q = raw.indexOf('?');
  const path = (q < 0 ? raw : raw.slice(0, q)).replace(/^\//, '');
  const versionId = q < 0 ? null : new URLSearchParams(raw.slice(q + 1)).get('versionId');
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    throw new S3Error(400, 'InvalidArgument', 'Invalid copy source encoding', {
      ArgumentName: 'x-amz-copy-source',
      ArgumentValue: raw,
    });
  }
  const slash = decoded.indexOf('/');
  if (slash <= 0 || slash === decoded.length - 1)
    throw new S3Error(
      400,
      'InvalidArgument',
      'Copy Source must mention the source bucket and key: sourcebucket/sourcekey',
      {
        ArgumentName: 'x-amz-copy-source',
        ArgumentValue: raw,
      },
    );
  return {
    bucket: decoded.slice(0, slash),
    key: decoded.slice(slash + 1),
    ...(versionId ? { versionId } : {}),
  };
}
