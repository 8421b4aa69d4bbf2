import {
  CreateBucketCommand,
  HeadBucketCommand,
  PutBucketVersioningCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import {
  CONTROL_TABLE_SCHEMA,
  type PipelineDefinition,
  TABLE_INDEXES,
  TABLE_SCHEMA,
} from '@imgpipe/pipeline';

/** The tables the local stack creates, with their key and TTL attribute. */
export interface LocalTable {
  readonly name: string;
  readonly partitionKey: string;
  readonly ttlAttribute: string;
  /** Global secondary indexes (string keys, every attribute projected), as infra declares them. */
  readonly indexes?: readonly { name: string; partitionKey: string; sortKey: string }[];
  /** Whether the emulator applied the TTL setting (dynalite does not expire items; the attribute is still written). */
  readonly ttlApplied: boolean;
}

/** What the local stack created from the pipeline definition. */
export interface LocalResources {
  readonly buckets: readonly string[];
  readonly tables: readonly LocalTable[];
}

/** The buckets and tables of a pipeline definition (what infra deploys, named the same). */
export function plannedResources(pipeline: PipelineDefinition): {
  buckets: string[];
  tables: Omit<LocalTable, 'ttlApplied'>[];
} {
  return {
    buckets: [pipeline.names.sourceBucket, pipeline.names.derivedBucket],
    tables: [
      { name: pipeline.names.table, ...TABLE_SCHEMA, indexes: Object.values(TABLE_INDEXES) },
      { name: pipeline.names.controlTable, ...CONTROL_TABLE_SCHEMA },
    ],
  };
}

async function ensureBucket(s3: S3Client, name: string): Promise<void> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: name }));
  } catch {
    await s3.send(new CreateBucketCommand({ Bucket: name }));
  }
}

async function ensureTable(
  dynamodb: DynamoDBClient,
  table: Omit<LocalTable, 'ttlApplied'>,
): Promise<LocalTable> {
  const indexes = table.indexes ?? [];
  const keys = [...new Set([table.partitionKey, ...indexes.flatMap((i) => [i.partitionKey, i.sortKey])])];
  const attributes = keys.map((name) => ({ AttributeName: name, AttributeType: 'S' as const }));
  const gsi = (index: (typeof indexes)[number]) => ({
    IndexName: index.name,
    KeySchema: [
      { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
    ],
    Projection: { ProjectionType: 'ALL' as const },
  });
  try {
    const described = await dynamodb.send(new DescribeTableCommand({ TableName: table.name }));
    // A data dir from before the listing indexes: add the missing ones (the API lists with them).
    const existing = new Set((described.Table?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName));
    for (const index of indexes.filter((i) => !existing.has(i.name))) {
      await dynamodb.send(
        new UpdateTableCommand({
          TableName: table.name,
          AttributeDefinitions: attributes,
          GlobalSecondaryIndexUpdates: [{ Create: gsi(index) }],
        }),
      );
    }
  } catch (error: unknown) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    await dynamodb.send(
      new CreateTableCommand({
        TableName: table.name,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: attributes,
        KeySchema: [{ AttributeName: table.partitionKey, KeyType: 'HASH' }],
        ...(indexes.length > 0 ? { GlobalSecondaryIndexes: indexes.map(gsi) } : {}),
      }),
    );
  }
  let ttlApplied = false;
  try {
    await dynamodb.send(
      new UpdateTimeToLiveCommand({
        TableName: table.name,
        TimeToLiveSpecification: { AttributeName: table.ttlAttribute, Enabled: true },
      }),
    );
    ttlApplied = true;
  } catch {
    ttlApplied = false;
  }
  return { ...table, ttlApplied };
}

/** Creates (idempotently) the buckets and tables of the definition. */
export async function createResources(
  pipeline: PipelineDefinition,
  s3: S3Client,
  dynamodb: DynamoDBClient,
): Promise<LocalResources> {
  const planned = plannedResources(pipeline);
  for (const bucket of planned.buckets) await ensureBucket(s3, bucket);
  // The source bucket is versioned on AWS, so deletions leave delete markers here too.
  await s3.send(
    new PutBucketVersioningCommand({
      Bucket: pipeline.names.sourceBucket,
      VersioningConfiguration: { Status: 'Enabled' },
    }),
  );
  const tables: LocalTable[] = [];
  for (const table of planned.tables) tables.push(await ensureTable(dynamodb, table));
  return { buckets: planned.buckets, tables };
}
