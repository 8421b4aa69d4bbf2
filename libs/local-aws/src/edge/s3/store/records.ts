import { randomBytes } from 'node:crypto';

/** What the object store keeps about one version of one object (or one delete marker). */
export interface VersionRecord {
  readonly key: string;
  /** `null` in an unversioned bucket (as S3 says for such objects). */
  readonly versionId: string;
  readonly deleteMarker: boolean;
  readonly size: number;
  /** Quoted, as S3 sends it: `"<md5>"` or `"<md5>-<parts>"`. */
  readonly etag: string;
  /** ISO time. */
  readonly lastModified: string;
  /** Content-Type, Content-Encoding, Cache-Control, Content-Disposition, Content-Language, Expires. */
  readonly headers: Readonly<Record<string, string>>;
  /** `x-amz-meta-*` values without the prefix, byte-for-byte as received (latin1 strings). */
  readonly metadata: Readonly<Record<string, string>>;
  readonly tags: Readonly<Record<string, string>>;
  /** Part sizes of a multipart object, for `partNumber` reads and `x-amz-mp-parts-count`. */
  readonly parts?: readonly number[];
  /**
   * The data file under the bucket's `data/` directory: one of its own (unique per write: the key's
   * journal line commits it), or a segment shared by many versions (`segments.ts`).
   */
  readonly dataFile?: string;
  /** Where the bytes start in a segment; absent for a file of its own (they start at 0). */
  readonly dataOffset?: number;
  /** Increases with every write in the bucket: orders versions of one key. */
  readonly seq: number;
}

/** A bucket's settings. */
export interface BucketRecord {
  readonly name: string;
  readonly created: string;
  readonly versioning?: 'Enabled' | 'Suspended';
}

/** A multipart upload in progress. */
export interface UploadRecord {
  readonly uploadId: string;
  readonly key: string;
  readonly initiated: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly metadata: Readonly<Record<string, string>>;
  readonly tags: Readonly<Record<string, string>>;
}

/** One uploaded part. */
export interface PartRecord {
  readonly partNumber: number;
  readonly size: number;
  readonly etag: string;
  readonly lastModified: string;
}

/** The stored headers an object answers with (besides its metadata). */
export const STORED_HEADERS = [
  'content-type',
  'content-encoding',
  'cache-control',
  'content-disposition',
  'content-language',
  'expires',
] as const;

/** The outcome of a delete, as S3 reports it and as the event describes it. */
export interface DeleteOutcome {
  /** The version id S3 answers with (`x-amz-version-id`), when the bucket is versioned. */
  readonly versionId?: string;
  readonly deleteMarker: boolean;
  readonly deletionType: 'Delete Marker Created' | 'Permanently Deleted';
  /** Whether anything changed (deleting a missing key in an unversioned bucket changes nothing). */
  readonly changed: boolean;
}

/** A new version id: sortable by time, opaque, URL-safe (as S3's are). */
export function newVersionId(): string {
  return `${Date.now().toString(36).padStart(9, '0')}${randomBytes(16).toString('base64url')}`;
}
