import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  DeleteObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { type ImageRow, objectCreatedEvent, objectDeletedEvent } from '@imgpipe/core';
import {
  definePipeline,
  ENV,
  functionEnvironment,
  type AnyFunctionName,
  type PipelineOptions,
} from '@imgpipe/pipeline';
import { createLambdaContext, type LambdaContext } from '../runtime/lambda-context';
import { startLocalAws, type LocalAws } from './local-aws';

/**
 * Starts the local stack's S3 + dynalite with the pipeline's buckets and tables, points the SDK at them through the
 * environment (as Lambda does) and returns helpers to upload, craft S3 events and read rows and variants.
 */
export async function startPipelineServers(options: PipelineOptions = {}) {
  const pipeline = definePipeline(options);
  const aws = await startLocalAws(pipeline.names);
  Object.assign(process.env, aws.env, {
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const s3 = new S3Client({
    endpoint: aws.s3Endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials,
  });
  const db = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: aws.dynamoEndpoint, region: 'us-east-1', credentials }),
  );
  const env = (fn: AnyFunctionName): Record<string, string> => ({
    ...functionEnvironment(pipeline, fn),
    ...aws.env,
    // What a deployer adds for the api (DEPLOY_TIME_ENV).
    ...(fn === 'api' ? { [ENV.cdnBaseUrl]: TEST_CDN_BASE_URL, [ENV.cursorKeys]: TEST_CURSOR_KEY } : {}),
  });
  return new PipelineServers(aws, pipeline, s3, db, env);
}

/** The CDN base URL and cursor key the api runs with in tests. */
export const TEST_CDN_BASE_URL = 'http://cdn.test/_cdn';
export const TEST_CURSOR_KEY = 'test-cursor-key-of-at-least-32-characters';

let sequence = 0x1000;

/** Helpers over the running servers. */
export class PipelineServers {
  constructor(
    readonly aws: LocalAws,
    readonly pipeline: ReturnType<typeof definePipeline>,
    readonly s3: S3Client,
    readonly db: DynamoDBDocumentClient,
    readonly env: (fn: AnyFunctionName) => Record<string, string>,
  ) {}

  /** A fresh, strictly increasing S3-style sequencer (no events flow here, so tests make them). */
  nextSequencer(): string {
    sequence += 1;
    return `0065A1B2C3D4${sequence.toString(16).toUpperCase().padStart(6, '0')}`;
  }

  async upload(key: string, body: Buffer, bucket = this.pipeline.names.sourceBucket) {
    const out = await this.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    return { etag: (out.ETag ?? '').replace(/"/g, ''), size: body.length, sequencer: this.nextSequencer() };
  }

  async remove(key: string) {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.pipeline.names.sourceBucket, Key: key }));
    return { sequencer: this.nextSequencer() };
  }

  /** An EventBridge S3 event as S3 (and the local stack's router) sends it: built by core, key form-URL-encoded. */
  created(
    key: string,
    v: { etag: string; size: number; sequencer: string },
    bucket = this.pipeline.names.sourceBucket,
  ) {
    return objectCreatedEvent({ bucket, key, size: v.size, etag: v.etag, sequencer: v.sequencer });
  }

  deleted(key: string, v: { sequencer: string }) {
    return objectDeletedEvent({ bucket: this.pipeline.names.sourceBucket, key, sequencer: v.sequencer });
  }

  async row(key: string): Promise<ImageRow | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.pipeline.names.table, Key: { objectKey: key }, ConsistentRead: true }),
    );
    return out.Item as ImageRow | undefined;
  }

  async derivedKeys(prefix = ''): Promise<string[]> {
    const out = await this.s3.send(
      new ListObjectsV2Command({ Bucket: this.pipeline.names.derivedBucket, Prefix: prefix }),
    );
    return (out.Contents ?? []).map((o) => o.Key ?? '').sort();
  }

  async derivedHead(key: string) {
    return this.s3.send(new HeadObjectCommand({ Bucket: this.pipeline.names.derivedBucket, Key: key }));
  }

  async derivedBytes(key: string): Promise<Buffer> {
    const out = await this.s3.send(
      new GetObjectCommand({ Bucket: this.pipeline.names.derivedBucket, Key: key }),
    );
    if (!out.Body) throw new Error(`No body for ${key}`);
    return Buffer.from(await out.Body.transformToByteArray());
  }

  async stop() {
    this.s3.destroy();
    this.db.destroy();
    await this.aws.stop();
  }
}

/** A Lambda context for an in-process handler call (the engine's one fake context). */
export function lambdaContext(remainingMs = 60_000): LambdaContext {
  return createLambdaContext({ deadline: Date.now() + remainingMs });
}
