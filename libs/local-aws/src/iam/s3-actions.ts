import type { AuthorizationRequest, ConditionContext } from './match';

/** What the edge knows of an S3 request (path style) when it authorizes it. */
export interface S3RequestFacts {
  readonly method: string;
  readonly bucket?: string;
  readonly key?: string;
  readonly query: URLSearchParams;
  /** `x-amz-copy-source`, when present (CopyObject, UploadPartCopy). */
  readonly copySource?: string;
  /** Whether a write sets tags (`x-amz-tagging`) or an ACL (`x-amz-acl`, `x-amz-grant-*`): IAM checks those too. */
  readonly setsTagging?: boolean;
  readonly setsAcl?: boolean;
  /**
   * The keys (and versions) of a DeleteObjects body, when known. Without them (the edge checks a
   * request before reading its body) the delete is authorized as one on every key of the bucket.
   */
  readonly deleteKeys?: readonly { readonly key: string; readonly versionId?: string }[];
}

/** An S3 API operation and what IAM authorizes for it. */
export interface S3Authorization {
  readonly operation: string;
  readonly requests: readonly AuthorizationRequest[];
}

const bucketArn = (bucket: string) => `arn:aws:s3:::${bucket}`;
const objectArn = (bucket: string, key: string) => `arn:aws:s3:::${bucket}/${key}`;

/** Bucket sub-resources: query parameter → [operation, action] per HTTP method. */
const BUCKET_SUBRESOURCES: Readonly<Record<string, Partial<Record<string, readonly [string, string]>>>> = {
  acl: { GET: ['GetBucketAcl', 's3:GetBucketAcl'], PUT: ['PutBucketAcl', 's3:PutBucketAcl'] },
  policy: {
    GET: ['GetBucketPolicy', 's3:GetBucketPolicy'],
    PUT: ['PutBucketPolicy', 's3:PutBucketPolicy'],
    DELETE: ['DeleteBucketPolicy', 's3:DeleteBucketPolicy'],
  },
  versioning: {
    GET: ['GetBucketVersioning', 's3:GetBucketVersioning'],
    PUT: ['PutBucketVersioning', 's3:PutBucketVersioning'],
  },
  tagging: {
    GET: ['GetBucketTagging', 's3:GetBucketTagging'],
    PUT: ['PutBucketTagging', 's3:PutBucketTagging'],
    DELETE: ['DeleteBucketTagging', 's3:PutBucketTagging'],
  },
  cors: {
    GET: ['GetBucketCors', 's3:GetBucketCORS'],
    PUT: ['PutBucketCors', 's3:PutBucketCORS'],
    DELETE: ['DeleteBucketCors', 's3:PutBucketCORS'],
  },
  lifecycle: {
    GET: ['GetBucketLifecycleConfiguration', 's3:GetLifecycleConfiguration'],
    PUT: ['PutBucketLifecycleConfiguration', 's3:PutLifecycleConfiguration'],
    DELETE: ['DeleteBucketLifecycle', 's3:PutLifecycleConfiguration'],
  },
  notification: {
    GET: ['GetBucketNotificationConfiguration', 's3:GetBucketNotification'],
    PUT: ['PutBucketNotificationConfiguration', 's3:PutBucketNotification'],
  },
  website: {
    GET: ['GetBucketWebsite', 's3:GetBucketWebsite'],
    PUT: ['PutBucketWebsite', 's3:PutBucketWebsite'],
    DELETE: ['DeleteBucketWebsite', 's3:DeleteBucketWebsite'],
  },
  encryption: {
    GET: ['GetBucketEncryption', 's3:GetEncryptionConfiguration'],
    PUT: ['PutBucketEncryption', 's3:PutEncryptionConfiguration'],
    DELETE: ['DeleteBucketEncryption', 's3:PutEncryptionConfiguration'],
  },
  location: { GET: ['GetBucketLocation', 's3:GetBucketLocation'] },
  logging: {
    GET: ['GetBucketLogging', 's3:GetBucketLogging'],
    PUT: ['PutBucketLogging', 's3:PutBucketLogging'],
  },
  ownershipControls: {
    GET: ['GetBucketOwnershipControls', 's3:GetBucketOwnershipControls'],
    PUT: ['PutBucketOwnershipControls', 's3:PutBucketOwnershipControls'],
    DELETE: ['DeleteBucketOwnershipControls', 's3:PutBucketOwnershipControls'],
  },
  publicAccessBlock: {
    GET: ['GetPublicAccessBlock', 's3:GetBucketPublicAccessBlock'],
    PUT: ['PutPublicAccessBlock', 's3:PutBucketPublicAccessBlock'],
    DELETE: ['DeletePublicAccessBlock', 's3:PutBucketPublicAccessBlock'],
  },
  'object-lock': {
    GET: ['GetObjectLockConfiguration', 's3:GetBucketObjectLockConfiguration'],
    PUT: ['PutObjectLockConfiguration', 's3:PutBucketObjectLockConfiguration'],
  },
  replication: {
    GET: ['GetBucketReplication', 's3:GetReplicationConfiguration'],
    PUT: ['PutBucketReplication', 's3:PutReplicationConfiguration'],
    DELETE: ['DeleteBucketReplication', 's3:PutReplicationConfiguration'],
  },
  versions: { GET: ['ListObjectVersions', 's3:ListBucketVersions'] },
  uploads: { GET: ['ListMultipartUploads', 's3:ListBucketMultipartUploads'] },
};

