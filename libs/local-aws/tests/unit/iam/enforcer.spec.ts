import { DEFAULT_POLICIES, definePipeline } from '@imgpipe/pipeline';
import { dynamoDbAuthorization } from '../../../src/iam/dynamodb-actions';
import { IamEnforcer, type IamDecision } from '../../../src/iam/enforcer';
import { s3OperationName } from '../../../src/edge/s3/operation';
import { s3Authorization } from '../../../src/iam/s3-actions';

const REGION = 'us-east-1';
const ACCOUNT = '000000000000';
const dynamo = (operation: string, body: unknown) => dynamoDbAuthorization(operation, body, REGION, ACCOUNT);
const s3 = (method: string, bucket: string, key?: string) => {
  const target = { bucket, ...(key ? { key } : {}), query: new URLSearchParams() };
  return s3Authorization({ operation: s3OperationName(method, target, false), method, ...target });
};

describe('IamEnforcer', () => {
  const decisions: IamDecision[] = [];
  const iam = new IamEnforcer({
    pipeline: definePipeline(),
    region: REGION,
    account: ACCOUNT,
    onDecision: (d) => decisions.push(d),
  });

  beforeEach(() => decisions.splice(0));

  it('lets any key other than a function key act as the administrator', () => {
    expect(iam.authorize('AKIAEXAMPLE', 's3', s3('DELETE', 'imgpipe-source', 'a.jpg'))).toEqual({
      allowed: true,
    });
    expect(iam.authorize(undefined, 's3', s3('DELETE', 'imgpipe-source', 'a.jpg'))).toEqual({
      allowed: true,
    });
    expect(decisions).toEqual([]);
  });

  it('allows a function what its policy allows, naming the statement', () => {
    expect(iam.authorize('imgpipe-resize', 's3', s3('HEAD', 'imgpipe-derived', 'a.jpg/thumb.webp'))).toEqual({
      allowed: true,
      function: 'resize',
    });
    expect(decisions).toEqual([
      {
        function: 'resize',
        service: 's3',
        operation: 'HeadObject',
        action: 's3:GetObject',
        resource: 'arn:aws:s3:::imgpipe-derived/a.jpg/thumb.webp',
        allowed: true,
        sid: 'WriteVariants',
      },
    ]);
  });

  it("denies resize a delete in the source bucket with AWS's message", () => {
    expect(iam.authorize('imgpipe-resize', 's3', s3('DELETE', 'imgpipe-source', 'a.jpg'))).toEqual({
      allowed: false,
      function: 'resize',
      action: 's3:DeleteObject',
      resource: 'arn:aws:s3:::imgpipe-source/a.jpg',
      message:
        'User: arn:aws:sts::000000000000:assumed-role/imgpipe-resize/imgpipe-resize is not authorized to perform: ' +
        's3:DeleteObject on resource: "arn:aws:s3:::imgpipe-source/a.jpg" because no identity-based policy allows the s3:DeleteObject action',
    });
  });

  it('allows reconcile BatchGetItem on the images table and denies metadata-sync the same', () => {
    const batch = dynamo('BatchGetItem', { RequestItems: { 'imgpipe-images': { Keys: [] } } });
    expect(iam.authorize('imgpipe-reconcile', 'dynamodb', batch).allowed).toBe(true);
    const denied = iam.authorize('imgpipe-metadata-sync', 'dynamodb', batch);
    expect(denied.allowed).toBe(false);
    expect(!denied.allowed && denied.message).toBe(
      'User: arn:aws:sts::000000000000:assumed-role/imgpipe-metadata-sync/imgpipe-metadata-sync is not authorized to perform: ' +
        'dynamodb:BatchGetItem on resource: arn:aws:dynamodb:us-east-1:000000000000:table/imgpipe-images because no identity-based policy allows the dynamodb:BatchGetItem action',
    );
  });

  it('denies a request when any one of its actions is denied (a transaction is authorized item by item)', () => {
    const verdict = iam.authorize(
      'imgpipe-reconcile',
      'dynamodb',
      dynamo('TransactWriteItems', {
        TransactItems: [
          { Update: { TableName: 'imgpipe-images' } },
          { Put: { TableName: 'imgpipe-images' } },
        ],
      }),
    );
    expect(verdict).toMatchObject({ allowed: false, action: 'dynamodb:PutItem' });
    expect(decisions.map((d) => [d.action, d.allowed])).toEqual([
      ['dynamodb:UpdateItem', true],
      ['dynamodb:PutItem', false],
    ]);
  });

  it('enforces the policy of the definition it was given, not the defaults', () => {
    const resize = DEFAULT_POLICIES.resize.filter((s) => s.sid !== 'WriteVariants');
    const strict = new IamEnforcer({
      pipeline: definePipeline({ policies: { resize } }),
      region: REGION,
      account: ACCOUNT,
    });
    expect(
      strict.authorize('imgpipe-resize', 's3', s3('PUT', 'imgpipe-derived', 'a.jpg/thumb.webp')),
    ).toMatchObject({
      allowed: false,
      action: 's3:PutObject',
    });
    expect(strict.functionOf('imgpipe-resize')).toBe('resize');
    expect(strict.functionOf('imgpipe-render')).toBe('render');
    expect(strict.functionOf('imgpipe-thumbnailer')).toBeUndefined();
  });
});
