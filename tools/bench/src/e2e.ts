/**
 * End to end on the local stack: a burst of uploads with function concurrency N, every row polled
 * until final; upload-to-ready per image, throughput, and the count lost. Also the library alone on
 * the same images at the same concurrency, and each handler's first invocation in a fresh process.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { DynamoDBClient, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { burstImages } from './images';
import { BUILD_STACK, startStack, type StackInfo } from './stack-host';
import { firstInvocations, type FirstInvoke } from './first-invoke';
import { percentile } from './stats';
import type { EndToEndResult, Missing } from './types';
import type { WorkerBundles } from './variants/build';
import { resizeEnvironment } from './variants/run';
import { runWorker } from './variants/spawn';

export interface EndToEndOptions {
  readonly uploads: number;
  readonly concurrency: number;
  readonly bundles: WorkerBundles;
  readonly log: (line: string) => void;
}

export interface EndToEndRun {
  readonly e2e: EndToEndResult | null;
  readonly missing: Missing[];
  readonly firstInvoke: FirstInvoke[];
}

interface RowState {
  readonly status: string;
  readonly updatedAt: number;
}

function clients(endpoint: string): { s3: S3Client; ddb: DynamoDBClient } {
  const common = {
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  };
  return { s3: new S3Client({ ...common, forcePathStyle: true }), ddb: new DynamoDBClient(common) };
}

async function scanRows(ddb: DynamoDBClient, table: string): Promise<Map<string, RowState>> {
  const rows = new Map<string, RowState>();
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await ddb.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
    for (const item of page.Items ?? []) {
      const key = item['objectKey']?.S;
      if (!key) continue;
      rows.set(key, { status: item['status']?.S ?? '', updatedAt: Date.parse(item['updatedAt']?.S ?? '') });
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return rows;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Uploads with at most `parallel` requests in flight; returns each key's upload-ack time. */
async function burst(
  s3: S3Client,
  bucket: string,
  files: readonly { key: string; path: string }[],
  parallel: number,
): Promise<Map<string, number>> {
  const acked = new Map<string, number>();
  const bodies = new Map<string, Buffer>();
  for (const f of files) if (!bodies.has(f.path)) bodies.set(f.path, readFileSync(f.path));
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < files.length) {
      const f = files[next++] as { key: string; path: string };
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: f.key, Body: bodies.get(f.path) }));
      acked.set(f.key, Date.now());
    }
  };
  await Promise.all(Array.from({ length: parallel }, lane));
  return acked;
}

/** The image library alone: `concurrency` processes, each rendering its share of the same files once. */
async function libraryAlone(paths: readonly string[], options: EndToEndOptions): Promise<number | null> {
  if ('error' in options.bundles.imgpipe) return null;
  const shares = Array.from({ length: options.concurrency }, (_, i) =>
    paths.filter((_, j) => j % options.concurrency === i),
  );
  const outs = await Promise.all(
    shares.map((share) =>
      runWorker(
        process.execPath,
        [options.bundles.nodeWorker],
        {
          tool: 'imgpipe',
          paths: share,
          warmup: 0,
          iterations: 1,
          imgpipeModule: (options.bundles.imgpipe as { path: string }).path,
        },
        resizeEnvironment(),
      ),
    ),
  );
  const slowest = Math.max(...outs.map((o) => o.samples[0]?.wallMs ?? 0));
  return slowest > 0 ? paths.length / (slowest / 1000) : null;
}

async function measure(
  info: StackInfo,
  options: EndToEndOptions,
  runId: string,
  maxInFlight: () => Readonly<Record<string, number>>,
): Promise<{ e2e: EndToEndResult; keys: string[] }> {
  const images = burstImages();
  const files = Array.from({ length: options.uploads }, (_, i) => {
    const image = images[i % images.length] as (typeof images)[number];
    return { key: `bench/${runId}/${String(i).padStart(4, '0')}-${basename(image.path)}`, path: image.path };
  });
  const { s3, ddb } = clients(info.endpoint);
  const started = Date.now();
  const acked = await burst(s3, info.sourceBucket, files, 16);
  options.log(`e2e: ${files.length} uploads acknowledged in ${Date.now() - started} ms; waiting for rows`);
  const deadline = Date.now() + Math.max(120_000, options.uploads * 1500);
  let rows = new Map<string, RowState>();
  const final = (key: string): boolean => ['ready', 'failed'].includes(rows.get(key)?.status ?? '');
  while (Date.now() < deadline) {
    rows = await scanRows(ddb, info.table);
    const done = files.filter((f) => final(f.key)).length;
    if (done === files.length) break;
    await sleep(250);
  }
  const latencies = files
    .filter((f) => rows.get(f.key)?.status === 'ready')
    .map((f) => (rows.get(f.key)?.updatedAt ?? 0) - (acked.get(f.key) ?? started));
  const lastFinal = Math.max(
    started,
    ...files.filter((f) => final(f.key)).map((f) => rows.get(f.key)?.updatedAt ?? 0),
  );
  const seconds = (lastFinal - started) / 1000;
  const finished = files.filter((f) => final(f.key)).length;
  s3.destroy();
  ddb.destroy();
  return {
    keys: files.map((f) => f.key),
    e2e: {
      uploads: files.length,
      seconds,
      imagesPerSecond: seconds > 0 ? finished / seconds : 0,
      p50Ms: latencies.length ? percentile(latencies, 50) : 0,
      p99Ms: latencies.length ? percentile(latencies, 99) : 0,
      lost: files.length - finished,
      failed: files.filter((f) => rows.get(f.key)?.status === 'failed').length,
      concurrency: options.concurrency,
      observedMaxInFlight: maxInFlight(),
      libraryImagesPerSecond: await libraryAlone(
        files.map((f) => f.path),
        options,
      ),
    },
  };
}

/** Runs the burst; a stack that is not built or does not start is reported missing. */
export async function runEndToEnd(options: EndToEndOptions): Promise<EndToEndRun> {
  const dataDir = mkdtempSync(join(tmpdir(), 'imgpipe-bench-'));
  const runId = `${process.pid}-${Date.now()}`;
  let stack;
  try {
    stack = await startStack(dataDir, options.concurrency);
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    const reason = error instanceof Error ? error.message : String(error);
    return { e2e: null, missing: [{ what: 'e2e', reason, install: BUILD_STACK }], firstInvoke: [] };
  }
  try {
    options.log(`e2e: local stack at ${stack.info.endpoint}, concurrency ${options.concurrency}`);
    const { e2e, keys } = await measure(stack.info, options, runId, stack.maxInFlight);
    options.log(
      `e2e: ${e2e.imagesPerSecond.toFixed(2)} images/s, p99 ${e2e.p99Ms.toFixed(0)} ms, lost ${e2e.lost}`,
    );
    const firstInvoke = await firstInvocations(stack.info, keys[0] ?? '', options.log);
    return { e2e, missing: [], firstInvoke };
  } catch (error) {
    return {
      e2e: null,
      missing: [{ what: 'e2e', reason: error instanceof Error ? error.message : String(error) }],
      firstInvoke: [],
    };
  } finally {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
