import { join } from 'node:path';
import type { InvocationReport, LocalStack } from '../../src';
import { clientEnv, pythonWithBoto3, run, startClientStack } from './support';

jest.setTimeout(120_000);

describe('boto3 (Debian python3-boto3) against the local stack', () => {
  let stack: LocalStack;
  let root: string;
  let reports: InvocationReport[];

  beforeAll(async () => {
    ({ stack, root, reports } = await startClientStack('boto3'));
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('does everyday S3 work as S3 answers it', async () => {
    const python = pythonWithBoto3();
    const result = await run(python, [join(__dirname, 'boto3_suite.py'), stack.endpoint], clientEnv(root));
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(JSON.parse(result.stdout)).toEqual({
      'awkward keys round-trip': { listed: true, bodies: true },
      'v1 listing with a delimiter': { prefixes: ['ünï/'], keys: 5 },
      metadata: { name: 'Zoe', 'with-dash': 'a b=c' },
      'managed multipart upload, copy and download': {
        'upload etag': true,
        'copy etag': true,
        content: true,
      },
      'presigned GET and PUT': [200, 200, 'presigned body'],
      'ranges and response overrides': ['789', 'bytes 7-9/10', '234', 'text/x-test', 'InvalidRange'],
      'conditional requests': ['ok', 'PreconditionFailed', '304', 'PreconditionFailed', '0123456789'],
      'copy_object with odd source keys': ['a&b=c.txt', '1+1=2.txt'],
      'delete_objects with numeric keys': ['007', '1', '2', 'never'],
      'multipart: a missing part, abort, list uploads': ['InvalidPart', ['mp.bin'], [], 'NoSuchUpload'],
      versioning: {
        status: 'Enabled',
        'delete marker': true,
        versions: [2, 1],
        markers: 1,
        old: '1',
        'after delete': 'NoSuchKey',
        'after removing the marker': '22',
      },
      'presigned POST': {
        ok: [204, ''],
        stored: [5, 'image/png'],
        'too big': [400, 'EntityTooLarge'],
        'other type': [403, 'AccessDenied'],
        'other key': [403, 'AccessDenied'],
        expired: [403, 'AccessDenied'],
        'v4 signed': [201, ''],
        'v4 forged': [403, 'SignatureDoesNotMatch'],
        'v4 stored': 'v4',
      },
      'delete_bucket of a non-empty bucket': 'BucketNotEmpty',
    });
    expect(reports.filter((r) => !r.ok)).toEqual([]);
  });
});
