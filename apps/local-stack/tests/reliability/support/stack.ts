import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  DeleteObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { ImagePageSchema, type Row, RowSchema } from '@imgpipe/contracts';
import { decodeS3Key } from '@imgpipe/core';
import { FUNCTION_NAMES } from '@imgpipe/pipeline';
import { useTempDirs } from '@imgpipe/testing';
import {
  type DlqEntry,
  type InvocationReport,
  type LocalStack,
  type LocalStackOptions,
  findRepoRoot,
  startLocalStack,
} from '@imgpipe/local-aws';
import { TEST_RECONCILE_SCHEDULE } from '@imgpipe/local-aws/testing';

/** The row as the local API returns it, parsed with the contract's schema. */
export type { Row } from '@imgpipe/contracts';

export const SOURCE = 'imgpipe-source';
export const DERIVED = 'imgpipe-derived';

// Registered when a suite file loads this module, at its top level: the directories are removed after
// every describe block's own afterAll has stopped its stack.
const ownedTempDir = useTempDirs();

/** A fresh data directory for one suite, removed after the suite's file. */
export function freshDir(name: string): string {
  return ownedTempDir(`imgpipe-rel-${name}`);
}

/** Fails with the build command when the real bundles are missing (the target depends on the builds). */
export function requireBundles(): void {
  const root = findRepoRoot(__dirname);
  const missing = FUNCTION_NAMES.filter((fn) => !existsSync(join(root, 'apps', fn, 'dist', `${fn}.mjs`)));
  if (missing.length > 0) {
    throw new Error(
      `Missing function bundles (${missing.join(', ')}): run npx nx run-many -t build -p resize metadata-sync reconcile`,
    );
  }
}

/** A local stack with the real bundles, no samples, fast retries, quiet terminal. */
export async function startReal(dataDir: string, overrides: LocalStackOptions = {}): Promise<LocalStack> {
  requireBundles();
  return startLocalStack({
    port: 0,
    dataDir,
    samples: false,
    summaryIntervalMs: 0,
    retryDelayScale: 0.005,
    stopGraceMs: 2_000,
    repoRoot: findRepoRoot(__dirname),
    ...overrides,
    pipeline: { reconcileSchedule: TEST_RECONCILE_SCHEDULE, ...overrides.pipeline },
  });
}

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

/** A user's S3 client against the edge (user traffic is never faulted). */
export function userS3(endpoint: string): S3Client {
  return new S3Client({ endpoint, region: 'us-east-1', credentials, forcePathStyle: true, maxAttempts: 5 });
}

export async function upload(
  s3: S3Client,
  key: string,
  body: Buffer | string,
  contentType?: string,
): Promise<void> {
  await s3.send(
    new PutObjectCommand({
      Bucket: SOURCE,
      Key: key,
      Body: body,
      ...(contentType ? { ContentType: contentType } : {}),
    }),
  );
}

export async function remove(s3: S3Client, key: string): Promise<void> {
  await s3.send(new DeleteObjectCommand({ Bucket: SOURCE, Key: key }));
}

/** Runs `work` over `items` with at most `limit` at once. */
export async function pool<T>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index] as T, index);
    }
  });
  await Promise.all(lanes);
}

