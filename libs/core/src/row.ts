import type { FailureRecord } from './errors';

/** One variant as recorded on the row. */
export interface VariantRecord {
  readonly name: string;
  readonly key: string;
  readonly format: string;
  readonly width: number;
  readonly height: number;
  readonly bytes: number;
  /**
   * Hash of the variant's bytes (`variantVersion`), the `?v=` of its CDN URL. Absent on rows written
   * before the image API; the API then derives a version from `variantsSeqKey` and `presetsHash`.
   */
  readonly version?: string;
}

export type RowStatus = 'pending' | 'ready' | 'failed' | 'deleted';

/** The row of `imgpipe-images` (see docs/architecture.md "The row"). */
export interface ImageRow {
  readonly objectKey: string;
  readonly bucket: string;
  readonly status: RowStatus;
  readonly sequencer: string;
  readonly seqKey: string;
  readonly etag?: string;
  readonly bytes?: number;
  readonly versionId?: string;
  readonly format?: string;
  readonly width?: number;
  readonly height?: number;
  readonly metadata?: Readonly<Record<string, unknown>>;
  readonly metaSeqKey?: string;
  readonly variants?: readonly VariantRecord[];
  readonly presetsHash?: string;
  readonly variantsSeqKey?: string;
  readonly error?: FailureRecord;
  readonly updatedAt: string;
  readonly deletedAt?: string;
  readonly expiresAt?: number;
  /** `ownerPrefixOf(objectKey)`: the partition key of the `byOwner` index. */
  readonly ownerPrefix?: string;
  /** `<ownerPrefix>#<status>`: the partition key of the `byStatus` index. */
  readonly ownerStatus?: string;
}

/** The source version a write describes. */
export interface SourceVersion {
  readonly objectKey: string;
  readonly bucket: string;
  readonly sequencer: string;
  /** `seqKey(sequencer)`. */
  readonly seqKey: string;
  readonly etag?: string;
  readonly bytes?: number;
  readonly versionId?: string;
}

/** Which writer's attributes a write touches. */
export type Writer = 'metadata' | 'variants';

/**
 * Result of a conditional row write: `applied`; `stale` (a newer version or deletion is on the row);
 * `duplicate` (this writer already applied this version).
 */
export type WriteOutcome = 'applied' | 'stale' | 'duplicate';

/**
 * Result of a writer's own part (metadata or variants): a `WriteOutcome`, or `moved`: applied, and this
 * write moved the row to its version (status `pending`). The other writer's part of that version was
 * then necessarily absent (a part only lands on a row already at its version), so the other writer
 * writes after it and finalises; the mover need not try. Or `finished`: applied, and the same write
 * made the row `ready` (the row read before the work already held the other part of this version), so
 * there is nothing left to finalise.
 */
export type PartWriteOutcome = WriteOutcome | 'moved' | 'finished';

/**
 * Result of metadata-sync's part written without reading the row first (`ImageTable.writeMetadataUnread`):
 * `moved` (the row had no version or an older one, and is now `pending` at this one: the other writer,
 * which writes after, finalises), `applied` (the row was already at this version, moved there by the
 * other writer, which therefore wrote first: this writer finalises), or `refused` with the row as read
 * after the refusal (stale, duplicate, a failure won), for the caller to decide as if it had read it first.
 */
export type UnreadPartWrite =
  | { readonly written: 'moved' | 'applied' }
  | { readonly written: 'refused'; readonly row: ImageRow | undefined };

/**
 * Result of resize's part tried without reading the row first (`ImageTable.finishVariantsUnread`): one
 * write of the part and `ready`, which applies only to a `pending` row at this version that already holds
 * metadata-sync's part and no error (metadata-sync wrote first: the common order). `finished` carries the
 * row as it was before the write; `refused` the row as read after the refusal, for the caller to decide
 * as if it had read it first (stale, duplicate, a failure won, or resize is first and writes as before).
 */
export type UnreadFinish =
  | { readonly written: 'finished'; readonly before: ImageRow }
  | { readonly written: 'refused'; readonly row: ImageRow | undefined };
