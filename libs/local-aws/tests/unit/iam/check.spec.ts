import type { IncomingMessage } from 'node:http';
import { definePipeline } from '@imgpipe/pipeline';
import type { DynamoDbCall, S3Call } from '../../../src/edge/extensions';
import { s3OperationName } from '../../../src/edge/s3/operation';
import { iamCheck, iamDeleteCheck } from '../../../src/iam/check';
import { IamEnforcer } from '../../../src/iam/enforcer';

const enforcer = new IamEnforcer({
  pipeline: definePipeline(),
  region: 'us-east-1',
  account: '000000000000',
});
const check = iamCheck(enforcer);

/** An S3 call as the edge decodes it (the operation named from method, path and copy header). */
function s3Call(
  accessKeyId: string | undefined,
  method: string,
  path: string,
  headers: Record<string, string> = {},
): S3Call {
  const [p = '', q = ''] = path.split('?');
  const [bucket, ...key] = p.slice(1).split('/');
  const target = {
    ...(bucket ? { bucket } : {}),
    ...(key.length ? { key: key.join('/') } : {}),
    rawPath: p,
    query: new URLSearchParams(q),
  };
  return {
    service: 's3',
    accessKeyId,
    operation: s3OperationName(method, target, headers['x-amz-copy-source'] !== undefined),
    target,
    req: { method, headers } as IncomingMessage,
  };
}

function dynamoCall(accessKeyId: string, operation: string, body: Record<string, unknown>): DynamoDbCall {
  return {
    service: 'dynamodb',
    accessKeyId,
    operation,
    tables: [],
    body: Buffer.from(JSON.stringify(body)),
    document: body,
    req: { method: 'POST', headers: {} } as IncomingMessage,
  };
}

describe('iamCheck', () => {
  it('lets the administrator (any other key, or none) do anything', async () => {
    expect(await check(s3Call('AKIDEXAMPLE', 'DELETE', '/imgpipe-source/a.jpg'))).toBeUndefined();
    expect(await check(s3Call(undefined, 'DELETE', '/imgpipe-source/a.jpg'))).toBeUndefined();
  });

  it('refuses a function S3 call its policy denies with 403 AccessDenied', async () => {
    expect(await check(s3Call('imgpipe-metadata-sync', 'PUT', '/imgpipe-derived/a.jpg/thumb.webp'))).toEqual({
      status: 403,
      code: 'AccessDenied',
      message: expect.stringMatching(
        /assumed-role\/imgpipe-metadata-sync\/imgpipe-metadata-sync is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::imgpipe-derived\/a.jpg\/thumb.webp"/,
      ),
    });
  });

  it('maps a copy to a read of its source as well, from the request itself', async () => {
    const copy = s3Call('imgpipe-resize', 'PUT', '/imgpipe-derived/a.jpg/copy.webp', {
      'x-amz-copy-source': '/imgpipe-derived/a.jpg/thumb.webp',
    });
    expect(await check(copy)).toBeUndefined();
    const fromElsewhere = s3Call('imgpipe-resize', 'PUT', '/imgpipe-derived/a.jpg/copy.webp', {
      'x-amz-copy-source': '/other-bucket/x.jpg',
    });
    expect(await check(fromElsewhere)).toMatchObject({ status: 403, code: 'AccessDenied' });
  });

  it('lets a DeleteObjects through, and authorizes each key of its body as AWS does', async () => {
    expect(await check(s3Call('imgpipe-resize', 'POST', '/imgpipe-source?delete'))).toBeUndefined();
    const deleteCheck = iamDeleteCheck(enforcer);
    const call = s3Call('imgpipe-resize', 'POST', '/imgpipe-derived?delete');
    const answers = [
      deleteCheck(call, 'a.jpg/thumb.webp', undefined),
      deleteCheck(call, 'a.jpg/large.webp', 'v1'),
      deleteCheck(s3Call('imgpipe-resize', 'POST', '/imgpipe-source?delete'), 'a.jpg', undefined),
      deleteCheck(s3Call('AKIDEXAMPLE', 'POST', '/imgpipe-source?delete'), 'a.jpg', undefined),
    ];
    const denied = { status: 403, code: 'AccessDenied', message: 'Access Denied' };
    expect(answers).toEqual([undefined, denied, denied, undefined]);
  });

  it('refuses a function DynamoDB call its policy denies with 400 AccessDeniedException, from the parameters in its body', async () => {
    expect(
      await check(
        dynamoCall('imgpipe-reconcile', 'BatchGetItem', { RequestItems: { 'imgpipe-images': {} } }),
      ),
    ).toBeUndefined();
    expect(
      await check(
        dynamoCall('imgpipe-reconcile', 'Query', { TableName: 'imgpipe-images', IndexName: 'by-owner' }),
      ),
    ).toMatchObject({
      status: 400,
      code: 'AccessDeniedException',
      message: expect.stringContaining(
        'dynamodb:Query on resource: arn:aws:dynamodb:us-east-1:000000000000:table/imgpipe-images/index/by-owner',
      ),
    });
  });
});