export async function sleep(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves once no function has queued, retrying or running work, three polls in a row. */
export async function waitIdle(stack: LocalStack, timeoutMs = 15 * 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let quiet = 0;
  while (quiet < 3) {
    if (Date.now() > deadline) {
      const depths = FUNCTION_NAMES.map((fn) => `${fn}=${stack.runtime(fn).depth}`).join(' ');
      throw new Error(`The pipeline was not idle after ${timeoutMs} ms (${depths})`);
    }
    const busy = FUNCTION_NAMES.some((fn) => stack.runtime(fn).depth > 0);
    quiet = busy ? 0 : quiet + 1;
    await sleep(250);
  }
}

/** The row of one key through the local API, undefined when there is none. */
export async function getRow(stack: LocalStack, key: string): Promise<Row | undefined> {
  const res = await fetch(`${stack.endpoint}/_imgpipe/api/images/${encodeURIComponent(key)}`);
  if (res.status === 404) return undefined;
  if (!res.ok) throw new Error(`GET row ${key}: HTTP ${res.status} ${await res.text()}`);
  return RowSchema.parse(await res.json());
}

/** Every row, through the API's pages. */
export async function allRows(stack: LocalStack): Promise<Row[]> {
  const rows: Row[] = [];
  let cursor: string | undefined;
  do {
    const url = new URL(`${stack.endpoint}/_imgpipe/api/images`);
    url.searchParams.set('limit', '500');
    if (cursor) url.searchParams.set('cursor', cursor);
    const res = await fetch(url);
    if (!res.ok) throw new Error(`GET rows: HTTP ${res.status} ${await res.text()}`);
    const page = ImagePageSchema.parse(await res.json());
    rows.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return rows;
}

/** Keys in the derived bucket under a prefix (every page). */
export async function derivedKeys(s3: S3Client, prefix = ''): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({
        Bucket: DERIVED,
        Prefix: prefix,
        ...(token ? { ContinuationToken: token } : {}),
      }),
    );
    for (const object of page.Contents ?? []) if (object.Key !== undefined) keys.push(object.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys;
}

/** True when every variant the row lists exists in the derived bucket with the recorded size. */
export async function variantsPresent(s3: S3Client, row: Row): Promise<boolean> {
  if (!row.variants || row.variants.length === 0) return false;
  for (const variant of row.variants) {
    try {
      const head = await s3.send(new HeadObjectCommand({ Bucket: DERIVED, Key: variant.key }));
      if (head.ContentLength !== variant.bytes) return false;
    } catch {
      return false;
    }
  }
  return true;
}

/** The decoded source key an S3 event is about (events form-encode keys: core's one codec decodes them). */
function eventKey(event: unknown): string | undefined {
  const key = (event as { detail?: { object?: { key?: string } } } | undefined)?.detail?.object?.key;
  return key === undefined ? undefined : decodeS3Key(key);
}

/** Source-bucket key of an invocation's event, decoded. */
export function reportKey(report: InvocationReport): string | undefined {
  return eventKey(report.event);
}

/** Where each upload ended: the three states of the promise, or lost. */
export interface Outcomes {
  readonly processed: string[];
  readonly rejected: string[];
  readonly parked: string[];
  readonly lost: string[];
  /** Rows that say `ready` while a variant they list is missing or short. */
  readonly readyWithoutVariants: string[];
}

/** Classifies each uploaded key into processed, rejected (failed with a code), parked in the DLQ, or lost. */
export async function classify(stack: LocalStack, s3: S3Client, keys: readonly string[]): Promise<Outcomes> {
  const inDlq = new Set(stack.dlq().map((entry: DlqEntry) => eventKey(entry.event)));
  const rows = new Map((await allRows(stack)).map((row) => [row.objectKey, row]));
  const out: Outcomes = { processed: [], rejected: [], parked: [], lost: [], readyWithoutVariants: [] };
  await pool(keys, 8, async (key) => {
    const row = rows.get(key);
    if (row?.status === 'ready') {
      if (await variantsPresent(s3, row)) out.processed.push(key);
      else out.readyWithoutVariants.push(key);
    } else if (row?.status === 'failed' && typeof row.error?.code === 'string' && row.error.code.length > 0) {
      out.rejected.push(key);
    } else if (inDlq.has(key)) {
      out.parked.push(key);
    } else {
      out.lost.push(key);
    }
  });
  return out;
}

/** Watches invocations (for latency and worker observations). */
export function invocationLog(): {
  reports: InvocationReport[];
  onInvocation: (r: InvocationReport) => void;
} {
  const reports: InvocationReport[] = [];
  return { reports, onInvocation: (r) => reports.push(r) };
}
