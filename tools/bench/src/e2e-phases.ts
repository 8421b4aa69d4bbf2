/**
 * The end-to-end bench's phases on a running local stack: a burst (16 uploads in flight) or steady
 * arrivals, each drained to final rows read back from DynamoDB, and the figures of a phase.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import {
  BatchGetItemCommand,
  type BatchGetItemCommandOutput,
  DynamoDBClient,
  type KeysAndAttributes,
} from '@aws-sdk/client-dynamodb';
import { burstImages } from './images';
import { arrivalOffsets, runSchedule, summarizeLatencies } from './load';
import type { StackInfo } from './stack-host';
import { presignedUploader } from './uploader';

export interface RowState {
  readonly status: string;
  readonly updatedAt: number;
}

export interface Upload {
  readonly key: string;
  readonly path: string;
}

/** What one phase measured: rows, acknowledgement times and when it started. */
export interface Phase {
  readonly files: readonly Upload[];
  readonly acked: ReadonlyMap<string, number>;
  readonly rows: ReadonlyMap<string, RowState>;
  readonly started: number;
}

const FINAL = new Set(['ready', 'failed']);
const POLL_MS = 1_000;

export function rowReader(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

type BatchRequest = Record<string, KeysAndAttributes>;

/**
 * Only the attributes the bench reads. A whole row carries its variants and metadata: the first polls of
 * a burst would have dynalite serialise, and this process parse, hundreds of them each second, on the
 * cores the stack is measured on.
 */
const ROW_STATE = {
  ProjectionExpression: 'objectKey, #status, updatedAt',
  ExpressionAttributeNames: { '#status': 'status' },
} as const;

/** Reads the state of the rows of `keys` (100 per BatchGetItem, as DynamoDB allows). */
async function readRows(
  ddb: DynamoDBClient,
  table: string,
  keys: readonly string[],
): Promise<Map<string, RowState>> {
  const rows = new Map<string, RowState>();
  for (let i = 0; i < keys.length; i += 100) {
    let request: BatchRequest | undefined = {
      [table]: { Keys: keys.slice(i, i + 100).map((k) => ({ objectKey: { S: k } })), ...ROW_STATE },
    };
    while (request && Object.keys(request).length > 0) {
      const page: BatchGetItemCommandOutput = await ddb.send(
        new BatchGetItemCommand({ RequestItems: request }),
      );
      for (const item of page.Responses?.[table] ?? []) {
        const key = item['objectKey']?.S;
        if (key)
          rows.set(key, {
            status: item['status']?.S ?? '',
            updatedAt: Date.parse(item['updatedAt']?.S ?? ''),
          });
      }
      request = page.UnprocessedKeys;
    }
  }
  return rows;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** While the newest uploads are not final the older ones rarely are: the functions' queues are first in, first out. */
const PROBE_KEYS = 10;

/**
 * Polls the rows until every key's is final or the deadline passes. Each poll reads only the newest
 * `PROBE_KEYS` keys not yet final, and the rest once those are: a read of every pending row each second
 * (dynalite reads about 80 us per row) would load the stack it measures. Latencies come from the rows'
 * `updatedAt`, so the poll interval does not change them.
 */
export async function awaitRows(
  ddb: DynamoDBClient,
  table: string,
  keys: readonly string[],
  deadline: number,
  pollMs = POLL_MS,
): Promise<Map<string, RowState>> {
  const rows = new Map<string, RowState>();
  const isFinal = (key: string): boolean => FINAL.has(rows.get(key)?.status ?? '');
  for (;;) {
    const late = Date.now() > deadline;
    const pending = keys.filter((k) => !isFinal(k));
    const newest = pending.slice(-PROBE_KEYS);
    for (const [key, row] of await readRows(ddb, table, newest)) rows.set(key, row);
    if (late || newest.every(isFinal)) {
      const older = pending.slice(0, -PROBE_KEYS);
      for (const [key, row] of await readRows(ddb, table, older)) rows.set(key, row);
      if (late || keys.every(isFinal)) return rows;
    }
    await sleep(pollMs);
  }
}

export function filesFor(runId: string, phase: string, count: number): Upload[] {
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
export function tally(phase: Phase) {
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
export async function burstPhase(
  info: StackInfo,
  files: readonly Upload[],
  log: (line: string) => void,
  label = 'burst',
): Promise<Phase> {
  const ddb = rowReader(info.endpoint);
  const uploader = await presignedUploader(
    info.endpoint,
    info.sourceBucket,
    files.map((f) => f.key),
  );
  const bodies = bodiesOf(files);
  const acked = new Map<string, number>();
  const started = Date.now();
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < files.length) {
      const f = files[next++] as Upload;
      await uploader.put(f.key, bodies.get(f.path) as Buffer);
      acked.set(f.key, Date.now());
    }
  };
  try {
    await Promise.all(Array.from({ length: 16 }, lane));
  } finally {
    uploader.close();
  }
  log(`e2e ${label}: ${files.length} uploads acknowledged in ${Date.now() - started} ms; waiting for rows`);
  const deadline = Date.now() + Math.max(120_000, files.length * 1500);
  const rows = await awaitRows(
    ddb,
    info.table,
    files.map((f) => f.key),
    deadline,
  );
  ddb.destroy();
  return { files, acked, rows, started };
}

/** Steady arrivals: upload i starts at i / rate seconds, whatever happened to the earlier ones. */
export async function steadyPhase(info: StackInfo, files: readonly Upload[], rate: number): Promise<Phase> {
  const ddb = rowReader(info.endpoint);
  const uploader = await presignedUploader(
    info.endpoint,
    info.sourceBucket,
    files.map((f) => f.key),
  );
  const bodies = bodiesOf(files);
  const acked = new Map<string, number>();
  const started = Date.now();
  try {
    await runSchedule(arrivalOffsets(files.length, rate), async (i) => {
      const f = files[i] as Upload;
      await uploader.put(f.key, bodies.get(f.path) as Buffer);
      acked.set(f.key, Date.now());
    });
  } finally {
    uploader.close();
  }
  const deadline = Date.now() + Math.max(60_000, files.length * 1500);
  const rows = await awaitRows(ddb, info.table, [...acked.keys()], deadline);
  ddb.destroy();
  return { files, acked, rows, started };
}
