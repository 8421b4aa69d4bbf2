import { S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import type { PresignedPost, PresignPostInput, UploadSigner } from '@imgpipe/core';

/**
 * An S3 client for presigning only. `requestChecksumCalculation: 'WHEN_REQUIRED'`: since SDK v3's
 * default checksums, a presigning client would otherwise bake the CRC32 of an empty body into what it
 * signs, and S3 would refuse every real upload.
 * @example const presigner = createPresigningS3Client('api', process.env);
 */
export function createPresigningS3Client(
  fn: string,
  env: Readonly<Record<string, string | undefined>>,
): S3Client {
  const customEndpoint = Boolean(env['AWS_ENDPOINT_URL'] || env['AWS_ENDPOINT_URL_S3']);
  return new S3Client({
    customUserAgent: `imgpipe-fn/${fn}`,
    forcePathStyle: customEndpoint,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/**
 * The `UploadSigner` port with `@aws-sdk/s3-presigned-post`: a POST policy for exactly one key and one
 * Content-Type, `content-length-range` 1 to `maxBytes`, expiring after `expiresInSeconds`. S3 itself
 * enforces every condition.
 */
export class S3UploadSigner implements UploadSigner {
  constructor(private readonly s3: S3Client) {}

  async presignPost(input: PresignPostInput): Promise<PresignedPost> {
    const { url, fields } = await createPresignedPost(this.s3, {
      Bucket: input.bucket,
      Key: input.key,
      Conditions: [
        ['content-length-range', 1, input.maxBytes],
        ['eq', '$Content-Type', input.contentType],
      ],
      Fields: { 'Content-Type': input.contentType },
      Expires: input.expiresInSeconds,
    });
    return { url, fields };
  }
}
