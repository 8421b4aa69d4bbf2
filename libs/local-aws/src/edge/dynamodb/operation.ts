import type { IncomingMessage } from 'node:http';
import type { DynamoDbCall } from '../extensions';
import { accessKeyIdOf } from '../signature';

const TARGET_PREFIX = 'DynamoDB_20120810.';

/**
 * Whether a request speaks the DynamoDB JSON API: an `X-Amz-Target` naming DynamoDB (even a wrong
 * operation), the JSON content type, a SigV4 scope for `dynamodb`, or a CORS preflight asking to send
 * `X-Amz-Target`. Such requests get DynamoDB's answer (dynalite's errors), never S3's.
 */
export function isDynamoDbRequest(req: IncomingMessage): boolean {
  if (String(req.headers['x-amz-target'] ?? '').startsWith('DynamoDB_')) return true;
  if (/^application\/x-amz-json-1\.[01]\b/i.test(String(req.headers['content-type'] ?? ''))) return true;
  if (/Credential=[^/]+\/[^/]+\/[^/]+\/dynamodb\//.test(String(req.headers['authorization'] ?? '')))
    return true;
  return (
    req.method === 'OPTIONS' &&
    /(^|,)\s*x-amz-target\s*(,|$)/i.test(String(req.headers['access-control-request-headers'] ?? ''))
  );
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** The tables a request names: `TableName`, or the keys of `RequestItems` (batch and transact calls). */
function tablesOf(document: Record<string, unknown> | undefined): string[] {
  if (!document) return [];
  const names = new Set<string>();
  if (typeof document['TableName'] === 'string') names.add(document['TableName']);
  for (const table of Object.keys(record(document['RequestItems']) ?? {})) names.add(table);
  for (const item of Array.isArray(document['TransactItems']) ? document['TransactItems'] : []) {
    for (const inner of Object.values(record(item) ?? {})) {
      const name = record(inner)?.['TableName'];
      if (typeof name === 'string') names.add(name);
    }
  }
  return [...names].sort();
}

/**
 * Describes a buffered DynamoDB request for the edge's checks: operation and tables (which IAM actions
 * and resources they need is the IAM module's job, `iam/dynamodb-actions.ts`).
 */
export function describeDynamoDbCall(req: IncomingMessage, body: Buffer): DynamoDbCall {
  const operation = String(req.headers['x-amz-target'] ?? '').slice(TARGET_PREFIX.length);
  let document: Record<string, unknown> | undefined;
  try {
    document = record(JSON.parse(body.toString('utf8')));
  } catch {
    // dynalite answers malformed JSON with its own SerializationException.
  }
  const tables = tablesOf(document);
  const query = new URLSearchParams((req.url ?? '').split('?')[1] ?? '');
  return {
    service: 'dynamodb',
    accessKeyId: accessKeyIdOf(req, query),
    operation,
    tables,
    ...(document ? { document } : {}),
    body,
    req,
  };
}
