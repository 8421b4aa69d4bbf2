/**
 * End to end on the local stack at function concurrency N: a burst of uploads (16 in flight) drained to
 * final rows, then uploads arriving at a steady rate (half the burst's drain rate unless `--rate`), each
 * with upload-to-ready latencies, failures and the count lost. Also the library alone on the same files
 * doing the same work, and each handler's first invocation in a fresh process.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { type AttributeValue, BatchGetItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { libraryAlone } from './e2e-library';
import { firstInvocations, type FirstInvoke } from './first-invoke';
import { burstImages } from './images';
import { arrivalOffsets, defaultSteadyRate, runSchedule, summarizeLatencies } from './load';
import { BUILD_STACK, type RunningStack, startStack, type StackInfo } from './stack-host';
import type { EndToEndResult, Missing, SteadyRateResult } from './types';
import type { WorkerBundles } from './variants/build';

export interface EndToEndOptions {
  readonly uploads: number;
  readonly concurrency: number;
  /** Steady-rate arrivals per second; null: half the burst's drain rate. */
  readonly rate: number | null;
  /** Uploads drained before the burst is timed; null: 2 x concurrency (see BenchOptions.warmUploads). */
  readonly warmUploads: number | null;
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

interface Upload {
  readonly key: string;
  readonly path: string;
}

/** What one phase measured: rows, acknowledgement times and when it started. */
interface Phase {
  readonly files: readonly Upload[];
  readonly acked: ReadonlyMap<string, number>;
  readonly rows: ReadonlyMap<string, RowState>;
  readonly started: number;
}

const FINAL = new Set(['ready', 'failed']);
const POLL_MS = 1_000;

function clients(endpoint: string): { s3: S3Client; ddb: DynamoDBClient } {
  const common = {
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  };
  return { s3: new S3Client({ ...common, forcePathStyle: true }), ddb: new DynamoDBClient(common) };
}

