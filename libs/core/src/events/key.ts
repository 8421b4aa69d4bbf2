import { InvalidEventError } from '../errors';

/**
 * Decodes an S3 object key as S3 events carry it (form-URL-encoded: `+` for space, `%XX` escapes).
 * Both S3 notification records and EventBridge S3 events encode keys this way.
 * @example decodeS3Key('red+flower%2B1.jpg') // 'red flower+1.jpg'
 */
export function decodeS3Key(encoded: string): string {
  try {
    return decodeURIComponent(encoded.replace(/\+/g, ' '));
  } catch (cause) {
    throw new InvalidEventError(
      `Expected a form-URL-encoded S3 key but received "${encoded}" (malformed escape)`,
      {
        cause,
      },
    );
  }
}

/**
 * Encodes a key the way S3 events do (the inverse of {@link decodeS3Key}); used by tests and
 * by anything that crafts events, such as the local stack's router.
 * @example encodeS3Key('red flower+1.jpg') // 'red+flower%2B1.jpg'
 */
export function encodeS3Key(key: string): string {
  return encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/g, '/');
}
