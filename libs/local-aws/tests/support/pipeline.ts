import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { join } from 'node:path';
import { type LocalStack, type LocalStackOptions, startLocalStack } from '../../src';
import { findRepoRoot } from '../../src/options';
import { TEST_RECONCILE_SCHEDULE } from '../../src/testing';
import { waitFor } from './helpers';

/** The real function bundles, as `npx nx run-many -t build -p resize metadata-sync reconcile` writes them. */
export function realBundles() {
  const root = findRepoRoot(__dirname);
  return {
    resize: join(root, 'apps', 'resize', 'dist', 'resize.mjs'),
    'metadata-sync': join(root, 'apps', 'metadata-sync', 'dist', 'metadata-sync.mjs'),
    reconcile: join(root, 'apps', 'reconcile', 'dist', 'reconcile.mjs'),
  } as const;
}

/**
 * The stack with the real function bundles and fast retries, data in `dataDir`; `options` adds or
 * overrides. The reconcile schedule never fires unless a test sets one.
 */
export function startRealStack(dataDir: string, options: LocalStackOptions = {}): Promise<LocalStack> {
  return startLocalStack({
    port: 0,
    dataDir,
    samples: false,
    bundles: realBundles(),
    retryDelayScale: 0.01,
    summaryIntervalMs: 0,
    ...options,
    pipeline: { reconcileSchedule: TEST_RECONCILE_SCHEDULE, ...options.pipeline },
  });
}

export interface RowShape {
  objectKey: string;
  status: string;
  width?: number;
  height?: number;
  format?: string;
  error?: { code: string; message: string };
  variants?: { name: string; key: string; format: string; width: number; height: number; bytes: number }[];
}

/** The row through the stack's JSON API (404 → undefined). */
export async function apiRow(endpoint: string, key: string): Promise<RowShape | undefined> {
  const res = await fetch(`${endpoint}/_imgpipe/api/images/${encodeURIComponent(key)}`);
  if (res.status === 404) return undefined;
  return (await res.json()) as RowShape;
}

export async function exists(s3: S3Client, bucket: string, key: string): Promise<boolean> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch {
    return false;
  }
}

/** Waits (up to two minutes) until the row of `key` has one of `statuses`, and returns it. */
export function settledRow(
  endpoint: string,
  key: string,
  statuses: readonly string[] = ['ready', 'failed'],
): Promise<RowShape> {
  return waitFor(
    async () => {
      const row = await apiRow(endpoint, key);
      return row && statuses.includes(row.status) && row;
    },
    120_000,
    `the row of "${key}" to be ${statuses.join(' or ')}`,
  );
}
