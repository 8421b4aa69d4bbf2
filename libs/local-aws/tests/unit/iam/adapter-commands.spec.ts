import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DEFAULT_POLICIES, policyHolders } from '@imgpipe/pipeline';
import { dynamoDbAuthorization } from '../../../src/iam/dynamodb-actions';
import { s3OperationName } from '../../../src/edge/s3/operation';
import { s3Authorization, type S3RequestFacts } from '../../../src/iam/s3-actions';
import { findRepoRoot } from '../../../src/options';

const ADAPTERS = join(findRepoRoot(__dirname), 'libs', 'aws', 'src');

/** Every `.ts` file of the adapters, test helpers excluded (they act as the administrator). */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'testing' ? [] : sources(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

/** `new XxxCommand(` in the adapters' source, with the file that sends it. */
function sentCommands(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const file of sources(ADAPTERS)) {
    for (const match of readFileSync(file, 'utf8').matchAll(/new (\w+)Command\(/g)) {
      const name = `${match[1]}Command`;
      found.set(name, [...(found.get(name) ?? []), relative(ADAPTERS, file)]);
    }
  }
  return found;
}

/** The operation the edge names for the request, then the actions IAM authorizes for it. */
const s3 = (facts: Omit<S3RequestFacts, 'query' | 'operation'> & { query?: string }) => () => {
  const query = new URLSearchParams(facts.query ?? '');
  const operation = s3OperationName(facts.method, { ...facts, query }, facts.copySource !== undefined);
  return s3Authorization({ ...facts, operation, query }).requests.map((r) => r.action);
};
const dynamo = (operation: string, body: unknown) => () =>
  dynamoDbAuthorization(operation, body, 'us-east-1', '000000000000').requests.map((r) => r.action);

/**
 * Each command the adapters send, the request it becomes on the wire, and the IAM action that
 * request needs. lib-dynamodb's document commands are the item operations of the same name.
 */
const COMMANDS: Readonly<Record<string, { wire: () => string[]; action: string }>> = {
  HeadObjectCommand: { wire: s3({ method: 'HEAD', bucket: 'b', key: 'k' }), action: 's3:GetObject' },
  GetObjectCommand: { wire: s3({ method: 'GET', bucket: 'b', key: 'k' }), action: 's3:GetObject' },
  PutObjectCommand: { wire: s3({ method: 'PUT', bucket: 'b', key: 'k' }), action: 's3:PutObject' },
  DeleteObjectsCommand: {
    wire: s3({ method: 'POST', bucket: 'b', query: 'delete', deleteKeys: [{ key: 'k' }] }),
    action: 's3:DeleteObject',
  },
  ListObjectsV2Command: {
    wire: s3({ method: 'GET', bucket: 'b', query: 'list-type=2&prefix=p' }),
    action: 's3:ListBucket',
  },
  GetCommand: { wire: dynamo('GetItem', { TableName: 't' }), action: 'dynamodb:GetItem' },
  PutCommand: { wire: dynamo('PutItem', { TableName: 't' }), action: 'dynamodb:PutItem' },
  UpdateCommand: { wire: dynamo('UpdateItem', { TableName: 't' }), action: 'dynamodb:UpdateItem' },
  DeleteCommand: { wire: dynamo('DeleteItem', { TableName: 't' }), action: 'dynamodb:DeleteItem' },
  BatchGetCommand: {
    wire: dynamo('BatchGetItem', { RequestItems: { t: {} } }),
    action: 'dynamodb:BatchGetItem',
  },
  ScanCommand: { wire: dynamo('Scan', { TableName: 't' }), action: 'dynamodb:Scan' },
  QueryCommand: { wire: dynamo('Query', { TableName: 't', IndexName: 'i' }), action: 'dynamodb:Query' },
};

describe('the SDK commands the adapters send', () => {
  it('are exactly the commands whose IAM action is known here (a new command must be mapped and granted)', () => {
    expect([...sentCommands().keys()].sort()).toEqual(Object.keys(COMMANDS).sort());
  });

  it.each(Object.entries(COMMANDS).map(([name, c]) => [name, c.action, c.wire] as const))(
    '%s needs %s on the wire, as IAM maps it',
    (_, action, wire) => {
      expect(wire()).toEqual([action]);
    },
  );

  it('need only actions some function is granted for its code, and every code grant is such an action', () => {
    const granted = new Set(
      policyHolders(DEFAULT_POLICIES).flatMap((fn) =>
        (DEFAULT_POLICIES[fn] ?? []).filter((s) => s.basis === 'code').flatMap((s) => s.actions),
      ),
    );
    expect([...granted].sort()).toEqual([...new Set(Object.values(COMMANDS).map((c) => c.action))].sort());
  });
});
