/**
 * The image API's contract (docs/contract.md "The image API") over HTTP with real fetch. By default it
 * runs against a local stack it starts; with `IMGPIPE_API_URL` (the stack output `api_url`),
 * `IMGPIPE_API_TOKEN` and `IMGPIPE_API_TOKEN_2` (a second user's token, both with `images.read
 * images.write`) it runs against a deployed API instead. Refusals of API Gateway's own authorizer
 * are `{"message":"Unauthorized"|"Forbidden"}` on AWS; the local authorizer answers the contract's body.
 */
import { ApiErrorBodySchema, ListImagesResponseSchema } from '@imgpipe/contracts';
import { readCorpusFile, useTempDirs } from '@imgpipe/testing';
import sharp from 'sharp';
import { type LocalStack, startLocalStack } from '@imgpipe/local-aws';
import { ApiCaller, localToken, poll, postForm } from '@imgpipe/local-aws/testing';

jest.setTimeout(300_000);

const DEPLOYED = process.env['IMGPIPE_API_URL'];
const SMALL = readCorpusFile('pngsuite/basn4a08.png');
const PHOTO = readCorpusFile('exif-orientation-examples/Landscape_6.jpg');
const run = `c${Date.now().toString(36)}`;
// At the top level: removed after the describe block's afterAll has stopped the stack.
const tempDir = useTempDirs();

async function errorCode(res: Response): Promise<string> {
  return ApiErrorBodySchema.parse(await res.json()).error.code;
}

