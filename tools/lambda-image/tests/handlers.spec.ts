import { scheduledEvent } from '@imgpipe/core';
import { DEFAULT_FUNCTIONS, DEFAULT_HTTP_FUNCTIONS, ENV } from '@imgpipe/pipeline';
import { readCorpusFile } from '@imgpipe/testing';
import { readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import sharp from 'sharp';
import type { PipelineServers } from '@imgpipe/local-aws/testing';
import { chunksOf, fakeCloudFront, httpEvent } from './task-root-support';
import { runFromTaskRoot } from './run-from-task-root';
import { useTaskRoot } from './task-root-fixture';

jest.setTimeout(180_000);

const root = useTaskRoot({ servers: true });

describe('handlers run from a copy of the context', () => {
  const key = 'task-root/flowers.jpeg';
  let upload: Awaited<ReturnType<PipelineServers['upload']>>;

  beforeAll(async () => {
    upload = await root.servers.upload(key, readCorpusFile('sharp-fixtures/flowers.jpeg'));
  });

  it('resize renders the variants, with sharp loaded from the copy', async () => {
    const run = await runFromTaskRoot(
      root.dir,
      DEFAULT_FUNCTIONS.resize.command,
      root.servers.created(key, upload),
      root.servers.env('resize'),
    );
    expect(run).toMatchObject({ ok: true, cwd: root.dir });
    expect(run.sharpResolved.startsWith(`${root.dir}${sep}node_modules${sep}sharp${sep}`)).toBe(true);
    expect(await root.servers.derivedKeys(`${key}/`)).toEqual([
      `${key}/large.jpg`,
      `${key}/small.webp`,
      `${key}/thumb.webp`,
    ]);
    const thumb = await sharp(await root.servers.derivedBytes(`${key}/thumb.webp`)).metadata();
    expect(thumb).toMatchObject({ format: 'webp', width: 128, height: 128 });
  });

  it('metadata-sync completes the row', async () => {
    const command = DEFAULT_FUNCTIONS['metadata-sync'].command;
    const run = await runFromTaskRoot(
      root.dir,
      command,
      root.servers.created(key, upload),
      root.servers.env('metadata-sync'),
    );
    expect(run.ok).toBe(true);
    const row = await root.servers.row(key);
    expect(row).toMatchObject({
      status: 'ready',
      format: 'jpeg',
      width: 1920,
      height: 1080,
      etag: upload.etag,
    });
    expect(row?.variants?.map((v) => v.name).sort()).toEqual(['large', 'small', 'thumb']);
  });

  it('reconcile, on a scheduled event, renders an object no event reached', async () => {
    const missed = 'task-root/missed.jpg';
    await root.servers.upload(missed, readCorpusFile('sharp-fixtures/320x240.jpg'));
    const run = await runFromTaskRoot(
      root.dir,
      DEFAULT_FUNCTIONS.reconcile.command,
      scheduledEvent({ rule: 'imgpipe-test-schedule-reconcile' }),
      root.servers.env('reconcile'),
    );
    expect(run).toMatchObject({ ok: true, result: expect.objectContaining({ complete: true }) });
    expect((run.result as { rendered: number }).rendered).toBeGreaterThanOrEqual(1);
    expect(await root.servers.derivedKeys(`${missed}/`)).toEqual([
      `${missed}/large.jpg`,
      `${missed}/small.webp`,
      `${missed}/thumb.webp`,
    ]);
    expect(await root.servers.row(missed)).toMatchObject({ width: 320, height: 240 });
  });
  it('api answers a payload 2.0 event through its own command', async () => {
    const run = await runFromTaskRoot(
      root.dir,
      DEFAULT_HTTP_FUNCTIONS.api.command,
      httpEvent({
        routeKey: 'GET /v1/health',
        path: '/v1/health',
        apiId: 'api',
        domainName: 'api.example',
        sourceIp: '203.0.113.7',
        userAgent: 'curl',
      }),
      root.servers.env('api'),
    );
    expect(run).toMatchObject({ ok: true, result: { statusCode: 200, body: '{"status":"ok"}' } });
  });

  it('render renders a variant of the ready image through its own command', async () => {
    const path = `/${key}/thumb.webp`;
    const run = await runFromTaskRoot(
      root.dir,
      DEFAULT_HTTP_FUNCTIONS.render.command,
      httpEvent({
        routeKey: '$default',
        path,
        apiId: 'render',
        domainName: 'render.lambda-url.us-east-1.on.aws',
        sourceIp: '130.176.0.1',
        userAgent: 'Amazon CloudFront',
      }),
      root.servers.env('render'),
    );
    expect(run).toMatchObject({ ok: true, result: { statusCode: 200, isBase64Encoded: true } });
    const body = Buffer.from((run.result as { body: string }).body, 'base64');
    expect(await sharp(body).metadata()).toMatchObject({ format: 'webp', width: 128, height: 128 });
  });

  it("resize, on a deletion, loads the CloudFront client from its on-demand chunk and invalidates the image's variants", async () => {
    const bundle = DEFAULT_FUNCTIONS.resize.bundle;
    // The CloudFront client is in a chunk of its own that no cold start reads: not in the bundle nor in
    // any chunk it imports statically, only behind the adapter's dynamic import().
    const holdsCloudFront = (file: string) =>
      readFileSync(join(root.dir, file), 'utf8').includes(
        '/2020-05-31/distribution/{DistributionId}/invalidation',
      );
    const cloudFront = chunksOf(root.dir, bundle, 'all').filter(holdsCloudFront);
    expect(cloudFront).toHaveLength(1);
    expect([bundle, ...chunksOf(root.dir, bundle, 'static')].filter(holdsCloudFront)).toEqual([]);

    const deleted = 'task-root/deleted photo.jpg';
    await root.servers.upload(deleted, readCorpusFile('sharp-fixtures/320x240.jpg'));
    const removed = await root.servers.remove(deleted);
    const cdn = await fakeCloudFront();
    try {
      const run = await runFromTaskRoot(
        root.dir,
        DEFAULT_FUNCTIONS.resize.command,
        root.servers.deleted(deleted, removed),
        {
          ...root.servers.env('resize'),
          [ENV.cdnDistributionId]: 'E2EXAMPLE',
          AWS_ENDPOINT_URL_CLOUDFRONT: cdn.endpoint,
        },
      );
      expect(run).toMatchObject({ ok: true });
      expect(cdn.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
        'POST /2020-05-31/distribution/E2EXAMPLE/invalidation',
      ]);
      // Signed by the SDK with the function's credentials from the environment.
      expect(cdn.requests[0]?.headers['authorization']).toMatch(/^AWS4-HMAC-SHA256 Credential=/);
      expect(cdn.requests[0]?.body).toContain('<Path>/task-root/deleted%20photo.jpg/*</Path>');
    } finally {
      await cdn.stop();
    }
  });
});