/** Object sub-resources: query parameter → [operation, action] per HTTP method. */
const OBJECT_SUBRESOURCES: Readonly<Record<string, Partial<Record<string, readonly [string, string]>>>> = {
  acl: { GET: ['GetObjectAcl', 's3:GetObjectAcl'], PUT: ['PutObjectAcl', 's3:PutObjectAcl'] },
  tagging: {
    GET: ['GetObjectTagging', 's3:GetObjectTagging'],
    PUT: ['PutObjectTagging', 's3:PutObjectTagging'],
    DELETE: ['DeleteObjectTagging', 's3:DeleteObjectTagging'],
  },
  attributes: { GET: ['GetObjectAttributes', 's3:GetObjectAttributes'] },
  retention: {
    GET: ['GetObjectRetention', 's3:GetObjectRetention'],
    PUT: ['PutObjectRetention', 's3:PutObjectRetention'],
  },
  'legal-hold': {
    GET: ['GetObjectLegalHold', 's3:GetObjectLegalHold'],
    PUT: ['PutObjectLegalHold', 's3:PutObjectLegalHold'],
  },
  torrent: { GET: ['GetObjectTorrent', 's3:GetObjectTorrent'] },
  restore: { POST: ['RestoreObject', 's3:RestoreObject'] },
  select: { POST: ['SelectObjectContent', 's3:GetObject'] },
  uploads: { POST: ['CreateMultipartUpload', 's3:PutObject'] },
};

/** The listing condition keys IAM offers on `s3:ListBucket` (`s3:prefix`, `s3:delimiter`, `s3:max-keys`). */
function listContext(query: URLSearchParams): ConditionContext {
  const context: Record<string, string[]> = {};
  for (const [param, key] of [
    ['prefix', 's3:prefix'],
    ['delimiter', 's3:delimiter'],
    ['max-keys', 's3:max-keys'],
  ] as const) {
    const value = query.get(param);
    if (value !== null) context[key] = [value];
  }
  return context;
}

