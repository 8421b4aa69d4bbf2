import type { ServerResponse } from 'node:http';
import type { Refusal, S3Call, S3OperationHandler } from '../extensions';
import { pickFault } from '../faults';
import { validateBucketName, validateKey } from './keys';
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
import { parseRequest, sendError, type S3Request } from './http';
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

/** Bucket sub-resources the local S3 does not emulate (answered 501 NotImplemented). */
const BUCKET_UNSUPPORTED = [
  'policy',
  'cors',
  'lifecycle',
  'tagging',
  'encryption',
  'notification',
  'website',
  'logging',
  'replication',
  'ownershipControls',
  'publicAccessBlock',
  'object-lock',
  'accelerate',
  'requestPayment',
  'analytics',
  'metrics',
  'inventory',
  'intelligent-tiering',
  'policyStatus',
];
const OBJECT_UNSUPPORTED = [
  'attributes',
  'retention',
  'legal-hold',
  'torrent',
  'restore',
  'select',
  'renameObject',
];

function bucketRoute(r: S3Request): Handler {
  const q = r.query;
  const unsupported = BUCKET_UNSUPPORTED.find((name) => q.has(name));
  if (unsupported) return notImplemented(`The bucket's ${unsupported} configuration`);
  switch (r.method) {
    case 'GET':
      if (q.has('acl')) return (ctx) => (ctx.store.bucket(ctx.r.bucket ?? ''), defaultAcl(ctx));
      if (q.has('location')) return bucketLocation;
      if (q.has('versioning')) return bucketVersioning;
      if (q.has('uploads')) return listUploads;
      if (q.has('versions')) return listObjectVersions;
      return listObjects;
    case 'PUT':
      if (q.has('versioning')) return bucketVersioning;
      if (q.has('acl')) return notImplemented('Setting an ACL');
      return createBucket;
    case 'HEAD':
      return headBucket;
    case 'DELETE':
      return deleteBucket;
    case 'POST':
      if (q.has('delete')) return deleteObjects;
      return postObject;
    default:
      return methodNotAllowed;
  }
}

function objectRoute(r: S3Request): Handler {
  const q = r.query;
  const unsupported = OBJECT_UNSUPPORTED.find((name) => q.has(name));
  if (unsupported) return notImplemented(`The object's ${unsupported} sub-resource`);
  if (q.has('tagging')) return ['GET', 'PUT', 'DELETE'].includes(r.method) ? objectTagging : methodNotAllowed;
  if (q.has('acl')) {
    if (r.method === 'GET') return (ctx) => (resolveVersion(ctx), defaultAcl(ctx));
    return r.method === 'PUT' ? notImplemented('Setting an ACL') : methodNotAllowed;
  }
  if (q.has('uploadId')) {
    if (r.method === 'PUT')
      return r.req.headers['x-amz-copy-source'] !== undefined ? uploadPartCopy : uploadPart;
    if (r.method === 'POST') return completeUpload;
    if (r.method === 'DELETE') return abortUpload;
    if (r.method === 'GET') return listParts;
    return methodNotAllowed;
  }
  switch (r.method) {
    case 'GET':
    case 'HEAD':
      return getObject;
    case 'PUT':
      return r.req.headers['x-amz-copy-source'] !== undefined ? copyObject : putObject;
    case 'DELETE':
      return deleteObject;
    case 'POST':
      return q.has('uploads') ? createUpload : methodNotAllowed;
    default:
      return methodNotAllowed;
  }
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

function validate(r: S3Request): void {
  checkExpiry(r);
  const reject = (bad: { status: number; code: string; message: string } | undefined) => {
    if (bad) throw new S3Error(bad.status, bad.code, bad.message);
  };
  if (r.bucket !== undefined) reject(validateBucketName(r.bucket));
  if (r.key !== undefined) reject(validateKey(r.key));
}

/**
 * The local S3: path-style REST requests answered from the stack's own object store. Every request
 * gets an answer; anything unexpected is a 500 InternalError in S3's XML, never a crash.
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
      r = parseRequest(req);
      validate(r);
      const fault = pickFault(req, 's3', options.faultRate());
      if (fault) throw new S3Error(fault.status, fault.code, fault.message);
      for (const handler of options.handlers ?? []) if (await handler(call, res, handlerContext)) return;
      let handler: Handler;
      if (r.bucket === undefined) handler = r.method === 'GET' ? listBuckets : methodNotAllowed;
      else if (r.key === undefined) handler = bucketRoute(r);
      else handler = objectRoute(r);
      const creating = r.key === undefined && r.method === 'PUT' && ![...r.query.keys()].length;
      if (r.bucket !== undefined && !creating && !store.hasBucket(r.bucket)) throw noSuchBucket();
      await handler({
        store,
        r,
        res,
        emit: publish,
        secretFor: options.secretFor ?? (() => undefined),
        refuseDelete: (key, versionId) => options.deleteCheck?.(call, key, versionId),
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
