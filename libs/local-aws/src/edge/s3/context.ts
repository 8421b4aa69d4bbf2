import type { ServerResponse } from 'node:http';
import type { S3Change } from '../../events/s3-event';
import type { Refusal } from '../extensions';
import type { S3Request } from './http';
import type { ObjectStore } from './store/object-store';

/** A change as the S3 edge reports it; the stack adds the sequencer. */
export type S3ChangeReport = Omit<S3Change, 'sequencer'>;

/** What every S3 operation handler gets. */
export interface S3Context {
  readonly store: ObjectStore;
  readonly r: S3Request;
  readonly res: ServerResponse;
  /** Publishes changes; durable when it returns, so call it before answering the client. */
  emit(changes: readonly S3ChangeReport[]): void;
  /** The secret of an access key id, when the stack knows it (browser POST signatures are checked then). */
  secretFor(accessKeyId: string): string | undefined;
  /**
   * Why one key of a multi-object delete may not be deleted (AWS authorizes `DeleteObjects` key by key,
   * and answers a refused key inside the `DeleteResult`), or undefined to delete it.
   */
  refuseDelete(key: string, versionId: string | undefined, etag?: string): Refusal | undefined;
}

/** The bucket of a request that must name one (the router checks first). */
export function bucketOf(ctx: S3Context): string {
  return ctx.r.bucket as string;
}

/** The key of a request that must name one (the router checks first). */
export function keyOf(ctx: S3Context): string {
  return ctx.r.key as string;
}
