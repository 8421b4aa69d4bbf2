/**
 * Encodes an object key for a path-style URL: each `/`-separated segment with `encodeURIComponent`,
 * so spaces, `+`, `%`, `?`, `#` and non-ASCII survive the trip.
 * @example encodeKeyPath('photos/a cat+1.jpg') // 'photos/a%20cat%2B1.jpg'
 */
export function encodeKeyPath(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/');
}
