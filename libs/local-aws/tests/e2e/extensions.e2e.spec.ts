import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { type LocalStack, requestAuthorization, type ServiceCall } from '../../src';
import { startFixtureStack, tempDir } from '../support/helpers';

jest.setTimeout(60_000);

/** What a check saw (without the request object), and what IAM makes of it. */
type Seen = Omit<ServiceCall, 'req' | 'body' | 'document' | 'target'> & {
  tables?: readonly string[];
  bucket?: string;
  needs: { action: string; resource: string }[];
};

describe('the edge plug-in point (extensions: checks, S3 handlers, routes)', () => {
  const dataDir = join(tempDir('extensions'), 'data');
  const seen: Seen[] = [];
  let stack: LocalStack;
  const client = (accessKeyId: string) => ({
    region: 'us-east-1',
    credentials: { accessKeyId, secretAccessKey: 'x' },
    maxAttempts: 1,
  });

  beforeAll(async () => {
    stack = await startFixtureStack(dataDir, {
      extensions: {
        checks: [
          (call) => {
            if (call.accessKeyId !== 'probe') return undefined;
            seen.push({
              service: call.service,
              accessKeyId: call.accessKeyId,
              operation: call.operation,
              needs: requestAuthorization(call).requests.map(({ action, resource }) => ({
                action,
                resource,
              })),
              ...(call.service === 'dynamodb' ? { tables: call.tables } : { bucket: call.target.bucket }),
            });
            return call.operation === 'GetItem' || call.operation === 'PutObject'
              ? {
                  status: call.service === 's3' ? 403 : 400,
                  code: call.service === 's3' ? 'AccessDenied' : 'AccessDeniedException',
                  message: 'denied by the probe',
                }
              : undefined;
          },
        ],
        s3Handlers: [
          (call, res) => {
            if (call.operation !== 'GetObject' || call.target.key !== 'answered-by-edge.txt') return false;
            res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '5' });
            res.end('hello');
            return true;
          },
        ],
        routes: [{ prefix: '/_probe', handle: (_req, res) => void res.end('probe route') }],
      },
    });
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('lets a check see the access key id and operation, ask IAM for the actions and resources, and refuse in the service dialect', async () => {
    const s3 = new S3Client({ ...client('probe'), endpoint: stack.endpoint, forcePathStyle: true });
    const dynamo = new DynamoDBClient({ ...client('probe'), endpoint: stack.endpoint });
    const put = s3.send(new PutObjectCommand({ Bucket: 'imgpipe-source', Key: 'a b.jpg', Body: 'x' }));
    await expect(put).rejects.toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    const get = dynamo.send(
      new GetItemCommand({ TableName: 'imgpipe-images', Key: { objectKey: { S: 'k' } } }),
    );
    await expect(get).rejects.toMatchObject({ name: 'AccessDeniedException' });
    expect(seen).toEqual([
      {
        service: 's3',
        accessKeyId: 'probe',
        operation: 'PutObject',
        needs: [{ action: 's3:PutObject', resource: 'arn:aws:s3:::imgpipe-source/a b.jpg' }],
        bucket: 'imgpipe-source',
      },
      {
        service: 'dynamodb',
        accessKeyId: 'probe',
        operation: 'GetItem',
        needs: [
          {
            action: 'dynamodb:GetItem',
            resource: 'arn:aws:dynamodb:us-east-1:000000000000:table/imgpipe-images',
          },
        ],
        tables: ['imgpipe-images'],
      },
    ]);
    s3.destroy();
    dynamo.destroy();
  });

  it('lets an S3 handler answer an operation before the local S3, and leaves the rest to it', async () => {
    const s3 = new S3Client({ ...client('anyone'), endpoint: stack.endpoint, forcePathStyle: true });
    const answered = await s3.send(
      new GetObjectCommand({ Bucket: 'imgpipe-source', Key: 'answered-by-edge.txt' }),
    );
    expect(await answered.Body?.transformToString()).toBe('hello');
    const missing = s3.send(new GetObjectCommand({ Bucket: 'imgpipe-source', Key: 'not-there.txt' }));
    await expect(missing).rejects.toMatchObject({ name: 'NoSuchKey' });
    s3.destroy();
  });

  it('serves an extension route under its prefix only', async () => {
    const hit = await fetch(`${stack.endpoint}/_probe/anything`);
    expect(await hit.text()).toBe('probe route');
    const health = await fetch(`${stack.endpoint}/_imgpipe/health`);
    expect(health.status).toBe(200);
  });
});
