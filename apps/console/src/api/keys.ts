import { ConsoleError } from './errors';

/** S3's limit on key length, in UTF-8 bytes. */
export const MAX_KEY_BYTES = 1024;

/**
 * Encodes an object key for a path-style URL: each `/`-separated segment with `encodeURIComponent`,
 * so spaces, `+`, `%`, `?`, `#` and non-ASCII survive the trip.
 * @example encodeKeyPath('photos/a cat+1.jpg') // 'photos/a%20cat%2B1.jpg'
 */
export function encodeKeyPath(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/');
}

/**
 * Builds the source key for an uploaded file: the optional prefix (a trailing `/` is added when missing)
 * followed by the file name. Throws `INVALID_KEY` for an empty name or a key S3 would refuse.
 * @example uploadKey('photos', 'cat.jpg') // 'photos/cat.jpg'
 */
export function uploadKey(prefix: string, fileName: string): string {
  const name = fileName.trim();
  if (name === '') throw new ConsoleError('INVALID_KEY', 'Expected a file name but received an empty one');
  const cleanPrefix = prefix.trim().replace(/^\/+/, '');
  const key = cleanPrefix === '' ? name : `${cleanPrefix.replace(/\/*$/, '')}/${name}`;
  const bytes = new TextEncoder().encode(key).length;
  if (bytes > MAX_KEY_BYTES) {
    throw new ConsoleError(
      'INVALID_KEY',
      `Expected a key of at most ${MAX_KEY_BYTES} bytes but received ${bytes}`,
    );
  }
  return key;
}
