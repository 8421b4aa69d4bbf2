import { ownerPrefixOf, ownerStatusKey } from '@imgpipe/pipeline';

/**
 * Writes rows straight into the local stack's images table through its DynamoDB endpoint (the JSON API any
 * SDK speaks), to give the gallery thousands of rows without running the pipeline thousands of times.
 */
const TARGET = 'DynamoDB_20120810.BatchWriteItem';
// The local edge accepts any credentials; a well-formed SigV4 header is all it looks for.
const AUTHORIZATION =
  'AWS4-HMAC-SHA256 Credential=local/20240101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=0';

type AttributeValue = { S: string } | { N: string } | { M: Record<string, AttributeValue> };

export interface SeedRow {
  readonly objectKey: string;
  readonly status: 'ready' | 'failed';
  readonly width: number;
  readonly height: number;
  readonly dominantColor: string;
}

function item(row: SeedRow, updatedAt: string): Record<string, AttributeValue> {
  // The index keys every write of the pipeline sets, so the image API's Query-based listing finds the row.
  const owner = ownerPrefixOf(row.objectKey);
  const base: Record<string, AttributeValue> = {
    objectKey: { S: row.objectKey },
    bucket: { S: 'imgpipe-source' },
    status: { S: row.status },
    ownerPrefix: { S: owner },
    ownerStatus: { S: ownerStatusKey(owner, row.status) },
    bytes: { N: '1000' },
    updatedAt: { S: updatedAt },
  };
  if (row.status === 'failed') {
    base['error'] = { M: { code: { S: 'CORRUPT_IMAGE' }, message: { S: 'seeded failure' } } };
    return base;
  }
  return {
    ...base,
    format: { S: 'jpeg' },
    width: { N: String(row.width) },
    height: { N: String(row.height) },
    metadata: { M: { dominantColor: { S: row.dominantColor } } },
  };
}

/** Puts the rows into `table` in batches of 25 (DynamoDB's limit), retrying unprocessed items. */
export async function seedRows(endpoint: string, table: string, rows: readonly SeedRow[]): Promise<void> {
  const updatedAt = new Date().toISOString();
  for (let i = 0; i < rows.length; i += 25) {
    let requests = rows.slice(i, i + 25).map((row) => ({ PutRequest: { Item: item(row, updatedAt) } }));
    for (let attempt = 0; requests.length > 0; attempt += 1) {
      if (attempt > 5) throw new Error(`Could not seed rows: ${requests.length} stayed unprocessed`);
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': TARGET,
          'x-amz-date': '20240101T000000Z',
          authorization: AUTHORIZATION,
        },
        body: JSON.stringify({ RequestItems: { [table]: requests } }),
      });
      const body = (await response.json()) as {
        UnprocessedItems?: Record<string, typeof requests>;
        message?: string;
      };
      if (!response.ok)
        throw new Error(
          `BatchWriteItem answered HTTP ${response.status}: ${JSON.stringify(body).slice(0, 300)}`,
        );
      requests = body.UnprocessedItems?.[table] ?? [];
    }
  }
}
