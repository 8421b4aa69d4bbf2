import type { ServerResponse } from 'node:http';
import type { Refusal, S3Call, S3OperationHandler } from '../extensions';
import { pickFault } from '../faults';
import {
  bucketLocation,
  bucketVersioning,
  createBucket,
  defaultAcl,
  deleteBucket,
  headBucket,
  listBuckets,
} from './buckets';
import type { S3ChangeReport, S3Context } from './context';
import { noSuchBucket, S3Error } from './errors';
import { s3Request, sendError, type S3Request } from './http';
import { listObjects, listObjectVersions, listUploads } from './listing';
import {
  abortUpload,
  completeUpload,
  createUpload,
  listParts,
  uploadPart,
  uploadPartCopy,
} from './multipart';
import { getObject, resolveVersion } from './object-read';
import { copyObject, deleteObject, deleteObjects, objectTagging, putObject } from './object-write';
import { isS3Operation } from './operation';
import { postObject } from './post-object';
import type { ObjectStore } from './store/object-store';

export interface S3EdgeOptions {
  readonly store: ObjectStore;
  readonly faultRate: () => number;
  /** Called after a successful write or delete, before the client is answered; must be durable when it returns. */
  readonly onChange: (changes: readonly S3ChangeReport[]) => void;
  /** The secret of a known access key id (browser POST policy signatures are verified for known keys). */
  readonly secretFor?: (accessKeyId: string) => string | undefined;
  /** Where unexpected failures are reported (they still answer InternalError). */
  readonly log?: (line: string) => void;
  /** Operations answered by extensions (the plug-in point's S3 handlers), tried before the built-in ones. */
  readonly handlers?: readonly S3OperationHandler[];
  /** Checks each key of a multi-object delete (IAM's per-key authorization); none: every key may go. */
  readonly deleteCheck?: DeleteKeyCheck;
}

/** Why the caller may not delete one key of a `DeleteObjects` request, or undefined. */
export type DeleteKeyCheck = (
  call: S3Call,
  key: string,
  versionId: string | undefined,
  etag?: string,
) => Refusal | undefined;

type Handler = (ctx: S3Context) => void | Promise<void>;

const notImplemented =
  (what: string): Handler =>
  () => {
    throw new S3Error(501, 'NotImplemented', `${what} is not emulated by the local stack.`);
  };
const methodNotAllowed: Handler = (ctx) => {
  throw new S3Error(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.', {
    Method: ctx.r.method,
    ResourceType: ctx.r.key === undefined ? 'BUCKET' : 'OBJECT',
  });
};
const setAcl = notImplemented('Setting an ACL');

/**
 * The local S3's handler of each operation the edge decodes (`s3OperationName` in `operation.ts`, the one
 * place that reads method, query and copy header). Another S3 operation is answered 501 NotImplemented;
 * a request that is no S3 operation, 405 MethodNotAllowed (`s3Handler`).
 */
export const S3_HANDLERS: Readonly<Record<string, Handler>> = {
  ListBuckets: listBuckets,
  CreateBucket: createBucket,
  HeadBucket: headBucket,
  DeleteBucket: deleteBucket,
  ListObjects: listObjects,
  ListObjectsV2: listObjects,
  ListObjectVersions: listObjectVersions,
  ListMultipartUploads: listUploads,
  GetBucketLocation: bucketLocation,
  GetBucketVersioning: bucketVersioning,
  PutBucketVersioning: bucketVersioning,
  GetBucketAcl: defaultAcl,
  PutBucketAcl: setAcl,
  DeleteObjects: deleteObjects,
  PostObject: postObject,
  GetObject: getObject,
  HeadObject: getObject,
  PutObject: putObject,
  CopyObject: copyObject,
  DeleteObject: deleteObject,
  GetObjectTagging: objectTagging,
  PutObjectTagging: objectTagging,
  DeleteObjectTagging: objectTagging,
  GetObjectAcl: (ctx) => (resolveVersion(ctx), defaultAcl(ctx)),
  PutObjectAcl: setAcl,
  CreateMultipartUpload: createUpload,
  UploadPart: uploadPart,
  UploadPartCopy: uploadPartCopy,
  CompleteMultipartUpload: completeUpload,
  AbortMultipartUpload: abortUpload,
  ListParts: listParts,
};

/** The handler of a decoded operation: its own, 501 for another S3 operation, 405 for no operation. */
export function s3Handler(operation: string): Handler {
  return S3_HANDLERS[operation] ?? (isS3Operation(operation) ? notImplemented(operation) : methodNotAllowed);
}

/** A presigned URL past its expiry (SigV4 `X-Amz-Date` + `X-Amz-Expires`, or SigV2 `Expires`): 403 as on S3. */
function checkExpiry(r: S3Request, now = Date.now()): void {
  const q = r.query;
  let expires: number | undefined;
  const date = q.get('X-Amz-Date');
  const seconds = q.get('X-Amz-Expires');
  if (date && seconds) {
    // 20260101T120000Z → 2026-01-01T12:00:00Z
    const iso = date.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z');
    expires = Date.parse(iso) + Number(seconds) * 1000;
  } else if (q.get('AWSAccessKeyId') && q.get('Expires')) {
    expires = Number(q.get('Expires')) * 1000;
  }
  if (expires !== undefined && Number.isFinite(expires) && now > expires)
    throw new S3Error(403, 'AccessDenied', 'Request has expired', {
      Expires: new Date(expires).toISOString(),
      ServerTime: new Date(now).toISOString(),
    });
}

/**
 * The local S3: path-style REST requests, decoded once by the edge (`describeS3Call`), answered from
 * the stack's own object store by the handler of their operation (`S3_HANDLERS`). Every request gets
 * an answer; anything unexpected is a 500 InternalError in S3's XML, never a crash.
 */
export function createS3Edge(options: S3EdgeOptions) {
  const { store } = options;
  const publish = (changes: readonly S3ChangeReport[]): void => {
    if (changes.length) options.onChange(changes);
  };
  const handlerContext = {
    publish,
    objectExists: (bucket: string, key: string): boolean => {
      if (!store.hasBucket(bucket)) return false;
      const latest = store.latest(bucket, key);
      return latest !== undefined && !latest.deleteMarker;
    },
  };
  return async function handleS3(call: S3Call, res: ServerResponse): Promise<void> {
    const { req } = call;
    let r: S3Request | undefined;
    try {
      r = s3Request(call);
      checkExpiry(r);
      const fault = pickFault(req, 's3', options.faultRate());
      if (fault) throw new S3Error(fault.status, fault.code, fault.message);
      for (const handler of options.handlers ?? []) if (await handler(call, res, handlerContext)) return;
      const handler = s3Handler(call.operation);
      if (r.bucket !== undefined && call.operation !== 'CreateBucket' && !store.hasBucket(r.bucket))
        throw noSuchBucket();
      await handler({
        store,
        r,
        res,
        emit: publish,
        secretFor: options.secretFor ?? (() => undefined),
        refuseDelete: (key, versionId, etag) => options.deleteCheck?.(call, key, versionId, etag),
      });
    } catch (error: unknown) {
      const s3Error =
        error instanceof S3Error
          ? error
          : new S3Error(500, 'InternalError', 'We encountered an internal error. Please try again.');
      if (!(error instanceof S3Error))
        options.log?.(
          `s3: ${req.method} ${req.url} failed: ${error instanceof Error ? error.stack : String(error)}`,
        );
      if (!req.readableEnded) req.resume();
      if (res.headersSent) res.destroy();
      else sendError(r, res, s3Error);
    }
  };
}
