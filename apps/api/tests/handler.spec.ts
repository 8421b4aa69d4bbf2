import { HeadObjectCommand } from '@aws-sdk/client-s3';
import {
  ApiErrorBodySchema,
  CreateUploadResponseSchema,
  DeleteImageResponseSchema,
  HealthResponseSchema,
  ImageSchema,
  ListImagesResponseSchema,
} from '@imgpipe/contracts';
import { runObjectWriters } from '@imgpipe/lambda-kit/testing';
import {
  buildFunctionBundle,
  invokeBundle,
  lambdaContext,
  TEST_CDN_BASE_URL,
  usePipelineServers,
} from '@imgpipe/local-aws/testing';
import { imageId } from '@imgpipe/contracts';
import { extractMetadata, renderVariants } from '@imgpipe/image';
import { API_ROUTES } from '@imgpipe/pipeline';
import { readCorpusFile } from '@imgpipe/testing';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { httpApiEvent, type RequestOptions } from './events';

jest.setTimeout(90_000);

const PHOTO = readCorpusFile('sharp-fixtures/320x240.jpg');
const suite = usePipelineServers();
let handler: (event: unknown, context: unknown) => Promise<APIGatewayProxyStructuredResultV2>;

beforeAll(async () => {
  Object.assign(process.env, suite.servers.env('api'));
  ({ handler } = (await import('../src/handler')) as unknown as { handler: typeof handler });
});

async function call(method: string, path: string, options: RequestOptions = {}) {
  const res = await handler(httpApiEvent(method, path, options), lambdaContext());
  return { status: res.statusCode, headers: res.headers, body: JSON.parse(res.body ?? 'null') as unknown };
}

