import { PARSE_CACHE_PROVEN_ON } from '../../src/emulators/dynalite-parse-cache';
import { type DynamoDbThread, startDynamoDbThread } from '../../src/emulators/dynamodb-thread';
import {
  EDGE_TEMPLATES,
  type ExpressionRequest,
  expressionRequests,
  OUR_TEMPLATES,
  type Template,
} from '../support/dynalite-expressions';
import { dynamoDbCall } from '../support/dynamodb-request';
import { tempDir } from '../support/helpers';

const TABLE = 'parse-cache-test';

/** Expressions on this table's keys (pk, sk), so that queries and key conditions also succeed. */
const TABLE_TEMPLATES: readonly Template[] = [
  {
    expressions: {
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :p)',
      FilterExpression: 'attribute_exists(#n) OR #s <> :p',
      ProjectionExpression: '#pk, #sk, #n, #s',
    },
    names: { '#pk': 'pk', '#sk': 'sk', '#n': 'n', '#s': 'seqKey' },
    values: { ':pk': ['S'], ':p': ['S'] },
  },
  {
    expressions: { KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :lo AND :hi' },
    names: { '#pk': 'pk', '#sk': 'sk' },
    values: { ':pk': ['S'], ':lo': ['S', 'N'], ':hi': ['S'] },
  },
  {
    expressions: {
      KeyConditionExpression: '#sk > :lo AND #pk = :pk',
      ProjectionExpression: 'a, b[0], #m.#m',
    },
    names: { '#pk': 'pk', '#sk': 'sk', '#m': 'metadata' },
    values: { ':pk': ['S'], ':lo': ['S'] },
  },
];

/** One request of the sequence: the operation that carries these expressions, on one of a few items. */
function operationOf(request: ExpressionRequest, i: number): [string, Record<string, unknown>] {
  const key = { pk: { S: `k${i % 7}` }, sk: { S: `x${i % 3}` } };
  if (request.KeyConditionExpression !== undefined) {
    return ['Query', { TableName: TABLE, ...request }];
  }
  if (request.UpdateExpression !== undefined) {
    return ['UpdateItem', { TableName: TABLE, Key: key, ReturnValues: 'ALL_NEW', ...request }];
  }
  if (request.ConditionExpression !== undefined) {
    const { ProjectionExpression, ...rest } = request;
    return i % 2 === 0
      ? [
          'PutItem',
          { TableName: TABLE, Item: { ...key, n: { N: String(i) } }, ReturnValues: 'ALL_OLD', ...rest },
        ]
      : [
          'Scan',
          {
            TableName: TABLE,
            FilterExpression: rest.ConditionExpression,
            ProjectionExpression,
            ...rest,
            ConditionExpression: undefined,
          },
        ];
  }
  return ['GetItem', { TableName: TABLE, Key: key, ...request }];
}

async function activeTable(thread: DynamoDbThread): Promise<void> {
  const created = await thread.send(
    dynamoDbCall('CreateTable', {
      TableName: TABLE,
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  expect(created.status).toBe(200);
  for (let tries = 0; tries < 100; tries += 1) {
    const described = JSON.parse(
      (await thread.send(dynamoDbCall('DescribeTable', { TableName: TABLE }))).body,
    ) as {
      Table?: { TableStatus?: string };
    };
    if (described.Table?.TableStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`${TABLE} never became ACTIVE`);
}

// Thousands of requests (two dynalite threads here): past Jest's default 5 s when the machine is loaded.
jest.setTimeout(60_000);

describe('the DynamoDB thread with the parse cache, against one without', () => {
  let cached: DynamoDbThread;
  let plain: DynamoDbThread;
  beforeAll(async () => {
    cached = await startDynamoDbThread(tempDir('ddb-cached'));
    plain = await startDynamoDbThread(tempDir('ddb-plain'), { parseCache: false });
    await Promise.all([activeTable(cached), activeTable(plain)]);
  });
  afterAll(async () => {
    await Promise.all([cached.close(), plain.close()]);
  });

  it('runs with the cache on the dynalite it was proven on (an upgrade turns it off: prove it again first)', () => {
    expect(cached.parseCache).toEqual({ installed: true, version: PARSE_CACHE_PROVEN_ON });
    expect(plain.parseCache).toEqual({ installed: false, version: PARSE_CACHE_PROVEN_ON });
  });

  it('answers every request as dynalite does without it: status and body', async () => {
    // Prepare: our functions' requests, the error-prone constructs, and queries on the table's keys.
    const requests = [
      ...expressionRequests(OUR_TEMPLATES, 300, 24, true),
      ...expressionRequests(OUR_TEMPLATES, 350, 21),
      ...expressionRequests(EDGE_TEMPLATES, 600, 22),
      ...expressionRequests(TABLE_TEMPLATES, 250, 23),
    ];
    // Act: the same sequence to both (each request to both before the next, so their tables stay equal).
    const differences: unknown[] = [];
    const outcomes = new Map<string, number>();
    for (const [i, request] of requests.entries()) {
      const [operation, document] = operationOf(request, i);
      const [a, b] = await Promise.all([
        cached.send(dynamoDbCall(operation, document)),
        plain.send(dynamoDbCall(operation, document)),
      ]);
      outcomes.set(`${operation} ${b.status}`, (outcomes.get(`${operation} ${b.status}`) ?? 0) + 1);
      if (a.status !== b.status || a.body !== b.body) {
        differences.push({ operation, document, cached: [a.status, a.body], plain: [b.status, b.body] });
      }
    }
    // Assess: no difference, with successes and refusals of every operation among them.
    expect(differences.slice(0, 3)).toEqual([]);
    expect([...outcomes.keys()].sort()).toEqual([
      'GetItem 200',
      'GetItem 400',
      'PutItem 200',
      'PutItem 400',
      'Query 200',
      'Query 400',
      'Scan 200',
      'Scan 400',
      'UpdateItem 200',
      'UpdateItem 400',
    ]);
    const count = (status: number): number =>
      [...outcomes].reduce((n, [k, v]) => (k.endsWith(` ${status}`) ? n + v : n), 0);
    expect(count(200)).toBeGreaterThan(350);
    expect(count(400)).toBeGreaterThan(500);
  });
});
