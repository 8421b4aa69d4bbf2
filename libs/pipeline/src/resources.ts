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

/**
 * The images table's global secondary indexes, so the API lists with Query, never Scan. Every row
 * writer sets their keys (`ownerPrefix` from `ownerPrefixOf(objectKey)`, `ownerStatus` as
 * `<ownerPrefix>#<status>`); both project every attribute, so a page needs no further reads.
 * - `byOwner`: an owner's keys in key order (`begins_with(objectKey, prefix)`);
 * - `byStatus`: an owner's rows of one status, newest `updatedAt` first.
 */
export const TABLE_INDEXES = {
  byOwner: { name: 'by-owner', partitionKey: 'ownerPrefix', sortKey: 'objectKey' },
  byStatus: { name: 'by-owner-status', partitionKey: 'ownerStatus', sortKey: 'updatedAt' },
} as const;
export type TableIndexName = (typeof TABLE_INDEXES)[keyof typeof TABLE_INDEXES]['name'];

/**
 * The `ownerStatus` key of a row.
 * @example ownerStatusKey('u/alice/', 'ready') // 'u/alice/#ready'
 */
export function ownerStatusKey(ownerPrefix: string, status: string): string {
  return `${ownerPrefix}#${status}`;
}
