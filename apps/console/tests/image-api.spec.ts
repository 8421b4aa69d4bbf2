import { ConsoleError } from '../src/api/errors';
import type { FormPost } from '../src/api/form-post';
import { ImageApiClient, type UploadProgress } from '../src/api/image-api';
import { TokenSource } from '../src/api/token';

const json = (body: unknown, status = 200): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

const token = (value: string, expiresAt = '2030-01-01T00:00:00.000Z') => ({
  token: value,
  tokenType: 'Bearer',
  expiresAt,
  sub: 'local-user',
  scope: 'images.read images.write',
});

const CREATED = {
  id: 'dS9sb2NhbC11c2VyL2EucG5n',
  key: 'u/local-user/a.png',
  upload: { url: 'http://edge/imgpipe-source', fields: { key: 'u/local-user/a.png', policy: 'p' } },
  expiresAt: '2030-01-01T00:00:00.000Z',
};

const IMAGE = {
  id: 'dS9sb2NhbC11c2VyL2EucG5n',
  key: 'u/local-user/a.png',
  status: 'ready',
  format: 'png',
  width: 4,
  height: 3,
  bytes: 5,
  metadata: null,
  placeholder: null,
  error: null,
  variants: [
    {
      name: 'thumb',
      format: 'webp',
      width: 4,
      height: 3,
      bytes: 40,
      url: 'http://edge/_cdn/u/local-user/a.png/thumb.webp?v=1',
    },
  ],
  updatedAt: '2030-01-01T00:00:00.000Z',
};

const pngFile = (size = 5) =>
  Object.assign(new Blob([new Uint8Array(size)], { type: 'image/png' }), { name: 'a.png' });

interface Call {
  readonly url: string;
  readonly method: string | undefined;
  readonly authorization: string | undefined;
  readonly body: unknown;
}

/** A fake edge: answers by URL, records every call. */
function edge(answer: (url: string, init: RequestInit | undefined) => Response) {
  const calls: Call[] = [];
  const fetchImpl = async (url: string, init?: RequestInit): Promise<Response> => {
    const headers = (init?.headers ?? {}) as Record<string, string>;
    calls.push({ url, method: init?.method, authorization: headers['authorization'], body: init?.body });
    return answer(url, init);
  };
  return { calls, fetchImpl };
}

describe('ImageApiClient.upload', () => {
  it('gets one token, asks for an upload, then form-POSTs the fields and the file to upload.url with progress', async () => {
    const { calls, fetchImpl } = edge((url) =>
      url.endsWith('/_imgpipe/api/tokens') ? json(token('jwt'), 201) : json(CREATED, 201),
    );
    const posted: { url: string; fields: string[] }[] = [];
    const formPost: FormPost = async (url, form, onSent) => {
      posted.push({ url, fields: [...form.keys()] });
      onSent?.(2, 5);
      return { status: 204, body: '' };
    };
    const progress: UploadProgress[] = [];
    const client = new ImageApiClient({ origin: 'http://edge', fetchImpl, formPost });

    const created = await client.upload(pngFile(), (p) => progress.push(p));

    expect(created.key).toBe('u/local-user/a.png');
    expect(calls.map((c) => [c.method, c.url, c.authorization])).toEqual([
      ['POST', 'http://edge/_imgpipe/api/tokens', undefined],
      ['POST', 'http://edge/_api/v1/uploads', 'Bearer jwt'],
    ]);
    expect(JSON.parse(String(calls[0]?.body))).toEqual({
      sub: 'local-user',
      scope: 'images.read images.write',
    });
    expect(JSON.parse(String(calls[1]?.body))).toEqual({
      filename: 'a.png',
      contentType: 'image/png',
      bytes: 5,
    });
    expect(posted).toEqual([{ url: 'http://edge/imgpipe-source', fields: ['key', 'policy', 'file'] }]);
    expect(progress).toEqual([
      { phase: 'requesting' },
      { phase: 'sending', sent: 0, total: 5 },
      { phase: 'sending', sent: 2, total: 5 },
      { phase: 'sending', sent: 5, total: 5 },
    ]);
  });

  it("shows the API's refusal with its code, before any URL is used", async () => {
    expect.assertions(2);
    const { fetchImpl } = edge((url) =>
      url.endsWith('/tokens')
        ? json(token('jwt'), 201)
        : json({ error: { code: 'TOO_LARGE', message: 'Expected at most 10 bytes but received 11' } }, 400),
    );
    const formPost: FormPost = async () => {
      throw new Error('must not be called');
    };
    try {
      await new ImageApiClient({ fetchImpl, formPost }).upload(pngFile(11));
    } catch (error) {
      expect(error).toBeInstanceOf(ConsoleError);
      expect(error).toMatchObject({
        code: 'HTTP_ERROR',
        status: 400,
        remoteCode: 'TOO_LARGE',
        message: 'Expected at most 10 bytes but received 11',
      });
    }
  });

  it("turns the storage's refusal into UPLOAD_FAILED with S3's code", async () => {
    const { fetchImpl } = edge((url) =>
      url.endsWith('/tokens') ? json(token('jwt'), 201) : json(CREATED, 201),
    );
    const formPost: FormPost = async () => ({
      status: 400,
      body: '<Error><Code>EntityTooLarge</Code><Message>Your proposed upload exceeds the maximum allowed size</Message></Error>',
    });
    await expect(new ImageApiClient({ fetchImpl, formPost }).upload(pngFile())).rejects.toMatchObject({
      code: 'UPLOAD_FAILED',
      status: 400,
      remoteCode: 'EntityTooLarge',
      message: 'The storage refused a.png (HTTP 400): Your proposed upload exceeds the maximum allowed size',
    });
  });

  it('sends an unknown file type as application/octet-stream, for the API to name what it accepts', async () => {
    const { calls, fetchImpl } = edge((url) =>
      url.endsWith('/tokens') ? json(token('jwt'), 201) : json(CREATED, 201),
    );
    const formPost: FormPost = async () => ({ status: 204, body: '' });
    const untyped = Object.assign(new Blob([new Uint8Array(2)]), { name: 'a.bin' });
    await new ImageApiClient({ fetchImpl, formPost }).upload(untyped);
    expect(JSON.parse(String(calls[1]?.body))).toMatchObject({ contentType: 'application/octet-stream' });
  });
});

