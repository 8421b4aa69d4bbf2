import * as buckets from '../../src/edge/s3/buckets';
import type { S3Context } from '../../src/edge/s3/context';
import { S3Error } from '../../src/edge/s3/errors';
import * as listing from '../../src/edge/s3/listing';
import * as multipart from '../../src/edge/s3/multipart';
import { getObject } from '../../src/edge/s3/object-read';
import * as writes from '../../src/edge/s3/object-write';
import { s3OperationName } from '../../src/edge/s3/operation';
import { postObject } from '../../src/edge/s3/post-object';
import { S3_HANDLERS, s3Handler } from '../../src/edge/s3/router';

/** The operation the edge decodes for a path-style request (`copies`: it sends `x-amz-copy-source`). */
function operationOf(method: string, path: string, copies = false): string {
  const [p = '', q = ''] = path.split('?');
  const [bucket, ...rest] = p.replace(/^\//, '').split('/');
  return s3OperationName(
    method,
    {
      ...(bucket ? { bucket } : {}),
      ...(rest.length ? { key: rest.join('/') } : {}),
      query: new URLSearchParams(q),
    },
    copies,
  );
}

/** What a handler throws for a request with this method and path (a handler that answers is not called). */
function refusal(operation: string, method: string, key?: string): { status: number; code: string } {
  const ctx = { r: { method, ...(key ? { key } : {}) } } as unknown as S3Context;
  try {
    void s3Handler(operation)(ctx);
  } catch (error: unknown) {
    if (error instanceof S3Error) return { status: error.status, code: error.code };
  }
  throw new Error(`${operation} did not refuse`);
}

// Every request the local S3 answers itself, the operation the edge decodes and the handler it reaches.
const ROUTES = [
  ['GET', '/', false, 'ListBuckets', buckets.listBuckets],
  ['PUT', '/b', false, 'CreateBucket', buckets.createBucket],
  ['HEAD', '/b', false, 'HeadBucket', buckets.headBucket],
  ['DELETE', '/b', false, 'DeleteBucket', buckets.deleteBucket],
  ['GET', '/b?prefix=a%2F', false, 'ListObjects', listing.listObjects],
  ['GET', '/b?list-type=2', false, 'ListObjectsV2', listing.listObjects],
  ['GET', '/b?versions', false, 'ListObjectVersions', listing.listObjectVersions],
  ['GET', '/b?uploads', false, 'ListMultipartUploads', listing.listUploads],
  ['GET', '/b?location', false, 'GetBucketLocation', buckets.bucketLocation],
  ['GET', '/b?versioning', false, 'GetBucketVersioning', buckets.bucketVersioning],
  ['PUT', '/b?versioning', false, 'PutBucketVersioning', buckets.bucketVersioning],
  ['GET', '/b?acl', false, 'GetBucketAcl', buckets.defaultAcl],
  ['POST', '/b?delete', false, 'DeleteObjects', writes.deleteObjects],
  ['POST', '/b', false, 'PostObject', postObject],
  ['GET', '/b/k?partNumber=2', false, 'GetObject', getObject],
  ['HEAD', '/b/k', false, 'HeadObject', getObject],
  ['PUT', '/b/k', false, 'PutObject', writes.putObject],
  ['PUT', '/b/k', true, 'CopyObject', writes.copyObject],
  ['DELETE', '/b/k?versionId=v', false, 'DeleteObject', writes.deleteObject],
  ['GET', '/b/k?tagging', false, 'GetObjectTagging', writes.objectTagging],
  ['PUT', '/b/k?tagging', false, 'PutObjectTagging', writes.objectTagging],
  ['DELETE', '/b/k?tagging', false, 'DeleteObjectTagging', writes.objectTagging],
  ['POST', '/b/k?uploads', false, 'CreateMultipartUpload', multipart.createUpload],
  ['PUT', '/b/k?partNumber=1&uploadId=u', false, 'UploadPart', multipart.uploadPart],
  ['PUT', '/b/k?partNumber=1&uploadId=u', true, 'UploadPartCopy', multipart.uploadPartCopy],
  ['POST', '/b/k?uploadId=u', false, 'CompleteMultipartUpload', multipart.completeUpload],
  ['DELETE', '/b/k?uploadId=u', false, 'AbortMultipartUpload', multipart.abortUpload],
  ['GET', '/b/k?uploadId=u', false, 'ListParts', multipart.listParts],
] as const;

describe('the local S3 router: one handler per decoded operation', () => {
  it.each(ROUTES)('routes %s %s (copy: %s) as %s', (method, path, copies, operation, handler) => {
    expect(operationOf(method, path, copies)).toBe(operation);
    expect(s3Handler(operation)).toBe(handler);
  });

  it('has a handler for exactly the operations above, besides the ACL setters it refuses', () => {
    const routed = ROUTES.map(([, , , operation]) => operation);
    expect(Object.keys(S3_HANDLERS).sort()).toEqual(
      [...routed, 'GetObjectAcl', 'PutBucketAcl', 'PutObjectAcl'].sort(),
    );
  });

  // An S3 operation the local S3 does not emulate is 501 by its decoded name; a request that is no S3
  // operation is 405, never the plain operation of its method (`DELETE ?acl` does not delete the bucket).
  it.each([
    ['GET', '/b?policy', 'GetBucketPolicy', 501, 'NotImplemented'],
    ['DELETE', '/b?cors', 'DeleteBucketCors', 501, 'NotImplemented'],
    ['GET', '/b?analytics', 'GetBucketAnalyticsConfiguration', 501, 'NotImplemented'],
    ['PUT', '/b/k?renameObject', 'RenameObject', 501, 'NotImplemented'],
    ['PUT', '/b/k?acl', 'PutObjectAcl', 501, 'NotImplemented'],
    ['POST', '/b/k?select', 'SelectObjectContent', 501, 'NotImplemented'],
    ['PATCH', '/b/k', 'PATCH object', 405, 'MethodNotAllowed'],
    ['POST', '/', 'POST service', 405, 'MethodNotAllowed'],
    ['DELETE', '/b?acl', 'DELETE bucket', 405, 'MethodNotAllowed'],
    ['DELETE', '/b/k?acl', 'DELETE object', 405, 'MethodNotAllowed'],
    ['POST', '/b?cors', 'POST bucket', 405, 'MethodNotAllowed'],
    ['HEAD', '/b/k?tagging', 'HEAD object', 405, 'MethodNotAllowed'],
    ['HEAD', '/b/k?uploadId=u', 'HEAD object', 405, 'MethodNotAllowed'],
    ['POST', '/b/k', 'POST object', 405, 'MethodNotAllowed'],
  ] as const)('refuses %s %s (%s) with %i %s', (method, path, operation, status, code) => {
    expect(operationOf(method, path)).toBe(operation);
    expect(refusal(operation, method, path.includes('/k') ? 'k' : undefined)).toEqual({ status, code });
  });
});
