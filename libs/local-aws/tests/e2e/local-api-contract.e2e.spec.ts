import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import {
  DlqListSchema,
  ErrorBodySchema,
  HealthSchema,
  ImagePageSchema,
  MetricsSchema,
  ReconcileReportSchema,
  RedriveResponseSchema,
  RowSchema,
  StreamEventSchema,
  type StreamEvent,
} from '@imgpipe/contracts';
import { objectCreatedEvent } from '@imgpipe/core';
import { DEFAULT_POLICIES } from '@imgpipe/pipeline';
import { readCorpusFile } from '@imgpipe/testing';
import { type LocalStack, startLocalStack } from '../../src';
import { TEST_RECONCILE_SCHEDULE } from '../../src/testing';
import { ApiCaller, localToken, postForm } from '../../src/testing/image-api-client';
import { s3For, tempDir, waitFor } from '../support/helpers';
import { realBundles } from '../support/pipeline';

jest.setTimeout(240_000);

const PHOTO = readCorpusFile('exif-orientation-examples/Landscape_6.jpg');
const CORRUPT = readCorpusFile('imagetestsuite/jpg/28968137f4fc75fbf56f16d7a7a8551a.jpg');
/** metadata-sync's policy without `s3:ListBucket`: S3 then answers a missing key with 403, which it retries. */
const METADATA_SYNC_CANNOT_LIST = DEFAULT_POLICIES['metadata-sync'].filter(
  (s) => s.sid !== 'SeeMissingSourceAs404',
);

/** Reads `GET /_imgpipe/api/stream` as a browser's EventSource would, parsing each frame with the contract. */
function subscribe(endpoint: string): { events: StreamEvent[]; rejected: string[]; close: () => void } {
  const events: StreamEvent[] = [];
  const rejected: string[] = [];
  const controller = new AbortController();
  void (async () => {
    const res = await fetch(`${endpoint}/_imgpipe/api/stream`, { signal: controller.signal });
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end = buffer.indexOf('\n\n');
      while (end !== -1) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf('\n\n');
        if (frame.startsWith(':')) continue;
        const field = (name: string): string | undefined =>
          frame
            .split('\n')
            .find((line) => line.startsWith(`${name}: `))
            ?.slice(name.length + 2);
        const data = field('data');
        const parsed = StreamEventSchema.safeParse({
          event: field('event'),
          data: data === undefined ? undefined : JSON.parse(data),
        });
        if (parsed.success) events.push(parsed.data);
        else rejected.push(`${frame.slice(0, 300)}: ${parsed.error.message}`);
      }
    }
  })().catch(() => undefined);
  return { events, rejected, close: () => controller.abort() };
}

/** GET or POST a route and parse the answer with the consumer's schema; the status is checked too. */
async function call<T>(
  url: string,
  schema: { parse: (value: unknown) => T },
  init: RequestInit & { status?: number } = {},
): Promise<T> {
  const res = await fetch(url, init);
  const body: unknown = await res.json();
  expect({ url, status: res.status }).toEqual({ url, status: init.status ?? 200 });
  return schema.parse(body);
}

