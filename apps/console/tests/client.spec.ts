import { ApiClient } from '../src/api/client';
import { ConsoleError } from '../src/api/errors';

interface Call {
  url: string;
  init: RequestInit | undefined;
}

function fakeFetch(respond: (url: string, init?: RequestInit) => Response): {
  calls: Call[];
  fetch: (url: string, init?: RequestInit) => Promise<Response>;
} {
  const calls: Call[] = [];
  return {
    calls,
    fetch: async (url, init) => {
      calls.push({ url, init });
      return respond(url, init);
    },
  };
}

const json = (body: unknown, status = 200): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

const row = {
  objectKey: 'photos/cat.jpg',
  bucket: 'imgpipe-source',
  status: 'ready',
  width: 320,
  height: 240,
  format: 'jpeg',
  updatedAt: '2024-01-01T00:00:00.000Z',
  variants: [
    { name: 'thumb', key: 'photos/cat.jpg/thumb.webp', format: 'webp', width: 128, height: 128, bytes: 2000 },
  ],
};

describe('ApiClient.listImages', () => {
  it('sends the filters as query parameters and returns the parsed page', async () => {
    const f = fakeFetch(() => json({ items: [row], nextCursor: 'abc' }));
    const client = new ApiClient({}, f.fetch);

    const page = await client.listImages({ status: 'failed', prefix: 'photos/', limit: 48, cursor: 'c1' });

    expect(f.calls[0]?.url).toBe('/_imgpipe/api/images?status=failed&prefix=photos%2F&limit=48&cursor=c1');
    expect(page.items[0]?.objectKey).toBe('photos/cat.jpg');
    expect(page.nextCursor).toBe('abc');
  });

  it('rejects an answer of the wrong shape with BAD_RESPONSE naming the field', async () => {
    const client = new ApiClient({}, fakeFetch(() => json({ items: [{ status: 'ready' }] })).fetch);
    await expect(client.listImages()).rejects.toMatchObject({
      code: 'BAD_RESPONSE',
      message: expect.stringContaining('items.0.objectKey'),
    });
  });

  it('turns a 5xx into a retryable HTTP_ERROR and a network failure into NETWORK with its cause', async () => {
    const down = new ApiClient({}, fakeFetch(() => new Response('boom', { status: 503 })).fetch);
    await expect(down.listImages()).rejects.toMatchObject({
      code: 'HTTP_ERROR',
      status: 503,
      retryable: true,
    });

    const cause = new TypeError('fetch failed');
    const offline = new ApiClient({}, async () => {
      throw cause;
    });
    await expect(offline.listImages()).rejects.toMatchObject({ code: 'NETWORK', retryable: true, cause });
  });
});

describe('ApiClient errors', () => {
  it("shows the API's own error code and message", async () => {
    const client = new ApiClient(
      {},
      fakeFetch(() => json({ error: { code: 'INVALID_LIMIT', message: 'Expected limit…' } }, 400)).fetch,
    );
    await expect(client.listImages({ limit: 5000 })).rejects.toMatchObject({
      code: 'HTTP_ERROR',
      status: 400,
      retryable: false,
      message: expect.stringContaining('INVALID_LIMIT Expected limit…'),
    });
  });
});

describe('ApiClient.getImage', () => {
  it('encodes the whole key as one path segment', async () => {
    const f = fakeFetch(() => json(row));
    await new ApiClient({}, f.fetch).getImage('photos/a cat.jpg');
    expect(f.calls[0]?.url).toBe('/_imgpipe/api/images/photos%2Fa%20cat.jpg');
  });

  it('answers undefined when there is no row yet', async () => {
    const client = new ApiClient({}, fakeFetch(() => json({ message: 'no row' }, 404)).fetch);
    await expect(client.getImage('nope.jpg')).resolves.toBeUndefined();
  });
});

