/**
 * The console's seam with the local stack's JSON API, without a browser: the real stack's answers go
 * through the console's own parse paths (`ApiClient`, `parseStreamData`), which use the schemas of
 * @imgpipe/contracts. The image is uploaded as the console uploads it, through the image API.
 */
import { readFileSync } from 'node:fs';
import { spawnLocalStack, TEST_RECONCILE_SCHEDULE } from '@imgpipe/local-aws/testing';
import { corpusFile } from '@imgpipe/testing';
import { ApiClient } from '../src/api/client';
import { ImageApiClient } from '../src/api/image-api';
import { parseStreamData, type LiveEvent } from '../src/lib/live';
import type { RunningStack } from './support/stack';

jest.setTimeout(180_000);

/** Reads the stream as the console's EventSource would and keeps each event as `startLive` delivers it. */
function listen(url: string): { events: LiveEvent[]; close: () => void } {
  const events: LiveEvent[] = [];
  const controller = new AbortController();
  void (async () => {
    const res = await fetch(url, { signal: controller.signal });
    const decoder = new TextDecoder();
    let buffer = '';
    const reader = res.body?.getReader();
    for (let chunk = await reader?.read(); chunk && !chunk.done; chunk = await reader?.read()) {
      buffer += decoder.decode(chunk.value, { stream: true });
      for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
        const lines = buffer.slice(0, end).split('\n');
        buffer = buffer.slice(end + 2);
        const type = lines.find((l) => l.startsWith('event: '))?.slice('event: '.length);
        const data = lines.find((l) => l.startsWith('data: '))?.slice('data: '.length);
        if (type === 'row' || type === 'invocation' || type === 'dlq')
          events.push({ type, data: parseStreamData(type, data) });
      }
    }
  })().catch(() => undefined);
  return { events, close: () => controller.abort() };
}

async function until<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe("the console's API client against the real local stack", () => {
  let stack: RunningStack;
  let client: ApiClient;
  let images: ImageApiClient;
  let stream: ReturnType<typeof listen>;

  beforeAll(async () => {
    stack = await spawnLocalStack();
    client = new ApiClient({ origin: stack.url });
    images = new ImageApiClient({ origin: stack.url });
    stream = listen(client.streamUrl());
  });
  afterAll(async () => {
    stream?.close();
    await stack?.stop();
  });

  it('parses every answer it asks for: metrics, the DLQ, redrive, reconcile and the stream', async () => {
    const bytes = readFileSync(corpusFile('sharp-fixtures/320x240.jpg'));
    const file = new File([new Uint8Array(bytes)], '320x240.jpg', { type: 'image/jpeg' });
    const created = await images.upload(file);
    const image = await until(async () => {
      const found = await images.image(created.id);
      return found.status === 'ready' ? found : undefined;
    }, 'the upload to be ready');
    expect(image).toMatchObject({ key: created.key, width: 320, height: 240, format: 'jpeg' });
    expect(image.variants.map((v) => v.name)).toEqual(['thumb', 'small', 'large']);

    const metrics = await client.metrics();
    expect(Object.keys(metrics.functions)).toEqual(['resize', 'metadata-sync', 'reconcile', 'api', 'render']);
    expect(metrics.functions['resize']?.invocations).toBeGreaterThanOrEqual(1);
    expect(metrics.functions['api']?.kind).toBe('http');
    expect(metrics.functions['resize']?.series).toHaveLength(90);
    // A stack a test starts runs no hourly reconcile unless the test asks (TEST_RECONCILE_SCHEDULE).
    expect(metrics.schedules.map((s) => [s.name, s.expression])).toEqual([
      ['reconcile', TEST_RECONCILE_SCHEDULE],
    ]);

    await expect(client.dlq()).resolves.toEqual([]);
    await expect(client.redrive()).resolves.toEqual({ redriven: 0 });
    const report = await client.runReconcile();
    expect(report).toMatchObject({ complete: true });

    // The stream's row events carry the contract's row (so the gallery applies them in place).
    const live = await until(
      async () => stream.events.find((e) => e.type === 'row' && e.data !== undefined),
      'a row event',
    );
    expect(live.data).toMatchObject({ objectKey: created.key });
    expect(stream.events.filter((e) => e.data === undefined)).toEqual([]);
  });

  it('reads a refusal as an HTTP_ERROR naming the stable code', async () => {
    await expect(client.redrive([''])).rejects.toMatchObject({
      code: 'HTTP_ERROR',
      status: 400,
      message: expect.stringContaining('INVALID_BODY'),
    });
  });
});
