import {
  type DynamoDbAnswer,
  type DynamoDbThread,
  startDynamoDbThread,
} from '../../src/emulators/dynamodb-thread';
import { dynamoDbCall } from '../support/dynamodb-request';
import { tempDir } from '../support/helpers';

const TABLE = 'thread-test';

const json = (answer: DynamoDbAnswer): unknown => JSON.parse(answer.body);
const PAUSED = 'the DynamoDB emulator is paused';

describe('the DynamoDB thread over its MessagePort', () => {
  let thread: DynamoDbThread;
  beforeAll(async () => {
    thread = await startDynamoDbThread(tempDir('ddb-thread'));
    const created = await thread.send(
      dynamoDbCall('CreateTable', {
        TableName: TABLE,
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    expect(created.status).toBe(200);
    // dynalite makes a table ACTIVE after `createTableMs` (0 here) on a timer: wait for it, as clients do.
    for (let tries = 0; tries < 100; tries += 1) {
      const described = json(await thread.send(dynamoDbCall('DescribeTable', { TableName: TABLE }))) as {
        Table?: { TableStatus?: string };
      };
      if (described.Table?.TableStatus === 'ACTIVE') return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`${TABLE} never became ACTIVE`);
  });
  afterAll(async () => {
    await thread.close();
  });

  it('answers what dynalite writes: status, its headers and the JSON body', async () => {
    const put = await thread.send(
      dynamoDbCall('PutItem', { TableName: TABLE, Item: { pk: { S: 'a' }, n: { N: '1' } } }),
    );
    expect(put.status).toBe(200);
    expect(put.headers['content-type']).toBe('application/x-amz-json-1.0');
    expect(put.headers['content-length']).toBe(String(Buffer.byteLength(put.body)));
    expect(put.headers['x-amz-crc32']).toMatch(/^\d+$/);
    expect(put.headers['x-amzn-requestid']).toMatch(/^[A-Z0-9]{52}$/);
    const got = await thread.send(dynamoDbCall('GetItem', { TableName: TABLE, Key: { pk: { S: 'a' } } }));
    expect(json(got)).toEqual({ Item: { pk: { S: 'a' }, n: { N: '1' } } });
  });

  it("keeps dynalite's error shapes (validation, malformed JSON, unknown operation, missing signature)", async () => {
    const missingTable = await thread.send(
      dynamoDbCall('GetItem', { TableName: 'nope', Key: { pk: { S: 'a' } } }),
    );
    expect(missingTable.status).toBe(400);
    expect(json(missingTable)).toEqual({
      __type: 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException',
      message: 'Requested resource not found',
    });
    const malformed = await thread.send({ ...dynamoDbCall('GetItem', {}), body: '{not json' });
    expect([malformed.status, json(malformed)]).toEqual([
      400,
      { __type: 'com.amazon.coral.service#SerializationException' },
    ]);
    const unknown = await thread.send(dynamoDbCall('Frobnicate', {}));
    expect([unknown.status, json(unknown)]).toEqual([
      400,
      { __type: 'com.amazon.coral.service#UnknownOperationException' },
    ]);
    const unsigned = await thread.send(dynamoDbCall('ListTables', {}, { authorization: '' }));
    expect(unsigned.status).toBe(400);
    expect(json(unsigned)).toEqual({
      __type: 'com.amazon.coral.service#MissingAuthenticationTokenException',
      message: 'Request is missing Authentication Token',
    });
  });

  it('carries multi-byte UTF-8 both ways', async () => {
    const name = 'café 日本 🎉';
    await thread.send(
      dynamoDbCall('PutItem', { TableName: TABLE, Item: { pk: { S: 'u' }, name: { S: name } } }),
    );
    const got = await thread.send(dynamoDbCall('GetItem', { TableName: TABLE, Key: { pk: { S: 'u' } } }));
    expect(json(got)).toEqual({ Item: { pk: { S: 'u' }, name: { S: name } } });
    expect(got.headers['content-length']).toBe(String(Buffer.byteLength(got.body)));
  });

  it('answers many requests in flight, each with its own answer', async () => {
    const keys = Array.from({ length: 40 }, (_, i) => `k${i}`);
    await Promise.all(
      keys.map((k) =>
        thread.send(dynamoDbCall('PutItem', { TableName: TABLE, Item: { pk: { S: k }, v: { S: k } } })),
      ),
    );
    const answers = await Promise.all(
      keys.map((k) => thread.send(dynamoDbCall('GetItem', { TableName: TABLE, Key: { pk: { S: k } } }))),
    );
    expect(answers.map((a) => (json(a) as { Item: { v: { S: string } } }).Item.v.S)).toEqual(keys);
  });

  it('refuses requests while paused and serves the same data after listen', async () => {
    await thread.pause();
    await expect(
      thread.send(dynamoDbCall('GetItem', { TableName: TABLE, Key: { pk: { S: 'a' } } })),
    ).rejects.toThrow('paused');
    await thread.listen();
    const got = await thread.send(dynamoDbCall('GetItem', { TableName: TABLE, Key: { pk: { S: 'a' } } }));
    expect(json(got)).toEqual({ Item: { pk: { S: 'a' }, n: { N: '1' } } });
  });

  it('survives pauses that cut off requests in flight, and answers each of those requests', async () => {
    // dynalite throws 'Database is closed' from the callback of a read its close cut off: that ended the
    // thread (exit 1), and the reliability suite's DynamoDB outage then waited forever for it to stop.
    for (let cycle = 0; cycle < 8; cycle += 1) {
      let paused = false;
      const outcomes: (number | string)[] = [];
      const lanes = Array.from({ length: 8 }, async (_, lane) => {
        for (let i = 0; !paused; i += 1) {
          const key = { pk: { S: `lane${lane}-${i % 20}` } };
          const request =
            i % 2 === 0
              ? dynamoDbCall('UpdateItem', {
                  TableName: TABLE,
                  Key: key,
                  UpdateExpression: 'SET n = :n',
                  ExpressionAttributeValues: { ':n': { N: String(i) } },
                })
              : dynamoDbCall('GetItem', { TableName: TABLE, Key: key });
          const outcome = await thread.send(request).then(
            (a) => a.status,
            (e: Error) => e.message,
          );
          outcomes.push(outcome);
          if (outcome !== 200 && outcome !== PAUSED) break;
        }
      });
      // Pause once dynalite is answering (the two ports' messages are not ordered with each other), a little
      // later each cycle.
      while (!outcomes.includes(200)) await new Promise((resolve) => setTimeout(resolve, 5));
      await new Promise((resolve) => setTimeout(resolve, cycle * 10));
      try {
        await thread.pause().finally(() => (paused = true));
        await Promise.all(lanes);
        // Each request answered: by dynalite, or refused as the outage (none left waiting, none failed otherwise).
        expect(outcomes.filter((o) => o !== 200 && o !== PAUSED)).toEqual([]);
      } finally {
        await thread.listen();
      }
    }
    const got = await thread.send(dynamoDbCall('GetItem', { TableName: TABLE, Key: { pk: { S: 'a' } } }));
    expect(json(got)).toEqual({ Item: { pk: { S: 'a' }, n: { N: '1' } } });
  });

  it('still serves the stack’s own clients over loopback HTTP', async () => {
    const { method, headers, body } = dynamoDbCall('ListTables', {});
    const answer = await fetch(`http://${thread.host}:${thread.port}/`, {
      method,
      body,
      headers: headers as Record<string, string>,
    });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ TableNames: [TABLE] });
  });
});

describe('a closed DynamoDB thread', () => {
  it('rejects requests once it has ended', async () => {
    const thread = await startDynamoDbThread(tempDir('ddb-thread'));
    await thread.close();
    await expect(thread.send(dynamoDbCall('ListTables', {}))).rejects.toThrow('exited');
  });

  it('fails a pause and ends a close at once when the thread has died', async () => {
    const thread = await startDynamoDbThread(tempDir('ddb-thread'));
    // Any uncaught error ends the thread: dynalite throws on a request without headers.
    const headless = {
      ...dynamoDbCall('ListTables', {}),
      headers: undefined as unknown as Record<string, string>,
    };
    await expect(thread.send(headless)).rejects.toThrow('exited');
    // Before, these waited for a reply or an 'exit' that had already come: a stack stop never ended.
    await expect(thread.pause()).rejects.toThrow('exited');
    await thread.close();
  });
});
