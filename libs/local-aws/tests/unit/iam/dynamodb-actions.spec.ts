import { dynamoDbAuthorization } from '../../../src/iam/dynamodb-actions';

const TABLE = 'arn:aws:dynamodb:us-east-1:000000000000:table';
const map = (operation: string, body: unknown) =>
  dynamoDbAuthorization(operation, body, 'us-east-1', '000000000000').requests.map((r) => [
    r.action,
    r.resource,
  ]);

describe('dynamoDbAuthorization', () => {
  it.each([
    'GetItem',
    'PutItem',
    'UpdateItem',
    'DeleteItem',
    'Scan',
    'Query',
    'DescribeTable',
    'CreateTable',
  ])('maps %s to the action of the same name on the table', (operation) => {
    expect(map(operation, { TableName: 'imgpipe-images' })).toEqual([
      [`dynamodb:${operation}`, `${TABLE}/imgpipe-images`],
    ]);
  });

  it('maps a Query or Scan of an index to the index resource', () => {
    expect(map('Query', { TableName: 't', IndexName: 'byStatus' })).toEqual([
      ['dynamodb:Query', `${TABLE}/t/index/byStatus`],
    ]);
    expect(map('Scan', { TableName: 't', IndexName: 'byStatus' })).toEqual([
      ['dynamodb:Scan', `${TABLE}/t/index/byStatus`],
    ]);
  });

  it('maps BatchGetItem and BatchWriteItem to their own action on each table of RequestItems', () => {
    expect(map('BatchGetItem', { RequestItems: { a: { Keys: [] }, b: { Keys: [] } } })).toEqual([
      ['dynamodb:BatchGetItem', `${TABLE}/a`],
      ['dynamodb:BatchGetItem', `${TABLE}/b`],
    ]);
    expect(map('BatchWriteItem', { RequestItems: { a: [] } })).toEqual([
      ['dynamodb:BatchWriteItem', `${TABLE}/a`],
    ]);
  });

  it('maps each item of a transaction to its item action', () => {
    expect(
      map('TransactWriteItems', {
        TransactItems: [
          { Put: { TableName: 'a' } },
          { Update: { TableName: 'b' } },
          { Delete: { TableName: 'a' } },
          { ConditionCheck: { TableName: 'c' } },
        ],
      }),
    ).toEqual([
      ['dynamodb:PutItem', `${TABLE}/a`],
      ['dynamodb:UpdateItem', `${TABLE}/b`],
      ['dynamodb:DeleteItem', `${TABLE}/a`],
      ['dynamodb:ConditionCheckItem', `${TABLE}/c`],
    ]);
    expect(map('TransactGetItems', { TransactItems: [{ Get: { TableName: 'a' } }] })).toEqual([
      ['dynamodb:GetItem', `${TABLE}/a`],
    ]);
  });

  it('maps account-wide operations to * and offers the request parameters as condition keys', () => {
    expect(map('ListTables', {})).toEqual([['dynamodb:ListTables', '*']]);
    expect(
      dynamoDbAuthorization('Query', { TableName: 't', Select: 'COUNT' }, 'us-east-1', '000000000000')
        .requests[0]?.context,
    ).toEqual({ 'dynamodb:Select': ['COUNT'] });
  });
});
