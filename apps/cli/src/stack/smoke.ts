import {
  DeleteObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { SmokeFailedError, WaitTimeoutError, fromAwsError } from './errors';
import type { RowSource } from './rows';
import type { Row } from '@imgpipe/contracts';
import { waitForRow } from './wait-rows';

/** One step of the smoke test, as it happened. */
export interface SmokeStep {
  readonly step: 'uploaded' | 'ready' | 'variants' | 'deleted' | 'tombstone';
  readonly ms: number;
  readonly detail: string;
}

export interface SmokeOptions {
  readonly s3: S3Client;
  readonly rows: RowSource;
  readonly sourceBucket: string;
  readonly derivedBucket: string;
  readonly key: string;
  /** The image to upload (a JPEG). */
  readonly image: Buffer;
  /** Give up on each wait at this time (ms since epoch). */
  readonly deadline: number;
  readonly intervalMs?: number;
  /** Called as each step completes (progress for people). */
  readonly onStep?: (step: SmokeStep) => void;
}

async function variantKeys(s3: S3Client, bucket: string, key: string): Promise<string[]> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `${key}/` }));
  return (listed.Contents ?? []).flatMap((o) => (o.Key ? [o.Key] : [])).sort();
}

/**
 * The first-deploy proof, against any stack: upload an image, wait until its row is `ready` with
 * variants that exist in the derived bucket, delete it, wait until the row is a tombstone and the
 * variants are gone. Throws `SmokeFailedError` when the pipeline answers wrongly and
 * `WaitTimeoutError` when it does not answer in time; the object is deleted whatever happens.
 * @example await runSmoke({ s3, rows, sourceBucket, derivedBucket, key, image, deadline })
 */
export async function runSmoke(options: SmokeOptions): Promise<SmokeStep[]> {
  const { s3, rows, sourceBucket, derivedBucket, key } = options;
  const interval = options.intervalMs ?? 250;
  const steps: SmokeStep[] = [];
  let started = Date.now();
  const done = (step: SmokeStep['step'], detail: string): void => {
    const record = { step, ms: Date.now() - started, detail };
    steps.push(record);
    options.onStep?.(record);
    started = Date.now();
  };
  let uploaded = false;
  let deleted = false;
  try {
    const put = await s3
      .send(
        new PutObjectCommand({
          Bucket: sourceBucket,
          Key: key,
          Body: options.image,
          ContentType: 'image/jpeg',
        }),
      )
      .catch((error: unknown) => {
        throw fromAwsError(error, `uploading s3://${sourceBucket}/${key}`);
      });
    uploaded = true;
    const etag = (put.ETag ?? '').replace(/"/g, '');
    done('uploaded', `s3://${sourceBucket}/${key} (${options.image.length} bytes)`);

    const row: Row = await waitForRow(rows, key, etag, options.deadline, interval);
    if (row.status !== 'ready' || !row.variants?.length) {
      throw new SmokeFailedError(
        `"${key}" ended ${row.status}${row.error ? ` with ${row.error.code}: ${row.error.message}` : ' without variants'}`,
      );
    }
    done('ready', row.variants.map((v) => `${v.name} ${v.width}x${v.height}`).join(', '));

    for (const variant of row.variants) {
      await s3
        .send(new HeadObjectCommand({ Bucket: derivedBucket, Key: variant.key }))
        .catch((error: unknown) => {
          throw new SmokeFailedError(
            `the row names variant s3://${derivedBucket}/${variant.key} but it is not there`,
            {
              cause: error,
            },
          );
        });
    }
    done('variants', `${row.variants.length} in s3://${derivedBucket}/${key}/`);

    await s3.send(new DeleteObjectCommand({ Bucket: sourceBucket, Key: key }));
    deleted = true;
    done('deleted', `s3://${sourceBucket}/${key}`);

    for (;;) {
      const now = await rows.get(key);
      const left = await variantKeys(s3, derivedBucket, key);
      if (now?.status === 'deleted' && left.length === 0) break;
      if (Date.now() >= options.deadline) {
        throw new WaitTimeoutError(
          `"${key}" was deleted but its row is ${now?.status ?? 'missing'} and ${left.length} variant(s) remain after waiting`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, interval));
    }
    done('tombstone', 'row deleted, variants removed');
    return steps;
  } finally {
    // Never leave the smoke image behind, even when a step failed.
    if (uploaded && !deleted) {
      await s3.send(new DeleteObjectCommand({ Bucket: sourceBucket, Key: key })).catch(() => undefined);
    }
  }
}