/** `bucket/key?versionId=v` (optionally with a leading `/`, URL-encoded) → its parts. */
function parseCopySource(
  copySource: string,
): { bucket: string; key: string; versionId?: string } | undefined {
  const [path = '', query = ''] = copySource.replace(/^\//, '').split('?');
  const slash = path.indexOf('/');
  if (slash <= 0) return undefined;
  try {
    const versionId = new URLSearchParams(query).get('versionId');
    return {
      bucket: decodeURIComponent(path.slice(0, slash)),
      key: decodeURIComponent(path.slice(slash + 1)),
      ...(versionId ? { versionId } : {}),
    };
  } catch {
    return undefined;
  }
}

function first(
  table: Readonly<Record<string, Partial<Record<string, readonly [string, string]>>>>,
  method: string,
  query: URLSearchParams,
): readonly [string, string] | undefined {
  for (const [name, byMethod] of Object.entries(table))
    if (query.has(name) && byMethod[method]) return byMethod[method];
  return undefined;
}

/** The extra actions IAM checks when a write also tags the object or sets its ACL. */
function extras(facts: S3RequestFacts, resource: string): AuthorizationRequest[] {
  return [
    ...(facts.setsTagging ? [{ action: 's3:PutObjectTagging', resource }] : []),
    ...(facts.setsAcl ? [{ action: 's3:PutObjectAcl', resource }] : []),
  ];
}

function objectAuthorization(facts: S3RequestFacts, bucket: string, key: string): S3Authorization {
  const { method, query } = facts;
  const resource = objectArn(bucket, key);
  const versioned = query.has('versionId');
  const one = (operation: string, action: string): S3Authorization => ({
    operation,
    requests: [{ action, resource }],
  });
  const sub = first(OBJECT_SUBRESOURCES, method, query);
  if (sub?.[0] === 'CreateMultipartUpload')
    return { operation: sub[0], requests: [{ action: sub[1], resource }, ...extras(facts, resource)] };
  if (sub) return one(sub[0], sub[1]);
  const source = facts.copySource === undefined ? undefined : parseCopySource(facts.copySource);
  const readSource: AuthorizationRequest[] = source
    ? [
        {
          action: source.versionId ? 's3:GetObjectVersion' : 's3:GetObject',
          resource: objectArn(source.bucket, source.key),
        },
      ]
    : [];
  switch (method) {
    case 'GET':
      if (query.has('uploadId')) return one('ListParts', 's3:ListMultipartUploadParts');
      return one('GetObject', versioned ? 's3:GetObjectVersion' : 's3:GetObject');
    case 'HEAD':
      return one('HeadObject', versioned ? 's3:GetObjectVersion' : 's3:GetObject');
    case 'PUT': {
      const operation = query.has('partNumber')
        ? source
          ? 'UploadPartCopy'
          : 'UploadPart'
        : source
          ? 'CopyObject'
          : 'PutObject';
      return {
        operation,
        requests: [{ action: 's3:PutObject', resource }, ...readSource, ...extras(facts, resource)],
      };
    }
    case 'POST':
      if (query.has('uploadId')) return one('CompleteMultipartUpload', 's3:PutObject');
      break;
    case 'DELETE':
      if (query.has('uploadId')) return one('AbortMultipartUpload', 's3:AbortMultipartUpload');
      return one('DeleteObject', versioned ? 's3:DeleteObjectVersion' : 's3:DeleteObject');
  }
  return one(`${method} object`, `s3:Unknown${method}`);
}

function bucketAuthorization(facts: S3RequestFacts, bucket: string): S3Authorization {
  const { method, query } = facts;
  const resource = bucketArn(bucket);
  const sub = first(BUCKET_SUBRESOURCES, method, query);
  if (sub) {
    const context = sub[1] === 's3:ListBucketVersions' ? listContext(query) : undefined;
    return { operation: sub[0], requests: [{ action: sub[1], resource, ...(context ? { context } : {}) }] };
  }
  switch (method) {
    case 'GET':
      return {
        operation: query.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects',
        requests: [{ action: 's3:ListBucket', resource, context: listContext(query) }],
      };
    case 'HEAD':
      return { operation: 'HeadBucket', requests: [{ action: 's3:ListBucket', resource }] };
    case 'PUT':
      return { operation: 'CreateBucket', requests: [{ action: 's3:CreateBucket', resource }] };
    case 'DELETE':
      return { operation: 'DeleteBucket', requests: [{ action: 's3:DeleteBucket', resource }] };
    case 'POST':
      if (query.has('delete')) {
        // IAM authorizes a multi-object delete key by key.
        const keys = facts.deleteKeys ?? [{ key: '*' }];
        return {
          operation: 'DeleteObjects',
          requests: keys.map((k) => ({
            action: k.versionId ? 's3:DeleteObjectVersion' : 's3:DeleteObject',
            resource: objectArn(bucket, k.key),
          })),
        };
      }
      // A browser form upload names its key in the form body; authorize it as a put of anything.
      return { operation: 'PostObject', requests: [{ action: 's3:PutObject', resource: `${resource}/*` }] };
  }
  return { operation: `${method} bucket`, requests: [{ action: `s3:Unknown${method}`, resource }] };
}

/**
 * The S3 operation of a path-style request and the actions IAM authorizes for it, as IAM maps them:
 * `HeadObject` and `GetObject` are `s3:GetObject` (`…Version` with a `versionId`), `ListObjects(V2)` and
 * `HeadBucket` are `s3:ListBucket` on the bucket, `DeleteObjects` is `s3:DeleteObject` on each key,
 * `CopyObject` is `s3:PutObject` on the target and `s3:GetObject` on the source, multipart parts are
 * `s3:PutObject`. An operation IAM has no action for here maps to `s3:Unknown<METHOD>`, which no
 * function is granted.
 * @example s3Authorization({ method: 'HEAD', bucket: 'b', key: 'k', query: new URLSearchParams() })
 */
export function s3Authorization(facts: S3RequestFacts): S3Authorization {
  if (facts.bucket === undefined) {
    return {
      operation: 'ListBuckets',
      requests: [
        {
          action: facts.method === 'GET' ? 's3:ListAllMyBuckets' : `s3:Unknown${facts.method}`,
          resource: '*',
        },
      ],
    };
  }
  return facts.key === undefined
    ? bucketAuthorization(facts, facts.bucket)
    : objectAuthorization(facts, facts.bucket, facts.key);
}
