import { ApiError } from './errors';

/** S3's key limit. */
const MAX_KEY_BYTES = 1024;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * The source key of an id; INVALID_ID unless the id is the canonical encoding of a valid UTF-8 key
 * (so one key has exactly one id).
 */
export function keyOfImageId(id: string): string {
  if (!BASE64URL.test(id) || id.length % 4 === 1) {
    throw new ApiError(
      'INVALID_ID',
      `Expected an image id in base64url without padding but received "${id.slice(0, 60)}"`,
    );
  }
  const bytes = Buffer.from(id, 'base64url');
  const key = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  if (
    bytes.length === 0 ||
    bytes.length > MAX_KEY_BYTES ||
    key.includes('\uFFFD') ||
    Buffer.from(key, 'utf8').toString('base64url') !== id
  ) {
    throw new ApiError(
      'INVALID_ID',
      `Expected the id of a source key (UTF-8, 1 to 1024 bytes) but received "${id.slice(0, 60)}"`,
    );
  }
  return key;
}
