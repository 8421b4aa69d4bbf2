import type { ImageRow } from '../row';
import type { IndexKey } from './cursor';

/** A presigned POST: the URL and the form fields to send before `file`. */
export interface PresignedPost {
  readonly url: string;
  readonly fields: Readonly<Record<string, string>>;
}

/** What an upload's policy allows: this key, this Content-Type, 1 to `maxBytes` bytes, until it expires. */
export interface PresignPostInput {
  readonly bucket: string;
  readonly key: string;
  readonly contentType: string;
  readonly maxBytes: number;
  readonly expiresInSeconds: number;
}

/** Signs presigned POST policies (S3). */
export interface UploadSigner {
  presignPost(input: PresignPostInput): Promise<PresignedPost>;
}

/** One page of an index query. */
export interface IndexQuery {
  /** `byOwner`: key order, optionally `begins_with(objectKey, prefix)`; `byStatus`: newest first. */
  readonly index: 'byOwner' | 'byStatus';
  /** The partition value (`ownerPrefix`, or `ownerStatus` for `byStatus`). */
  readonly partition: string;
  /** Only keys starting with this (key condition on `byOwner`, filter on `byStatus`). */
  readonly prefix?: string;
  /** Leave out tombstones (a filter). */
  readonly excludeDeleted?: boolean;
  /** Most items to evaluate (DynamoDB `Limit`): a page never returns more. */
  readonly limit: number;
  readonly startKey?: IndexKey;
}

/** The listing indexes of the images table (DynamoDB Query, never Scan). */
export interface ImageIndex {
  query(query: IndexQuery): Promise<{ rows: ImageRow[]; lastKey?: IndexKey }>;
}
