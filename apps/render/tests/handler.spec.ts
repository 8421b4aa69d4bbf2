import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { runObjectWriters } from '@imgpipe/lambda-kit/testing';
import {
  buildFunctionBundle,
  invokeBundle,
  lambdaContext,
  usePipelineServers,
} from '@imgpipe/local-aws/testing';
import { encodeS3Key } from '@imgpipe/core';
import { extractMetadata, inspectImage, renderVariants } from '@imgpipe/image';
import { DEFAULT_LIMITS } from '@imgpipe/pipeline';
import { readCorpusFile } from '@imgpipe/testing';
import type { LambdaFunctionURLResult } from 'aws-lambda';
import fixture from './fixtures/function-url-get.json';

jest.setTimeout(90_000);

const KEY = 'photos/my cat.jpg';
const suite = usePipelineServers();
let handler: (event: unknown, context: unknown) => Promise<Exclude<LambdaFunctionURLResult, string>>;

/** A Function URL event for `key` (percent-encoded in the path, as CloudFront forwards it). */
function urlEvent(key: string, query: string, method = 'GET') {
  const path = `/${key.split('/').map(encodeURIComponent).join('/')}`;
  return {
    ...fixture,
    rawPath: path,
    rawQueryString: query,
    requestContext: { ...fixture.requestContext, http: { ...fixture.requestContext.http, method, path } },
  };
}

beforeAll(async () => {
  const v = await suite.servers.upload(KEY, readCorpusFile('sharp-fixtures/320x240.jpg'));
  await runObjectWriters(suite.servers.created(KEY, v), suite.servers.env, {
    renderVariants,
    extractMetadata,
  });
  Object.assign(process.env, suite.servers.env('render'));
  ({ handler } = (await import('../src/handler')) as unknown as { handler: typeof handler });
});

describe('render handler (Function URL events)', () => {
  it('renders a missing variant of a ready image with the version resize recorded, writing nothing', async () => {
    const thumb = (await suite.servers.row(KEY))?.variants?.find((variant) => variant.name === 'thumb');
    await suite.servers.s3.send(
      new DeleteObjectCommand({ Bucket: 'imgpipe-derived', Key: `${KEY}/thumb.webp` }),
    );

    const res = await handler(urlEvent(`${KEY}/thumb.webp`, `v=${thumb?.version}`), lambdaContext());

    expect(res).toMatchObject({
      statusCode: 200,
      isBase64Encoded: true,
      headers: {
        'content-type': 'image/webp',
        'cache-control': 'public, max-age=3600, s-maxage=31536000',
        etag: `"${thumb?.version}"`,
        'x-amz-meta-imgpipe-version': thumb?.version,
      },
    });
    const info = await inspectImage(Buffer.from(res.body ?? '', 'base64'), DEFAULT_LIMITS);
    expect([info.format, info.width, info.height]).toEqual(['webp', 128, 128]);
    expect(await suite.servers.derivedKeys(`${KEY}/`)).toEqual([`${KEY}/large.jpg`, `${KEY}/small.webp`]);
  });

  it('answers 404 with a short error cache for another version, an unknown variant, a missing image', async () => {
    for (const [key, query] of [
      [`${KEY}/thumb.webp`, 'v=AAAAAAAAAAAAAAAA'],
      [`${KEY}/huge.webp`, ''],
      ['photos/none.jpg/thumb.webp', ''],
    ] as const) {
      const res = await handler(urlEvent(key, query), lambdaContext());
      expect(res).toMatchObject({ statusCode: 404, headers: { 'cache-control': 'public, max-age=10' } });
    }
  });

  it('answers an unversioned request no-cache, and 400 for an event that is no Function URL event', async () => {
    const res = await handler(urlEvent(`${KEY}/small.webp`, ''), lambdaContext());
    expect(res).toMatchObject({ statusCode: 200, headers: { 'cache-control': 'no-cache' } });
    expect(await handler({ Records: [] }, lambdaContext())).toMatchObject({ statusCode: 400 });
  });
});

describe('render bundle', () => {
  it('exports handler and renders in a fresh node process', async () => {
    const bundle = buildFunctionBundle('render');
    const run = await invokeBundle(bundle, urlEvent(`${KEY}/large.jpg`, ''), suite.servers.env('render'));
    expect(run).toMatchObject({ ok: true, exports: ['handler'], result: { statusCode: 200 } });
    expect(encodeS3Key(KEY)).toBe('photos/my+cat.jpg');
  });
});
