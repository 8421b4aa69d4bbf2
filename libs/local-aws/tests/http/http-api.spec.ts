import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { definePipeline } from '@imgpipe/pipeline';
import { LocalIssuer } from '../../src/gateway/issuer';
import type { PoolOutcome } from '../../src/http/function-pool';
import { createHttpApi } from '../../src/http/http-api';
import { tempDir } from '../support/helpers';

/** The gateway in front of a fake `api` function: what API Gateway answers itself, and how it maps results. */
describe('the local HTTP API (API Gateway emulation) with a fake function', () => {
  let server: Server;
  let base: string;
  let issuer: LocalIssuer;
  let next: PoolOutcome;
  const events: Record<string, unknown>[] = [];

  beforeAll(async () => {
    issuer = await LocalIssuer.open({ dir: tempDir('gw'), issuer: 'http://local/oidc', audience: 'aud' });
    const route = createHttpApi({
      pipeline: definePipeline({ apiThrottle: { rateLimit: 1, burstLimit: 30 } }),
      pool: {
        invoke: (event) => {
          events.push(event as Record<string, unknown>);
          return Promise.resolve(next);
        },
      },
      authorizer: () => ({ issuer: issuer.issuer, audience: ['aud'], keys: issuer.keyResolver() }),
      accountId: '000000000000',
      apiId: 'test',
      corsOrigins: ['http://app.example'],
    });
    server = createServer((req, res) => void route.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/_api`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const ok = (value: unknown): PoolOutcome => ({ ok: true, value, durationMs: 1, coldStart: false });

  it('sends a payload 2.0 event with the route, decoded path parameters and the JWT claims', async () => {
    next = ok({ statusCode: 200, headers: { 'x-one': 'a' }, cookies: ['c=1'], body: 'hi' });
    const { token } = await issuer.mint({ sub: 'ann', scope: 'images.read' });
    const res = await fetch(`${base}/v1/images/a%2Db?x=1&x=2`, {
      headers: { authorization: `Bearer ${token}`, cookie: 'k=v; j=w' },
    });
    expect([res.status, res.headers.get('x-one'), res.headers.get('set-cookie'), await res.text()]).toEqual([
      200,
      'a',
      'c=1',
      'hi',
    ]);
    const event = events.at(-1) as {
      routeKey: string;
      rawPath: string;
      rawQueryString: string;
      cookies: string[];
      queryStringParameters: Record<string, string>;
      pathParameters: Record<string, string>;
      requestContext: {
        stage: string;
        authorizer: { jwt: { claims: Record<string, string>; scopes: string[] } };
      };
    };
    expect([event.routeKey, event.rawPath, event.rawQueryString]).toEqual([
      'GET /v1/images/{id}',
      '/v1/images/a-b',
      'x=1&x=2',
    ]);
    expect(event.cookies).toEqual(['k=v', 'j=w']);
    expect(event.queryStringParameters).toEqual({ x: '1,2' });
    expect(event.pathParameters).toEqual({ id: 'a-b' });
    expect(event.requestContext.stage).toBe('$default');
    expect(event.requestContext.authorizer.jwt.claims['sub']).toBe('ann');
    expect(event.requestContext.authorizer.jwt.scopes).toEqual(['images.read']);
  });

  it('maps a result without statusCode as the simple format: 200 JSON', async () => {
    next = ok({ status: 'ok' });
    const res = await fetch(`${base}/v1/health`);
    expect([res.status, res.headers.get('content-type'), await res.json()]).toEqual([
      200,
      'application/json',
      { status: 'ok' },
    ]);
  });

  it('answers a timeout 503 and a failure 500, API Gateway’s bodies', async () => {
    next = { ok: false, error: { type: 'Sandbox.Timedout', message: 't' }, durationMs: 1, coldStart: false };
    const slow = await fetch(`${base}/v1/health`);
    expect([slow.status, await slow.json()]).toEqual([503, { message: 'Service Unavailable' }]);
    next = { ok: false, error: { type: 'Error', message: 'boom' }, durationMs: 1, coldStart: false };
    const broken = await fetch(`${base}/v1/health`);
    expect([broken.status, await broken.json()]).toEqual([500, { message: 'Internal Server Error' }]);
  });

  it('answers CORS preflights itself for configured origins only', async () => {
    const allowed = await fetch(`${base}/v1/images`, {
      method: 'OPTIONS',
      headers: { origin: 'http://app.example', 'access-control-request-method': 'GET' },
    });
    expect([allowed.status, allowed.headers.get('access-control-allow-origin')]).toEqual([
      204,
      'http://app.example',
    ]);
    const other = await fetch(`${base}/v1/images`, {
      method: 'OPTIONS',
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'GET' },
    });
    expect([other.status, other.headers.get('access-control-allow-origin')]).toEqual([204, null]);
  });

  it('throttles past the burst with 429 before the function runs', async () => {
    next = ok({ status: 'ok' });
    const before = events.length;
    const statuses = [];
    for (let i = 0; i < 40; i += 1) statuses.push((await fetch(`${base}/v1/health`)).status);
    expect(statuses).toContain(429);
    expect(events.length - before).toBe(statuses.filter((s) => s === 200).length);
  });
});
