import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { InvocationReport, LocalStack } from '../../src';
import { waitFor } from '../support/helpers';
import { awsCli, clientEnv, eventLines, type Run, run, startClientStack } from './support';

jest.setTimeout(120_000);

/** Awkward names: spaces, `+`, `%`, `&`, `=`, unicode, and an empty file. */
const TREE: Readonly<Record<string, string>> = {
  'plain.txt': 'plain',
  'with space/a b.txt': 'space',
  'plus+sign/1+1=2.txt': 'plus',
  'percent%/100%25 done.txt': 'percent',
  'amp&eq/a&b=c.txt': 'amp',
  'ünïcødé/日本語/😀.txt': 'unicode',
  'empty/empty.txt': '',
};

function files(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else out[relative(dir, path).split('\\').join('/')] = readFileSync(path, 'utf8');
    }
  };
  walk(dir);
  return out;
}

function writeTree(dir: string, tree: Readonly<Record<string, string>>): void {
  for (const [name, content] of Object.entries(tree)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
}

/** `s3 ls --recursive` lines as key → size. */
function listing(out: string): Record<string, number> {
  const result: Record<string, number> = {};
  for (const line of out.split('\n')) {
    const m = /^\S+ \S+\s+(\d+) (.*)$/.exec(line);
    if (m?.[2] !== undefined) result[m[2]] = Number(m[1]);
  }
  return result;
}

/** S3's ETag of a multipart upload of `data` in `partSize` parts. */
function multipartEtag(data: Buffer, partSize: number): string {
  const digests: Buffer[] = [];
  for (let at = 0; at < data.length; at += partSize)
    digests.push(
      createHash('md5')
        .update(data.subarray(at, at + partSize))
        .digest(),
    );
  return `"${createHash('md5').update(Buffer.concat(digests)).digest('hex')}-${digests.length}"`;
}

describe('the AWS CLI against the local stack', () => {
  let stack: LocalStack;
  let root: string;
  let reports: InvocationReport[];
  let aws: (...args: string[]) => Promise<Run>;
  const bucket = 'cli-bucket';

  beforeAll(async () => {
    const cli = awsCli();
    ({ stack, root, reports } = await startClientStack('cli'));
    const env = clientEnv(root);
    aws = (...args) => run(cli, ['--endpoint-url', stack.endpoint, ...args], env, root);
    expect((await aws('s3', 'mb', `s3://${bucket}`)).code).toBe(0);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const ok = async (...args: string[]): Promise<string> => {
    const result = await aws(...args);
    if (result.code !== 0) throw new Error(`aws ${args.join(' ')} failed (${result.code}): ${result.stderr}`);
    return result.stdout;
  };
  const json = async <T>(...args: string[]): Promise<T> =>
    JSON.parse(await ok(...args, '--output', 'json')) as T;

  it('cp --recursive uploads a tree of awkward names; ls --recursive lists exactly it; cp downloads it back', async () => {
    writeTree(join(root, 'tree'), TREE);
    await ok('s3', 'cp', '--recursive', '--no-progress', join(root, 'tree'), `s3://${bucket}/tree/`);
    const listed = listing(await ok('s3', 'ls', '--recursive', `s3://${bucket}/tree/`));
    expect(listed).toEqual(
      Object.fromEntries(Object.entries(TREE).map(([k, v]) => [`tree/${k}`, Buffer.byteLength(v)])),
    );
    await ok('s3', 'cp', '--recursive', '--no-progress', `s3://${bucket}/tree/`, join(root, 'back'));
    expect(files(join(root, 'back'))).toEqual(TREE);
  });

  it('list-objects-v2 pages through "+" and "%" keys with url encoding, each key exactly once', async () => {
    const page = await json<{ Contents: { Key: string }[] }>(
      's3api',
      'list-objects-v2',
      '--bucket',
      bucket,
      '--prefix',
      'tree/',
      '--page-size',
      '2',
    );
    expect(page.Contents.map((c) => c.Key).sort()).toEqual(
      Object.keys(TREE)
        .map((k) => `tree/${k}`)
        .sort(),
    );
  });

  it('sync uploads only what changed, and syncs back down', async () => {
    writeTree(join(root, 'sync'), TREE);
    const first = await ok('s3', 'sync', '--no-progress', join(root, 'sync'), `s3://${bucket}/sync/`);
    expect(first.split('\n').filter((l) => l.startsWith('upload:'))).toHaveLength(Object.keys(TREE).length);
    const again = await ok('s3', 'sync', '--no-progress', join(root, 'sync'), `s3://${bucket}/sync/`);
    expect(again.trim()).toBe('');
    await ok('s3', 'sync', '--no-progress', `s3://${bucket}/sync/`, join(root, 'sync-down'));
    expect(files(join(root, 'sync-down'))).toEqual(TREE);
  });

  it('mv --recursive within S3 moves keys with "+", "&", "=" and spaces; rm --recursive removes "%" keys', async () => {
    await ok('s3', 'mv', '--recursive', '--no-progress', `s3://${bucket}/sync/`, `s3://${bucket}/moved/`);
    const sizes = Object.fromEntries(Object.entries(TREE).map(([k, v]) => [k, Buffer.byteLength(v)]));
    const prefixed = (prefix: string) =>
      Object.fromEntries(Object.entries(sizes).map(([k, v]) => [`${prefix}${k}`, v]));
    expect(listing(await ok('s3', 'ls', '--recursive', `s3://${bucket}/`))).toEqual({
      ...prefixed('tree/'),
      ...prefixed('moved/'),
    });
    await ok('s3', 'rm', '--recursive', `s3://${bucket}/moved/`);
    expect(listing(await ok('s3', 'ls', '--recursive', `s3://${bucket}/`))).toEqual(prefixed('tree/'));
  });

  it('uploads, then moves inside S3, a 40 MB file in parts with the "-N" ETag S3 gives', async () => {
    const data = randomBytes(40 * 1024 * 1024);
    writeFileSync(join(root, 'big.bin'), data);
    await ok('s3', 'cp', '--no-progress', join(root, 'big.bin'), `s3://${bucket}/big/a b.bin`);
    // Inside S3 the CLI copies objects over 8 MB part by part (UploadPartCopy), then deletes the source.
    await ok('s3', 'mv', '--no-progress', `s3://${bucket}/big/a b.bin`, `s3://${bucket}/big/c+d=e.bin`);
    const head = await json<{ ETag: string; ContentLength: number }>(
      's3api',
      'head-object',
      '--bucket',
      bucket,
      '--key',
      'big/c+d=e.bin',
    );
    expect([head.ETag, head.ContentLength]).toEqual([multipartEtag(data, 8 * 1024 * 1024), data.length]);
    await ok('s3', 'cp', '--no-progress', `s3://${bucket}/big/c+d=e.bin`, join(root, 'big-back.bin'));
    expect(
      createHash('sha256')
        .update(readFileSync(join(root, 'big-back.bin')))
        .digest('hex'),
    ).toBe(createHash('sha256').update(data).digest('hex'));
    await ok('s3', 'rm', `s3://${bucket}/big/c+d=e.bin`);
  });

  it('s3 presign gives a URL a plain HTTP GET can use', async () => {
    const url = (
      await ok('s3', 'presign', `s3://${bucket}/tree/plus+sign/1+1=2.txt`, '--expires-in', '300')
    ).trim();
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('plus');
  });

  it('get-object --range serves a first, an open-ended and a suffix range', async () => {
    const cases: [string, string][] = [
      ['bytes=0-1', 'pl'],
      ['bytes=2-', 'ain'],
      ['bytes=-2', 'in'],
    ];
    // Independent commands run side by side: the CLI's start-up dominates.
    const got = await Promise.all(
      cases.map(async ([range, expected]) => {
        const out = join(root, `range-${expected}`);
        const meta = await json<{ ContentLength: number }>(
          's3api',
          'get-object',
          '--bucket',
          bucket,
          '--key',
          'tree/plain.txt',
          '--range',
          range,
          out,
        );
        return [readFileSync(out, 'utf8'), meta.ContentLength];
      }),
    );
    expect(got).toEqual(cases.map(([, expected]) => [expected, expected.length]));
  });

  it('rb --force empties and removes the bucket', async () => {
    await ok('s3', 'rb', '--force', `s3://${bucket}`);
    const head = await aws('s3api', 'head-bucket', '--bucket', bucket);
    expect([head.code, head.stderr]).toEqual([254, expect.stringContaining('404')]);
  });

  it('versioning: put-bucket-versioning, versions, a delete marker, get-object by version', async () => {
    const versioned = 'cli-versions';
    await ok('s3', 'mb', `s3://${versioned}`);
    await ok(
      's3api',
      'put-bucket-versioning',
      '--bucket',
      versioned,
      '--versioning-configuration',
      'Status=Enabled',
    );
    writeFileSync(join(root, 'v1.txt'), 'one');
    writeFileSync(join(root, 'v2.txt'), 'two!');
    await ok('s3api', 'put-object', '--bucket', versioned, '--key', 'v.txt', '--body', join(root, 'v1.txt'));
    await ok('s3api', 'put-object', '--bucket', versioned, '--key', 'v.txt', '--body', join(root, 'v2.txt'));
    await ok('s3', 'rm', `s3://${versioned}/v.txt`);
    const versions = await json<{
      Versions: { VersionId: string; IsLatest: boolean; Size: number }[];
      DeleteMarkers: { IsLatest: boolean }[];
    }>('s3api', 'list-object-versions', '--bucket', versioned);
    expect(versions.Versions.map((v) => [v.Size, v.IsLatest])).toEqual([
      [4, false],
      [3, false],
    ]);
    expect(versions.DeleteMarkers.map((d) => d.IsLatest)).toEqual([true]);
    const oldest = versions.Versions[1]?.VersionId ?? '';
    await ok(
      's3api',
      'get-object',
      '--bucket',
      versioned,
      '--key',
      'v.txt',
      '--version-id',
      oldest,
      join(root, 'v-old.txt'),
    );
    expect(readFileSync(join(root, 'v-old.txt'), 'utf8')).toBe('one');
  });

  it('every change the CLI makes in the source bucket reaches the pipeline as an event', async () => {
    const source = stack.pipeline.names.sourceBucket;
    writeFileSync(join(root, 'e.txt'), 'event');
    await ok('s3', 'cp', '--no-progress', join(root, 'e.txt'), `s3://${source}/cli/e 1.txt`);
    await ok('s3', 'cp', '--no-progress', `s3://${source}/cli/e 1.txt`, `s3://${source}/cli/e+2.txt`);
    await ok('s3', 'rm', `s3://${source}/cli/e 1.txt`);
    await ok(
      's3api',
      'delete-objects',
      '--bucket',
      source,
      '--delete',
      'Objects=[{Key=cli/e+2.txt},{Key=cli/123}]',
    );
    const expected = [
      'Object Created cli/e 1.txt PutObject',
      'Object Created cli/e+2.txt CopyObject',
      'Object Deleted cli/e 1.txt DeleteObject Delete Marker Created',
      'Object Deleted cli/e+2.txt DeleteObject Delete Marker Created',
      'Object Deleted cli/123 DeleteObject Delete Marker Created',
    ];
    await waitFor(
      () => eventLines(reports).filter((l) => l.includes(' cli/')).length >= expected.length,
      30_000,
      'events',
    );
    expect(
      eventLines(reports)
        .filter((l) => l.includes(' cli/'))
        .sort(),
    ).toEqual([...expected].sort());
  });
});
