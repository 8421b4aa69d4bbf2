import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { LOCAL_TOKEN_DEFAULTS, type RowInput as Row } from '@imgpipe/contracts';
import { userPrefix } from '@imgpipe/pipeline';
import type { ImageReader } from './edge/console-api/images';

const TYPES: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
};

/** One line saying what the pipeline made of a row. */
export function describeRow(row: Row | undefined): string {
  if (!row) return 'no row yet';
  const status = String(row['status']);
  if (status === 'failed') {
    const error = row['error'] as { code?: string; message?: string } | undefined;
    return `failed ${error?.code ?? ''}: ${error?.message ?? ''}`.trim();
  }
  const variants =
    (row['variants'] as { name: string; width: number; height: number; format: string }[] | undefined) ?? [];
  const size = row['width']
    ? `${String(row['width'])}x${String(row['height'])} ${String(row['format'])}`
    : '';
  return `${status} ${size} → ${variants.map((v) => `${v.name} ${v.width}x${v.height} ${v.format}`).join(', ')}`.trim();
}

/**
 * Where the samples go: the folder of the local stack's default user (`npx imgpipe token` without options,
 * and the console's user), so the console's gallery and the README's curl walkthrough show them.
 */
export const SAMPLES_PREFIX = userPrefix(LOCAL_TOKEN_DEFAULTS.sub);

/**
 * Uploads the bundled sample images when the source bucket is empty (through the edge, so they flow
 * through the pipeline like any upload), then reports one line per sample once its row settles.
 */
export async function uploadSamples(options: {
  s3: S3Client;
  bucket: string;
  samplesDir: string;
  images: ImageReader;
  log: (line: string) => void;
  timeoutMs?: number;
  cancelled: () => boolean;
}): Promise<void> {
  const { s3, bucket, samplesDir, log } = options;
  if (!existsSync(samplesDir)) return log(`samples: none found in ${samplesDir}`);
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 1 }));
  if ((listed.KeyCount ?? 0) > 0) return;
  const files = readdirSync(samplesDir).filter((f) => TYPES[extname(f).toLowerCase()]);
  const keys: string[] = [];
  for (const file of files) {
    const key = `${SAMPLES_PREFIX}${file}`;
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: readFileSync(join(samplesDir, file)),
        ContentType: TYPES[extname(file).toLowerCase()],
      }),
    );
    keys.push(key);
  }
  log(`samples: uploaded ${keys.length} images to s3://${bucket}/${SAMPLES_PREFIX} — watching the pipeline…`);
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  const pending = new Set(keys);
  while (pending.size > 0 && Date.now() < deadline && !options.cancelled()) {
    for (const key of [...pending]) {
      const row = await options.images.get(key).catch(() => undefined);
      if (row && ['ready', 'failed'].includes(String(row['status']))) {
        log(`sample ${key}: ${describeRow(row)}`);
        pending.delete(key);
      }
    }
    if (pending.size > 0) await new Promise((resolve) => setTimeout(resolve, 500));
  }
  for (const key of pending)
    log(`sample ${key}: not settled yet (see /_imgpipe/api/images and /_imgpipe/api/dlq)`);
}
