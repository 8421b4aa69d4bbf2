import { DynamoImageTable } from '@imgpipe/aws';
import { StackRequestError } from './errors';
import type { LocalApi } from './local-api';
import { type Row, RowSchema, type RowStatus } from '@imgpipe/contracts';

export interface RowQuery {
  readonly status?: RowStatus;
  readonly prefix?: string;
}

/** Where `ls`, `show` and `upload --wait` read rows: the local API, or the table on AWS. */
export interface RowSource {
  get(key: string): Promise<Row | undefined>;
  /** Every matching row, in key order. */
  list(query: RowQuery): AsyncIterable<Row>;
}

const API_PAGE = 1000;

/** Rows through the local stack's API (paged by its cursor). */
export class ApiRowSource implements RowSource {
  constructor(private readonly api: LocalApi) {}

  get(key: string): Promise<Row | undefined> {
    return this.api.image(key);
  }

  async *list(query: RowQuery): AsyncIterable<Row> {
    let cursor: string | undefined;
    do {
      const page = await this.api.images({ ...query, limit: API_PAGE, ...(cursor ? { cursor } : {}) });
      yield* page.items;
      cursor = page.nextCursor;
    } while (cursor);
  }
}

const SCAN_PAGE = 500;

function parseRow(item: unknown): Row {
  const parsed = RowSchema.safeParse(item);
  if (!parsed.success)
    throw new StackRequestError(
      'ROW_MISMATCH',
      `A table item is not an imgpipe row: ${parsed.error.issues[0]?.message ?? ''}`,
    );
  return parsed.data;
}

/**
 * Rows straight from the DynamoDB table (the `@imgpipe/aws` adapter). A scan has no key order, so
 * `list` reads every page, filters and sorts before yielding.
 */
export class TableRowSource implements RowSource {
  constructor(private readonly table: DynamoImageTable) {}

  async get(key: string): Promise<Row | undefined> {
    const row = await this.table.get(key);
    return row ? parseRow(row) : undefined;
  }

  async *list(query: RowQuery): AsyncIterable<Row> {
    const rows: Row[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.table.scan({ limit: SCAN_PAGE, ...(cursor ? { cursor } : {}) });
      for (const item of page.rows) {
        const row = parseRow(item);
        if (query.status && row.status !== query.status) continue;
        if (query.prefix && !row.objectKey.startsWith(query.prefix)) continue;
        rows.push(row);
      }
      cursor = page.cursor;
    } while (cursor);
    rows.sort((a, b) => (a.objectKey < b.objectKey ? -1 : a.objectKey > b.objectKey ? 1 : 0));
    yield* rows;
  }
}
