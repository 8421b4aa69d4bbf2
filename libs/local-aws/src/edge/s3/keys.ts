/** Why a bucket name, key or upload id cannot be stored, as an S3 error. */
export interface KeyRejection {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

/** S3's limit on a whole key, in UTF-8 bytes. */
export const MAX_KEY_BYTES = 1024;

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Checks a bucket name against S3's naming rules (which also keeps it a safe directory name). */
export function validateBucketName(bucket: string): KeyRejection | undefined {
  if (BUCKET.test(bucket) && !bucket.includes('..')) return undefined;
  return { status: 400, code: 'InvalidBucketName', message: 'The specified bucket is not valid.' };
}

/**
 * Checks an object key: S3's own length limit, no NUL (XML cannot carry it), and no `.`/`..` segments
 * (HTTP clients and proxies normalise them away, so such a key would not name what was asked for).
 * The object store names files by a hash of the key, so any other key is storable: spaces, `+`, `%`,
 * `//`, a leading `/`, long segments and unicode all work.
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
  if (key.split('/').some((segment) => segment === '.' || segment === '..')) {
    return {
      status: 400,
      code: 'InvalidArgument',
      message: `Object key segments "." and ".." are not supported by the local stack (key "${key}").`,
    };
  }
  return undefined;
}

/** Upload ids are ours (the emulator's); anything else could name a path. */
export function validateUploadId(uploadId: string): KeyRejection | undefined {
  if (/^[A-Za-z0-9_-]{1,128}$/.test(uploadId)) return undefined;
  return { status: 404, code: 'NoSuchUpload', message: 'The specified upload does not exist.' };
}
