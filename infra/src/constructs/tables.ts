import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { CONTROL_TABLE_SCHEMA, TABLE_INDEXES, TABLE_SCHEMA } from '@imgpipe/pipeline';
import { Construct } from 'constructs';

export interface TablesProps {
  /** The images table (one row per source object, key `objectKey`). */
  readonly tableName: string;
  /** Reconcile's lease and checkpoint table (key `id`). */
  readonly controlTableName: string;
  /** Refuse `destroy` while true. Default true. */
  readonly deletionProtection?: boolean;
  /** Terraform refuses any plan that destroys a table (`prevent_destroy`), before touching anything. Default false. */
  readonly preventDestroy?: boolean;
}

function table(
  scope: Construct,
  id: string,
  name: string,
  schema: typeof TABLE_SCHEMA | typeof CONTROL_TABLE_SCHEMA,
  protect: boolean,
  preventDestroy: boolean,
) {
  // The images table carries the listing indexes; every key attribute is declared once (objectKey
  // is both the table's key and by-owner's sort key).
  const indexes = schema === TABLE_SCHEMA ? Object.values(TABLE_INDEXES) : [];
  const keys = [...new Set([schema.partitionKey, ...indexes.flatMap((i) => [i.partitionKey, i.sortKey])])];
  return new DynamodbTable(scope, id, {
    name,
    billingMode: 'PAY_PER_REQUEST',
    hashKey: schema.partitionKey,
    attribute: keys.map((key) => ({ name: key, type: 'S' })),
    ...(indexes.length > 0
      ? {
          globalSecondaryIndex: indexes.map((index) => ({
            name: index.name,
            hashKey: index.partitionKey,
            rangeKey: index.sortKey,
            projectionType: 'ALL',
          })),
        }
      : {}),
    pointInTimeRecovery: { enabled: true },
    serverSideEncryption: { enabled: true },
    ttl: { attributeName: schema.ttlAttribute, enabled: true },
    deletionProtectionEnabled: protect,
    lifecycle: { preventDestroy },
  });
}

/**
 * The images table and the control table: on-demand, point-in-time recovery, encrypted with
 * the AWS-managed KMS key, TTL on `expiresAt` (tombstones, expired leases). The images table has the
 * listing indexes of the pipeline definition (`TABLE_INDEXES`, every attribute projected), so the
 * API pages with Query, never Scan.
 */
export class Tables extends Construct {
  readonly images: DynamodbTable;
  readonly control: DynamodbTable;

  constructor(scope: Construct, id: string, props: TablesProps) {
    super(scope, id);
    const protect = props.deletionProtection ?? true;
    const keep = props.preventDestroy ?? false;
    this.images = table(this, 'images', props.tableName, TABLE_SCHEMA, protect, keep);
    this.control = table(this, 'control', props.controlTableName, CONTROL_TABLE_SCHEMA, protect, keep);
  }
}
