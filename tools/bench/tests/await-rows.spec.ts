import { BatchGetItemCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { startLocalAws, type LocalAws } from '@imgpipe/local-aws/testing';
import { awaitRows, rowReader } from '../src/e2e-phases';

// How the end-to-end bench waits for final rows: the newest pending keys each poll, the rest once those
// are final, only the attributes it reads.

const TABLE = 'images';
const keysOf = (n: number): string[] =>
  Array.from({ length: n }, (_, i) => `bench/${String(i).padStart(3, '0')}.jpg`);

/**
 * A table behind a fake client: every BatchGetItem's keys are recorded, and rows may move before read
 * number `read` is answered (`onRead`), as functions finishing between two polls would.
 */
function fakeTable(onRead: (read: number, status: Map<string, string>) => void) {
  const status = new Map<string, string>();
  const reads: string[][] = [];
  const client = {
    send: async (command: BatchGetItemCommand) => {
      const request = command.input.RequestItems?.[TABLE];
      const keys = (request?.Keys ?? []).map((k) => k['objectKey']?.S ?? '');
      if (keys.length > 0) onRead(reads.length, status);
      reads.push(keys);
      const items = keys
        .filter((k) => status.has(k))
        .map((k) => ({
          objectKey: { S: k },
          status: { S: status.get(k) ?? '' },
          updatedAt: { S: new Date(1_000).toISOString() },
        }));
      return { Responses: { [TABLE]: items }, UnprocessedKeys: {} };
    },
  };
  return { client: client as unknown as DynamoDBClient, status, reads };
}

describe('awaitRows', () => {
  it('reads the newest ten pending keys while they are pending, then every pending key once', async () => {
    const keys = keysOf(25);
    const { client, reads } = fakeTable((read, status) => {
      // Read 0: the first 20 are final but key 3, the newest not yet. Read 1: the newest too. Read 4: key 3.
      if (read === 0) keys.slice(0, 20).forEach((k) => status.set(k, k === keys[3] ? 'pending' : 'ready'));
      if (read === 1) keys.slice(20).forEach((k) => status.set(k, 'ready'));
      if (read === 4) status.set(keys[3] as string, 'failed');
    });
    const rows = await awaitRows(client, TABLE, keys, Date.now() + 60_000, 1);
    expect(reads).toEqual([
      keys.slice(15), // the newest ten: 15-19 ready, 20-24 not yet
      [...keys.slice(10, 15), ...keys.slice(20)], // the newest ten still pending: all final now
      keys.slice(0, 10), // so the older pending keys, once: all but key 3 final
      [keys[3]], // key 3 alone, until it is final
      [keys[3]],
    ]);
    expect([...rows.values()].filter((r) => r.status === 'ready')).toHaveLength(24);
    expect(rows.get(keys[3] as string)).toEqual({ status: 'failed', updatedAt: 1_000 });
  });

  it('reads every pending key once the deadline has passed, and answers what it found', async () => {
    const keys = keysOf(15);
    const { client, reads } = fakeTable((read, status) => {
      if (read === 0) keys.slice(0, 12).forEach((k) => status.set(k, 'ready')); // the newest three never finish
    });
    const rows = await awaitRows(client, TABLE, keys, Date.now() - 1, 1);
    expect(reads).toEqual([keys.slice(5), keys.slice(0, 5)]);
    expect(rows.size).toBe(12);
  });
});

describe('awaitRows over the wire', () => {
  let aws: LocalAws;
  let ddb: DynamoDBClient;
  beforeAll(async () => {
    aws = await startLocalAws();
    ddb = rowReader(aws.dynamoEndpoint);
  });
  afterAll(async () => {
    ddb.destroy();
    await aws.stop();
  });

  it('answers the status and updatedAt of whole rows', async () => {
    const keys = keysOf(3);
    for (const [i, key] of keys.entries())
      await ddb.send(
        new PutItemCommand({
          TableName: aws.names.table,
          Item: {
            objectKey: { S: key },
            status: { S: i === 1 ? 'failed' : 'ready' },
            updatedAt: { S: new Date(1_700_000_000_000 + i).toISOString() },
            variants: { M: { thumb: { S: 'bytes the bench never reads' } } },
          },
        }),
      );
    const rows = await awaitRows(ddb, aws.names.table, keys, Date.now() + 30_000, 10);
    expect([...rows.entries()].sort()).toEqual([
      [keys[0], { status: 'ready', updatedAt: 1_700_000_000_000 }],
      [keys[1], { status: 'failed', updatedAt: 1_700_000_000_001 }],
      [keys[2], { status: 'ready', updatedAt: 1_700_000_000_002 }],
    ]);
  });
});
