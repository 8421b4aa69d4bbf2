import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ImageRow } from '@imgpipe/core';
import { isAwsError } from './errors';
import { KEY } from './dynamo-row-writes';
import { UpdateBuilder } from './update-expression';

/** The value placeholder `UpdateBuilder.set('updatedAt', …)` uses. */
const UPDATED_AT_VALUE = ':v_updatedAt';

const isStale = (err: unknown) => isAwsError(err, ['ConditionalCheckFailedException']);

/**
 * One conditional UpdateItem on the images table; false when the condition failed. With `ALL_OLD`, the
 * row as it was before the write (undefined for a new key); otherwise true. A write that sets
 * `updatedAt` never moves it back (`keepUpdatedAt`): it asks for the old values (`UPDATED_OLD`, unless
 * `ALL_OLD` was asked) to know.
 */
export async function conditionalUpdate(
  db: DynamoDBDocumentClient,
  tableName: string,
  objectKey: string,
  b: UpdateBuilder,
  condition: (b: UpdateBuilder) => string,
  returnValues?: 'ALL_OLD',
): Promise<ImageRow | boolean | undefined> {
  const conditionExpression = condition(b);
  const ours = b.values[UPDATED_AT_VALUE] as string | undefined;
  const asked = returnValues ?? (ours === undefined ? undefined : 'UPDATED_OLD');
  try {
    const out = await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { [KEY]: objectKey },
        UpdateExpression: b.expression(),
        ConditionExpression: conditionExpression,
        ExpressionAttributeNames: b.names,
        ExpressionAttributeValues: b.values,
        ...(asked ? { ReturnValues: asked } : {}),
      }),
    );
    const old = out.Attributes as ImageRow | undefined;
    if (ours !== undefined && old?.updatedAt !== undefined && old.updatedAt > ours)
      await keepUpdatedAt(db, tableName, objectKey, ours, old.updatedAt);
    return returnValues ? old : true;
  } catch (err) {
    if (isStale(err)) return false;
    throw err;
  }
}

/**
 * Puts back the `updatedAt` a write just replaced with an earlier time. Each writer takes its time
 * before its write, so when both functions write within moments, the one that lands second can carry
 * the earlier clock; the row's time must still only move forward (the console and API clients keep the
 * newest copy of an image by it). Conditioned on the row still holding the earlier time: a write since wins.
 */
async function keepUpdatedAt(
  db: DynamoDBDocumentClient,
  tableName: string,
  objectKey: string,
  ours: string,
  later: string,
): Promise<void> {
  const b = new UpdateBuilder().set('updatedAt', later);
  try {
    await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { [KEY]: objectKey },
        UpdateExpression: b.expression(),
        ConditionExpression: `${b.name('updatedAt')} = ${b.value('ours', ours)}`,
        ExpressionAttributeNames: b.names,
        ExpressionAttributeValues: b.values,
      }),
    );
  } catch (err) {
    if (!isStale(err)) throw err;
  }
}
