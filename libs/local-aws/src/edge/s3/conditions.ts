import { preconditionFailed } from './errors';

/** The conditional headers of a read, a write or a copy source. */
export interface Conditions {
  readonly ifMatch?: string;
  readonly ifNoneMatch?: string;
  readonly ifModifiedSince?: string;
  readonly ifUnmodifiedSince?: string;
}

const unquote = (etag: string): string => etag.trim().replace(/^W\//, '').replace(/^"|"$/g, '');

/** Whether an `If-Match`/`If-None-Match` list (`"a", "b"` or `*`) names this ETag. */
export function etagMatches(list: string, etag: string): boolean {
  const wanted = unquote(etag);
  return list.split(',').some((item) => item.trim() === '*' || unquote(item) === wanted);
}

/** Seconds since the epoch of an HTTP date, or undefined when it is not one (S3 then ignores it). */
function seconds(date: string | undefined): number | undefined {
  if (!date) return undefined;
  const ms = Date.parse(date);
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

/**
 * Evaluates read preconditions as S3 does (RFC 9110 order): `If-Match` beats `If-Unmodified-Since`,
 * `If-None-Match` beats `If-Modified-Since`. Returns 412, 304 or undefined (go ahead).
 */
export function evaluateRead(
  conditions: Conditions,
  object: { etag: string; lastModified: string },
): 412 | 304 | undefined {
  const modified = Math.floor(Date.parse(object.lastModified) / 1000);
  if (conditions.ifMatch !== undefined) {
    if (!etagMatches(conditions.ifMatch, object.etag)) return 412;
  } else {
    const since = seconds(conditions.ifUnmodifiedSince);
    if (since !== undefined && modified > since) return 412;
  }
  if (conditions.ifNoneMatch !== undefined) {
    if (etagMatches(conditions.ifNoneMatch, object.etag)) return 304;
  } else {
    const since = seconds(conditions.ifModifiedSince);
    if (since !== undefined && modified <= since) return 304;
  }
  return undefined;
}

/** Copy-source preconditions: any failure is 412 (S3 does not answer 304 for a copy). */
export function checkCopySource(
  conditions: Conditions,
  object: { etag: string; lastModified: string },
): void {
  const outcome = evaluateRead(conditions, object);
  if (outcome !== undefined) {
    throw preconditionFailed(
      conditions.ifMatch !== undefined || conditions.ifUnmodifiedSince !== undefined
        ? 'x-amz-copy-source-If-Match'
        : 'x-amz-copy-source-If-None-Match',
    );
  }
}

/** A byte range `[start, end]` (inclusive) within an object of `size` bytes. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/**
 * Parses a `Range: bytes=…` header as S3 does: `a-b`, `a-` and the suffix form `-n` (the last n bytes).
 * Returns undefined for a header S3 ignores (other units, several ranges, bad syntax) and 'unsatisfiable'
 * for a range past the end.
 */
export function parseRange(value: string, size: number): ByteRange | 'unsatisfiable' | undefined {
  const match = /^bytes=(\d*)-(\d*)$/.exec(value.trim());
  if (!match) return undefined;
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return undefined;
  if (first === '') {
    const n = Number(last);
    if (n === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(first);
  if (start >= size) return 'unsatisfiable';
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (end < start) return undefined;
  return { start, end };
}
