import { createServer, type IncomingMessage, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { API_ROUTES } from '@imgpipe/pipeline';
import { httpApiEvent, httpApiResponse } from '../../src/gateway/payload';
import { matchRoute } from '../../src/gateway/routes';

/** Sends one real HTTP request and hands the server-side IncomingMessage to `inspect`. */
async function capture(
  method: string,
  path: string,
  headers: Record<string, string | string[]>,
  body: Buffer,
): Promise<{ req: IncomingMessage; body: Buffer }> {
  let seen: { req: IncomingMessage; body: Buffer } | undefined;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen = { req, body: Buffer.concat(chunks) };
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve, reject) => {
    const r = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      res.resume();
      res.on('end', resolve);
    });
    r.on('error', reject);
    r.end(body);
  });
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return seen!;
}

describe('matchRoute', () => {
  it('matches the image routes with their path parameters and route keys', () => {
    expect(matchRoute(API_ROUTES, 'GET', '/v1/images/cGhvdG9z')).toMatchObject({
      routeKey: 'GET /v1/images/{id}',
      pathParameters: { id: 'cGhvdG9z' },
    });
    expect(matchRoute(API_ROUTES, 'GET', '/v1/images')?.routeKey).toBe('GET /v1/images');
    expect(matchRoute(API_ROUTES, 'DELETE', '/v1/images/x')?.routeKey).toBe('DELETE /v1/images/{id}');
  });

  it('matches nothing for another method, an extra segment or an empty parameter', () => {
    expect(matchRoute(API_ROUTES, 'PUT', '/v1/images/x')).toBeUndefined();
    expect(matchRoute(API_ROUTES, 'GET', '/v1/images/x/y')).toBeUndefined();
    expect(matchRoute(API_ROUTES, 'GET', '/v1/images/')).toBeUndefined();
  });
});

describe('httpApiEvent', () => {
  it('builds the payload 2.0 event API Gateway sends, with the authorizer claims', async () => {
    const { req, body } = await capture(
      'POST',
      '/_api/v1/uploads?a=1&a=2&b=x%20y',
      { 'content-type': 'application/json', 'x-multi': ['one', 'two'], cookie: 'c1=v1; c2=v2' },
      Buffer.from('{"filename":"cat.jpg"}'),
    );
    const now = new Date('2026-03-12T19:03:58.390Z');
    const event = httpApiEvent(req, {
      url: '/v1/uploads?a=1&a=2&b=x%20y',
      routeKey: 'POST /v1/uploads',
      authorizer: { claims: { sub: 'alice', scope: 'images.write' }, scopes: ['images.write'] },
      apiId: 'local',
      accountId: '000000000000',
      body,
      now,
    });
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'POST /v1/uploads',
      rawPath: '/v1/uploads',
      rawQueryString: 'a=1&a=2&b=x%20y',
      cookies: ['c1=v1', 'c2=v2'],
      queryStringParameters: { a: '1,2', b: 'x y' },
      body: '{"filename":"cat.jpg"}',
      isBase64Encoded: false,
      requestContext: {
        accountId: '000000000000',
        apiId: 'local',
        authorizer: { jwt: { claims: { sub: 'alice', scope: 'images.write' }, scopes: ['images.write'] } },
        http: { method: 'POST', path: '/v1/uploads', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1' },
        routeKey: 'POST /v1/uploads',
        stage: '$default',
        time: '12/Mar/2026:19:03:58 +0000',
        timeEpoch: now.getTime(),
      },
    });
    expect(event.headers['x-multi']).toBe('one,two');
    expect(event.headers).not.toHaveProperty('cookie');
    expect(event).not.toHaveProperty('pathParameters');
  });

  it('decodes the raw path and path parameters and base64-encodes a binary body', async () => {
    const bytes = Buffer.from([0xff, 0xd8, 0xff, 0x00]);
    const { req, body } = await capture(
      'POST',
      '/_cdn/a%20b/thumb.webp',
      { 'content-type': 'image/jpeg' },
      bytes,
    );
    const event = httpApiEvent(req, {
      url: '/a%20b/thumb.webp',
      routeKey: '$default',
      pathParameters: { id: 'a%20b' },
      apiId: 'render',
      accountId: '000000000000',
      body,
    });
    expect(event.rawPath).toBe('/a b/thumb.webp');
    expect(event.pathParameters).toEqual({ id: 'a b' });
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body!, 'base64')).toEqual(bytes);
  });
});

describe('httpApiResponse', () => {
  it('maps a full response with cookies and a base64 body', () => {
    expect(
      httpApiResponse({
        statusCode: 201,
        headers: { 'Content-Type': 'image/webp', 'X-N': 3 },
        cookies: ['a=1', 'b=2'],
        body: Buffer.from('bytes').toString('base64'),
        isBase64Encoded: true,
      }),
    ).toEqual({
      status: 201,
      headers: { 'content-type': 'image/webp', 'x-n': '3', 'set-cookie': ['a=1', 'b=2'] },
      body: Buffer.from('bytes'),
    });
  });

  it('answers a result without statusCode as JSON with 200, as API Gateway assumes', () => {
    expect(httpApiResponse({ ok: true })).toEqual({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: Buffer.from('{"ok":true}'),
    });
  });
});
