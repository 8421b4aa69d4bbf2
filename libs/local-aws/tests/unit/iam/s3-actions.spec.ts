import { s3OperationName } from '../../../src/edge/s3/operation';
import { s3Authorization, type S3RequestFacts } from '../../../src/iam/s3-actions';

/** The operation the edge names for the request, then what IAM authorizes for it. */
function auth(
  method: string,
  path: string,
  extra: Partial<Omit<S3RequestFacts, 'operation' | 'method' | 'query'>> = {},
) {
  const [p = '', q = ''] = path.split('?');
  const [bucket, ...rest] = p.replace(/^\//, '').split('/');
  const target = {
    ...(bucket ? { bucket } : {}),
    ...(rest.length ? { key: rest.join('/') } : {}),
    query: new URLSearchParams(q),
  };
  const operation = s3OperationName(method, target, extra.copySource !== undefined);
  return s3Authorization({ operation, method, ...target, ...extra });
}

describe('s3Authorization', () => {
  it.each([
    ['GET', '/b/k', 'GetObject', 's3:GetObject', 'arn:aws:s3:::b/k'],
    ['GET', '/b/k?versionId=v1', 'GetObject', 's3:GetObjectVersion', 'arn:aws:s3:::b/k'],
    ['HEAD', '/b/a/b.jpg', 'HeadObject', 's3:GetObject', 'arn:aws:s3:::b/a/b.jpg'],
    ['PUT', '/b/k', 'PutObject', 's3:PutObject', 'arn:aws:s3:::b/k'],
    ['DELETE', '/b/k', 'DeleteObject', 's3:DeleteObject', 'arn:aws:s3:::b/k'],
    ['DELETE', '/b/k?versionId=v1', 'DeleteObject', 's3:DeleteObjectVersion', 'arn:aws:s3:::b/k'],
    ['POST', '/b/k?uploads', 'CreateMultipartUpload', 's3:PutObject', 'arn:aws:s3:::b/k'],
    ['PUT', '/b/k?partNumber=1&uploadId=u', 'UploadPart', 's3:PutObject', 'arn:aws:s3:::b/k'],
    ['POST', '/b/k?uploadId=u', 'CompleteMultipartUpload', 's3:PutObject', 'arn:aws:s3:::b/k'],
    ['DELETE', '/b/k?uploadId=u', 'AbortMultipartUpload', 's3:AbortMultipartUpload', 'arn:aws:s3:::b/k'],
    ['GET', '/b/k?uploadId=u', 'ListParts', 's3:ListMultipartUploadParts', 'arn:aws:s3:::b/k'],
    ['GET', '/b/k?tagging', 'GetObjectTagging', 's3:GetObjectTagging', 'arn:aws:s3:::b/k'],
    ['HEAD', '/b', 'HeadBucket', 's3:ListBucket', 'arn:aws:s3:::b'],
    ['GET', '/b?versions', 'ListObjectVersions', 's3:ListBucketVersions', 'arn:aws:s3:::b'],
    ['GET', '/b?uploads', 'ListMultipartUploads', 's3:ListBucketMultipartUploads', 'arn:aws:s3:::b'],
    ['GET', '/b?location', 'GetBucketLocation', 's3:GetBucketLocation', 'arn:aws:s3:::b'],
    ['PUT', '/b', 'CreateBucket', 's3:CreateBucket', 'arn:aws:s3:::b'],
    ['DELETE', '/b', 'DeleteBucket', 's3:DeleteBucket', 'arn:aws:s3:::b'],
    ['DELETE', '/b?cors', 'DeleteBucketCors', 's3:PutBucketCORS', 'arn:aws:s3:::b'],
    [
      'GET',
      '/b?analytics',
      'GetBucketAnalyticsConfiguration',
      's3:GetAnalyticsConfiguration',
      'arn:aws:s3:::b',
    ],
    [
      'DELETE',
      '/b?metrics',
      'DeleteBucketMetricsConfiguration',
      's3:PutMetricsConfiguration',
      'arn:aws:s3:::b',
    ],
    // A sub-resource with no operation for the method is no operation: it needs an action nobody is granted.
    ['DELETE', '/b?acl', 'DELETE bucket', 's3:UnknownDELETE', 'arn:aws:s3:::b'],
    ['PUT', '/b/k?renameObject', 'RenameObject', 's3:UnknownPUT', 'arn:aws:s3:::b/k'],
    ['GET', '/', 'ListBuckets', 's3:ListAllMyBuckets', '*'],
  ])('maps %s %s to %s → %s on %s', (method, path, operation, action, resource) => {
    const result = auth(method, path);
    expect(result.operation).toBe(operation);
    expect(result.requests.map((r) => [r.action, r.resource])).toEqual([[action, resource]]);
  });

  it('maps listings to s3:ListBucket on the bucket with the prefix, delimiter and max-keys condition keys', () => {
    expect(auth('GET', '/b?prefix=a%2F&delimiter=%2F&max-keys=5&marker=x')).toEqual({
      operation: 'ListObjects',
      requests: [
        {
          action: 's3:ListBucket',
          resource: 'arn:aws:s3:::b',
          context: { 's3:prefix': ['a/'], 's3:delimiter': ['/'], 's3:max-keys': ['5'] },
        },
      ],
    });
    expect(auth('GET', '/b?list-type=2').operation).toBe('ListObjectsV2');
  });

  it('maps DeleteObjects to s3:DeleteObject on each key (DeleteObjectVersion for a version)', () => {
    const result = auth('POST', '/b?delete', {
      deleteKeys: [{ key: 'a/1.webp' }, { key: 'a/2.jpg', versionId: 'v9' }],
    });
    expect(result).toEqual({
      operation: 'DeleteObjects',
      requests: [
        { action: 's3:DeleteObject', resource: 'arn:aws:s3:::b/a/1.webp' },
        { action: 's3:DeleteObjectVersion', resource: 'arn:aws:s3:::b/a/2.jpg' },
      ],
    });
  });

  it('adds s3:GetObject to a delete conditioned on an ETag (not to If-Match: *), as S3 requires', () => {
    expect(auth('DELETE', '/b/a/1.webp', { ifMatch: '"e1"' }).requests).toEqual([
      { action: 's3:DeleteObject', resource: 'arn:aws:s3:::b/a/1.webp' },
      { action: 's3:GetObject', resource: 'arn:aws:s3:::b/a/1.webp' },
    ]);
    expect(auth('DELETE', '/b/a/1.webp', { ifMatch: '*' }).requests).toEqual([
      { action: 's3:DeleteObject', resource: 'arn:aws:s3:::b/a/1.webp' },
    ]);
    expect(
      auth('POST', '/b?delete', { deleteKeys: [{ key: 'a/1.webp', etag: '"e1"' }, { key: 'a/2.jpg' }] })
        .requests,
    ).toEqual([
      { action: 's3:DeleteObject', resource: 'arn:aws:s3:::b/a/1.webp' },
      { action: 's3:GetObject', resource: 'arn:aws:s3:::b/a/1.webp' },
      { action: 's3:DeleteObject', resource: 'arn:aws:s3:::b/a/2.jpg' },
    ]);
  });

  it('maps CopyObject to s3:PutObject on the target and s3:GetObject on the (decoded) source', () => {
    expect(auth('PUT', '/d/copy.jpg', { copySource: '/s/my%20cat.jpg?versionId=v2' })).toEqual({
      operation: 'CopyObject',
      requests: [
        { action: 's3:PutObject', resource: 'arn:aws:s3:::d/copy.jpg' },
        { action: 's3:GetObjectVersion', resource: 'arn:aws:s3:::s/my cat.jpg' },
      ],
    });
    expect(auth('PUT', '/d/k?partNumber=2&uploadId=u', { copySource: 's/k' }).operation).toBe(
      'UploadPartCopy',
    );
  });

  it('adds s3:PutObjectTagging and s3:PutObjectAcl when a put or multipart start also tags or sets an ACL', () => {
    expect(auth('PUT', '/b/k', { setsTagging: true, setsAcl: true }).requests).toEqual([
      { action: 's3:PutObject', resource: 'arn:aws:s3:::b/k' },
      { action: 's3:PutObjectTagging', resource: 'arn:aws:s3:::b/k' },
      { action: 's3:PutObjectAcl', resource: 'arn:aws:s3:::b/k' },
    ]);
    expect(auth('POST', '/b/k?uploads', { setsTagging: true }).requests).toEqual([
      { action: 's3:PutObject', resource: 'arn:aws:s3:::b/k' },
      { action: 's3:PutObjectTagging', resource: 'arn:aws:s3:::b/k' },
    ]);
  });
});