/** Reads the rows of `keys` (100 per BatchGetItem, as DynamoDB allows). */
async function readRows(
  ddb: DynamoDBClient,
  table: string,
  keys: readonly string[],
): Promise<Map<string, RowState>> {
  const rows = new Map<string, RowState>();
  for (let i = 0; i < keys.length; i += 100) {
    let request: Record<string, { Keys: Record<string, AttributeValue>[] }> | undefined = {
      [table]: { Keys: keys.slice(i, i + 100).map((k) => ({ objectKey: { S: k } })) },
    };
    while (request && Object.keys(request).length > 0) {
      const page = await ddb.send(new BatchGetItemCommand({ RequestItems: request }));
      for (const item of page.Responses?.[table] ?? []) {
        const key = item['objectKey']?.S;
        if (key)
          rows.set(key, {
            status: item['status']?.S ?? '',
            updatedAt: Date.parse(item['updatedAt']?.S ?? ''),
          });
      }
      request = page.UnprocessedKeys as typeof request;
    }
  }
  return rows;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Polls the rows of the keys not yet final (only those: a scan of the whole table would load the stack
 * it measures) until all are final or the deadline passes. Latencies come from the rows' `updatedAt`,
 * so the poll interval does not change them.
 */
async function awaitRows(ddb: DynamoDBClient, table: string, keys: readonly string[], deadline: number) {
  const rows = new Map<string, RowState>();
  for (;;) {
    const pending = keys.filter((k) => !FINAL.has(rows.get(k)?.status ?? ''));
    for (const [key, row] of await readRows(ddb, table, pending)) rows.set(key, row);
    if (keys.every((k) => FINAL.has(rows.get(k)?.status ?? '')) || Date.now() > deadline) return rows;
    await sleep(POLL_MS);
  }
}

function filesFor(runId: string, phase: string, count: number): Upload[] {
  const images = burstImages();
  return Array.from({ length: count }, (_, i) => {
    const image = images[i % images.length] as (typeof images)[number];
    const name = `${String(i).padStart(4, '0')}-${basename(image.path)}`;
    return { key: `bench/${runId}/${phase}/${name}`, path: image.path };
  });
}

function bodiesOf(files: readonly Upload[]): Map<string, Buffer> {
  const bodies = new Map<string, Buffer>();
  for (const f of files) if (!bodies.has(f.path)) bodies.set(f.path, readFileSync(f.path));
  return bodies;
}

/** Phase figures: final rows, failures, lost, latencies of `ready` rows from each upload's acknowledgement. */
function tally(phase: Phase) {
  const final = phase.files.filter((f) => FINAL.has(phase.rows.get(f.key)?.status ?? ''));
  const ready = phase.files.filter((f) => phase.rows.get(f.key)?.status === 'ready');
  const latencies = ready.map(
    (f) => (phase.rows.get(f.key)?.updatedAt ?? 0) - (phase.acked.get(f.key) ?? phase.started),
  );
  const lastFinal = Math.max(phase.started, ...final.map((f) => phase.rows.get(f.key)?.updatedAt ?? 0));
  return {
    finished: final.length,
    failed: phase.files.length - ready.length - (phase.files.length - final.length),
    lost: phase.files.length - final.length,
    latency: summarizeLatencies(latencies),
    seconds: (lastFinal - phase.started) / 1000,
  };
}

/** The burst: every upload with at most 16 in flight, then the rows drained. */
async function burstPhase(
  info: StackInfo,
  files: readonly Upload[],
  log: EndToEndOptions['log'],
  label = 'burst',
): Promise<Phase> {
  const { s3, ddb } = clients(info.endpoint);
  const bodies = bodiesOf(files);
  const acked = new Map<string, number>();
  const started = Date.now();
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < files.length) {
      const f = files[next++] as Upload;
      await s3.send(
        new PutObjectCommand({ Bucket: info.sourceBucket, Key: f.key, Body: bodies.get(f.path) }),
      );
      acked.set(f.key, Date.now());
    }
  };
  await Promise.all(Array.from({ length: 16 }, lane));
  log(`e2e ${label}: ${files.length} uploads acknowledged in ${Date.now() - started} ms; waiting for rows`);
  const deadline = Date.now() + Math.max(120_000, files.length * 1500);
  const rows = await awaitRows(
    ddb,
    info.table,
    files.map((f) => f.key),
    deadline,
  );
  s3.destroy();
  ddb.destroy();
  return { files, acked, rows, started };
}

/** Steady arrivals: upload i starts at i / rate seconds, whatever happened to the earlier ones. */
async function steadyPhase(info: StackInfo, files: readonly Upload[], rate: number): Promise<Phase> {
  const { s3, ddb } = clients(info.endpoint);
  const bodies = bodiesOf(files);
  const acked = new Map<string, number>();
  const started = Date.now();
  await runSchedule(arrivalOffsets(files.length, rate), async (i) => {
    const f = files[i] as Upload;
    await s3.send(new PutObjectCommand({ Bucket: info.sourceBucket, Key: f.key, Body: bodies.get(f.path) }));
    acked.set(f.key, Date.now());
  });
  const deadline = Date.now() + Math.max(60_000, files.length * 1500);
  const rows = await awaitRows(ddb, info.table, [...acked.keys()], deadline);
  s3.destroy();
  ddb.destroy();
  return { files, acked, rows, started };
}

