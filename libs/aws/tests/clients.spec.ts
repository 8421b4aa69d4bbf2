import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteObjectsCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { createAwsClients } from '../src';

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** A plain HTTP server that records each request and answers what S3 and DynamoDB would, minimally. */
function recorder(): { server: Server; seen: Seen[] } {
  const seen: Seen[] = [];
  const object = Buffer.from('the source bytes');
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
      });
      if (req.headers['x-amz-target']) {
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(JSON.stringify({ Item: { objectKey: { S: 'a.jpg' } } }));
      } else if (req.method === 'GET') {
        // A wrong checksum: a client that validated responses would refuse this body.
        res.writeHead(200, {
          'content-length': object.length,
          etag: '"e"',
          'x-amz-checksum-crc32': 'AAAAAA==',
        });
        res.end(object);
      } else if (req.url?.includes('delete')) {
        res.writeHead(200, { 'content-type': 'application/xml' });
        res.end('<?xml version="1.0" encoding="UTF-8"?><DeleteResult></DeleteResult>');
      } else {
        res.writeHead(200, { etag: '"e"' });
        res.end();
      }
    });
  });
  return { server, seen };
}

describe('createAwsClients', () => {
  const { server, seen } = recorder();
  let env: Record<string, string>;

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    env = { AWS_ENDPOINT_URL: `http://127.0.0.1:${port}` };
    process.env['AWS_ENDPOINT_URL'] = env['AWS_ENDPOINT_URL'];
    process.env['AWS_REGION'] = 'us-east-1';
    process.env['AWS_ACCESS_KEY_ID'] = 'imgpipe-resize';
    process.env['AWS_SECRET_ACCESS_KEY'] = 'local';
  });
  afterAll(async () => {
    delete process.env['AWS_ENDPOINT_URL'];
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => seen.splice(0));

  it('drops only the SDK logger middleware (no logger is configured, so it only copied inputs)', () => {
    const { s3, dynamo } = createAwsClients('resize', env);
    const names = (stack: { identify(): string[] }): string[] => stack.identify();
    const defaults = {
      s3: names(new S3Client({ customUserAgent: 'x' }).middlewareStack),
      dynamo: names(DynamoDBDocumentClient.from(new DynamoDBClient({})).middlewareStack),
    };
    expect(defaults.s3.some((n) => n.startsWith('loggerMiddleware'))).toBe(true);
    expect(names(s3.middlewareStack)).toEqual(defaults.s3.filter((n) => !n.startsWith('loggerMiddleware')));
    expect(names(dynamo.middlewareStack)).toEqual(
      defaults.dynamo.filter((n) => !n.startsWith('loggerMiddleware')),
    );
  });

  it('sends a PutObject without a flexible checksum, its SHA-256 signed, tagged with the function', async () => {
    const { s3 } = createAwsClients('resize', env);
    const body = Buffer.from('variant bytes');
    await s3.send(
      new PutObjectCommand({ Bucket: 'b', Key: 'k.webp', Body: body, ContentType: 'image/webp' }),
    );
    const [put] = seen;
    expect(put?.method).toBe('PUT');
    expect(put?.url).toBe('/b/k.webp?x-id=PutObject');
    expect(put?.body).toEqual(body);
    expect(
      Object.keys(put?.headers ?? {}).filter(
        (h) => h.startsWith('x-amz-checksum') || h === 'x-amz-sdk-checksum-algorithm',
      ),
    ).toEqual([]);
    expect(put?.headers['x-amz-content-sha256']).toBe(createHash('sha256').update(body).digest('hex'));
    expect(put?.headers['authorization']).toContain('x-amz-content-sha256');
    expect(put?.headers['user-agent']).toContain('imgpipe-fn/resize');
  });

  it('reads a GetObject body without asking for or checking a checksum', async () => {
    const { s3 } = createAwsClients('resize', env);
    const out = await s3.send(new GetObjectCommand({ Bucket: 'b', Key: 'a.jpg', IfMatch: '"e"' }));
    expect(await out.Body?.transformToString()).toBe('the source bytes');
    expect(seen[0]?.headers['x-amz-checksum-mode']).toBeUndefined();
    expect(seen[0]?.headers['if-match']).toBe('"e"');
  });

  it('still sends the checksum an operation requires (DeleteObjects)', async () => {
    const { s3 } = createAwsClients('resize', env);
    await s3.send(
      new DeleteObjectsCommand({ Bucket: 'b', Delete: { Objects: [{ Key: 'x' }], Quiet: true } }),
    );
    const headers = seen[0]?.headers ?? {};
    expect(Boolean(headers['content-md5'] || headers['x-amz-checksum-crc32'])).toBe(true);
  });

  // The SDK's `cacheMiddleware: true` (about 0.17 ms less CPU per S3 request) shares one request context
  // per command class, so requests in flight together overwrite each other's endpoint: with it, these
  // four PutObjects all went to one bucket (and the DynamoDB document client refuses the option outright).
  it('sends concurrent requests of one command each to its own bucket and key', async () => {
    const { s3 } = createAwsClients('resize', env);
    const buckets = ['b1', 'b2', 'b3', 'b4'];
    await Promise.all(
      buckets.map((b) =>
        s3.send(new PutObjectCommand({ Bucket: b, Key: `k-${b}.webp`, Body: Buffer.from(b) })),
      ),
    );
    expect(seen.map((r) => `${r.url} ${r.body.toString()}`).sort()).toEqual(
      buckets.map((b) => `/${b}/k-${b}.webp?x-id=PutObject ${b}`),
    );
  });

  it('sends DynamoDB requests as before, tagged with the function', async () => {
    const { dynamo } = createAwsClients('metadata-sync', env);
    const out = await dynamo.send(
      new GetCommand({ TableName: 't', Key: { objectKey: 'a.jpg' }, ConsistentRead: true }),
    );
    expect(out.Item).toEqual({ objectKey: 'a.jpg' });
    expect(seen[0]?.headers['x-amz-target']).toBe('DynamoDB_20120810.GetItem');
    expect(JSON.parse(seen[0]?.body.toString() ?? '{}')).toEqual({
      TableName: 't',
      Key: { objectKey: { S: 'a.jpg' } },
      ConsistentRead: true,
    });
    expect(seen[0]?.headers['user-agent']).toContain('imgpipe-fn/metadata-sync');
  });
});
