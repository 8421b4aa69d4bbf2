import { request } from 'node:http';
import { join } from 'node:path';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import type { LocalStack } from '../../src';
import { startFixtureStack, tempDir } from '../support/helpers';

jest.setTimeout(60_000);

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** A raw request with exactly these headers (fetch would not let us set Host). */
function send(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  body = '',
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        headers: { ...headers, 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('the edge is closed to other web pages (Host and Origin)', () => {
  const dataDir = join(tempDir('origin'), 'data');
  let stack: LocalStack;
  let own: string;
  const dynamoHeaders = {
    'x-amz-target': 'DynamoDB_20120810.ListTables',
    'content-type': 'application/x-amz-json-1.0',
    'x-amz-date': '20260101T000000Z',
    authorization:
      'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=x',
  };

  beforeAll(async () => {
    stack = await startFixtureStack(dataDir, { allowedOrigins: ['http://localhost:5173'] });
    own = `127.0.0.1:${stack.port}`;
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('refuses a foreign Host with 403 on S3, DynamoDB and /_imgpipe', async () => {
    const host = { host: `evil.example:${stack.port}` };
    const s3 = await send(stack.port, 'GET', '/imgpipe-source', host);
    const dynamo = await send(stack.port, 'POST', '/', { ...dynamoHeaders, ...host }, '{}');
    const api = await send(stack.port, 'GET', '/_imgpipe/api/metrics', host);
    const wrongPort = await send(stack.port, 'GET', '/_imgpipe/health', {
      host: `127.0.0.1:${stack.port + 1}`,
    });
    expect([s3.status, dynamo.status, api.status, wrongPort.status]).toEqual([403, 403, 403, 403]);
    expect(s3.body).toContain('<Code>AccessDenied</Code>');
    expect(JSON.parse(dynamo.body)).toEqual({
      __type: 'com.amazon.coral.service#AccessDeniedException',
      Message: expect.stringContaining('evil.example'),
    });
    expect(JSON.parse(api.body)).toEqual({
      error: { code: 'AccessDenied', message: expect.stringContaining('evil.example') },
    });
  });

  it('refuses a foreign Origin with 403 (a form POST into the source bucket, a redrive), before anything happens', async () => {
    const origin = { host: own, origin: 'http://attacker.test' };
    const upload = await send(stack.port, 'PUT', '/imgpipe-source/from-elsewhere.jpg', origin, 'x');
    const redrive = await send(
      stack.port,
      'POST',
      '/_imgpipe/api/dlq/redrive',
      { ...origin, 'content-type': 'application/json' },
      '{}',
    );
    const dynamo = await send(stack.port, 'POST', '/', { ...dynamoHeaders, ...origin }, '{}');
    const nullOrigin = await send(stack.port, 'GET', '/_imgpipe/health', { host: own, origin: 'null' });
    expect([upload.status, redrive.status, dynamo.status, nullOrigin.status]).toEqual([403, 403, 403, 403]);
    const after = await send(stack.port, 'HEAD', '/imgpipe-source/from-elsewhere.jpg', { host: own });
    expect(after.status).toBe(404);
  });

  it("lets in the edge's own origins, IMGPIPE_ALLOWED_ORIGINS and clients that send no Origin", async () => {
    const ok = await Promise.all([
      send(stack.port, 'GET', '/_imgpipe/health', { host: own, origin: `http://${own}` }),
      send(stack.port, 'GET', '/_imgpipe/health', {
        host: `localhost:${stack.port}`,
        origin: `http://localhost:${stack.port}`,
      }),
      send(stack.port, 'GET', '/_imgpipe/health', { host: `[::1]:${stack.port}` }),
      send(stack.port, 'GET', '/_imgpipe/health', { host: own, origin: 'http://localhost:5173' }),
      send(stack.port, 'GET', '/imgpipe-source', { host: own }),
      send(stack.port, 'POST', '/', { ...dynamoHeaders, host: own }, '{}'),
    ]);
    expect(ok.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);
  });

  it('names no internal port in any answer (Location headers and CompleteMultipartUpload bodies)', async () => {
    const s3 = new S3Client({
      endpoint: stack.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    const Bucket = 'imgpipe-source';
    const Key = 'mpu/a.bin';
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key }));
    const part = await s3.send(
      new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 1, Body: Buffer.alloc(1024, 1) }),
    );
    const done = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket,
        Key,
        UploadId,
        MultipartUpload: { Parts: [{ ETag: part.ETag!, PartNumber: 1 }] },
      }),
    );
    // S3 URL-encodes the whole key in a completion's Location, slashes included.
    expect(done.Location).toBe(`${stack.endpoint}/${Bucket}/${encodeURIComponent(Key)}`);
    const created = await send(stack.port, 'PUT', '/located-bucket', { host: own });
    expect(created.headers['location']).toBe('/located-bucket');
    s3.destroy();
  });
});
