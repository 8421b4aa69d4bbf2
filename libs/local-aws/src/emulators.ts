// Apps type-check this file through the package export, where an import of a .d.ts is not possible.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./vendor.d.ts" />
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import dynalite from 'dynalite';
import { ObjectStore } from './edge/s3/store/object-store';
import { LocalStackError } from './errors';

/** The S3 object store (served by the edge itself) and dynalite on an internal port of 127.0.0.1. */
export interface Emulators {
  readonly s3: ObjectStore;
  readonly dynamodb: { host: string; port: number };
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

/**
 * Opens the S3 object store (under `<dataDir>/buckets`; the older s3rver layout under `s3/` is not
 * read) and starts dynalite (LevelDB under `<dataDir>/dynamodb`).
 */
export async function startEmulators(dataDir: string): Promise<Emulators> {
  const dynamoDir = join(dataDir, 'dynamodb');
  mkdirSync(dynamoDir, { recursive: true });
  let s3: ObjectStore;
  try {
    s3 = ObjectStore.open(join(dataDir, 'buckets'));
  } catch (error: unknown) {
    throw new LocalStackError('EMULATOR_FAILED', 'The S3 object store could not be opened', { cause: error });
  }
  const dynamo: Server = dynalite({ path: dynamoDir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  try {
    await new Promise<void>((resolve, reject) => {
      dynamo.once('error', reject);
      dynamo.listen(0, HOST, () => resolve());
    });
  } catch (error: unknown) {
    throw new LocalStackError('EMULATOR_FAILED', 'The DynamoDB emulator (dynalite) did not start', {
      cause: error,
    });
  }
  const dynamoPort = (dynamo.address() as AddressInfo).port;
  return {
    s3,
    dynamodb: { host: HOST, port: dynamoPort },
    async close() {
      await new Promise<void>((resolve) => dynamo.close(() => resolve()));
    },
  };
}
