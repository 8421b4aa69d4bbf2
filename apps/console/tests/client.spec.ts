import { ApiClient } from '../src/api/client';

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

const item = {
  id: 'd1',
  function: 'resize',
  failedAt: '2024-01-01T00:00:00.000Z',
  attempts: 3,
  error: { type: 'Error', message: 'boom' },
  event: {},
};

describe('ApiClient.dlq', () => {
  it('gets the parked events and returns their list', async () => {
    const f = fakeFetch(() => json({ items: [item] }));
    await expect(new ApiClient({}, f.fetch).dlq()).resolves.toEqual([item]);
    expect(f.calls[0]?.url).toBe('/_imgpipe/api/dlq');
    expect(f.calls[0]?.init?.headers).toEqual({ accept: 'application/json' });
  });

  it('rejects an answer of the wrong shape with BAD_RESPONSE naming the field', async () => {
    const client = new ApiClient({}, fakeFetch(() => json({ items: [{ ...item, id: undefined }] })).fetch);
    await expect(client.dlq()).rejects.toMatchObject({
      code: 'BAD_RESPONSE',
      message: expect.stringContaining('items.0.id'),
    });
  });

  it('turns a 5xx into a retryable HTTP_ERROR and a network failure into NETWORK with its cause', async () => {
    const down = new ApiClient({}, fakeFetch(() => new Response('boom', { status: 503 })).fetch);
    await expect(down.dlq()).rejects.toMatchObject({ code: 'HTTP_ERROR', status: 503, retryable: true });

    const cause = new TypeError('fetch failed');
    const offline = new ApiClient({}, async () => {
      throw cause;
    });
    await expect(offline.dlq()).rejects.toMatchObject({ code: 'NETWORK', retryable: true, cause });
  });
});

describe('ApiClient errors', () => {
  it("shows the API's own error code and message", async () => {
    const client = new ApiClient(
      {},
      fakeFetch(() => json({ error: { code: 'INVALID_BODY', message: 'Expected ids…' } }, 400)).fetch,
    );
    await expect(client.redrive(['a'])).rejects.toMatchObject({
      code: 'HTTP_ERROR',
      status: 400,
      retryable: false,
      message: expect.stringContaining('INVALID_BODY Expected ids…'),
    });
  });

  it('answers NOT_FOUND for a route the stack does not have', async () => {
    const client = new ApiClient({}, fakeFetch(() => json({ message: 'no route' }, 404)).fetch);
    await expect(client.metrics()).rejects.toMatchObject({ code: 'NOT_FOUND', status: 404 });
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

describe('ApiClient URLs', () => {
  it('points the event stream at the API on the configured origin', () => {
    expect(new ApiClient({ origin: 'http://127.0.0.1:4566' }).streamUrl()).toBe(
      'http://127.0.0.1:4566/_imgpipe/api/stream',
    );
    expect(new ApiClient().streamUrl()).toBe('/_imgpipe/api/stream');
  });
});
