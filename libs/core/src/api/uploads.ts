import type { CreateUploadRequest, CreateUploadResponse } from '@imgpipe/contracts';
import { derivedKey } from '@imgpipe/pipeline';
import { type Caller } from './caller';
import type { ApiDeps } from './deps';
import { ApiError } from './errors';
import { imageId } from '@imgpipe/contracts';

const MAX_KEY_BYTES = 1024;
// Control characters and the characters S3 advises against in keys; `/` would leave the user's folder.
const UNSAFE_FILENAME = /[\p{Cc}/\\{}^%`[\]"<>~#|]/u;

function checkFilename(filename: string, maxLength: number): void {
  if (
    filename.length > maxLength ||
    UNSAFE_FILENAME.test(filename) ||
    filename === '.' ||
    filename === '..'
  ) {
    throw new ApiError(
      'VALIDATION_FAILED',
      `Expected a file name of 1 to ${maxLength} characters without /, \\ or control characters but received "${filename.slice(0, 80)}"`,
    );
  }
}

/**
 * `POST /v1/uploads`: checks the declared type and size against the upload rules, then signs a POST
 * policy for exactly `u/<sub>/<filename>`, exactly that Content-Type, 1 to `bytes` bytes, expiring
 * within `uploads.expiresInSeconds`. Nothing is signed for a refused request.
 * @example await createUpload({ filename: 'cat.jpg', contentType: 'image/jpeg', bytes: 51234 }, caller, deps)
 */
export async function createUpload(
  request: CreateUploadRequest,
  caller: Caller,
  deps: ApiDeps,
): Promise<CreateUploadResponse> {
  const { uploads, presets, sourceBucket } = deps.config;
  if (!(uploads.contentTypes as readonly string[]).includes(request.contentType)) {
    throw new ApiError(
      'UNSUPPORTED_CONTENT_TYPE',
      `Expected a content type among ${uploads.contentTypes.join(', ')} but received "${request.contentType.slice(0, 80)}"`,
    );
  }
  if (request.bytes > uploads.maxBytes) {
    throw new ApiError(
      'TOO_LARGE',
      `Expected at most ${uploads.maxBytes} bytes but received ${request.bytes}`,
    );
  }
  checkFilename(request.filename, uploads.maxFilenameLength);
  const key = `${caller.prefix}${request.filename}`;
  const { keyPrefix, keySuffixes } = deps.config;
  if (!key.startsWith(keyPrefix) || (keySuffixes.length > 0 && !keySuffixes.some((s) => key.endsWith(s)))) {
    // The pipeline's key filter would never process it: it would stay pending for ever.
    throw new ApiError(
      'VALIDATION_FAILED',
      `Expected a file name the pipeline processes (keys under "${keyPrefix}" ending with ${keySuffixes.join(', ') || 'anything'}) but received "${request.filename.slice(0, 80)}"`,
    );
  }
  const longest = Math.max(
    Buffer.byteLength(key),
    ...presets.map((p) => Buffer.byteLength(derivedKey(key, p))),
  );
  if (longest > MAX_KEY_BYTES) {
    throw new ApiError(
      'VALIDATION_FAILED',
      `Expected a file name short enough for its variant keys to fit S3's 1024 bytes but received ${Buffer.byteLength(request.filename)} bytes`,
    );
  }
  const now = deps.now ? deps.now() : new Date();
  const upload = await deps.signer.presignPost({
    bucket: sourceBucket,
    key,
    contentType: request.contentType,
    maxBytes: request.bytes,
    expiresInSeconds: uploads.expiresInSeconds,
  });
  return {
    id: imageId(key),
    key,
    upload: { url: upload.url, fields: { ...upload.fields } },
    expiresAt: new Date(now.getTime() + uploads.expiresInSeconds * 1000).toISOString(),
  };
}
