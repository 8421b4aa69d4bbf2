/**
 * The stack process's CPU per S3 request (Linux, from `/proc/<pid>/stat`): starts the built local stack,
 * PUTs `--count` objects of `--size` bytes (4 in flight), then GETs each of them twice, as the two
 * functions download every upload, and prints the stack's CPU ms per PUT and per GET.
 *   npx tsx tools/bench/src/edge-requests.ts [--size 1500000] [--count 200]
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { definePipeline } from '@imgpipe/pipeline';
import { spawnLocalStack } from '@imgpipe/local-aws/testing';
import { lanes } from './load';

/** User + system CPU ms of a whole process so far. */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { size: { type: 'string', default: '1500000' }, count: { type: 'string', default: '200' } },
  });
  const size = Number(values.size);
  const count = Number(values.count);
  // No functions are subscribed to the bucket used here, so only the edge and the store work.
  const stack = await spawnLocalStack();
  const endpoint = stack.url;
  try {
    const bucket = definePipeline().names.derivedBucket;
    const s3 = new S3Client({
      endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const body = randomBytes(size);
    const key = (i: number): string => `edge-requests/${i}.bin`;
    const { pid } = stack;
    const put0 = cpuMs(pid);
    await lanes(count, 4, async (i) => {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key(i), Body: body }));
    });
    const get0 = cpuMs(pid);
    await lanes(2 * count, 4, async (i) => {
      const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key(i % count) }));
      const bytes = await out.Body?.transformToByteArray();
      if (bytes?.length !== size) throw new Error(`GET ${key(i % count)}: ${bytes?.length} bytes`);
    });
    const end = cpuMs(pid);
    process.stdout.write(
      `${count} PUTs and ${2 * count} GETs of ${size} bytes: stack CPU ms per PUT ` +
        `${((get0 - put0) / count).toFixed(2)}, per GET ${((end - get0) / (2 * count)).toFixed(2)}\n`,
    );
    s3.destroy();
  } finally {
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
