import { etagMatches, evaluateRead, parseRange } from '../../src/edge/s3/conditions';
import { S3Error } from '../../src/edge/s3/errors';
import { compareKeys, walk } from '../../src/edge/s3/listing';
import { checkPolicy, decodePolicy } from '../../src/edge/s3/post-policy';

describe('parseRange', () => {
  it('reads first-last, open-ended and suffix ranges as S3 does', () => {
    expect([
      parseRange('bytes=0-4', 10),
      parseRange('bytes=7-', 10),
      parseRange('bytes=-3', 10),
      parseRange('bytes=-30', 10),
      parseRange('bytes=5-100', 10),
    ]).toEqual([
      { start: 0, end: 4 },
      { start: 7, end: 9 },
      { start: 7, end: 9 },
      { start: 0, end: 9 },
      { start: 5, end: 9 },
    ]);
  });

  it('ignores what S3 ignores and refuses what is past the end', () => {
    expect([
      parseRange('bytes=0-1,3-4', 10),
      parseRange('items=0-1', 10),
      parseRange('bytes=5-1', 10),
      parseRange('bytes=10-', 10),
      parseRange('bytes=-0', 10),
      parseRange('bytes=0-', 0),
    ]).toEqual([undefined, undefined, undefined, 'unsatisfiable', 'unsatisfiable', 'unsatisfiable']);
  });
});

describe('conditional reads', () => {
  const object = { etag: '"abc"', lastModified: '2026-01-01T12:00:00.000Z' };
  const before = 'Thu, 01 Jan 2026 11:00:00 GMT';
  const after = 'Thu, 01 Jan 2026 13:00:00 GMT';

  it('matches quoted, unquoted, listed and wildcard ETags', () => {
    expect(['"abc"', 'abc', '"x", "abc"', '*', '"x"'].map((v) => etagMatches(v, '"abc"'))).toEqual([
      true,
      true,
      true,
      true,
      false,
    ]);
  });

  it('lets If-Match beat If-Unmodified-Since and If-None-Match beat If-Modified-Since', () => {
    expect([
      evaluateRead({ ifMatch: '"abc"', ifUnmodifiedSince: before }, object),
      evaluateRead({ ifMatch: '"x"' }, object),
      evaluateRead({ ifUnmodifiedSince: before }, object),
      evaluateRead({ ifNoneMatch: '"abc"' }, object),
      evaluateRead({ ifNoneMatch: '"x"', ifModifiedSince: after }, object),
      evaluateRead({ ifModifiedSince: after }, object),
      evaluateRead({ ifModifiedSince: before }, object),
      evaluateRead({ ifModifiedSince: 'not a date' }, object),
    ]).toEqual([undefined, 412, 412, 304, undefined, 304, undefined, undefined]);
  });
});

describe('listing walk', () => {
  const keys = ['a/1', 'a/2', 'b', 'c/x/1', 'c/y'].sort(compareKeys);
  const one = (key: string) => [key];

  it('rolls up common prefixes and pages after a common prefix without repeating it', () => {
    const first = walk(keys, { prefix: '', delimiter: '/', after: '', max: 2 }, one);
    expect([first.entries, first.truncated]).toEqual([
      [
        { kind: 'prefix', prefix: 'a/' },
        { kind: 'item', key: 'b', item: 'b' },
      ],
      true,
    ]);
    const second = walk(keys, { prefix: '', delimiter: '/', after: 'b', max: 2 }, one);
    expect([second.entries, second.truncated]).toEqual([[{ kind: 'prefix', prefix: 'c/' }], false]);
    const inside = walk(keys, { prefix: 'c/', delimiter: '/', after: 'c/x/', max: 5 }, one);
    expect(inside.entries).toEqual([{ kind: 'item', key: 'c/y', item: 'c/y' }]);
  });

  it('orders keys by UTF-8 bytes, as S3 does (an emoji after a CJK character)', () => {
    expect(['😀', '日', 'z'].sort(compareKeys)).toEqual(['z', '日', '😀']);
  });
});

describe('browser POST policies', () => {
  const encode = (doc: unknown) => Buffer.from(JSON.stringify(doc)).toString('base64');
  const policy = (conditions: unknown[], expiration = '2099-01-01T00:00:00Z') =>
    decodePolicy(encode({ expiration, conditions }));
  const fields = new Map([
    ['key', 'uploads/a.png'],
    ['content-type', 'image/png'],
    ['policy', 'x'],
    ['x-amz-signature', 'x'],
  ]);
  const outcome = (run: () => void): string => {
    try {
      run();
      return 'ok';
    } catch (error: unknown) {
      return error instanceof S3Error ? `${error.status} ${error.code}: ${error.message}` : String(error);
    }
  };

  it('accepts a form that meets every condition', () => {
    const p = policy([
      { bucket: 'b' },
      ['starts-with', '$key', 'uploads/'],
      ['eq', '$Content-Type', 'image/png'],
      ['content-length-range', 1, 10],
    ]);
    expect(outcome(() => checkPolicy(p, fields, 'b', 5))).toBe('ok');
  });

  it('refuses as S3 does: expiry, each failed condition, sizes, fields the policy does not cover', () => {
    const all = [{ bucket: 'b' }, ['starts-with', '$key', 'uploads/'], { 'content-type': 'image/png' }];
    expect([
      outcome(() => checkPolicy(policy(all, '2000-01-01T00:00:00Z'), fields, 'b', 5)),
      outcome(() => checkPolicy(policy([...all, ['eq', '$key', 'other']]), fields, 'b', 5)),
      outcome(() => checkPolicy(policy([...all, ['content-length-range', 1, 4]]), fields, 'b', 5)),
      outcome(() => checkPolicy(policy([...all, ['content-length-range', 6, 9]]), fields, 'b', 5)),
      outcome(() => checkPolicy(policy([{ bucket: 'b' }, ['starts-with', '$key', '']]), fields, 'b', 5)),
      outcome(() => checkPolicy(policy(all), fields, 'other-bucket', 5)),
    ]).toEqual([
      '403 AccessDenied: Invalid according to Policy: Policy expired.',
      '403 AccessDenied: Invalid according to Policy: Policy Condition failed: ["eq","$key","other"]',
      '400 EntityTooLarge: Your proposed upload exceeds the maximum allowed size',
      '400 EntityTooSmall: Your proposed upload is smaller than the minimum allowed size',
      '403 AccessDenied: Invalid according to Policy: Extra input fields: content-type',
      '403 AccessDenied: Invalid according to Policy: Policy Condition failed: {"bucket":"b"}',
    ]);
  });

  it('refuses a policy that is not one', () => {
    expect(
      ['!!!', encode({ conditions: [] }), encode({ expiration: 'soon', conditions: [] })].map((p) =>
        outcome(() => decodePolicy(p)),
      ),
    ).toEqual([
      '400 InvalidPolicyDocument: Invalid Policy: Invalid JSON.',
      '400 InvalidPolicyDocument: Invalid Policy: Policy missing expiration.',
      "400 InvalidPolicyDocument: Invalid Policy: Invalid 'expiration' value.",
    ]);
  });
});
