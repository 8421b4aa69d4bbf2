import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { readCorpusFile } from '@imgpipe/testing';
import { type LocalStack, startLocalStack } from '../../src';
import { s3For, tempDir, waitFor } from '../support/helpers';
import { TEST_RECONCILE_SCHEDULE } from '../../src/testing';
import { ApiCaller, localToken, postForm } from '../../src/testing/image-api-client';
import { realBundles } from '../support/pipeline';

jest.setTimeout(240_000);

const PHOTO = readCorpusFile('exif-orientation-examples/Landscape_6.jpg');

describe('the HTTP side of the local stack: issuer, /_api (API Gateway) and /_cdn (CloudFront)', () => {
  let stack: LocalStack;
  let api: string;
  let dataDir: string;
  /** The stack's own lines about failures (retries, timeouts, crashes, parked events) since the last test. */
  const stackTrouble: string[] = [];

  beforeAll(async () => {
    dataDir = tempDir('http-api');
    stack = await startLocalStack({
      port: 0,
      dataDir,
      samples: false,
      bundles: realBundles(),
      pipeline: { reconcileSchedule: TEST_RECONCILE_SCHEDULE },
      summaryIntervalMs: 0,
      log: (line) => {
        if (/fail|error|retr|timed out|exit|dlq/i.test(line)) stackTrouble.push(line);
      },
    });
    api = `${stack.endpoint}/_api`;
  });
  afterAll(async () => {
    await stack?.stop();
  });
  // The functions log why something went wrong only in the data directory, which the test removes
  // (the api answers 500 INTERNAL for anything unexpected): print what they logged at WARN or ERROR, and
  // what the dead-letter queue holds, so a failure says what went wrong.
  const logSeen = new Map<string, number>();
  afterEach(() => {
    for (const fn of ['api', 'render', 'resize', 'metadata-sync']) {
      const log = join(dataDir, 'logs', `${fn}.log`);
      if (!existsSync(log)) continue;
      const lines = readFileSync(log, 'utf8').split('\n');
      const news = lines
        .slice(logSeen.get(fn) ?? 0)
        .filter((l) => /"level":"(WARN|ERROR)"|\tERROR\t/.test(l));
      logSeen.set(fn, lines.length - 1);
      if (news.length > 0) console.error(`${fn} logged:\n${news.join('\n')}`);
    }
    if (stackTrouble.length > 0) console.error(`the stack logged:\n${stackTrouble.splice(0).join('\n')}`);
    const dlq = stack?.dlq() ?? [];
    if (dlq.length > 0) console.error(`dead-letter queue: ${JSON.stringify(dlq)}`);
  });

  describe('the local issuer', () => {
    it('serves its discovery document and key set under its issuer URL', async () => {
      const issuer = `${stack.endpoint}/_imgpipe/oidc`;
      const config = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as Record<
        string,
        unknown
      >;
      expect(config['issuer']).toBe(issuer);
      expect(config['jwks_uri']).toBe(`${issuer}/jwks.json`);
      const jwks = (await (await fetch(`${issuer}/jwks.json`)).json()) as { keys: Record<string, unknown>[] };
      expect(jwks.keys).toHaveLength(1);
      expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
      expect(jwks.keys[0]).not.toHaveProperty('d');
    });

    it('mints tokens for local callers only', async () => {
      const foreign = await fetch(`${stack.endpoint}/_imgpipe/api/tokens`, {
        method: 'POST',
        headers: { origin: 'http://evil.example', 'content-type': 'application/json' },
        body: '{}',
      });
      expect(foreign.status).toBe(403);
      const bad = await fetch(`${stack.endpoint}/_imgpipe/api/tokens`, {
        method: 'POST',
        body: JSON.stringify({ scope: 'images.everything' }),
      });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('VALIDATION_FAILED');
    });
  });

  describe('API Gateway emulation', () => {
    it('answers health without a token and unknown routes with API Gateway’s 404', async () => {
      const health = await fetch(`${api}/v1/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      const missing = await fetch(`${api}/v2/nothing`);
      expect(missing.status).toBe(404);
      expect(await missing.json()).toEqual({ message: 'Not Found' });
    });

    it('refuses before the function runs: 401 without or with a bad token, 403 without the scope', async () => {
      const none = await fetch(`${api}/v1/images`);
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toContain('invalid_token');
      expect(((await none.json()) as { error: { code: string } }).error.code).toBe('UNAUTHORIZED');

      const expired = await localToken(stack.endpoint, { ttlSeconds: -60 });
      const late = await new ApiCaller(api, expired).fetch('/v1/images');
      expect(late.status).toBe(401);
      expect(((await late.json()) as { error: { message: string } }).error.message).toBe(
        'the token has expired',
      );

      const forged = `${(await localToken(stack.endpoint)).slice(0, -4)}AAAA`;
      expect((await new ApiCaller(api, forged).fetch('/v1/images')).status).toBe(401);

      const writer = new ApiCaller(api, await localToken(stack.endpoint, { scope: 'images.write' }));
      const refused = await writer.fetch('/v1/images');
      expect(refused.status).toBe(403);
      expect(await refused.json()).toEqual({
        error: {
          code: 'FORBIDDEN',
          message: "the token has none of the route's scopes (images.read, images.admin)",
        },
      });
    });

    it('runs the real api bundle with the caller’s claims: an empty listing for a new user', async () => {
      const caller = new ApiCaller(api, await localToken(stack.endpoint, { sub: 'nobody-yet' }));
      const res = await caller.fetch('/v1/images');
      expect(res.status).toBe(200);
      expect(((await res.json()) as { items: unknown[] }).items).toEqual([]);
    });
  });

  describe('an upload through the API, served by the CDN', () => {
    it('uploads, becomes ready, serves versioned variants, renders a missing one, and deletes', async () => {
      const alice = new ApiCaller(api, await localToken(stack.endpoint, { sub: 'alice' }));
      const created = await alice.createUpload('landscape.jpg', 'image/jpeg', PHOTO.length);
      expect(created.key).toBe('u/alice/landscape.jpg');
      const posted = await postForm(created.upload, PHOTO, 'image/jpeg');
      expect(posted.status).toBeLessThan(300);

      const image = await alice.settled(created.id);
      expect(image).toMatchObject({ status: 'ready', width: 1800, height: 1200, format: 'jpeg' });
      expect(image.variants.length).toBeGreaterThan(0);
      for (const variant of image.variants) {
        expect(variant.url.startsWith(`${stack.endpoint}/_cdn/`)).toBe(true);
        const res = await fetch(variant.url);
        expect(res.status).toBe(200);
        expect(res.headers.get('cache-control')).toBe('public, max-age=3600, s-maxage=31536000');
        // Decoded dimensions and orientation are checked in the contract suite (apps/api/tests/contract):
        // the engine may not load sharp.
        expect(res.headers.get('content-type')).toBe(`image/${variant.format}`);
        expect((await res.arrayBuffer()).byteLength).toBe(variant.bytes);
        // Landscape (stored rotated, EXIF orientation 6): upright variants are never taller than wide.
        expect(variant.width).toBeGreaterThanOrEqual(variant.height);
        const etag = res.headers.get('etag') ?? '';
        expect(etag).not.toBe('');
        const again = await fetch(variant.url, { headers: { 'if-none-match': etag } });
        expect(again.status).toBe(304);
      }

      expect(image.variants.some((v) => v.width > v.height)).toBe(true);
      const [first] = image.variants;
      if (!first) throw new Error('no variant');
      const wrongVersion = new URL(first.url);
      wrongVersion.searchParams.set('v', 'not-this-one');
      expect((await fetch(wrongVersion)).status).toBe(404);
      const unversioned = first.url.split('?')[0] ?? '';
      expect((await fetch(unversioned)).status).toBe(404);

      // A missing variant of a ready image is rendered by the render bundle, with the same version.
      const variantKey = decodeURIComponent(new URL(first.url).pathname.slice('/_cdn/'.length));
      await s3For(stack.endpoint).send(
        new DeleteObjectCommand({ Bucket: 'imgpipe-derived', Key: variantKey }),
      );
      const rendered = await fetch(first.url);
      expect(rendered.status).toBe(200);
      expect(rendered.headers.get('content-type')).toBe(`image/${first.format}`);
      expect(rendered.headers.get('x-amz-meta-imgpipe-version')).toBe(
        new URL(first.url).searchParams.get('v'),
      );

      // Another user cannot see it.
      const bob = new ApiCaller(api, await localToken(stack.endpoint, { sub: 'bob' }));
      expect((await bob.fetch(`/v1/images/${created.id}`)).status).toBe(404);

      const deleted = await alice.fetch(`/v1/images/${created.id}`, { method: 'DELETE' });
      expect(deleted.status).toBe(202);
      await alice.settled(created.id, ['deleted']);
      for (const variant of image.variants) {
        await waitFor(async () => (await fetch(variant.url)).status === 404, 60_000, `${variant.url} to 404`);
      }
    });
  });
});
