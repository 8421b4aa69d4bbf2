/**
 * The end-to-end bench's load generator: each upload is a PutObject on a presigned URL (signed before
 * the clock starts) sent with `node:http` over keep-alive sockets. It is the request a browser holding
 * one of the image API's presigned URLs sends, and the edge handles it like any PutObject (the key id
 * comes from `X-Amz-Credential` instead of the `Authorization` header).
 *
 * Why not the SDK client: the uploader shares the machine's cores with the stack it measures, and the
 * library alone has no uploader. With 16 uploads in flight the SDK's `PutObject` cost this process 1.5-2.3
 * CPU ms per upload (its middleware, signing, the payload's SHA-256 and CRC32), `fetch` on a presigned URL
 * 0.9-1.5, `node:http` 0.3-0.4 (`uploader-cost.ts`; docs/benchmarks.md "Eighth pass").
 */
import { Agent, request } from 'node:http';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';

/** Presigned uploads of known keys to one bucket. */
export interface Uploader {
  /** PUTs `body` to `key` (one of the keys it was made for); rejects unless S3 answers 200. */
  put(key: string, body: Buffer): Promise<void>;
  close(): void;
}

/** How long a bench run may take to use its URLs. */
const URL_LIFETIME_SECONDS = 3600;

/** Signs a PUT URL for every key of `keys` (before any upload), then uploads with `node:http`. */
export async function presignedUploader(
  endpoint: string,
  bucket: string,
  keys: readonly string[],
): Promise<Uploader> {
  const s3 = new S3Client({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    forcePathStyle: true,
  });
  const urls = new Map<string, string>();
  for (const key of keys) {
    urls.set(
      key,
      await getSignedUrl(s3, new PutObjectCommand({ Bucket: bucket, Key: key }), {
        expiresIn: URL_LIFETIME_SECONDS,
      }),
    );
  }
  s3.destroy();
  const agent = new Agent({ keepAlive: true });
  return {
    put(key, body) {
      const url = urls.get(key);
      if (!url) return Promise.reject(new Error(`Expected a presigned URL for "${key}" but none was made`));
      return new Promise<void>((resolve, reject) => {
        const req = request(
          url,
          { method: 'PUT', agent, headers: { 'content-length': body.length } },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () => {
              if (res.statusCode === 200) resolve();
              else {
                const text = Buffer.concat(chunks).toString('utf8').slice(0, 300);
                reject(
                  new Error(
                    `Expected 200 for the upload of "${key}" but received ${res.statusCode}: ${text}`,
                  ),
                );
              }
            });
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    },
    close: () => agent.destroy(),
  };
}
