import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ImageIndex, ImageRow, IndexKey, IndexQuery } from '@imgpipe/core';
import { TABLE_INDEXES } from '@imgpipe/pipeline';

/**
 * The `ImageIndex` port on the images table's GSIs (`TABLE_INDEXES`): Query only. `byOwner` pages in
 * key order with `begins_with` on the sort key; `byStatus` pages newest `updatedAt` first and narrows
 * to a prefix with a filter. Filters apply after `Limit`, so a page may hold fewer rows than asked.
 */
export class DynamoImageIndex implements ImageIndex {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async query(q: IndexQuery): Promise<{ rows: ImageRow[]; lastKey?: IndexKey }> {
    const index = TABLE_INDEXES[q.index];
    const names: Record<string, string> = { '#pk': index.partitionKey };
    const values: Record<string, unknown> = { ':pk': q.partition };
    let keyCondition = '#pk = :pk';
    const filters: string[] = [];
    if (q.prefix) {
      names['#key'] = 'objectKey';
      values[':prefix'] = q.prefix;
      if (q.index === 'byOwner') keyCondition += ' AND begins_with(#key, :prefix)';
      else filters.push('begins_with(#key, :prefix)');
    }
    if (q.excludeDeleted) {
      names['#status'] = 'status';
      values[':deleted'] = 'deleted';
      filters.push('#status <> :deleted');
    }
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: index.name,
        KeyConditionExpression: keyCondition,
        ...(filters.length > 0 ? { FilterExpression: filters.join(' AND ') } : {}),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ScanIndexForward: q.index === 'byOwner',
        Limit: q.limit,
        ...(q.startKey ? { ExclusiveStartKey: { ...q.startKey } } : {}),
      }),
    );
    const lastKey = out.LastEvaluatedKey as IndexKey | undefined;
    return { rows: (out.Items ?? []) as ImageRow[], ...(lastKey ? { lastKey } : {}) };
  }
}
