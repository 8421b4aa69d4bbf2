import type { ImageJobOptions, ImageMetadata, RenderOptions, RenderResult } from '@imgpipe/image';
import type { FailureRecord } from './errors';
import type {
  ImageRow,
  PartWriteOutcome,
  SourceVersion,
  UnreadFinish,
  UnreadPartWrite,
  VariantRecord,
  WriteOutcome,
  Writer,
} from './row';

/** An object as listed or headed. */
export interface StoredObject {
  readonly key: string;
  readonly size: number;
  /** Without quotes. */
  readonly etag: string;
  /** User metadata (lower-case names), present on `head` only. */
  readonly metadata?: Readonly<Record<string, string>>;
}

export interface ListPage {
  readonly objects: readonly StoredObject[];
  /** Sub-prefixes when a delimiter was given. */
  readonly prefixes?: readonly string[];
  /** Pass back as `continuationToken` for the next page; absent on the last page. */
  readonly nextToken?: string;
}

/** One page of a listing (ListObjectsV2's parameters). */
export interface ListOptions {
  readonly prefix?: string;
  readonly delimiter?: string;
  /** The previous page's `nextToken`; `startAfter` is ignored with it, as S3 does. */
  readonly continuationToken?: string;
  readonly startAfter?: string;
  readonly maxKeys?: number;
}

/**
 * S3's conditional write: `ifNoneMatch: '*'` stores only when the key has no object, `ifMatch` only
 * over the object with exactly that ETag (without quotes). S3 checks it when the write commits.
 */
export type PutCondition = { readonly ifNoneMatch: '*' } | { readonly ifMatch: string };

export interface PutOptions {
  readonly contentType: string;
  readonly cacheControl: string;
  readonly metadata: Readonly<Record<string, string>>;
  readonly condition?: PutCondition;
}

/** One key of a multi-object delete; with `etag`, deleted only while it is still that object. */
export interface DeleteTarget {
  readonly key: string;
  /** Without quotes. */
  readonly etag?: string;
}

export interface DeleteResult {
  /** Keys whose `etag` no longer matched (someone wrote them since): left in place. */
  readonly refused: readonly string[];
}

/** Object storage (S3). */
export interface ObjectStore {
  head(bucket: string, key: string): Promise<StoredObject | undefined>;
  /**
   * The whole object, read from a stream into memory. `undefined` when the object is gone or no
   * longer matches `ifMatch` (the event is stale). Throws `SourceTooLargeError` past `maxBytes`.
   */
  getBytes(
    bucket: string,
    key: string,
    options: { maxBytes: number; ifMatch?: string },
  ): Promise<Buffer | undefined>;
  /** True when stored; false when `options.condition` refused the write (412, 409, or 404 on `ifMatch`). */
  put(bucket: string, key: string, body: Buffer, options: PutOptions): Promise<boolean>;
  /** Deletes each target (a missing key counts as deleted); reports the ones its `etag` refused. */
  deleteMany(bucket: string, targets: readonly DeleteTarget[]): Promise<DeleteResult>;
  list(bucket: string, options: ListOptions): Promise<ListPage>;
}

export interface MetadataFields {
  readonly format: string;
  readonly width: number;
  readonly height: number;
  readonly metadata: Readonly<Record<string, unknown>>;
}

export interface VariantFields {
  readonly variants: readonly VariantRecord[];
  readonly presetsHash: string;
}

/** The conditional row writes of docs/architecture.md "The row". `now` is ISO-8601. */
export interface ImageTable {
  get(objectKey: string): Promise<ImageRow | undefined>;
  batchGet(objectKeys: readonly string[]): Promise<Map<string, ImageRow>>;
  scan(options: { limit: number; cursor?: string }): Promise<{ rows: ImageRow[]; cursor?: string }>;
  /**
   * A writer's own part. `before` is the row as the writer read it (consistently) before its work: when
   * it is already at `version`, the write that would move the row there cannot apply and is not tried.
   */
  writeMetadata(
    version: SourceVersion,
    fields: MetadataFields,
    now: string,
    before?: ImageRow,
  ): Promise<PartWriteOutcome>;
  /**
   * metadata-sync's part without a row read first, in one conditional write that either moves the row to
   * `version` or adds the part to a row already there (no error, part not yet recorded); the write's own
   * answer tells which. Only a refused write reads the row (the rare path: stale, duplicate, a retry).
   */
  writeMetadataUnread(version: SourceVersion, fields: MetadataFields, now: string): Promise<UnreadPartWrite>;
  writeVariants(
    version: SourceVersion,
    fields: VariantFields,
    now: string,
    before?: ImageRow,
  ): Promise<PartWriteOutcome>;
  /**
   * resize's part and `ready` in one conditional write without a row read first, for a row metadata-sync
   * already brought to `version` (see `UnreadFinish`). Only a refused write reads the row.
   */
  finishVariantsUnread(version: SourceVersion, fields: VariantFields, now: string): Promise<UnreadFinish>;
  writeFailure(
    version: SourceVersion,
    writer: Writer,
    error: FailureRecord,
    now: string,
  ): Promise<WriteOutcome>;
  /** Moves a `pending` row at `seqKey` to `ready` when both writers applied it; true when it did. */
  finalize(objectKey: string, seqKey: string, now: string): Promise<boolean>;
  writeTombstone(version: SourceVersion, now: string, expiresAt: number): Promise<WriteOutcome>;
  /**
   * Gives a row written before the listing indexes their keys (`ownerPrefix`, `ownerStatus`), only if
   * its `status` is still `status`; true when it wrote. Reconcile's rows phase calls it (the backfill).
   */
  writeIndexKeys(objectKey: string, status: ImageRow['status']): Promise<boolean>;
}

export interface Checkpoint {
  readonly phase: 'source' | 'derived' | 'rows';
  readonly token?: string;
  readonly startedAt: string;
}

/** Reconcile's lease and checkpoint. */
export interface ControlTable {
  /** True when `owner` now holds the lease until `expiresAtMs` (free, expired, or already its own). */
  acquireLease(owner: string, expiresAtMs: number, nowMs: number): Promise<boolean>;
  releaseLease(owner: string): Promise<void>;
  getCheckpoint(): Promise<Checkpoint | undefined>;
  putCheckpoint(checkpoint: Checkpoint | undefined): Promise<void>;
}

/** The image library, as the core uses it (`@imgpipe/image` implements it). */
export interface ImageProcessor {
  /** The variants alone (resize stores nothing else, so no metadata or placeholder is computed). */
  renderVariants(input: Buffer, options: RenderOptions): Promise<RenderResult>;
  /** The metadata alone (metadata-sync). */
  extractMetadata(input: Buffer, options: ImageJobOptions): Promise<ImageMetadata>;
}

/** Where use cases report stage durations and byte counts (metrics). Optional. */
export interface Telemetry {
  stage(name: string, ms: number): void;
  bytesIn(bytes: number): void;
  bytesOut(bytes: number): void;
}

export const NO_TELEMETRY: Telemetry = {
  stage: () => undefined,
  bytesIn: () => undefined,
  bytesOut: () => undefined,
};
