import type { AuthorizationRequest, ConditionContext } from './match';

/** What the edge decoded of an S3 request (path style), and what IAM authorizes it by. */
export interface S3RequestFacts {
  /** The S3 API operation the edge named (`edge/s3/operation.ts`), e.g. `HeadObject`. */
  readonly operation: string;
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
   * The keys (and versions) of a DeleteObjects body, when known. Without them (a check before the body
   * is read) the delete is authorized as one on every key of the bucket.
   */
  readonly deleteKeys?: readonly {
    readonly key: string;
    readonly versionId?: string;
    /** The object's `<ETag>`: a conditional delete, which also needs `s3:GetObject`. */
    readonly etag?: string;
  }[];
  /** DeleteObject's `If-Match` header, when sent. */
  readonly ifMatch?: string;
}

/** An S3 API operation and what IAM authorizes for it. */
export interface S3Authorization {
  readonly operation: string;
  readonly requests: readonly AuthorizationRequest[];
}

const bucketArn = (bucket: string) => `arn:aws:s3:::${bucket}`;
const objectArn = (bucket: string, key: string) => `arn:aws:s3:::${bucket}/${key}`;

/**
 * The IAM action of each S3 operation, as the service authorization reference lists it (several
 * operations share one: every write of object bytes is `s3:PutObject`, every listing `s3:ListBucket`).
 */
