/** A sub-resource's operation per HTTP method, e.g. `?tagging` + `GET` → `GetObjectTagging`. */
type SubresourceTable = Readonly<Record<string, Partial<Record<string, string>>>>;

/** Bucket sub-resources (query parameters), in the order they are tried. */
const BUCKET_SUBRESOURCES: SubresourceTable = {
  acl: { GET: 'GetBucketAcl', PUT: 'PutBucketAcl' },
  policy: { GET: 'GetBucketPolicy', PUT: 'PutBucketPolicy', DELETE: 'DeleteBucketPolicy' },
  policyStatus: { GET: 'GetBucketPolicyStatus' },
  versioning: { GET: 'GetBucketVersioning', PUT: 'PutBucketVersioning' },
  tagging: { GET: 'GetBucketTagging', PUT: 'PutBucketTagging', DELETE: 'DeleteBucketTagging' },
  cors: { GET: 'GetBucketCors', PUT: 'PutBucketCors', DELETE: 'DeleteBucketCors' },
  lifecycle: {
    GET: 'GetBucketLifecycleConfiguration',
    PUT: 'PutBucketLifecycleConfiguration',
    DELETE: 'DeleteBucketLifecycle',
  },
  notification: { GET: 'GetBucketNotificationConfiguration', PUT: 'PutBucketNotificationConfiguration' },
  website: { GET: 'GetBucketWebsite', PUT: 'PutBucketWebsite', DELETE: 'DeleteBucketWebsite' },
  encryption: { GET: 'GetBucketEncryption', PUT: 'PutBucketEncryption', DELETE: 'DeleteBucketEncryption' },
  location: { GET: 'GetBucketLocation' },
  logging: { GET: 'GetBucketLogging', PUT: 'PutBucketLogging' },
  ownershipControls: {
    GET: 'GetBucketOwnershipControls',
    PUT: 'PutBucketOwnershipControls',
    DELETE: 'DeleteBucketOwnershipControls',
  },
  publicAccessBlock: {
    GET: 'GetPublicAccessBlock',
    PUT: 'PutPublicAccessBlock',
    DELETE: 'DeletePublicAccessBlock',
  },
  'object-lock': { GET: 'GetObjectLockConfiguration', PUT: 'PutObjectLockConfiguration' },
  replication: {
    GET: 'GetBucketReplication',
    PUT: 'PutBucketReplication',
    DELETE: 'DeleteBucketReplication',
  },
  accelerate: { GET: 'GetBucketAccelerateConfiguration', PUT: 'PutBucketAccelerateConfiguration' },
  requestPayment: { GET: 'GetBucketRequestPayment', PUT: 'PutBucketRequestPayment' },
  analytics: {
    GET: 'GetBucketAnalyticsConfiguration',
    PUT: 'PutBucketAnalyticsConfiguration',
    DELETE: 'DeleteBucketAnalyticsConfiguration',
  },
  metrics: {
    GET: 'GetBucketMetricsConfiguration',
    PUT: 'PutBucketMetricsConfiguration',
    DELETE: 'DeleteBucketMetricsConfiguration',
  },
  inventory: {
    GET: 'GetBucketInventoryConfiguration',
    PUT: 'PutBucketInventoryConfiguration',
    DELETE: 'DeleteBucketInventoryConfiguration',
  },
  'intelligent-tiering': {
    GET: 'GetBucketIntelligentTieringConfiguration',
    PUT: 'PutBucketIntelligentTieringConfiguration',
    DELETE: 'DeleteBucketIntelligentTieringConfiguration',
  },
  versions: { GET: 'ListObjectVersions' },
  uploads: { GET: 'ListMultipartUploads' },
  delete: { POST: 'DeleteObjects' },
};

/** Object sub-resources (query parameters), in the order they are tried. */
const OBJECT_SUBRESOURCES: SubresourceTable = {
  acl: { GET: 'GetObjectAcl', PUT: 'PutObjectAcl' },
  tagging: { GET: 'GetObjectTagging', PUT: 'PutObjectTagging', DELETE: 'DeleteObjectTagging' },
  attributes: { GET: 'GetObjectAttributes' },
  retention: { GET: 'GetObjectRetention', PUT: 'PutObjectRetention' },
  'legal-hold': { GET: 'GetObjectLegalHold', PUT: 'PutObjectLegalHold' },
  torrent: { GET: 'GetObjectTorrent' },
  restore: { POST: 'RestoreObject' },
  select: { POST: 'SelectObjectContent' },
  uploads: { POST: 'CreateMultipartUpload' },
  renameObject: { PUT: 'RenameObject' },
};

/**
 * The operation of the first sub-resource the query names: `null` when it names one that has no
 * operation for this method (`DELETE ?acl` is neither DeleteObject nor DeleteBucket), undefined when
 * it names none.
 */
function subresource(
  table: SubresourceTable,
  method: string,
  query: URLSearchParams,
): string | null | undefined {
  for (const [name, byMethod] of Object.entries(table)) if (query.has(name)) return byMethod[method] ?? null;
  return undefined;
}

function bucketOperation(method: string, query: URLSearchParams): string {
  const sub = subresource(BUCKET_SUBRESOURCES, method, query);
  if (sub !== undefined) return sub ?? `${method} bucket`;
  switch (method) {
    case 'GET':
      return query.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects';
    case 'HEAD':
      return 'HeadBucket';
    case 'PUT':
      return 'CreateBucket';
    case 'DELETE':
      return 'DeleteBucket';
    case 'POST':
      // A browser form upload: the key is in the form body.
      return 'PostObject';
  }
  return `${method} bucket`;
}

function objectOperation(method: string, query: URLSearchParams, copies: boolean): string {
  const sub = subresource(OBJECT_SUBRESOURCES, method, query);
  if (sub !== undefined) return sub ?? `${method} object`;
  const upload = query.has('uploadId');
  switch (method) {
    case 'GET':
      return upload ? 'ListParts' : 'GetObject';
    case 'HEAD':
      if (!upload) return 'HeadObject';
      break;
    case 'PUT':
      if (upload) return copies ? 'UploadPartCopy' : 'UploadPart';
      return copies ? 'CopyObject' : 'PutObject';
    case 'POST':
      if (upload) return 'CompleteMultipartUpload';
      break;
    case 'DELETE':
      return upload ? 'AbortMultipartUpload' : 'DeleteObject';
  }
  return `${method} object`;
}

/**
 * The S3 API operation of a path-style request, named as the S3 API reference names it, from its
 * method, bucket, key, query and whether it copies (`x-amz-copy-source`). What is no S3 operation is
 * named `<METHOD> service|bucket|object` (`isS3Operation` tells them apart). Which IAM actions an operation needs is the IAM module's job
 * (`iam/s3-actions.ts`).
 * @example s3OperationName('HEAD', { bucket: 'b', key: 'k', query: new URLSearchParams() }, false) // 'HeadObject'
 */
export function s3OperationName(
  method: string,
  target: { readonly bucket?: string; readonly key?: string; readonly query: URLSearchParams },
  copies: boolean,
): string {
  if (target.bucket === undefined) return method === 'GET' ? 'ListBuckets' : `${method} service`;
  if (target.key === undefined) return bucketOperation(method, target.query);
  return objectOperation(method, target.query, copies);
}

/**
 * Whether `s3OperationName` named an S3 API operation, rather than a request that is none
 * (`<METHOD> service|bucket|object`, e.g. `PATCH object` or `DELETE ?acl`).
 * @example isS3Operation('GetBucketCors') // true; isS3Operation('PATCH object') // false
 */
export function isS3Operation(name: string): boolean {
  return !name.includes(' ');
}
