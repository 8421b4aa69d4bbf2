// Apps type-check this file through the package export, where an import of a .d.ts is not possible.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./vendor.d.ts" />
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import dynalite from 'dynalite';
import { importS3rverData } from './edge/s3/store/import-s3rver';
import { ObjectStore } from './edge/s3/store/object-store';
import { LocalStackError } from './errors';

/** The S3 object store (served by the edge itself) and dynalite on an internal port of 127.0.0.1. */
export interface Emulators {
  readonly s3: ObjectStore;
  /** Objects copied from an s3rver data directory on this start (0 when there was none). */
  readonly importedObjects: number;
  readonly dynamodb: { host: string; port: number };
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

/**
 * Opens the S3 object store (under `<dataDir>/buckets`; on its first start over a data directory s3rver
 * wrote, the objects under `s3/` are copied in) and starts dynalite (LevelDB under `<dataDir>/dynamodb`).
 */
export async function startEmulators(dataDir: string): Promise<Emulators> {
  const dynamoDir = join(dataDir, 'dynamodb');
  mkdirSync(dynamoDir, { recursive: true });
  let s3: ObjectStore;
  let importedObjects = 0;
  try {
    s3 = ObjectStore.open(join(dataDir, 'buckets'));
    // The marker is written after the whole copy, so a start that stopped midway copies again.
    const marker = join(dataDir, 'buckets', '.imported-from-s3rver');
    if (existsSync(join(dataDir, 's3')) && !existsSync(marker)) {
      importedObjects = await importS3rverData(join(dataDir, 's3'), s3);
      writeFileSync(marker, `${importedObjects} objects copied from ../s3 (s3rver's layout)\n`);
    }
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
    importedObjects,
    dynamodb: { host: HOST, port: dynamoPort },
    async close() {
      await new Promise<void>((resolve) => dynamo.close(() => resolve()));
    },
  };
}
