import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { ApiError } from './errors';

/** Where a listing resumes: DynamoDB's `LastEvaluatedKey` of an index (string attributes only). */
export type IndexKey = Readonly<Record<string, string>>;

interface CursorPayload {
  /** Format version. */
  readonly v: 1;
  /** Hash of the query the cursor belongs to (caller, index, partition, prefix, status). */
  readonly q: string;
  readonly k: IndexKey;
}

const MIN_KEY_LENGTH = 32;

/**
 * Opaque, tamper-proof list cursors: `<base64url(JSON {v, q, k})>.<base64url(HMAC-SHA256)>`. The MAC
 * covers the payload, and the payload names the query it continues, so a cursor can be neither edited
 * nor replayed for another caller, prefix or status. The first key signs; every key verifies (rotation).
 * @example const codec = new CursorCodec(['a-secret-of-at-least-32-characters!']);
 */
export class CursorCodec {
  private readonly keys: readonly Buffer[];

  constructor(keys: readonly string[]) {
    if (keys.length === 0 || keys.some((k) => k.length < MIN_KEY_LENGTH)) {
      throw new RangeError(`Expected at least one cursor key of ${MIN_KEY_LENGTH} or more characters`);
    }
    this.keys = keys.map((k) => Buffer.from(k, 'utf8'));
  }

  /** The fingerprint of a query, so a cursor only continues the listing it came from. */
  static queryHash(parts: readonly string[]): string {
    return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 22);
  }

  encode(query: string, key: IndexKey): string {
    const payload: CursorPayload = { v: 1, q: query, k: key };
    const body = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
    return `${body}.${this.mac(this.keys[0] as Buffer, body).toString('base64url')}`;
  }

  /** The index key a cursor resumes from; INVALID_CURSOR when forged, edited or from another query. */
  decode(cursor: string, query: string): IndexKey {
    const [body, mac, extra] = cursor.split('.');
    if (!body || !mac || extra !== undefined) throw invalid('it is not <payload>.<signature>');
    const given = Buffer.from(mac, 'base64url');
    const signed = this.keys.some((k) => {
      const expected = this.mac(k, body);
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
    if (!signed) throw invalid('its signature does not match');
    let payload: unknown;
    try {
      payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch (cause) {
      throw invalid('its payload is not JSON', cause);
    }
    const p = payload as Partial<CursorPayload> | null;
    if (p?.v !== 1 || typeof p.k !== 'object' || p.k === null) throw invalid('its payload is malformed');
    if (p.q !== query) throw invalid('it belongs to another listing (caller, prefix or status)');
    if (!Object.values(p.k).every((v) => typeof v === 'string')) throw invalid('its key is malformed');
    return p.k;
  }

  private mac(key: Buffer, body: string): Buffer {
    return createHmac('sha256', key).update(body).digest();
  }
}

function invalid(why: string, cause?: unknown): ApiError {
  return new ApiError('INVALID_CURSOR', `Expected a cursor from a previous page of this listing but ${why}`, {
    cause,
  });
}