async function measure(
  stack: RunningStack,
  options: EndToEndOptions,
  runId: string,
): Promise<EndToEndResult> {
  const { info } = stack;
  const { log } = options;
  const burstFiles = filesFor(runId, 'burst', options.uploads);
  // Start every worker (bundle import, sharp's first load) before the clock, as the library alone does.
  const warmUploads = options.warmUploads ?? options.concurrency * 2;
  if (warmUploads > 0) {
    const warm = tally(await burstPhase(info, filesFor(runId, 'warm', warmUploads), log, 'warm-up'));
    if (warm.lost > 0) log(`e2e warm-up: ${warm.lost} of ${warmUploads} uploads not final in time`);
  }
  const cpuBefore = stack.cpu();
  const burst = tally(await burstPhase(info, burstFiles, log));
  const cpuAfter = stack.cpu();
  const perImage = (seconds: number): number | null =>
    burst.finished > 0 ? (seconds * 1000) / burst.finished : null;
  const imagesPerSecond = burst.seconds > 0 ? burst.finished / burst.seconds : 0;
  log(
    `e2e burst: ${imagesPerSecond.toFixed(2)} images/s, p99 ${burst.latency.p99Ms.toFixed(0)} ms, lost ${burst.lost}`,
  );
  const rate = options.rate ?? defaultSteadyRate(imagesPerSecond);
  let steady: SteadyRateResult | null = null;
  if (rate !== null) {
    log(`e2e steady: ${options.uploads} uploads at ${rate.toFixed(2)}/s`);
    const phase = await steadyPhase(info, filesFor(runId, 'steady', options.uploads), rate);
    const t = tally(phase);
    const lastAck = Math.max(phase.started, ...phase.acked.values());
    steady = {
      ratePerSecond: rate,
      rateSource: options.rate === null ? 'half the burst drain rate' : 'asked',
      uploads: phase.files.length,
      offeredSeconds: (lastAck - phase.started) / 1000,
      p50Ms: t.latency.p50Ms,
      p99Ms: t.latency.p99Ms,
      maxMs: t.latency.maxMs,
      failed: t.failed,
      lost: t.lost,
    };
    log(
      `e2e steady: p50 ${steady.p50Ms.toFixed(0)} ms, p99 ${steady.p99Ms.toFixed(0)} ms, lost ${steady.lost}`,
    );
  }
  const library = await libraryAlone(
    options.bundles.dir,
    burstFiles.map((f) => f.path),
    options.concurrency,
  ).catch((error: unknown) => {
    log(`e2e: library alone failed: ${error instanceof Error ? error.message : String(error)}`);
    return null;
  });
  return {
    warmUploads,
    uploads: burstFiles.length,
    seconds: burst.seconds,
    imagesPerSecond,
    p50Ms: burst.latency.p50Ms,
    p99Ms: burst.latency.p99Ms,
    lost: burst.lost,
    failed: burst.failed,
    concurrency: options.concurrency,
    observedMaxInFlight: stack.maxInFlight(),
    libraryImagesPerSecond: library?.imagesPerSecond ?? null,
    stackCpuMsPerImage: cpuBefore && cpuAfter ? perImage(cpuAfter.stack - cpuBefore.stack) : null,
    workerCpuMsPerImage: cpuBefore && cpuAfter ? perImage(cpuAfter.workers - cpuBefore.workers) : null,
    libraryCpuMsPerImage: library?.cpuMsPerImage ?? null,
    steady,
  };
}

/** Runs the burst and the steady rate; a stack that is not built or does not start is reported missing. */
export async function runEndToEnd(options: EndToEndOptions): Promise<EndToEndRun> {
  const dataDir = mkdtempSync(join(tmpdir(), 'imgpipe-bench-'));
  const runId = `${process.pid}-${Date.now()}`;
  let stack: RunningStack;
  try {
    stack = await startStack(dataDir, options.concurrency);
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    const reason = error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error);
    return { e2e: null, missing: [{ what: 'e2e', reason, install: BUILD_STACK }], firstInvoke: [] };
  }
  try {
    options.log(`e2e: local stack at ${stack.info.endpoint}, concurrency ${options.concurrency}`);
    const e2e = await measure(stack, options, runId);
    const firstKey = filesFor(runId, 'burst', 1)[0]?.key ?? '';
    const firstInvoke = await firstInvocations(stack.info, firstKey, options.log);
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