const ACTIONS: Readonly<Record<string, string>> = {
  ListBuckets: 's3:ListAllMyBuckets',
  // Buckets
  CreateBucket: 's3:CreateBucket',
  DeleteBucket: 's3:DeleteBucket',
  HeadBucket: 's3:ListBucket',
  ListObjects: 's3:ListBucket',
  ListObjectsV2: 's3:ListBucket',
  ListObjectVersions: 's3:ListBucketVersions',
  ListMultipartUploads: 's3:ListBucketMultipartUploads',
  GetBucketAcl: 's3:GetBucketAcl',
  PutBucketAcl: 's3:PutBucketAcl',
  GetBucketPolicy: 's3:GetBucketPolicy',
  PutBucketPolicy: 's3:PutBucketPolicy',
  DeleteBucketPolicy: 's3:DeleteBucketPolicy',
  GetBucketPolicyStatus: 's3:GetBucketPolicyStatus',
  GetBucketVersioning: 's3:GetBucketVersioning',
  PutBucketVersioning: 's3:PutBucketVersioning',
  GetBucketTagging: 's3:GetBucketTagging',
  PutBucketTagging: 's3:PutBucketTagging',
  DeleteBucketTagging: 's3:PutBucketTagging',
  GetBucketCors: 's3:GetBucketCORS',
  PutBucketCors: 's3:PutBucketCORS',
  DeleteBucketCors: 's3:PutBucketCORS',
  GetBucketLifecycleConfiguration: 's3:GetLifecycleConfiguration',
  PutBucketLifecycleConfiguration: 's3:PutLifecycleConfiguration',
  DeleteBucketLifecycle: 's3:PutLifecycleConfiguration',
  GetBucketNotificationConfiguration: 's3:GetBucketNotification',
  PutBucketNotificationConfiguration: 's3:PutBucketNotification',
  GetBucketWebsite: 's3:GetBucketWebsite',
  PutBucketWebsite: 's3:PutBucketWebsite',
  DeleteBucketWebsite: 's3:DeleteBucketWebsite',
  GetBucketEncryption: 's3:GetEncryptionConfiguration',
  PutBucketEncryption: 's3:PutEncryptionConfiguration',
  DeleteBucketEncryption: 's3:PutEncryptionConfiguration',
  GetBucketLocation: 's3:GetBucketLocation',
  GetBucketLogging: 's3:GetBucketLogging',
  PutBucketLogging: 's3:PutBucketLogging',
  GetBucketOwnershipControls: 's3:GetBucketOwnershipControls',
  PutBucketOwnershipControls: 's3:PutBucketOwnershipControls',
  DeleteBucketOwnershipControls: 's3:PutBucketOwnershipControls',
  GetPublicAccessBlock: 's3:GetBucketPublicAccessBlock',
  PutPublicAccessBlock: 's3:PutBucketPublicAccessBlock',
  DeletePublicAccessBlock: 's3:PutBucketPublicAccessBlock',
  GetObjectLockConfiguration: 's3:GetBucketObjectLockConfiguration',
  PutObjectLockConfiguration: 's3:PutBucketObjectLockConfiguration',
  GetBucketReplication: 's3:GetReplicationConfiguration',
  PutBucketReplication: 's3:PutReplicationConfiguration',
  DeleteBucketReplication: 's3:PutReplicationConfiguration',
  GetBucketAccelerateConfiguration: 's3:GetAccelerateConfiguration',
  PutBucketAccelerateConfiguration: 's3:PutAccelerateConfiguration',
  GetBucketRequestPayment: 's3:GetBucketRequestPayment',
  PutBucketRequestPayment: 's3:PutBucketRequestPayment',
  GetBucketAnalyticsConfiguration: 's3:GetAnalyticsConfiguration',
  PutBucketAnalyticsConfiguration: 's3:PutAnalyticsConfiguration',
  DeleteBucketAnalyticsConfiguration: 's3:PutAnalyticsConfiguration',
  GetBucketMetricsConfiguration: 's3:GetMetricsConfiguration',
  PutBucketMetricsConfiguration: 's3:PutMetricsConfiguration',
  DeleteBucketMetricsConfiguration: 's3:PutMetricsConfiguration',
  GetBucketInventoryConfiguration: 's3:GetInventoryConfiguration',
  PutBucketInventoryConfiguration: 's3:PutInventoryConfiguration',
  DeleteBucketInventoryConfiguration: 's3:PutInventoryConfiguration',
  GetBucketIntelligentTieringConfiguration: 's3:GetIntelligentTieringConfiguration',
  PutBucketIntelligentTieringConfiguration: 's3:PutIntelligentTieringConfiguration',
  DeleteBucketIntelligentTieringConfiguration: 's3:PutIntelligentTieringConfiguration',
  // Objects
  GetObject: 's3:GetObject',
  HeadObject: 's3:GetObject',
  SelectObjectContent: 's3:GetObject',
  PutObject: 's3:PutObject',
  CopyObject: 's3:PutObject',
  PostObject: 's3:PutObject',
  CreateMultipartUpload: 's3:PutObject',
  UploadPart: 's3:PutObject',
  UploadPartCopy: 's3:PutObject',
  CompleteMultipartUpload: 's3:PutObject',
  AbortMultipartUpload: 's3:AbortMultipartUpload',
  ListParts: 's3:ListMultipartUploadParts',
  DeleteObject: 's3:DeleteObject',
  DeleteObjects: 's3:DeleteObject',
  GetObjectAcl: 's3:GetObjectAcl',
  PutObjectAcl: 's3:PutObjectAcl',
  GetObjectTagging: 's3:GetObjectTagging',
  PutObjectTagging: 's3:PutObjectTagging',
  DeleteObjectTagging: 's3:DeleteObjectTagging',
  GetObjectAttributes: 's3:GetObjectAttributes',
  GetObjectRetention: 's3:GetObjectRetention',
  PutObjectRetention: 's3:PutObjectRetention',
  GetObjectLegalHold: 's3:GetObjectLegalHold',
  PutObjectLegalHold: 's3:PutObjectLegalHold',
  GetObjectTorrent: 's3:GetObjectTorrent',
  RestoreObject: 's3:RestoreObject',
};

/** Operations whose action becomes `…Version` when the request names a `versionId`. */
const VERSIONED: Readonly<Record<string, string>> = {
  GetObject: 's3:GetObjectVersion',
  HeadObject: 's3:GetObjectVersion',
  DeleteObject: 's3:DeleteObjectVersion',
};

/** Operations that write an object's bytes (and can also tag it or set its ACL, or copy from a source). */
const WRITES = new Set(['PutObject', 'CopyObject', 'UploadPart', 'UploadPartCopy']);

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

