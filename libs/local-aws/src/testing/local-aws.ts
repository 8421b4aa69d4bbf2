// Apps type-check this file through the package export, where an import of a .d.ts is not possible.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="../vendor.d.ts" />
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CONTROL_TABLE_SCHEMA,
  DEFAULT_NAMES,
  TABLE_INDEXES,
  TABLE_SCHEMA,
  type ResourceNames,
} from '@imgpipe/pipeline';
import dynalite from 'dynalite';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeS3Call } from '../edge/s3/request';
import { createS3Edge } from '../edge/s3/router';
import { ObjectStore } from '../edge/s3/store/object-store';
import { sendS3Error } from '../edge/s3/xml';

/** Real S3- and DynamoDB-compatible servers on free ports, with the pipeline's buckets and tables. */
export interface LocalAws {
  readonly s3Endpoint: string;
  readonly dynamoEndpoint: string;
  /** The environment the SDK needs to reach them (endpoints, region, fake credentials). */
  readonly env: Readonly<Record<string, string>>;
  readonly names: ResourceNames;
  stop(): Promise<void>;
}

/** The local stack's own S3 (the edge's S3 half over its object store) on a free port, without events. */
async function startS3(directory: string): Promise<Server> {
  const handle = createS3Edge({
    store: ObjectStore.open(directory),
    faultRate: () => 0,
    onChange: () => undefined,
  });
  const server = createServer((req, res) => {
    const call = describeS3Call(req);
    if ('status' in call) {
      req.resume();
      sendS3Error(res, call.status, call.code, call.message, (req.url ?? '/').split('?')[0]);
      return;
    }
    void handle(call, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/**
 * Starts the local stack's S3 (its object store) and dynalite on free ports and creates the source
 * and derived buckets and the images and control tables.
 * @example const aws = await startLocalAws(); Object.assign(process.env, aws.env); ... await aws.stop();
 */
export async function startLocalAws(names: ResourceNames = DEFAULT_NAMES): Promise<LocalAws> {
  const directory = mkdtempSync(join(tmpdir(), 'imgpipe-s3-'));
  const s3Server = await startS3(directory);
  const dynamo = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => dynamo.listen(0, '127.0.0.1', resolve));
  const s3Endpoint = `http://127.0.0.1:${(s3Server.address() as AddressInfo).port}`;
  const dynamoEndpoint = `http://127.0.0.1:${(dynamo.address() as AddressInfo).port}`;
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const env = {
    AWS_ENDPOINT_URL_S3: s3Endpoint,
    AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
  };

  const s3 = new S3Client({ endpoint: s3Endpoint, region: 'us-east-1', forcePathStyle: true, credentials });
  const db = new DynamoDBClient({ endpoint: dynamoEndpoint, region: 'us-east-1', credentials });
  for (const bucket of [names.sourceBucket, names.derivedBucket]) {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  }
  const indexes = Object.values(TABLE_INDEXES);
  await db.send(
    new CreateTableCommand({
      TableName: names.table,
      KeySchema: [{ AttributeName: TABLE_SCHEMA.partitionKey, KeyType: 'HASH' }],
      AttributeDefinitions: [
        ...new Set([TABLE_SCHEMA.partitionKey, ...indexes.flatMap((i) => [i.partitionKey, i.sortKey])]),
      ].map((name) => ({ AttributeName: name, AttributeType: 'S' as const })),
      // The listing indexes, as infra deploys them (every attribute projected).
      GlobalSecondaryIndexes: indexes.map((i) => ({
        IndexName: i.name,
        KeySchema: [
          { AttributeName: i.partitionKey, KeyType: 'HASH' as const },
          { AttributeName: i.sortKey, KeyType: 'RANGE' as const },
        ],
        Projection: { ProjectionType: 'ALL' as const },
      })),
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  await db.send(
    new CreateTableCommand({
      TableName: names.controlTable,
      KeySchema: [{ AttributeName: CONTROL_TABLE_SCHEMA.partitionKey, KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: CONTROL_TABLE_SCHEMA.partitionKey, AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  s3.destroy();
  db.destroy();

  return {
    s3Endpoint,
    dynamoEndpoint,
    env,
    names,
    async stop() {
      await new Promise<void>((resolve) => {
        s3Server.close(() => resolve());
        s3Server.closeAllConnections();
      });
      await new Promise<void>((resolve) => dynamo.close(() => resolve()));
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
