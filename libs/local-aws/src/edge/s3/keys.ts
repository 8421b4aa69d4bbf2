/** Why a bucket name, key or upload id cannot be stored, as an S3 error. */
export interface KeyRejection {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

/** S3's limit on a whole key, in UTF-8 bytes. */
export const MAX_KEY_BYTES = 1024;
/**
 * The emulator stores each key segment as a file name plus a suffix of up to 22 bytes
 * (`._S3rver_metadata.json`); file names are limited to 255 bytes.
 */
export const MAX_SEGMENT_BYTES = 255 - '._S3rver_metadata.json'.length;

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Checks a bucket name against S3's naming rules (which also keeps it a safe directory name). */
export function validateBucketName(bucket: string): KeyRejection | undefined {
  if (BUCKET.test(bucket) && !bucket.includes('..')) return undefined;
  return { status: 400, code: 'InvalidBucketName', message: 'The specified bucket is not valid.' };
}

/**
 * Checks an object key before it reaches the emulator's file system: S3's own length limit, plus the
 * shapes the file system cannot represent faithfully (`.`/`..` segments, empty inner segments,
 * over-long segments, the emulator's own suffix). Spaces, `+`, `%` and unicode are all fine.
 */
export function validateKey(key: string): KeyRejection | undefined {
  const bytes = Buffer.byteLength(key, 'utf8');
  if (bytes === 0) return { status: 400, code: 'InvalidArgument', message: 'Object key must not be empty.' };
  if (bytes > MAX_KEY_BYTES) {
    return {
      status: 400,
      code: 'KeyTooLongError',
      message: `Your key is too long: ${bytes} bytes, at most ${MAX_KEY_BYTES}.`,
    };
  }
  if (key.includes('\0'))
    return { status: 400, code: 'InvalidArgument', message: 'Object key must not contain NUL.' };
  const segments = key.split('/');
  for (const [index, segment] of segments.entries()) {
    const last = index === segments.length - 1;
    if (segment === '.' || segment === '..') {
      return {
        status: 400,
        code: 'InvalidArgument',
        message: `Object key segments "." and ".." are not supported by the local stack (key "${key}").`,
      };
    }
    if (segment === '' && !last) {
      return {
        status: 400,
        code: 'InvalidArgument',
        message:
          'Object keys with empty segments (leading "/" or "//") are not supported by the local stack.',
      };
    }
    if (Buffer.byteLength(segment, 'utf8') > MAX_SEGMENT_BYTES) {
      return {
        status: 400,
        code: 'KeyTooLongError',
        message: `Your key is too long for the local stack: each "/"-separated segment may hold at most ${MAX_SEGMENT_BYTES} bytes.`,
      };
    }
    if (segment.includes('._S3rver_')) {
      return {
        status: 400,
        code: 'InvalidArgument',
        message: 'Object key segments must not contain "._S3rver_".',
      };
    }
  }
  return undefined;
}

/** Upload ids are ours (the emulator's); anything else could name a path. */
export function validateUploadId(uploadId: string): KeyRejection | undefined {
  if (/^[A-Za-z0-9_-]{1,128}$/.test(uploadId)) return undefined;
  return { status: 404, code: 'NoSuchUpload', message: 'The specified upload does not exist.' };
}
