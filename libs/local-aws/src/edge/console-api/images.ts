import { DynamoDBDocumentClient, GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { ImagePageInput, RowInput } from '@imgpipe/contracts';
import type { ImageRow } from '@imgpipe/core';

export interface ImageQuery {
  readonly status?: string;
  readonly prefix?: string;
  readonly limit: number;
  readonly cursor?: string;
}

/**
 * A stored item as the API answers it. The table holds what the core writes (`ImageRow`); naming it as
 * the contract's row here makes a drift between the two a type error, without parsing every row.
 */
function asRow(item: Record<string, unknown>): RowInput {
  const row = item as unknown as ImageRow;
  return row;
}

/** Reads the images table for the API: filter by status and key prefix, ordered by key, paged with an opaque cursor. */
export class ImageReader {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(objectKey: string): Promise<RowInput | undefined> {
    const out = await this.client.send(
      new GetCommand({ TableName: this.table, Key: { objectKey }, ConsistentRead: true }),
    );
    return out.Item ? asRow(out.Item) : undefined;
  }

  async list(query: ImageQuery): Promise<ImagePageInput> {
    const rows: RowInput[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new ScanCommand({ TableName: this.table, ExclusiveStartKey: start, ConsistentRead: true }),
      );
      for (const item of page.Items ?? []) rows.push(asRow(item));
      start = page.LastEvaluatedKey;
    } while (start);
    const after = query.cursor ? Buffer.from(query.cursor, 'base64url').toString('utf8') : undefined;
    const matching = rows
      .filter((r) => (query.status ? r.status === query.status : true))
      .filter((r) => (query.prefix ? r.objectKey.startsWith(query.prefix) : true))
      .filter((r) => (after === undefined ? true : r.objectKey > after))
      .sort((a, b) => (a.objectKey < b.objectKey ? -1 : a.objectKey > b.objectKey ? 1 : 0));
    const items = matching.slice(0, query.limit);
    const last = items[items.length - 1];
    return matching.length > query.limit && last
      ? { items, nextCursor: Buffer.from(last.objectKey, 'utf8').toString('base64url') }
      : { items };
  }
}
