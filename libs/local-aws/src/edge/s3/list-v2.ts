import { listing, xmlEscape } from './xml';

/**
 * ListObjectsV2 on top of the emulator's V1 listing: s3rver 3.7 builds V2 continuation tokens with
 * DES, which current OpenSSL refuses, so every truncated V2 listing failed with InternalError. The
 * edge sends a V1 request (marker-based) and answers in V2 form with its own opaque tokens.
 */
export interface V2Translation {
  /** The V1 query to send upstream. */
  readonly upstreamQuery: string;
  /** Turns the V1 answer into a V2 answer. */
  toV2(v1Xml: string): string;
}

function encodeToken(marker: string): string {
  return Buffer.from(JSON.stringify({ m: marker }), 'utf8').toString('base64url');
}

/** The marker a continuation token stands for, or undefined when it is not one of ours. */
export function decodeToken(token: string): string | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { m?: unknown };
    return typeof parsed.m === 'string' ? parsed.m : undefined;
  } catch {
    return undefined;
  }
}

/** Plans the translation of a `list-type=2` query; returns a string error message for a bad token. */
export function translateListV2(query: URLSearchParams): V2Translation | string {
  const token = query.get('continuation-token');
  const startAfter = query.get('start-after');
  const marker = token !== null ? decodeToken(token) : (startAfter ?? undefined);
  if (token !== null && marker === undefined) return 'The continuation token provided is incorrect';
  const urlEncoded = query.get('encoding-type') === 'url';
  const v1 = new URLSearchParams();
  for (const name of ['prefix', 'delimiter', 'max-keys', 'encoding-type']) {
    const value = query.get(name);
    if (value !== null) v1.set(name, value);
  }
  if (marker) v1.set('marker', marker);
  const decode = (text: string) => (urlEncoded ? decodeURIComponent(text.replace(/\+/g, ' ')) : text);

  return {
    upstreamQuery: v1.toString().replace(/\+/g, '%20'),
    toV2(v1Xml) {
      const parsed = listing(v1Xml);
      const keys = parsed.keys.map(decode);
      const prefixes = parsed.prefixes.map(decode);
      const { truncated } = parsed;
      const lastKey = keys[keys.length - 1] ?? '';
      const lastPrefix = prefixes[prefixes.length - 1] ?? '';
      // After a common prefix, the next page starts past every key under it.
      const next = lastPrefix > lastKey ? `${lastPrefix}\uffff` : lastKey;
      const extra =
        `<KeyCount>${keys.length + prefixes.length}</KeyCount>` +
        (token !== null ? `<ContinuationToken>${xmlEscape(token)}</ContinuationToken>` : '') +
        (truncated && next ? `<NextContinuationToken>${encodeToken(next)}</NextContinuationToken>` : '') +
        (startAfter !== null && token === null ? `<StartAfter>${xmlEscape(startAfter)}</StartAfter>` : '');
      return v1Xml
        .replace(/<Marker>[\s\S]*?<\/Marker>|<Marker\/>/, '')
        .replace(/<NextMarker>[\s\S]*?<\/NextMarker>/, '')
        .replace(/(<Prefix>[\s\S]*?<\/Prefix>|<Prefix\/>)/, `$1${extra}`);
    },
  };
}
