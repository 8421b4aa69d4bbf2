import { ImageApiClient } from '../src/api/image-api';
import { ConsoleError } from '../src/api/errors';

const json = (body: unknown, status = 200): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

const TOKEN = {
  token: 'jwt',
  tokenType: 'Bearer',
  expiresAt: '2030-01-01T00:00:00.000Z',
  sub: 'local-user',
  scope: 'images.read images.write',
};

describe('ImageApiClient', () => {
  it('gets one token, asks for an upload, then form-POSTs the fields and the file to upload.url', async () => {
    const calls: { url: string; init?: RequestInit }[] = [];
    const client = new ImageApiClient('http://edge', async (url, init) => {
      calls.push({ url, ...(init ? { init } : {}) });
      if (url.endsWith('/_imgpipe/api/tokens')) return json(TOKEN, 201);
      if (url.endsWith('/_api/v1/uploads'))
        return json(
          {
            id: 'dS9sb2NhbC11c2VyL2EucG5n',
            key: 'u/local-user/a.png',
            upload: { url: 'http://edge/imgpipe-source', fields: { key: 'u/local-user/a.png', policy: 'p' } },
            expiresAt: '2030-01-01T00:00:00.000Z',
          },
          201,
        );
      return new Response(null, { status: 204 });
    });
    const file = Object.assign(new Blob([new Uint8Array(5)], { type: 'image/png' }), { name: 'a.png' });
    const created = await client.upload(file);
    expect(created.key).toBe('u/local-user/a.png');
    expect(calls.map((c) => [c.init?.method, c.url])).toEqual([
      ['POST', 'http://edge/_imgpipe/api/tokens'],
      ['POST', 'http://edge/_api/v1/uploads'],
      ['POST', 'http://edge/imgpipe-source'],
    ]);
    expect(JSON.parse(String(calls[1]?.init?.body))).toEqual({
      filename: 'a.png',
      contentType: 'image/png',
      bytes: 5,
    });
    expect((calls[1]?.init?.headers as Record<string, string>)['authorization']).toBe('Bearer jwt');
    const form = calls[2]?.init?.body as FormData;
    expect([...form.keys()]).toEqual(['key', 'policy', 'file']);
  });

  it('turns refusals into typed errors', async () => {
    const client = new ImageApiClient('', async (url) =>
      url.endsWith('/tokens') ? json(TOKEN, 201) : json({ error: { code: 'NOT_FOUND', message: 'no' } }, 404),
    );
    await expect(client.image('abc')).rejects.toMatchObject({ code: 'NOT_FOUND', status: 404 });
    const bad = new ImageApiClient('', async (url) =>
      url.endsWith('/tokens') ? json(TOKEN, 201) : json({ items: 3 }),
    );
    await expect(bad.listImages()).rejects.toBeInstanceOf(ConsoleError);
  });
});