describe(`the image API contract (${DEPLOYED ? `deployed: ${DEPLOYED}` : 'local stack'})`, () => {
  let stack: LocalStack | undefined;
  const apiOperations: string[] = [];
  let alice: ApiCaller;
  let bob: ApiCaller;

  beforeAll(async () => {
    if (DEPLOYED) {
      alice = new ApiCaller(DEPLOYED, process.env['IMGPIPE_API_TOKEN'] ?? '');
      bob = new ApiCaller(DEPLOYED, process.env['IMGPIPE_API_TOKEN_2'] ?? '');
      return;
    }
    stack = await startLocalStack({
      port: 0,
      dataDir: tempDir('imgpipe-contract'),
      samples: false,
      summaryIntervalMs: 0,
      extensions: {
        checks: [
          (call) => {
            if (call.service === 'dynamodb' && call.accessKeyId === 'imgpipe-api')
              apiOperations.push(call.operation);
            return undefined;
          },
        ],
      },
    });
    alice = new ApiCaller(
      `${stack.endpoint}/_api`,
      await localToken(stack.endpoint, { sub: `alice-${run}` }),
    );
    bob = new ApiCaller(`${stack.endpoint}/_api`, await localToken(stack.endpoint, { sub: `bob-${run}` }));
  });
  afterAll(async () => {
    await stack?.stop();
  });

  async function upload(caller: ApiCaller, filename: string, bytes: Buffer, type: string) {
    const created = await caller.createUpload(filename, type, bytes.length);
    const posted = await postForm(created.upload, bytes, type);
    expect(posted.status).toBeLessThan(300);
    return created;
  }

  it('lists page by page with cursors, and never with a table Scan', async () => {
    const names = ['a.png', 'b.png', 'c.png'];
    const ids = [];
    for (const name of names) ids.push((await upload(alice, `${run}-${name}`, SMALL, 'image/png')).id);
    for (const id of ids) await alice.settled(id);
    const first = ListImagesResponseSchema.parse(await (await alice.fetch('/v1/images?limit=2')).json());
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = ListImagesResponseSchema.parse(
      await (
        await alice.fetch(`/v1/images?limit=2&cursor=${encodeURIComponent(first.nextCursor ?? '')}`)
      ).json(),
    );
    expect(second.nextCursor ?? null).toBeNull();
    expect([...first.items, ...second.items].map((i) => i.id).sort()).toEqual([...ids].sort());
    const forged = await alice.fetch('/v1/images?cursor=not-a-cursor');
    expect([forged.status, await errorCode(forged)]).toEqual([400, 'INVALID_CURSOR']);
    if (stack) {
      // Every DynamoDB operation the api function sent, as the edge saw it (signed `imgpipe-api`).
      expect(apiOperations).toContain('Query');
      expect(apiOperations).not.toContain('Scan');
    }
  });

  it('keeps users apart: another user’s image is 404', async () => {
    const mine = await upload(alice, `${run}-private.png`, SMALL, 'image/png');
    await alice.settled(mine.id);
    const res = await bob.fetch(`/v1/images/${mine.id}`);
    expect([res.status, await errorCode(res)]).toEqual([404, 'NOT_FOUND']);
    const del = await bob.fetch(`/v1/images/${mine.id}`, { method: 'DELETE' });
    expect(del.status).toBe(404);
  });

  it('gives an overwrite new variant URLs; the old ones never serve the new bytes', async () => {
    const name = `${run}-overwritten.png`;
    const before = await alice.settled((await upload(alice, name, SMALL, 'image/png')).id);
    const oldUrls = before.variants.map((v) => v.url);
    for (const url of oldUrls) expect((await fetch(url)).status).toBe(200);
    const photoPng = await sharp(PHOTO).rotate().png().toBuffer();
    const created = await upload(alice, name, photoPng, 'image/png');
    const after = await poll(
      async () => {
        const image = await alice.image(created.id);
        return image?.status === 'ready' && image.width === 1800 ? image : undefined;
      },
      120_000,
      'the overwrite to be ready',
    );
    const newUrls = after.variants.map((v) => v.url);
    for (const url of newUrls) expect(oldUrls).not.toContain(url);
    for (const url of oldUrls) {
      const res = await fetch(url);
      expect(res.status).toBe(404);
    }
    for (const variant of after.variants) {
      const res = await fetch(variant.url);
      expect(res.status).toBe(200);
      const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual([variant.format, variant.width, variant.height]);
    }
  });

  it('refuses bad input with its status and code', async () => {
    const post = (body: string) => alice.fetch('/v1/uploads', { method: 'POST', body });
    const cases: [Response, number, string][] = [
      [await post('{"filename":'), 400, 'INVALID_JSON'],
      [
        await post(JSON.stringify({ filename: 'x.png', contentType: 'image/png', bytes: 10, extra: 1 })),
        400,
        'VALIDATION_FAILED',
      ],
      [
        await post(JSON.stringify({ filename: 'x.exe', contentType: 'application/x-msdownload', bytes: 10 })),
        400,
        'UNSUPPORTED_CONTENT_TYPE',
      ],
      [
        await post(JSON.stringify({ filename: 'x.png', contentType: 'image/png', bytes: 10 ** 10 })),
        400,
        'TOO_LARGE',
      ],
      [
        await post(JSON.stringify({ filename: 'a/b.png', contentType: 'image/png', bytes: 10 })),
        400,
        'VALIDATION_FAILED',
      ],
      [await alice.fetch('/v1/images?order=asc'), 400, 'VALIDATION_FAILED'],
      [await alice.fetch('/v1/images?limit=0'), 400, 'VALIDATION_FAILED'],
      [await alice.fetch('/v1/images?status=lost'), 400, 'VALIDATION_FAILED'],
      // An id that is not the base64url of a key is INVALID_ID, whatever is wrong with it, on every route.
      [await alice.fetch('/v1/images/not*an*id'), 400, 'INVALID_ID'],
      [await alice.fetch('/v1/images/not*an*id', { method: 'DELETE' }), 400, 'INVALID_ID'],
      [await alice.fetch('/v1/images/a'), 400, 'INVALID_ID'],
      // Well-formed base64url, but not the encoding of a UTF-8 key.
      [
        await alice.fetch(`/v1/images/${Buffer.from([0xff, 0xfe, 0xfd]).toString('base64url')}`),
        400,
        'INVALID_ID',
      ],
      // A cursor that is not one this listing issued is INVALID_CURSOR, however it is broken.
      [await alice.fetch('/v1/images?cursor=abc.def'), 400, 'INVALID_CURSOR'],
      [await alice.fetch('/v1/images?cursor='), 400, 'INVALID_CURSOR'],
      [await alice.fetch(`/v1/images?cursor=${'a'.repeat(5000)}`), 400, 'INVALID_CURSOR'],
      // Keys outside the caller's u/<sub>/: 404, exactly as a key that does not exist.
      [
        await alice.fetch(`/v1/images/${Buffer.from('u/someone-else/x.png').toString('base64url')}`),
        404,
        'NOT_FOUND',
      ],
      [
        await alice.fetch(`/v1/images/${Buffer.from('u/someone-else/x.png').toString('base64url')}`, {
          method: 'DELETE',
        }),
        404,
        'NOT_FOUND',
      ],
      [await alice.fetch('/v1/images?prefix=u/someone-else/'), 404, 'NOT_FOUND'],
    ];
    expect(await Promise.all(cases.map(async ([res]) => [res.status, await errorCode(res)]))).toEqual(
      cases.map(([, status, code]) => [status, code]),
    );
  });

  it('refuses missing, bad and expired tokens (401) and missing scopes (403)', async () => {
    const base = alice.base;
    const none = await fetch(`${base}/v1/images`);
    expect(none.status).toBe(401);
    expect((await new ApiCaller(base, 'not.a.jwt').fetch('/v1/images')).status).toBe(401);
    if (stack) {
      expect(await errorCode(none)).toBe('UNAUTHORIZED');
      const expired = await localToken(stack.endpoint, { ttlSeconds: -1 });
      expect((await new ApiCaller(base, expired).fetch('/v1/images')).status).toBe(401);
      const readOnly = new ApiCaller(base, await localToken(stack.endpoint, { scope: 'images.read' }));
      const refused = await readOnly.fetch('/v1/uploads', {
        method: 'POST',
        body: JSON.stringify({ filename: 'x.png', contentType: 'image/png', bytes: 10 }),
      });
      expect([refused.status, await errorCode(refused)]).toEqual([403, 'FORBIDDEN']);
    }
  });

  it('deletes: 202, then a tombstone and variant URLs that answer 404', async () => {
    const image = await alice.settled((await upload(alice, `${run}-gone.png`, SMALL, 'image/png')).id);
    const res = await alice.fetch(`/v1/images/${image.id}`, { method: 'DELETE' });
    expect(res.status).toBe(202);
    await alice.settled(image.id, ['deleted']);
    for (const variant of image.variants) {
      await poll(
        async () => ((await fetch(variant.url)).status === 404 ? true : undefined),
        60_000,
        `${variant.url} to 404`,
      );
    }
  });
});
