/**
 * The edge's CPU per request, by operation and by thread (Linux, from `/proc/<pid>/task`): starts the
 * built local stack, then sends `--count` requests of each of the function's kinds from real SDK clients
 * (4 in flight, as resize's variant uploads): PutObject of `--size` bytes and GetObject to the derived
 * bucket (no function subscribes to it, so only the edge and the store work), GetItem and a conditional
 * UpdateItem on the images table. `--key imgpipe-resize` signs as resize (IAM evaluates every request,
 * the audit sees every decision), `--key local` as the administrator (no IAM): the difference is IAM's.
 * Prints the stack's main thread, dynalite's thread and the whole process, CPU ms per request.
 *   npx tsx tools/bench/src/edge-request-cost.ts [--key imgpipe-resize] [--count 1000] [--size 16000] [--rounds 2]
 *     [--only PutObject,GetItem]
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DynamoDBClient, GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { definePipeline, TABLE_SCHEMA } from '@imgpipe/pipeline';
import { spawnLocalStack } from '@imgpipe/local-aws/testing';
import { lanes } from './load';

/** CPU ms so far of the process's main thread, of its other threads (by id), and in all. */
function cpu(pid: number): { main: number; threads: Map<number, number>; all: number } {
  const threads = new Map<number, number>();
  let main = 0;
  let all = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
      const ms = (Number(fields[11]) + Number(fields[12])) * 10;
      all += ms;
      if (Number(tid) === pid) main = ms;
      else threads.set(Number(tid), ms);
    } catch {
      // A thread that ended between the listing and the read.
    }
  }
  return { main, threads, all };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      key: { type: 'string', default: 'imgpipe-resize' },
      count: { type: 'string', default: '1000' },
      size: { type: 'string', default: '16000' },
      rounds: { type: 'string', default: '2' },
      only: { type: 'string' },
    },
  });
  const count = Number(values.count);
  const size = Number(values.size);
  // No function is subscribed to the derived bucket: its PUTs start no invocation.
  const stack = await spawnLocalStack();
  const endpoint = stack.url;
  try {
    const { names } = definePipeline();
    const common = {
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: values.key ?? 'local', secretAccessKey: 'local' },
    };
    const s3 = new S3Client({ ...common, forcePathStyle: true });
    const ddb = new DynamoDBClient(common);
    const body = randomBytes(size);
    const objectKey = (i: number): string => `edge-cost/${i % count}.bin`;
    const row = (i: number) => ({ [TABLE_SCHEMA.partitionKey]: { S: `edge-cost/${i % count}.jpg` } });
    const ops: Record<string, (i: number) => Promise<unknown>> = {
      PutObject: (i) =>
        s3.send(new PutObjectCommand({ Bucket: names.derivedBucket, Key: objectKey(i), Body: body })),
      GetObject: async (i) => {
        const out = await s3.send(new GetObjectCommand({ Bucket: names.derivedBucket, Key: objectKey(i) }));
        const bytes = await out.Body?.transformToByteArray();
        if (bytes?.length !== size) throw new Error(`GET ${objectKey(i)}: ${bytes?.length} bytes`);
      },
      UpdateItem: (i) =>
        ddb.send(
          new UpdateItemCommand({
            TableName: names.table,
            Key: row(i),
            UpdateExpression: 'SET #s = :s, #n = if_not_exists(#n, :zero) + :one',
            ConditionExpression: 'attribute_not_exists(#s) OR #s <> :done',
            ExpressionAttributeNames: { '#s': 'benchStatus', '#n': 'benchCount' },
            ExpressionAttributeValues: {
              ':s': { S: 'pending' },
              ':done': { S: 'done' },
              ':zero': { N: '0' },
              ':one': { N: '1' },
            },
          }),
        ),
      GetItem: (i) =>
        ddb.send(new GetItemCommand({ TableName: names.table, Key: row(i), ConsistentRead: true })),
    };
    const { pid } = stack;
    const rounds = Number(values.rounds);
    for (let round = 0; round < rounds; round++) {
      const parts: string[] = [];
      for (const [name, op] of Object.entries(ops)) {
        if (values.only && !values.only.split(',').includes(name)) continue;
        const before = cpu(pid);
        await lanes(count, 4, async (i) => {
          await op(i);
        });
        const after = cpu(pid);
        // dynalite's thread is the busiest non-main thread during DynamoDB calls: the largest delta.
        let dynalite = 0;
        for (const [tid, ms] of after.threads)
          dynalite = Math.max(dynalite, ms - (before.threads.get(tid) ?? 0));
        const per = (ms: number): string => (ms / count).toFixed(3);
        parts.push(
          `${name} main ${per(after.main - before.main)} busiest other thread ${per(dynalite)} all ${per(after.all - before.all)}`,
        );
      }
      process.stdout.write(
        `round ${round + 1} (key ${values.key}, ${count} each, ms per request):\n  ${parts.join('\n  ')}\n`,
      );
    }
    s3.destroy();
    ddb.destroy();
  } finally {
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
