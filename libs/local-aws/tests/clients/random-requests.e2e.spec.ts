import { code, send, sendRaw } from '../support/raw-http';
import { FUZZ_BUCKET, useFuzzStack } from './support';

jest.setTimeout(90_000);

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

describe('random and non-S3 requests on the S3 port', () => {
  const stack = useFuzzStack();
  const bucket = FUZZ_BUCKET;
  const alive = () => stack.alive();

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
    // A browser's preflight from the console's own origin (a foreign one is refused by the origin guard).
    const preflight = await send(e, 'OPTIONS', '/', {
      origin: e,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type,x-amz-target',
    });
    expect([preflight.status, preflight.body.includes('<Error>')]).toEqual([200, false]);
  });
});