/**
 * A conditional delete with an ETag (not `*`) needs `s3:GetObject` as well as `s3:DeleteObject`
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-deletes.html).
 */
function conditionalDeleteRead(etag: string | undefined, resource: string): AuthorizationRequest[] {
  return etag !== undefined && etag.trim() !== '*' ? [{ action: 's3:GetObject', resource }] : [];
}

/** The extra actions IAM checks when a write also tags the object or sets its ACL. */
function extras(facts: S3RequestFacts, resource: string): AuthorizationRequest[] {
  return [
    ...(facts.setsTagging ? [{ action: 's3:PutObjectTagging', resource }] : []),
    ...(facts.setsAcl ? [{ action: 's3:PutObjectAcl', resource }] : []),
  ];
}

/** The source object a copy reads (`s3:GetObject`, `…Version` for a version), when the request copies. */
function copyRead(facts: S3RequestFacts): AuthorizationRequest[] {
  const source = facts.copySource === undefined ? undefined : parseCopySource(facts.copySource);
  if (!source) return [];
  const action = source.versionId ? 's3:GetObjectVersion' : 's3:GetObject';
  return [{ action, resource: objectArn(source.bucket, source.key) }];
}

/**
 * The actions IAM authorizes for an S3 request, from the operation the edge named: the operation's
 * action (`ACTIONS`; `…Version` with a `versionId`) on the object or bucket it names, with the listing
 * condition keys on a listing; a write also needs `s3:GetObject` on a copy's source and
 * `s3:PutObjectTagging` / `s3:PutObjectAcl` when it tags or sets an ACL; `DeleteObjects` is
 * `s3:DeleteObject` on each key; a delete conditioned on an ETag also `s3:GetObject` on the key; a browser form upload `s3:PutObject` on `bucket/*` (its key is in
 * the body). An operation with no action here maps to `s3:Unknown<METHOD>`, which no function is granted.
 * @example s3Authorization({ operation: 'HeadObject', method: 'HEAD', bucket: 'b', key: 'k', query: new URLSearchParams() })
 */
export function s3Authorization(facts: S3RequestFacts): S3Authorization {
  const { operation, bucket, key, query } = facts;
  const known = ACTIONS[operation];
  const versioned = query.has('versionId') ? VERSIONED[operation] : undefined;
  const action = versioned ?? known ?? `s3:Unknown${facts.method}`;
  const one = (resource: string, context?: ConditionContext): S3Authorization => ({
    operation,
    requests: [{ action, resource, ...(context ? { context } : {}) }],
  });
  if (bucket === undefined) return one('*');
  if (key !== undefined) {
    const resource = objectArn(bucket, key);
    if (WRITES.has(operation))
      return {
        operation,
        requests: [{ action, resource }, ...copyRead(facts), ...extras(facts, resource)],
      };
    if (operation === 'CreateMultipartUpload')
      return { operation, requests: [{ action, resource }, ...extras(facts, resource)] };
    if (operation === 'DeleteObject')
      return {
        operation,
        requests: [{ action, resource }, ...conditionalDeleteRead(facts.ifMatch, resource)],
      };
    return one(resource);
  }
  if (operation === 'DeleteObjects') {
    // IAM authorizes a multi-object delete key by key.
    const keys = facts.deleteKeys ?? [{ key: '*' }];
    return {
      operation,
      requests: keys.flatMap((k) => [
        {
          action: k.versionId ? 's3:DeleteObjectVersion' : 's3:DeleteObject',
          resource: objectArn(bucket, k.key),
        },
        ...conditionalDeleteRead(k.etag, objectArn(bucket, k.key)),
      ]),
    };
  }
  if (operation === 'PostObject') return one(`${bucketArn(bucket)}/*`);
  const lists = known === 's3:ListBucket' && operation !== 'HeadBucket';
  return one(bucketArn(bucket), lists || known === 's3:ListBucketVersions' ? listContext(query) : undefined);
}
