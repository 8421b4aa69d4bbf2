import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { useTempDirs } from '@imgpipe/testing';
import { type LocalStack, type LocalStackOptions, startLocalStack } from '../../src';
import { TEST_RECONCILE_SCHEDULE } from '../../src/testing';

/** The fixture function used in place of the real bundles where a test is about the runtime itself. */
export const FIXTURE = join(__dirname, '..', 'fixtures', 'behaviour.mjs');
export const FIXTURE_BUNDLES = { resize: FIXTURE, 'metadata-sync': FIXTURE, reconcile: FIXTURE } as const;

/**
 * The stack as the edge and client suites start it: a free port, data in `dataDir`, no samples, no
 * periodic summary, the fixture functions and no console; `options` adds or overrides.
 */
export function startFixtureStack(dataDir: string, options: LocalStackOptions = {}): Promise<LocalStack> {
  return startLocalStack({
    port: 0,
    dataDir,
    samples: false,
    bundles: FIXTURE_BUNDLES,
    summaryIntervalMs: 0,
    consoleDir: join(dataDir, 'no-console'),
    ...options,
    pipeline: { reconcileSchedule: TEST_RECONCILE_SCHEDULE, ...options.pipeline },
  });
}

const ownedTempDir = useTempDirs();

/**
 * A fresh `imgpipe-<prefix>-XXXXXX` in the OS temp dir, removed after the test file. The removal is an
 * `afterAll` registered when this module loads (at the top of the test file that imports it), so it
 * runs after every `describe` block's own hooks have stopped the stacks writing into the directory.
 */
export function tempDir(prefix: string): string {
  return ownedTempDir(`imgpipe-${prefix}`);
}

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

/** A real SDK client against the edge, configured as a user would. */
export function s3For(endpoint: string, customUserAgent?: string): S3Client {
  return new S3Client({
    endpoint,
    region: 'us-east-1',
    credentials,
    forcePathStyle: true,
    ...(customUserAgent ? { customUserAgent, maxAttempts: 1 } : {}),
  });
}

export function dynamoFor(endpoint: string, customUserAgent?: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials,
    ...(customUserAgent ? { customUserAgent, maxAttempts: 1 } : {}),
  });
}

/** Polls until `probe` returns a value (not undefined/false) or the deadline passes. */
export async function waitFor<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 30_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
