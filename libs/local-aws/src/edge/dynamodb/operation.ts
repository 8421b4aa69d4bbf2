import type { IncomingMessage } from 'node:http';
import type { DynamoDbCall } from '../extensions';
import { accessKeyIdOf } from '../signature';

const TARGET_PREFIX = 'DynamoDB_20120810.';
const REGION = 'us-east-1';
const ACCOUNT = '000000000000';

/** Whether a request speaks the DynamoDB JSON API (its `X-Amz-Target` names the operation). */
export function isDynamoDbRequest(req: IncomingMessage): boolean {
  return String(req.headers['x-amz-target'] ?? '').startsWith(TARGET_PREFIX);
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

/** Describes a buffered DynamoDB request for the edge's checks: operation, action, tables and their ARNs. */
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
    actions: [`dynamodb:${operation}`],
    resources: tables.map((t) => `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${t}`),
    tables,
    body,
    req,
  };
}