/** The pipeline's two writers on an uploaded object, as EventBridge would deliver it. */
async function runPipeline(key: string) {
  const head = await suite.servers.s3.send(new HeadObjectCommand({ Bucket: 'imgpipe-source', Key: key }));
  const v = {
    etag: (head.ETag ?? '').replace(/"/g, ''),
    size: head.ContentLength ?? 0,
    sequencer: suite.servers.nextSequencer(),
  };
  await runObjectWriters(suite.servers.created(key, v), suite.servers.env, {
    renderVariants,
    extractMetadata,
  });
}

async function uploadThrough(filename: string, body: Buffer, claims?: RequestOptions['claims']) {
  const created = await call('POST', '/v1/uploads', {
    body: JSON.stringify({ filename, contentType: 'image/jpeg', bytes: body.length }),
    ...(claims ? { claims } : {}),
  });
  expect(created.status).toBe(201);
  const upload = CreateUploadResponseSchema.parse(created.body);
  const form = new FormData();
  for (const [name, value] of Object.entries(upload.upload.fields)) form.append(name, value);
  form.append('file', new Blob([body], { type: 'image/jpeg' }), filename);
  const res = await fetch(upload.upload.url, { method: 'POST', body: form });
  expect(res.status).toBeLessThan(300);
  return upload;
}

describe('api handler (payload 2.0 events)', () => {
  it('routes every route of the pipeline definition (none falls through to "No such route")', async () => {
    for (const route of API_ROUTES) {
      const id = imageId('u/local-user/none.jpg');
      const path = route.path.replace('{id}', id);
      const res = await call(route.method, path, {
        routeKey: `${route.method} ${route.path}`,
        ...(route.path.includes('{id}') ? { pathParameters: { id } } : {}),
        ...(route.method === 'POST' ? { body: '{}' } : {}),
      });
      expect(res.body).not.toEqual({ error: { code: 'NOT_FOUND', message: 'No such route' } });
    }
    expect.assertions(API_ROUTES.length);
  });

  it('answers health without a token', async () => {
    const res = await call('GET', '/v1/health', { claims: null });
    expect(res).toMatchObject({
      status: 200,
      headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
    });
    expect(HealthResponseSchema.parse(res.body)).toEqual({ status: 'ok' });
  });

  it('walks upload, pending, ready with versioned CDN URLs, listing, delete', async () => {
    const upload = await uploadThrough('cat.jpg', PHOTO);
    expect(upload.key).toBe('u/local-user/cat.jpg');
    const id = imageId(upload.key);

    const pending = await call('GET', `/v1/images/${id}`, { pathParameters: { id } });
    expect(ImageSchema.parse(pending.body)).toMatchObject({
      status: 'pending',
      bytes: PHOTO.length,
      variants: [],
    });

    await runPipeline(upload.key);
    const ready = ImageSchema.parse((await call('GET', `/v1/images/${id}`, { pathParameters: { id } })).body);
    expect(ready).toMatchObject({
      id,
      key: upload.key,
      status: 'ready',
      format: 'jpeg',
      width: 320,
      height: 240,
    });
    expect(ready.placeholder).toEqual(expect.any(String));
    expect(ready.variants.map((v) => [v.name, v.width, v.height])).toEqual([
      ['thumb', 128, 128],
      ['small', 320, 240],
      ['large', 320, 240],
    ]);
    const row = await suite.servers.row(upload.key);
    expect(ready.variants.map((v) => v.url)).toEqual(
      (row?.variants ?? []).map((v) => `${TEST_CDN_BASE_URL}/${v.key}?v=${v.version}`),
    );

    const listed = ListImagesResponseSchema.parse(
      (await call('GET', '/v1/images', { query: 'limit=10' })).body,
    );
    expect(listed).toEqual({ items: [ready], nextCursor: null });

    const deleted = await call('DELETE', `/v1/images/${id}`, { pathParameters: { id } });
    expect(deleted.status).toBe(202);
    expect(DeleteImageResponseSchema.parse(deleted.body)).toEqual({ id, key: upload.key });
    await expect(
      suite.servers.s3.send(new HeadObjectCommand({ Bucket: 'imgpipe-source', Key: upload.key })),
    ).rejects.toMatchObject({
      name: 'NotFound',
    });
  });

  it('gives new variant URLs when an image is overwritten', async () => {
    const first = await uploadThrough('same.jpg', PHOTO);
    await runPipeline(first.key);
    const id = imageId(first.key);
    const before = ImageSchema.parse(
      (await call('GET', `/v1/images/${id}`, { pathParameters: { id } })).body,
    );
    await uploadThrough('same.jpg', readCorpusFile('sharp-fixtures/Landscape_9.jpg'));
    await runPipeline(first.key);
    const after = ImageSchema.parse((await call('GET', `/v1/images/${id}`, { pathParameters: { id } })).body);
    const old = new Set(before.variants.map((v) => v.url));
    expect(after.variants.filter((v) => old.has(v.url))).toEqual([]);
  });

  it("hides another user's images (404, as for a missing one) and their listing", async () => {
    const upload = await uploadThrough('private.jpg', PHOTO, {
      sub: 'bob',
      scope: 'images.read images.write',
    });
    const id = imageId(upload.key);
    const theirs = await call('GET', `/v1/images/${id}`, { pathParameters: { id } });
    const missing = imageId('u/local-user/none.jpg');
    const none = await call('GET', `/v1/images/${missing}`, { pathParameters: { id: missing } });
    expect(theirs).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND' } } });
    expect(none).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND' } } });
    expect((await call('GET', '/v1/images', { query: 'prefix=u%2Fbob%2F' })).status).toBe(404);
    const asAdmin = await call('GET', `/v1/images/${id}`, {
      pathParameters: { id },
      claims: { sub: 'ops', scope: 'images.admin' },
    });
    expect(asAdmin).toMatchObject({ status: 200, body: { key: 'u/bob/private.jpg', status: 'pending' } });
  });

  it.each([
    ['no claims', 'GET', '/v1/images', { claims: null }, 401, 'UNAUTHORIZED'],
    [
      'a read-only token on upload',
      'POST',
      '/v1/uploads',
      { claims: { sub: 'a', scope: 'images.read' }, body: '{}' },
      403,
      'FORBIDDEN',
    ],
    ['malformed JSON', 'POST', '/v1/uploads', { body: '{"filename":' }, 400, 'INVALID_JSON'],
    [
      'an unknown field',
      'POST',
      '/v1/uploads',
      { body: '{"filename":"a.jpg","contentType":"image/jpeg","bytes":1,"key":"x"}' },
      400,
      'VALIDATION_FAILED',
    ],
    [
      'a disallowed type',
      'POST',
      '/v1/uploads',
      { body: '{"filename":"a.svg","contentType":"image/svg+xml","bytes":1}' },
      400,
      'UNSUPPORTED_CONTENT_TYPE',
    ],
    [
      'too many bytes',
      'POST',
      '/v1/uploads',
      { body: '{"filename":"a.jpg","contentType":"image/jpeg","bytes":52428801}' },
      400,
      'TOO_LARGE',
    ],
    ['an id that does not decode', 'GET', '/v1/images/a', { pathParameters: { id: 'a' } }, 400, 'INVALID_ID'],
    [
      'an id that is not base64url',
      'GET',
      '/v1/images/not*an*id',
      { pathParameters: { id: 'not*an*id' } },
      400,
      'INVALID_ID',
    ],
    [
      'a delete of an id that is not base64url',
      'DELETE',
      '/v1/images/not*an*id',
      { pathParameters: { id: 'not*an*id' } },
      400,
      'INVALID_ID',
    ],
    ['a forged cursor', 'GET', '/v1/images', { query: 'cursor=abc.def' }, 400, 'INVALID_CURSOR'],
    ['an empty cursor', 'GET', '/v1/images', { query: 'cursor=' }, 400, 'INVALID_CURSOR'],
    [
      'an oversized cursor',
      'GET',
      '/v1/images',
      { query: `cursor=${'a'.repeat(5000)}` },
      400,
      'INVALID_CURSOR',
    ],
    ['a limit out of range', 'GET', '/v1/images', { query: 'limit=0' }, 400, 'VALIDATION_FAILED'],
    ['an unknown parameter', 'GET', '/v1/images', { query: 'order=asc' }, 400, 'VALIDATION_FAILED'],
    ['an unknown route', 'GET', '/v1/nothing', {}, 404, 'NOT_FOUND'],
  ] as const)(
    'refuses %s with its status and stable code',
    async (_what, method, path, options, status, code) => {
      const res = await call(method, path, options as RequestOptions);
      expect(res.status).toBe(status);
      expect(ApiErrorBodySchema.parse(res.body).error.code).toBe(code);
    },
  );
});

describe('api bundle', () => {
  it('exports handler and answers a real event in a fresh node process', async () => {
    const bundle = buildFunctionBundle('api');
    const id = imageId('u/local-user/none.jpg');
    const run = await invokeBundle(
      bundle,
      httpApiEvent('GET', `/v1/images/${id}`, { pathParameters: { id } }),
      suite.servers.env('api'),
    );
    expect(run).toMatchObject({ ok: true, exports: ['handler'] });
    const result = run.result as APIGatewayProxyStructuredResultV2;
    expect(result.statusCode).toBe(404);
    expect(ApiErrorBodySchema.parse(JSON.parse(result.body ?? ''))).toEqual({
      error: { code: 'NOT_FOUND', message: `No image with id "${id}"` },
    });
  });
});
