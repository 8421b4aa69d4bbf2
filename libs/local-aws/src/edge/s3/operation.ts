import type { IncomingMessage } from 'node:http';
import type { S3Target } from '../extensions';

/** An S3 API operation and the IAM actions it needs (as the service authorization reference lists them). */
export interface S3Operation {
  readonly operation: string;
  readonly actions: readonly string[];
}

const op = (operation: string, ...actions: string[]): S3Operation => ({
  operation,
  actions: actions.length ? actions : [`s3:${operation}`],
});

/** Sub-resources that name their own operation, e.g. `?tagging` → `GetObjectTagging`. */
const OBJECT_SUBRESOURCES: Readonly<Record<string, string>> = {
  tagging: 'Tagging',
  acl: 'Acl',
  retention: 'Retention',
  'legal-hold': 'LegalHold',
  attributes: 'Attributes',
};
const BUCKET_SUBRESOURCES: Readonly<Record<string, string>> = {
  policy: 'Policy',
  cors: 'Cors',
  notification: 'Notification',
  versioning: 'Versioning',
  lifecycle: 'Lifecycle',
  tagging: 'Tagging',
  acl: 'Acl',
  website: 'Website',
  encryption: 'Encryption',
};

function subresource(query: URLSearchParams, table: Readonly<Record<string, string>>): string | undefined {
  for (const [name, suffix] of Object.entries(table)) if (query.has(name)) return suffix;
  return undefined;
}

function bucketOperation(method: string, query: URLSearchParams): S3Operation {
  const sub = subresource(query, BUCKET_SUBRESOURCES);
  if (method === 'GET' && query.has('location')) return op('GetBucketLocation');
  if (sub && method === 'GET') return op(`GetBucket${sub}`);
  if (sub && method === 'PUT') return op(`PutBucket${sub}`);
  if (sub && method === 'DELETE') return op(`DeleteBucket${sub}`);
  if (method === 'HEAD') return op('HeadBucket', 's3:ListBucket');
  if (method === 'PUT') return op('CreateBucket');
  if (method === 'DELETE') return op('DeleteBucket');
  if (method === 'POST' && query.has('delete')) return op('DeleteObjects', 's3:DeleteObject');
  if (method === 'POST') return op('PostObject', 's3:PutObject');
  if (query.has('uploads')) return op('ListMultipartUploads', 's3:ListBucketMultipartUploads');
  if (query.has('versions')) return op('ListObjectVersions', 's3:ListBucketVersions');
  if (query.get('list-type') === '2') return op('ListObjectsV2', 's3:ListBucket');
  return op('ListObjects', 's3:ListBucket');
}

function objectOperation(method: string, query: URLSearchParams, copySource: boolean): S3Operation {
  const sub = subresource(query, OBJECT_SUBRESOURCES);
  if (sub && (method === 'GET' || method === 'HEAD')) return op(`GetObject${sub}`);
  if (sub && method === 'PUT') return op(`PutObject${sub}`);
  if (sub && method === 'DELETE') return op(`DeleteObject${sub}`);
  if (method === 'GET' && query.has('uploadId')) return op('ListParts', 's3:ListMultipartUploadParts');
  if (method === 'GET') return op('GetObject');
  if (method === 'HEAD') return op('HeadObject', 's3:GetObject');
  if (method === 'PUT' && (query.has('uploadId') || query.has('partNumber')))
    return copySource
      ? op('UploadPartCopy', 's3:PutObject', 's3:GetObject')
      : op('UploadPart', 's3:PutObject');
  if (method === 'PUT')
    return copySource ? op('CopyObject', 's3:PutObject', 's3:GetObject') : op('PutObject');
  if (method === 'POST' && query.has('uploads')) return op('CreateMultipartUpload', 's3:PutObject');
  if (method === 'POST' && query.has('uploadId')) return op('CompleteMultipartUpload', 's3:PutObject');
  if (method === 'POST' && query.has('restore')) return op('RestoreObject');
  if (method === 'DELETE' && query.has('uploadId')) return op('AbortMultipartUpload');
  if (method === 'DELETE') return op('DeleteObject');
  return op(`${method}Object`, 's3:*');
}

/** Names what an S3 request does, from its method, path and query (path-style addressing only). */
export function s3Operation(req: IncomingMessage, target: S3Target): S3Operation {
  const method = (req.method ?? 'GET').toUpperCase();
  if (target.bucket === undefined) return op('ListBuckets', 's3:ListAllMyBuckets');
  if (target.key === undefined) return bucketOperation(method, target.query);
  return objectOperation(method, target.query, typeof req.headers['x-amz-copy-source'] === 'string');
}

/** The ARNs an S3 request touches: the bucket, or the object (and a copy's source object). */
export function s3Resources(target: S3Target, copySource?: S3Target): string[] {
  if (target.bucket === undefined) return ['arn:aws:s3:::*'];
  const own =
    target.key === undefined
      ? `arn:aws:s3:::${target.bucket}`
      : `arn:aws:s3:::${target.bucket}/${target.key}`;
  const source =
    copySource?.bucket && copySource.key ? [`arn:aws:s3:::${copySource.bucket}/${copySource.key}`] : [];
  return [own, ...source];
}
