import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Checkpoint, ControlTable } from '@imgpipe/core';
import { CONTROL_TABLE_SCHEMA } from '@imgpipe/pipeline';
import { isAwsError } from './errors';

const KEY = CONTROL_TABLE_SCHEMA.partitionKey;
const TTL = CONTROL_TABLE_SCHEMA.ttlAttribute;
export const LEASE_ID = 'reconcile-lease';
export const CHECKPOINT_ID = 'reconcile-checkpoint';

const conditionFailed = (err: unknown) => isAwsError(err, ['ConditionalCheckFailedException']);

/**
 * Reconcile's lease and checkpoint in the control table. The lease is a conditional put: it is
 * taken when absent, expired, or already held by the same owner (renewal).
 */
export class DynamoControlTable implements ControlTable {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async acquireLease(owner: string, expiresAtMs: number, nowMs: number): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            [KEY]: LEASE_ID,
            owner,
            leaseUntilMs: expiresAtMs,
            [TTL]: Math.ceil(expiresAtMs / 1000) + 3600,
          },
          ConditionExpression: 'attribute_not_exists(#id) OR #until < :now OR #owner = :owner',
          ExpressionAttributeNames: { '#id': KEY, '#until': 'leaseUntilMs', '#owner': 'owner' },
          ExpressionAttributeValues: { ':now': nowMs, ':owner': owner },
        }),
      );
      return true;
    } catch (err) {
      if (conditionFailed(err)) return false;
      throw err;
    }
  }

  async releaseLease(owner: string): Promise<void> {
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { [KEY]: LEASE_ID },
          ConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':owner': owner },
        }),
      );
    } catch (err) {
      if (!conditionFailed(err)) throw err; // someone else's (ours expired): leave it
    }
  }

  async getCheckpoint(): Promise<Checkpoint | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: { [KEY]: CHECKPOINT_ID }, ConsistentRead: true }),
    );
    const item = out.Item as { phase?: Checkpoint['phase']; token?: string; startedAt?: string } | undefined;
    if (!item?.phase || !item.startedAt) return undefined;
    return { phase: item.phase, startedAt: item.startedAt, ...(item.token ? { token: item.token } : {}) };
  }

  async putCheckpoint(checkpoint: Checkpoint | undefined): Promise<void> {
    if (!checkpoint) {
      await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: { [KEY]: CHECKPOINT_ID } }));
      return;
    }
    await this.db.send(
      new PutCommand({ TableName: this.tableName, Item: { [KEY]: CHECKPOINT_ID, ...checkpoint } }),
    );
  }
}
