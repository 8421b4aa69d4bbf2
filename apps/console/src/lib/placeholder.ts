import { thumbHashToDataURL } from 'thumbhash';

const cache = new Map<string, string | undefined>();

/**
 * Turns a row's `metadata.placeholder` (a ThumbHash in base64) into a PNG data URL to paint while the
 * thumbnail loads; `undefined` for a missing or malformed hash. Results are memoised.
 * @example style={{ backgroundImage: `url(${placeholderDataUrl(row.metadata?.placeholder)})` }}
 */
export function placeholderDataUrl(base64: string | undefined): string | undefined {
  if (!base64) return undefined;
  if (cache.has(base64)) return cache.get(base64);
  let url: string | undefined;
  try {
    const bytes = decodeBase64(base64);
    // A ThumbHash is at least 5 bytes (header) and at most a few dozen.
    url = bytes.length >= 5 && bytes.length <= 64 ? thumbHashToDataURL(bytes) : undefined;
  } catch {
    url = undefined;
  }
  if (cache.size > 5000) cache.clear();
  cache.set(base64, url);
  return url;
}

function decodeBase64(base64: string): Uint8Array {
  const normalised = base64.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(normalised);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
