import { request } from 'node:http';
import { connect } from 'node:net';
import type { LocalStack } from '../../src';
import { startClientStack } from './support';

jest.setTimeout(90_000);

interface Answer {
  readonly status: number;
  readonly body: string;
}

function send(
  endpoint: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: Buffer | string,
): Promise<Answer> {
  const url = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method,
        path,
        headers: {
          ...(body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) }),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Sends raw bytes on a socket and returns the status line (or '' when the server just closes). */
function sendRaw(endpoint: string, bytes: string): Promise<string> {
  const url = new URL(endpoint);
  return new Promise((resolve) => {
    const socket = connect(Number(url.port), url.hostname, () => socket.end(bytes));
    let text = '';
    socket.on('data', (c: Buffer) => (text += c.toString('latin1')));
    socket.on('close', () => resolve(text.split('\r\n')[0] ?? ''));
    socket.on('error', () => resolve(''));
  });
}

const code = (answer: Answer): string => /<Code>([^<]*)<\/Code>/.exec(answer.body)?.[1] ?? '';

/** A small seeded PRNG, so a failing fuzz case can be replayed. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('malformed S3 requests', () => {
  let stack: LocalStack;
  const bucket = 'fuzz-bucket';

  beforeAll(async () => {
    ({ stack } = await startClientStack('malformed'));
    expect((await send(stack.endpoint, 'PUT', `/${bucket}`)).status).toBe(200);
    expect((await send(stack.endpoint, 'PUT', `/${bucket}/present.txt`, {}, 'here')).status).toBe(200);
    expect((await send(stack.endpoint, 'PUT', `/${bucket}/sentinel.txt`, {}, 'alive')).status).toBe(200);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const alive = async () => {
    // The fuzz never touches this key: it proves the stack still serves what it stored.
    const answer = await send(stack.endpoint, 'GET', `/${bucket}/sentinel.txt`);
    expect([answer.status, answer.body]).toEqual([200, 'alive']);
  };

  it('answers a CompleteMultipartUpload naming a missing part with InvalidPart (it used to crash the stack)', async () => {
    const created = await send(stack.endpoint, 'POST', `/${bucket}/mp.bin?uploads`);
    const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(created.body)?.[1] ?? '';
    await send(stack.endpoint, 'PUT', `/${bucket}/mp.bin?partNumber=1&uploadId=${uploadId}`, {}, 'part');
    const xml = (parts: string) => `<CompleteMultipartUpload>${parts}</CompleteMultipartUpload>`;
    const complete = (body: string) =>
      send(stack.endpoint, 'POST', `/${bucket}/mp.bin?uploadId=${uploadId}`, {}, body);
    const answers = [
      await complete(xml('<Part><PartNumber>7</PartNumber><ETag>"abc"</ETag></Part>')),
      await complete(xml('<Part><PartNumber>1</PartNumber><ETag>"wrong"</ETag></Part>')),
      await complete(xml('<Part><PartNumber>2</PartNumber></Part><Part><PartNumber>1</PartNumber></Part>')),
      await complete(xml('')),
      await complete('not xml at all'),
      await complete(xml('<Part><PartNumber>x</PartNumber></Part>')),
      await send(stack.endpoint, 'POST', `/${bucket}/mp.bin?uploadId=nope`, {}, xml('')),
      await send(stack.endpoint, 'POST', `/${bucket}/other.bin?uploadId=${uploadId}`, {}, xml('')),
    ];
    expect(answers.map((a) => [a.status, code(a)])).toEqual([
      [400, 'InvalidPart'],
      [400, 'InvalidPart'],
      [400, 'InvalidPartOrder'],
      [400, 'MalformedXML'],
      [400, 'MalformedXML'],
      [400, 'MalformedXML'],
      [404, 'NoSuchUpload'],
      [404, 'NoSuchUpload'],
    ]);
    const done = await complete(xml('<Part><PartNumber>1</PartNumber></Part>'));
    const etag = /<ETag>(?:&quot;|&#34;)([0-9a-f]{32}-1)(?:&quot;|&#34;)<\/ETag>/.exec(done.body)?.[1];
    expect([done.status, etag?.endsWith('-1')]).toEqual([200, true]);
    const again = await complete(xml('<Part><PartNumber>1</PartNumber></Part>'));
    expect([again.status, code(again)]).toEqual([404, 'NoSuchUpload']);
    await alive();
  });

  it('answers each malformed request with an S3 error document', async () => {
    const e = stack.endpoint;
    const cases: [Promise<Answer>, number, string][] = [
      [send(e, 'GET', '/%zz/key'), 400, 'InvalidURI'],
      [send(e, 'GET', `/${bucket}/missing.txt`), 404, 'NoSuchKey'],
      [send(e, 'GET', '/no-such-bucket/key'), 404, 'NoSuchBucket'],
      [send(e, 'GET', `/${bucket}/present.txt?versionId=nope`), 404, 'NoSuchVersion'],
      [send(e, 'GET', `/${bucket}/present.txt`, { range: 'bytes=99-' }), 416, 'InvalidRange'],
      [send(e, 'GET', `/${bucket}/present.txt?partNumber=9`), 416, 'InvalidPartNumber'],
      [send(e, 'GET', `/${bucket}/present.txt?partNumber=zero`), 400, 'InvalidArgument'],
      [
        send(e, 'PUT', `/${bucket}/md5.txt`, { 'content-md5': 'AAAAAAAAAAAAAAAAAAAAAA==' }, 'x'),
        400,
        'BadDigest',
      ],
      [send(e, 'PUT', `/${bucket}/md5.txt`, { 'content-md5': 'short' }, 'x'), 400, 'InvalidDigest'],
      [
        send(e, 'PUT', `/${bucket}/chunked.txt`, { 'content-encoding': 'aws-chunked' }, 'zz\r\nnope'),
        400,
        'IncompleteBody',
      ],
      [send(e, 'PUT', `/${bucket}/crc.txt`, { 'x-amz-checksum-crc32': 'AAAAAA==' }, 'x'), 400, 'BadDigest'],
      [send(e, 'PUT', `/${bucket}/c.txt`, { 'x-amz-copy-source': '%zz' }), 400, 'InvalidURI'],
      [send(e, 'PUT', `/${bucket}/c.txt`, { 'x-amz-copy-source': 'only-a-bucket' }), 400, 'InvalidArgument'],
      [send(e, 'PUT', `/${bucket}/c.txt`, { 'x-amz-copy-source': `${bucket}/missing` }), 404, 'NoSuchKey'],
      [send(e, 'PUT', `/${bucket}/c.txt`, { 'x-amz-copy-source': 'no-such-bucket/x' }), 404, 'NoSuchBucket'],
      [
        send(e, 'PUT', `/${bucket}/c.txt`, { 'x-amz-copy-source': `${bucket}/a/../b` }),
        400,
        'InvalidArgument',
      ],
      [
        send(e, 'PUT', `/${bucket}/present.txt`, { 'x-amz-copy-source': `${bucket}/present.txt` }),
        400,
        'InvalidRequest',
      ],
      [send(e, 'PUT', `/${bucket}/k?partNumber=1&uploadId=..%2F..%2Fx`, {}, 'x'), 404, 'NoSuchUpload'],
      [send(e, 'PUT', `/${bucket}/k?partNumber=0&uploadId=abc`, {}, 'x'), 400, 'InvalidArgument'],
      [send(e, 'DELETE', `/${bucket}/k?uploadId=abc`), 404, 'NoSuchUpload'],
      [send(e, 'POST', `/${bucket}?delete`, {}, '<Delete>'), 400, 'MalformedXML'],
      [
        send(
          e,
          'POST',
          `/${bucket}?delete`,
          {},
          `<Delete>${'<Object><Key>k</Key></Object>'.repeat(1001)}</Delete>`,
        ),
        400,
        'MalformedXML',
      ],
      [send(e, 'POST', `/${bucket}?delete`, {}, '<Delete><Object></Object></Delete>'), 400, 'MalformedXML'],
      [
        send(
          e,
          'PUT',
          `/${bucket}?versioning`,
          {},
          '<VersioningConfiguration><Status>On</Status></VersioningConfiguration>',
        ),
        400,
        'MalformedXML',
      ],
      [send(e, 'PUT', `/${bucket}/present.txt?tagging`, {}, 'garbage'), 400, 'MalformedXML'],
      [send(e, 'GET', `/${bucket}?list-type=2&continuation-token=garbage`), 400, 'InvalidArgument'],
      [send(e, 'GET', `/${bucket}?max-keys=-1`), 400, 'InvalidArgument'],
      [send(e, 'GET', `/${bucket}?encoding-type=base64`), 400, 'InvalidArgument'],
      [send(e, 'GET', `/${bucket}?policy`), 501, 'NotImplemented'],
      [send(e, 'PUT', `/${bucket}/present.txt?acl`, {}, ''), 501, 'NotImplemented'],
      [send(e, 'PATCH', `/${bucket}/present.txt`, {}, 'x'), 405, 'MethodNotAllowed'],
      [send(e, 'POST', `/${bucket}`, { 'content-type': 'text/plain' }, 'x'), 412, 'PreconditionFailed'],
      [
        send(e, 'POST', `/${bucket}`, { 'content-type': 'multipart/form-data' }, 'x'),
        400,
        'MalformedPOSTRequest',
      ],
      [
        send(
          e,
          'POST',
          `/${bucket}`,
          { 'content-type': 'multipart/form-data; boundary=b' },
          '--b\r\nContent-Disposition: form-data; name="file"; filename="f"\r\n\r\nx\r\n--b--\r\n',
        ),
        400,
        'InvalidArgument',
      ],
      [
        send(
          e,
          'POST',
          `/${bucket}`,
          { 'content-type': 'multipart/form-data; boundary=b' },
          '--b\r\nContent-Disposition: form-data; name="key"\r\n\r\nk\r\n--b\r\nContent-Disposition: form-data; name="policy"\r\n\r\n!!!\r\n--b\r\nContent-Disposition: form-data; name="file"; filename="f"\r\n\r\nx\r\n--b--\r\n',
        ),
        400,
        'InvalidPolicyDocument',
      ],
      [send(e, 'DELETE', `/${bucket}`), 409, 'BucketNotEmpty'],
      [send(e, 'PUT', `/${bucket}`), 409, 'BucketAlreadyOwnedByYou'],
      [send(e, 'PUT', '/Bad_Bucket'), 400, 'InvalidBucketName'],
    ];
    const answers = await Promise.all(cases.map(([p]) => p));
    expect(answers.map((a) => [a.status, code(a)])).toEqual(cases.map(([, status, c]) => [status, c]));
    await alive();
  });

  it('survives a seeded sweep of random requests: every answer is a well-formed S3 answer, never a 500', async () => {
    const random = mulberry32(15);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const methods = ['GET', 'PUT', 'POST', 'DELETE', 'HEAD'];
    const queries = [
      '',
      'uploads',
      'uploadId=abc',
      'partNumber=1&uploadId=abc',
      'delete',
      'versioning',
      'versions',
      'tagging',
      'acl',
      'list-type=2',
      'list-type=2&continuation-token=',
      'versionId=null',
      'max-keys=abc',
      'prefix=%FF',
      'delimiter=/',
      'location',
      'partNumber=-1',
    ];
    const headers = [
      'range',
      'if-match',
      'if-none-match',
      'if-modified-since',
      'x-amz-copy-source',
      'x-amz-copy-source-range',
      'content-md5',
      'x-amz-metadata-directive',
      'x-amz-tagging',
      'content-type',
    ];
    const values = [
      '',
      '*',
      'bytes=-0',
      'bytes=5-1',
      `${bucket}/present.txt`,
      '%',
      'garbage',
      '"etag"',
      'Thu, 01 Jan 1970 00:00:00 GMT',
      'multipart/form-data; boundary=x',
      'REPLACE',
      'a=1&a=2',
    ];
    const paths = [
      `/${bucket}`,
      `/${bucket}/present.txt`,
      `/${bucket}/fuzz/${encodeURIComponent('ü').repeat(3)}`,
      `/${bucket}/%25`,
      '/',
      `/${bucket}/a+b`,
      '/no-such-bucket',
      `/${bucket}/x%2F..%2Fy`,
    ];
    const bodies = [
      '',
      'x',
      '<Delete><Object><Key>fuzz/a</Key></Object></Delete>',
      '<CompleteMultipartUpload/>',
      '<Tagging><TagSet><Tag><Key>k</Key></Tag></TagSet></Tagging>',
      '\u0000\u00ff',
    ];
    const outcomes: string[] = [];
    for (let i = 0; i < 300; i++) {
      const method = pick(methods);
      const query = pick(queries);
      const extra: Record<string, string> = {};
      for (let h = 0; h < 2; h++) extra[pick(headers)] = pick(values);
      const path = `${pick(paths)}${query ? `?${query}` : ''}`;
      const answer = await send(
        stack.endpoint,
        method,
        path,
        extra,
        method === 'GET' || method === 'HEAD' ? undefined : pick(bodies),
      );
      const wellFormed = answer.status < 400 || method === 'HEAD' || code(answer) !== '';
      if (answer.status >= 500 && answer.status !== 501)
        outcomes.push(`${i} ${method} ${path} ${JSON.stringify(extra)} → ${answer.status}`);
      else if (!wellFormed) outcomes.push(`${i} ${method} ${path} → ${answer.status} without an S3 error`);
    }
    expect(outcomes).toEqual([]);
    expect(await sendRaw(stack.endpoint, 'GARBAGE / HTTP/1.1\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
    // A body cut short: the connection closes, nothing is stored.
    await sendRaw(stack.endpoint, `PUT /${bucket}/cut HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nab`);
    expect(code(await send(stack.endpoint, 'GET', `/${bucket}/cut`))).toBe('NoSuchKey');
    await alive();
  });

  it('answers DynamoDB-shaped requests without a valid X-Amz-Target as DynamoDB, not as S3', async () => {
    const e = stack.endpoint;
    const json = { 'content-type': 'application/x-amz-json-1.0' };
    const answers = await Promise.all([
      send(e, 'POST', '/', { ...json, 'x-amz-target': 'DynamoDB_20120810.NoSuchOperation' }, '{}'),
      send(e, 'POST', '/', json, '{}'),
      send(
        e,
        'POST',
        '/',
        { 'x-amz-target': 'DynamoDB_20120810.ListTables', 'content-type': 'text/plain' },
        '{}',
      ),
    ]);
    expect(answers.map((a) => [a.status, /"__type"/.test(a.body), a.body.includes('<Error>')])).toEqual([
      [400, true, false],
      [400, true, false],
      // DynamoDB (and dynalite) answer a wrong content type with a bare 404, not a JSON error.
      [404, false, false],
    ]);
    const preflight = await send(e, 'OPTIONS', '/', {
      origin: 'http://localhost:3000',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type,x-amz-target',
    });
    expect([preflight.status, preflight.body.includes('<Error>')]).toEqual([200, false]);
  });
});
