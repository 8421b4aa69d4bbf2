// Apps type-check this file through the package export, where an import of a .d.ts is not possible.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./vendor.d.ts" />
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import dynalite from 'dynalite';
import S3rver from 's3rver';
import { LocalStackError } from './errors';

/** The embedded emulators, each on an internal port of 127.0.0.1 (the edge is the only public port). */
export interface Emulators {
  readonly s3: { host: string; port: number };
  readonly dynamodb: { host: string; port: number };
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

/** Starts s3rver (files under `<dataDir>/s3`) and dynalite (LevelDB under `<dataDir>/dynamodb`). */
export async function startEmulators(dataDir: string): Promise<Emulators> {
  const s3Dir = join(dataDir, 's3');
  const dynamoDir = join(dataDir, 'dynamodb');
  mkdirSync(s3Dir, { recursive: true });
  mkdirSync(dynamoDir, { recursive: true });
  const s3rver = new S3rver({
    address: HOST,
    port: 0,
    silent: true,
    directory: s3Dir,
    resetOnClose: false,
    // The edge strips signatures before forwarding; presigned URLs keep theirs, which cannot match a proxied host.
    allowMismatchedSignatures: true,
    vhostBuckets: false,
  });
  let s3Port: number;
  try {
    s3Port = (await s3rver.run()).port;
  } catch (error: unknown) {
    throw new LocalStackError('EMULATOR_FAILED', 'The S3 emulator (s3rver) did not start', { cause: error });
  }
  const dynamo: Server = dynalite({ path: dynamoDir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  try {
    await new Promise<void>((resolve, reject) => {
      dynamo.once('error', reject);
      dynamo.listen(0, HOST, () => resolve());
    });
  } catch (error: unknown) {
    await s3rver.close();
    throw new LocalStackError('EMULATOR_FAILED', 'The DynamoDB emulator (dynalite) did not start', {
      cause: error,
    });
  }
  const dynamoPort = (dynamo.address() as AddressInfo).port;
  return {
    s3: { host: HOST, port: s3Port },
    dynamodb: { host: HOST, port: dynamoPort },
    async close() {
      await Promise.allSettled([
        s3rver.close(),
        new Promise<void>((resolve) => dynamo.close(() => resolve())),
      ]);
    },
  };
}