describe('ImageApiClient reads', () => {
  it('lists with only the query fields given and parses the page', async () => {
    const { calls, fetchImpl } = edge((url) =>
      url.endsWith('/tokens') ? json(token('jwt'), 201) : json({ items: [IMAGE], nextCursor: 'c2' }),
    );
    const page = await new ImageApiClient({ fetchImpl }).listImages({
      status: 'ready',
      limit: 48,
      cursor: undefined,
    });
    expect(page.nextCursor).toBe('c2');
    expect(page.items.map((i) => i.variants[0]?.url)).toEqual([
      'http://edge/_cdn/u/local-user/a.png/thumb.webp?v=1',
    ]);
    expect(calls[1]?.url).toBe('/_api/v1/images?status=ready&limit=48');
  });

  it('answers NOT_FOUND for a key the caller may not see, and BAD_RESPONSE for a shape off the contract', async () => {
    const { fetchImpl } = edge((url) =>
      url.endsWith('/tokens')
        ? json(token('jwt'), 201)
        : json({ error: { code: 'NOT_FOUND', message: 'No image' } }, 404),
    );
    await expect(new ImageApiClient({ fetchImpl }).image('abc')).rejects.toMatchObject({
      code: 'NOT_FOUND',
      status: 404,
      remoteCode: 'NOT_FOUND',
    });
    const bad = edge((url) => (url.endsWith('/tokens') ? json(token('jwt'), 201) : json({ items: 3 })));
    await expect(new ImageApiClient({ fetchImpl: bad.fetchImpl }).listImages()).rejects.toMatchObject({
      code: 'BAD_RESPONSE',
    });
  });

  it('on a 401 gets a fresh token and retries once', async () => {
    let minted = 0;
    const { calls, fetchImpl } = edge((url, init) => {
      if (url.endsWith('/tokens')) return json(token(`jwt-${++minted}`), 201);
      const auth = (init?.headers as Record<string, string>)['authorization'];
      return auth === 'Bearer jwt-1'
        ? json({ error: { code: 'UNAUTHORIZED', message: 'expired' } }, 401)
        : json(IMAGE);
    });
    const image = await new ImageApiClient({ fetchImpl }).image(IMAGE.id);
    expect(image.status).toBe('ready');
    expect(calls.map((c) => [c.url, c.authorization])).toEqual([
      ['/_imgpipe/api/tokens', undefined],
      [`/_api/v1/images/${IMAGE.id}`, 'Bearer jwt-1'],
      ['/_imgpipe/api/tokens', undefined],
      [`/_api/v1/images/${IMAGE.id}`, 'Bearer jwt-2'],
    ]);
  });

  it('gives up after the second 401 with UNAUTHORIZED', async () => {
    const { calls, fetchImpl } = edge((url) =>
      url.endsWith('/tokens')
        ? json(token('jwt'), 201)
        : json({ error: { code: 'UNAUTHORIZED', message: 'Expected a valid token' } }, 401),
    );
    await expect(new ImageApiClient({ fetchImpl }).image('abc')).rejects.toMatchObject({
      code: 'HTTP_ERROR',
      status: 401,
      remoteCode: 'UNAUTHORIZED',
    });
    expect(calls.filter((c) => c.url.startsWith('/_api'))).toHaveLength(2);
  });

  it("names the caller's folder from the token's subject", async () => {
    const tokens = new TokenSource({ fetchImpl: async () => json({ ...token('jwt'), sub: 'alice' }, 201) });
    expect(await new ImageApiClient({ tokens }).folder()).toBe('u/alice/');
  });
});