describe('ApiClient.metrics', () => {
  const fn = {
    kind: 'event',
    invocations: 3,
    errors: 0,
    throttles: 0,
    coldStarts: 1,
    inFlight: 0,
    queued: 0,
    durationMs: { p50: 12.5, p95: 20, p99: 20 },
    initDurationMs: { p50: 80, max: 80 },
    series: [
      {
        start: '2024-01-01T00:00:00.000Z',
        invocations: 3,
        errors: 0,
        throttles: 0,
        coldStarts: 1,
        durationMsP50: 12.5,
        durationMsP99: 20,
      },
    ],
  };
  const schedule = { name: 'reconcile', expression: 'rate(1 hour)', target: 'reconcile', nextRun: null };

  it('returns the document as the server sent it', async () => {
    const doc = { functions: { resize: fn }, dlqDepth: 1, schedules: [schedule] };
    const client = new ApiClient({}, fakeFetch(() => json(doc)).fetch);
    await expect(client.metrics()).resolves.toEqual(doc);
  });

  it('refuses a function without its counters with BAD_RESPONSE naming the field', async () => {
    const client = new ApiClient(
      {},
      fakeFetch(() =>
        json({ functions: { resize: { ...fn, errors: undefined } }, dlqDepth: 1, schedules: [] }),
      ).fetch,
    );
    await expect(client.metrics()).rejects.toMatchObject({
      code: 'BAD_RESPONSE',
      message: expect.stringContaining('functions.resize.errors'),
    });
  });
});

describe('ApiClient.redrive', () => {
  it('posts the chosen ids, or an empty body for all', async () => {
    const f = fakeFetch(() => json({ redriven: 2 }));
    const client = new ApiClient({}, f.fetch);

    await expect(client.redrive(['a', 'b'])).resolves.toEqual({ redriven: 2 });
    await client.redrive();

    expect(f.calls[0]?.url).toBe('/_imgpipe/api/dlq/redrive');
    expect(f.calls[0]?.init?.method).toBe('POST');
    expect(f.calls[0]?.init?.body).toBe('{"ids":["a","b"]}');
    expect(f.calls[1]?.init?.body).toBe('{}');
  });
});

describe('ApiClient.runReconcile', () => {
  it('posts to the reconcile route and returns its report', async () => {
    const report = {
      scanned: 3,
      rendered: 0,
      rowsRepaired: 1,
      orphansRemoved: 0,
      tombstoned: 0,
      complete: true,
    };
    const f = fakeFetch(() => json(report));
    await expect(new ApiClient({}, f.fetch).runReconcile()).resolves.toEqual(report);
    expect(f.calls[0]?.url).toBe('/_imgpipe/api/reconcile');
    expect(f.calls[0]?.init?.method).toBe('POST');
  });
});

describe('ApiClient.upload', () => {
  it('PUTs the body to the source bucket, path style, with its content type', async () => {
    const f = fakeFetch(() => new Response('', { status: 200 }));
    const body = new Blob([new Uint8Array([1, 2, 3])], { type: 'image/png' });

    await new ApiClient({}, f.fetch).upload('in/a b+c.png', body);

    expect(f.calls[0]?.url).toBe('/imgpipe-source/in/a%20b%2Bc.png');
    expect(f.calls[0]?.init?.method).toBe('PUT');
    expect(f.calls[0]?.init?.headers).toEqual({ 'content-type': 'image/png' });
    expect(f.calls[0]?.init?.body).toBe(body);
  });

  it('reports the S3 error code of a refused upload', async () => {
    const xml = '<?xml version="1.0"?><Error><Code>NoSuchBucket</Code></Error>';
    const client = new ApiClient({}, fakeFetch(() => new Response(xml, { status: 404 })).fetch);
    const error = await client.upload('a.png', new Blob(['x'])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConsoleError);
    expect(error).toMatchObject({
      code: 'UPLOAD_FAILED',
      status: 404,
      message: 'Upload of a.png failed: HTTP 404 NoSuchBucket',
    });
  });
});

describe('ApiClient URLs', () => {
  it('points variants at the derived bucket with each segment encoded', () => {
    const client = new ApiClient({ origin: 'http://127.0.0.1:4566' });
    expect(client.derivedUrl('photos/a cat.jpg/thumb.webp')).toBe(
      'http://127.0.0.1:4566/imgpipe-derived/photos/a%20cat.jpg/thumb.webp',
    );
    expect(client.streamUrl()).toBe('http://127.0.0.1:4566/_imgpipe/api/stream');
  });
});