describe("the local stack's JSON API against the schemas its clients parse with (@imgpipe/contracts)", () => {
  let stack: LocalStack;
  let api: string;
  let stream: ReturnType<typeof subscribe>;

  beforeAll(async () => {
    stack = await startLocalStack({
      port: 0,
      dataDir: tempDir('local-api-contract'),
      samples: false,
      bundles: realBundles(),
      pipeline: {
        policies: { 'metadata-sync': METADATA_SYNC_CANNOT_LIST },
        reconcileSchedule: TEST_RECONCILE_SCHEDULE,
      },
      retryDelayScale: 0.001,
      summaryIntervalMs: 0,
    });
    api = `${stack.endpoint}/_imgpipe/api`;
    stream = subscribe(stack.endpoint);
  });
  afterAll(async () => {
    stream?.close();
    await stack?.stop();
  });

  it('answers health in the contract shape', async () => {
    const health = await call(`${stack.endpoint}/_imgpipe/health`, HealthSchema);
    expect(health.status).toBe('ready');
    expect(health.endpoint).toBe(stack.endpoint);
    expect([...health.buckets].sort()).toEqual(['imgpipe-derived', 'imgpipe-source']);
    // Every function, event ones then HTTP ones, in the order and with the kinds of the metrics.
    expect(health.functions.map((fn) => [fn.name, fn.kind, fn.built])).toEqual([
      ['resize', 'event', true],
      ['metadata-sync', 'event', true],
      ['reconcile', 'event', true],
      ['api', 'http', true],
      ['render', 'http', true],
    ]);
  });

  it('serves rows, pages, metrics (api and render included), the DLQ, redrive, reconcile and the stream', async () => {
    // Prepare: one upload through the image API (runs `api`), one bad file straight into the bucket.
    const caller = new ApiCaller(`${stack.endpoint}/_api`, await localToken(stack.endpoint, { sub: 'ann' }));
    const created = await caller.createUpload('landscape.jpg', 'image/jpeg', PHOTO.length);
    expect((await postForm(created.upload, PHOTO, 'image/jpeg')).status).toBeLessThan(300);
    await s3For(stack.endpoint).send(
      new PutObjectCommand({ Bucket: 'imgpipe-source', Key: 'broken/truncated.jpg', Body: CORRUPT }),
    );
    const image = await caller.settled(created.id);
    expect(image.status).toBe('ready');

    // A missing variant of a ready image is rendered on a CDN miss (runs `render`).
    const [variant] = image.variants;
    if (!variant) throw new Error('no variant');
    const variantKey = decodeURIComponent(new URL(variant.url).pathname.slice('/_cdn/'.length));
    await s3For(stack.endpoint).send(new DeleteObjectCommand({ Bucket: 'imgpipe-derived', Key: variantKey }));
    expect((await fetch(variant.url)).status).toBe(200);

    // Rows, one by one and paged.
    const good = await call(`${api}/images/${encodeURIComponent(created.key)}`, RowSchema);
    expect(good).toMatchObject({ objectKey: created.key, status: 'ready', width: 1800, height: 1200 });
    expect(good.variants?.map((v) => v.name)).toEqual(['thumb', 'small', 'large']);
    expect(Date.parse(good.updatedAt)).toBeGreaterThan(0);
    const bad = await waitFor(
      async () => {
        const row = await call(`${api}/images/${encodeURIComponent('broken/truncated.jpg')}`, RowSchema);
        return row.status === 'failed' && row;
      },
      120_000,
      'the corrupt upload to fail',
    );
    expect(bad.error?.code).toBe('CORRUPT_IMAGE');
    const first = await call(`${api}/images?limit=1`, ImagePageSchema);
    expect(first.items.map((r) => r.objectKey)).toEqual(['broken/truncated.jpg']);
    expect(first.nextCursor).toBeDefined();
    const second = await call(
      `${api}/images?limit=1&cursor=${encodeURIComponent(first.nextCursor ?? '')}`,
      ImagePageSchema,
    );
    expect(second).toEqual({ items: [good] });
    expect((await call(`${api}/images?status=failed`, ImagePageSchema)).items).toEqual([bad]);

    // Without leave to list the source, metadata-sync gets AccessDenied (retryable) for a missing key: parked.
    stack.runtime('metadata-sync').enqueue(
      objectCreatedEvent({
        bucket: 'imgpipe-source',
        key: 'never-there.jpg',
        size: 1,
        etag: 'e',
        sequencer: '0065A1B2C3D4999999',
      }),
    );
    await waitFor(() => stack.dlq().length > 0, 120_000, 'a DLQ entry');
    const dlq = await call(`${api}/dlq`, DlqListSchema);
    expect(dlq.items.map((i) => i.function)).toEqual(['metadata-sync']);
    const redriven = await call(`${api}/dlq/redrive`, RedriveResponseSchema, {
      method: 'POST',
      body: JSON.stringify({ ids: dlq.items.map((i) => i.id) }),
    });
    expect(redriven).toEqual({ redriven: 1 });

    const report = await call(`${api}/reconcile`, ReconcileReportSchema, { method: 'POST' });
    expect(report.complete).toBe(true);

    // Metrics: the event functions and the HTTP ones.
    const metrics = await call(`${api}/metrics`, MetricsSchema);
    expect(Object.keys(metrics.functions)).toEqual(['resize', 'metadata-sync', 'reconcile', 'api', 'render']);
    expect(metrics.functions['api']).toMatchObject({ kind: 'http', errors: 0, inFlight: 0, queued: 0 });
    expect(metrics.functions['api']?.invocations).toBeGreaterThanOrEqual(2);
    expect(metrics.functions['api']?.coldStarts).toBeGreaterThanOrEqual(1);
    expect(metrics.functions['api']?.durationMs.p50).toBeGreaterThan(0);
    expect(metrics.functions['render']).toMatchObject({
      kind: 'http',
      invocations: 1,
      errors: 0,
      coldStarts: 1,
    });
    expect(metrics.functions['render']?.initDurationMs.max).toBeGreaterThan(0);
    const renderSeries = metrics.functions['render']?.series ?? [];
    expect(renderSeries).toHaveLength(90);
    expect(renderSeries.reduce((sum, p) => sum + p.invocations, 0)).toBe(1);
    expect(metrics.functions['resize']).toMatchObject({ kind: 'event' });
    expect(metrics.functions['metadata-sync']?.errors).toBeGreaterThanOrEqual(1);

    // The stream: every frame parsed, with each kind of event seen.
    await waitFor(
      () => stream.events.some((e) => e.event === 'dlq') && stream.events.some((e) => e.event === 'row'),
      30_000,
      'dlq and row events',
    );
    expect(stream.rejected).toEqual([]);
    expect(new Set(stream.events.map((e) => e.event))).toEqual(new Set(['invocation', 'row', 'dlq']));
    expect(stream.events.some((e) => e.event === 'row' && e.data.objectKey === created.key)).toBe(true);
  });

  it('refuses bad requests with the error body and stable codes', async () => {
    const cases: [string, RequestInit, number, string][] = [
      [`${api}/images?limit=0`, {}, 400, 'INVALID_LIMIT'],
      [`${api}/images?status=lost`, {}, 400, 'INVALID_QUERY'],
      [`${api}/images?colour=red`, {}, 400, 'INVALID_QUERY'],
      [`${api}/images/${encodeURIComponent('no/such.jpg')}`, {}, 404, 'NOT_FOUND'],
      [`${api}/dlq/redrive`, { method: 'POST', body: '{"ids": 3}' }, 400, 'INVALID_BODY'],
      [`${api}/dlq/redrive`, { method: 'POST', body: '{"all": true}' }, 400, 'INVALID_BODY'],
      [`${api}/nothing`, {}, 404, 'NOT_FOUND'],
      [`${stack.endpoint}/_imgpipe/console`, { method: 'DELETE' }, 405, 'METHOD_NOT_ALLOWED'],
    ];
    for (const [url, init, status, code] of cases) {
      const body = await call(url, ErrorBodySchema, { ...init, status });
      expect({ url, code: body.error.code }).toEqual({ url, code });
    }
  });
});
