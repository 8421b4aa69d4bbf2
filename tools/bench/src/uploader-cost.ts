/**
 * What the end-to-end bench's uploads cost the bench process itself (its CPU competes with the stack's on
 * the same cores): the SDK client's `PutObject`, `fetch` on presigned URLs, and the bench's uploader
 * (`node:http` on presigned URLs, uploader.ts), each sending the burst's files to a real local stack with
 * 16 uploads in flight; prints user and system CPU ms per upload, signing before the clock excluded.
 *   npx tsx tools/bench/src/uploader-cost.ts [--uploads 200] [--rounds 2]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { spawnLocalStack } from '@imgpipe/local-aws/testing';
import { definePipeline } from '@imgpipe/pipeline';
import { burstImages } from './images';
import { presignedUploader } from './uploader';

const IN_FLIGHT = 16;

async function lanes(count: number, one: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    for (let i = next++; i < count; i = next++) await one(i);
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { uploads: { type: 'string', default: '200' }, rounds: { type: 'string', default: '2' } },
  });
  const uploads = Number(values.uploads);
  const stack = await spawnLocalStack({ env: { IMGPIPE_FUNCTION_CONCURRENCY: '1' } });
  try {
    const bucket = definePipeline().names.sourceBucket;
    const bodies = burstImages().map((i) => readFileSync(i.path));
    const body = (i: number): Buffer => bodies[i % bodies.length] as Buffer;
    const s3 = new S3Client({
      endpoint: stack.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      forcePathStyle: true,
    });
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'uploader-cost/warm', Body: body(0) }));
    const modes: Record<string, (round: number) => Promise<(i: number) => Promise<void>>> = {
      'SDK PutObject': (round) =>
        Promise.resolve(async (i) => {
          await s3.send(
            new PutObjectCommand({ Bucket: bucket, Key: `uploader-cost/sdk/${round}/${i}`, Body: body(i) }),
          );
        }),
      'fetch, presigned': async (round) => {
        const urls: string[] = [];
        for (let i = 0; i < uploads; i++) {
          const command = new PutObjectCommand({ Bucket: bucket, Key: `uploader-cost/fetch/${round}/${i}` });
          urls.push(await getSignedUrl(s3, command, { expiresIn: 3600 }));
        }
        return async (i) => {
          const res = await fetch(urls[i] as string, { method: 'PUT', body: body(i) });
          await res.arrayBuffer();
          if (res.status !== 200) throw new Error(`Expected 200 but received ${res.status}`);
        };
      },
      'node:http, presigned (the bench)': async (round) => {
        const keys = Array.from({ length: uploads }, (_, i) => `uploader-cost/http/${round}/${i}`);
        const uploader = await presignedUploader(stack.url, bucket, keys);
        return (i) => uploader.put(keys[i] as string, body(i));
      },
    };
    for (let round = 0; round < Number(values.rounds); round++) {
      for (const [mode, prepare] of Object.entries(modes)) {
        const one = await prepare(round);
        const before = process.cpuUsage();
        await lanes(uploads, one);
        const cpu = process.cpuUsage(before);
        process.stdout.write(
          `round ${round + 1} ${mode}: user ${(cpu.user / 1000 / uploads).toFixed(2)}, ` +
            `system ${(cpu.system / 1000 / uploads).toFixed(2)} CPU ms per upload\n`,
        );
      }
    }
    s3.destroy();
  } finally {
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
