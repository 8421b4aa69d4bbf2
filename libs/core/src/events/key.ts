import { InvalidEventError } from '../errors';

/**
 * The one key codec for S3 events. S3 puts keys into event notifications (and EventBridge S3 events)
 * form-URL-encoded, as `application/x-www-form-urlencoded` does: a space becomes `+`, every byte
 * outside `A-Z a-z 0-9 * - . _` becomes a `%XX` escape of its UTF-8, and `/` stays as it is.
 * Everything that reads or makes events uses these two functions; nothing else encodes keys for events.
 */

// encodeURIComponent leaves these unescaped, form encoding does not.
const FORM_RESERVED = /[!'()~]/g;

/**
 * Decodes an S3 object key as S3 events carry it (form-URL-encoded: `+` for space, `%XX` escapes).
 * A malformed escape throws {@link InvalidEventError}.
 * @example decodeS3Key('red+flower%2B1.jpg') // 'red flower+1.jpg'
 */
export function decodeS3Key(encoded: string): string {
  try {
    return decodeURIComponent(encoded.replace(/\+/g, ' '));
  } catch (cause) {
    throw new InvalidEventError(
      `Expected a form-URL-encoded S3 key but received "${encoded}" (malformed escape)`,
      { cause },
    );
  }
}

/**
 * Encodes a key the way S3 events do (the inverse of {@link decodeS3Key}), for everything that
 * makes events: the event builders, the local stack's router, backfill, tests.
 * A key that is not valid Unicode (a lone surrogate) can never be an S3 key and throws {@link InvalidEventError}.
 * @example encodeS3Key('my photos/a+b (1).jpg') // 'my+photos/a%2Bb+%281%29.jpg'
 */
export function encodeS3Key(key: string): string {
  let encoded: string;
  try {
    encoded = encodeURIComponent(key);
  } catch (cause) {
    throw new InvalidEventError(`Expected an S3 key of valid Unicode but received "${key}"`, { cause });
  }
  return encoded
    .replace(/%20/g, '+')
    .replace(/%2F/g, '/')
    .replace(FORM_RESERVED, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
