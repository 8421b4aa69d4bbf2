import type { AuthorizationRequest, ConditionContext } from './match';

/** A DynamoDB operation (from `X-Amz-Target`) and what IAM authorizes for it. */
export interface DynamoDbAuthorization {
  readonly operation: string;
  readonly requests: readonly AuthorizationRequest[];
}

/** Operations whose `TableName` is the resource (plus `IndexName` for Query and Scan). */
const TABLE_OPERATIONS = new Set([
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'Query',
  'Scan',
  'CreateTable',
  'DeleteTable',
  'DescribeTable',
  'UpdateTable',
  'DescribeTimeToLive',
  'UpdateTimeToLive',
  'DescribeContinuousBackups',
  'UpdateContinuousBackups',
  'CreateBackup',
]);

/** Operations on no particular table. */
const ACCOUNT_OPERATIONS = new Set(['ListTables', 'DescribeLimits', 'DescribeEndpoints', 'ListBackups']);

/** Operations that name a resource by ARN. */
const ARN_OPERATIONS = new Set(['TagResource', 'UntagResource', 'ListTagsOfResource']);

/** The item operations of a transaction and the action IAM checks for each. */
const TRANSACT_ITEM_ACTIONS: Readonly<Record<string, string>> = {
  Get: 'dynamodb:GetItem',
  Put: 'dynamodb:PutItem',
  Update: 'dynamodb:UpdateItem',
  Delete: 'dynamodb:DeleteItem',
  ConditionCheck: 'dynamodb:ConditionCheckItem',
};

type Body = Readonly<Record<string, unknown>>;

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const record = (value: unknown): Body =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Body) : {};

/** The condition keys IAM offers on the request's own parameters. */
function requestContext(body: Body): ConditionContext {
  const context: Record<string, string[]> = {};
  for (const [param, key] of [
    ['Select', 'dynamodb:Select'],
    ['ReturnValues', 'dynamodb:ReturnValues'],
    ['ReturnConsumedCapacity', 'dynamodb:ReturnConsumedCapacity'],
  ] as const) {
    const value = text(body[param]);
    if (value !== undefined) context[key] = [value];
  }
  return context;
}

/**
 * The DynamoDB operation and the actions IAM authorizes for it, as IAM maps them: an item or table
 * operation is `dynamodb:<Operation>` on `table/<TableName>` (`…/index/<IndexName>` for a Query or Scan
 * of an index); `BatchGetItem`/`BatchWriteItem` is that action on each table of `RequestItems`;
 * `TransactGetItems`/`TransactWriteItems` is `GetItem`, `PutItem`, `UpdateItem`, `DeleteItem` or
 * `ConditionCheckItem` on each item's table. Anything else is `dynamodb:<Operation>` on `*`.
 * @example dynamoDbAuthorization('BatchGetItem', { RequestItems: { t: { Keys: [] } } }, 'us-east-1', '000000000000')
 */
export function dynamoDbAuthorization(
  operation: string,
  body: unknown,
  region: string,
  account: string,
): DynamoDbAuthorization {
  const params = record(body);
  const tableArn = (name: string) => `arn:aws:dynamodb:${region}:${account}:table/${name}`;
  const action = `dynamodb:${operation}`;
  const context = requestContext(params);
  const table = text(params['TableName']);
  if (TABLE_OPERATIONS.has(operation) && table !== undefined) {
    const index = text(params['IndexName']);
    const resource =
      index !== undefined && (operation === 'Query' || operation === 'Scan')
        ? `${tableArn(table)}/index/${index}`
        : tableArn(table);
    return { operation, requests: [{ action, resource, context }] };
  }
  if (operation === 'BatchGetItem' || operation === 'BatchWriteItem') {
    const tables = Object.keys(record(params['RequestItems']));
    return { operation, requests: tables.map((t) => ({ action, resource: tableArn(t), context })) };
  }
  if (operation === 'TransactGetItems' || operation === 'TransactWriteItems') {
    const items = Array.isArray(params['TransactItems']) ? (params['TransactItems'] as unknown[]) : [];
    const requests = items.flatMap((item) =>
      Object.entries(record(item)).flatMap(([kind, inner]) => {
        const itemTable = text(record(inner)['TableName']);
        const itemAction = TRANSACT_ITEM_ACTIONS[kind];
        return itemTable && itemAction
          ? [{ action: itemAction, resource: tableArn(itemTable), context }]
          : [];
      }),
    );
    return { operation, requests };
  }
  if (ARN_OPERATIONS.has(operation)) {
    return { operation, requests: [{ action, resource: text(params['ResourceArn']) ?? '*', context }] };
  }
  if (ACCOUNT_OPERATIONS.has(operation)) return { operation, requests: [{ action, resource: '*', context }] };
  return {
    operation,
    requests: [{ action, resource: table === undefined ? '*' : tableArn(table), context }],
  };
}
