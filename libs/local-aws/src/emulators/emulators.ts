import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type DynamoDbThread, startDynamoDbThread } from './dynamodb-thread';
import { importS3rverData } from '../edge/s3/store/import-s3rver';
import { ObjectStore } from '../edge/s3/store/object-store';
import { LocalStackError } from '../errors';

/** The S3 object store (served by the edge itself) and dynalite on an internal port of 127.0.0.1. */
export interface Emulators {
  readonly s3: ObjectStore;
  /** Objects copied from an s3rver data directory on this start (0 when there was none). */
  readonly importedObjects: number;
  /** dynalite in its own thread (`pause`/`listen` stop and restart it, for outage tests). */
  readonly dynamodb: DynamoDbThread;
  close(): Promise<void>;
}

/**
 * Opens the S3 object store (under `<dataDir>/buckets`; on its first start over a data directory s3rver
 * wrote, the objects under `s3/` are copied in) and starts dynalite (LevelDB under `<dataDir>/dynamodb`)
 * in a worker thread, off the edge's event loop.
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
  let dynamodb: DynamoDbThread;
  try {
    dynamodb = await startDynamoDbThread(dynamoDir);
  } catch (error: unknown) {
    throw new LocalStackError('EMULATOR_FAILED', 'The DynamoDB emulator (dynalite) did not start', {
      cause: error,
    });
  }
  return {
    s3,
    importedObjects,
    dynamodb,
    close: () => dynamodb.close(),
  };
}
