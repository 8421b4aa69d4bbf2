/** Resource names. The defaults are the local stack's; infra prefixes them per environment. */
export interface ResourceNames {
  readonly sourceBucket: string;
  readonly derivedBucket: string;
  /** One row per image, keyed by `objectKey`. */
  readonly table: string;
  /** Reconcile's lease and checkpoint, keyed by `id`. */
  readonly controlTable: string;
  /** Where events that exhausted their retries are parked, for every function. */
  readonly deadLetterQueue: string;
}

export const DEFAULT_NAMES: ResourceNames = {
  sourceBucket: 'imgpipe-source',
  derivedBucket: 'imgpipe-derived',
  table: 'imgpipe-images',
  controlTable: 'imgpipe-control',
  deadLetterQueue: 'imgpipe-dlq',
};

/** Key attribute of the images table and the TTL attribute set on tombstones. */
export const TABLE_SCHEMA = {
  partitionKey: 'objectKey',
  ttlAttribute: 'expiresAt',
} as const;

/** Key attribute of the control table (lease and checkpoint items). */
export const CONTROL_TABLE_SCHEMA = {
  partitionKey: 'id',
  ttlAttribute: 'expiresAt',
} as const;
