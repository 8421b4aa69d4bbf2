import {
  DEPLOYED_OUTPUTS,
  DeployedNamesSchema,
  DlqItemSchema,
  DlqListSchema,
  ErrorBodySchema,
  HealthSchema,
  ImagePageSchema,
  ImagesQuerySchema,
  MetricsSchema,
  ReconcileReportSchema,
  RedriveRequestSchema,
  RedriveResponseSchema,
  RowSchema,
  STREAM_EVENT_NAMES,
  StreamEventSchema,
  TerraformOutputsSchema,
} from '../src';

const row = {
  objectKey: 'photos/cat.jpg',
  bucket: 'imgpipe-source',
  status: 'ready',
  sequencer: '0065A1B2C3D4',
  seqKey: '00000000000065A1B2C3D4',
  etag: 'abc',
  bytes: 51234,
  format: 'jpeg',
  width: 640,
  height: 480,
  metadata: { orientation: 6, hasAlpha: false, exif: { make: 'Canon', iso: 100 }, dominantColor: '#aabbcc' },
  variants: [
    { name: 'thumb', key: 'photos/cat.jpg/thumb.webp', format: 'webp', width: 128, height: 128, bytes: 2048 },
  ],
  updatedAt: '2026-11-27T17:00:00.000Z',
  ownerPrefix: '*',
  ownerStatus: '*#ready',
};

const point = {
  start: '2026-11-27T17:00:00.000Z',
  invocations: 2,
  errors: 0,
  throttles: 0,
  coldStarts: 1,
  durationMsP50: 12.5,
  durationMsP99: null,
};
const fn = {
  kind: 'http',
  invocations: 2,
  errors: 0,
  throttles: 0,
  coldStarts: 1,
  inFlight: 0,
  queued: 0,
  durationMs: { p50: 12.5, p95: 30, p99: 30 },
  initDurationMs: { p50: 90, max: 90 },
  series: [point],
};
const metrics = {
  functions: { api: fn },
  dlqDepth: 0,
  schedules: [{ name: 'reconcile', expression: 'rate(1 hour)', target: 'reconcile', nextRun: null }],
};

describe('RowSchema', () => {
  it('reads a stored row, keeping every named attribute', () => {
    expect(RowSchema.parse(row)).toEqual(row);
  });

  it('strips attributes it does not name (rows are persisted; an older writer may have left some)', () => {
    expect(RowSchema.parse({ ...row, legacy: 1 })).toEqual(row);
  });

  it('requires updatedAt, the one time field, as an ISO-8601 time', () => {
    const { updatedAt: _, ...noTime } = row;
    expect(RowSchema.safeParse(noTime).error?.issues[0]?.path).toEqual(['updatedAt']);
    expect(RowSchema.safeParse({ ...row, updatedAt: 1_700_000_000 }).success).toBe(false);
    expect(RowSchema.safeParse({ ...row, updatedAt: 'yesterday' }).success).toBe(false);
  });

  it('refuses an unknown status', () => {
    expect(RowSchema.safeParse({ ...row, status: 'processing' }).error?.issues[0]?.path).toEqual(['status']);
  });
});

describe('ImagesQuerySchema', () => {
  it('reads the query string, limit 100 by default', () => {
    expect(ImagesQuerySchema.parse({})).toEqual({ limit: 100 });
    expect(ImagesQuerySchema.parse({ status: 'failed', prefix: 'a/', limit: '5', cursor: 'c' })).toEqual({
      status: 'failed',
      prefix: 'a/',
      limit: 5,
      cursor: 'c',
    });
  });

  it('refuses a limit outside 1-1000, an unknown status and unknown parameters', () => {
    for (const limit of ['0', '1001', '2.5', 'ten'])
      expect(ImagesQuerySchema.safeParse({ limit }).error?.issues[0]?.path).toEqual(['limit']);
    expect(ImagesQuerySchema.safeParse({ status: 'lost' }).success).toBe(false);
    expect(ImagesQuerySchema.safeParse({ colour: 'red' }).error?.issues[0]?.code).toBe('unrecognized_keys');
  });
});

describe('ImagePageSchema', () => {
  it('reads a page with or without a next cursor', () => {
    expect(ImagePageSchema.parse({ items: [row], nextCursor: 'abc' })).toEqual({
      items: [row],
      nextCursor: 'abc',
    });
    expect(ImagePageSchema.parse({ items: [] })).toEqual({ items: [] });
    expect(ImagePageSchema.safeParse({ items: [], nextCursor: null }).success).toBe(false);
  });
});

describe('MetricsSchema', () => {
  it('reads every function with its kind, counters, percentiles and series', () => {
    expect(MetricsSchema.parse(metrics)).toEqual(metrics);
  });

  it("names the series point's time `start` only: another time field is refused", () => {
    const { start: _, ...noStart } = point;
    const bad = { ...metrics, functions: { api: { ...fn, series: [{ ...noStart, time: point.start }] } } };
    expect(MetricsSchema.safeParse(bad).error?.issues.map((i) => i.path.join('.'))).toEqual([
      'functions.api.series.0.start',
      'functions.api.series.0',
    ]);
  });

  it('refuses an unknown kind and a missing counter', () => {
    expect(MetricsSchema.safeParse({ ...metrics, functions: { api: { ...fn, kind: 'cron' } } }).success).toBe(
      false,
    );
    const { errors: _, ...noErrors } = fn;
    expect(
      MetricsSchema.safeParse({ ...metrics, functions: { api: noErrors } }).error?.issues[0]?.path,
    ).toEqual(['functions', 'api', 'errors']);
  });
});

describe('the DLQ', () => {
  const item = {
    id: 'e1',
    function: 'resize',
    event: { detail: {} },
    error: { type: 'AccessDenied', message: 'Access Denied' },
    attempts: 3,
    firstAttemptAt: '2026-11-27T17:00:00.000Z',
    failedAt: '2026-11-27T17:00:02.000Z',
  };

  it('reads a local item and a deployed one without attempt times', () => {
    expect(DlqListSchema.parse({ items: [item] })).toEqual({ items: [item] });
    const { attempts: _a, firstAttemptAt: _f, failedAt: _t, ...deployed } = item;
    expect(DlqItemSchema.parse(deployed)).toEqual(deployed);
  });

  it('reads redrive bodies and answers', () => {
    expect(RedriveRequestSchema.parse({})).toEqual({});
    expect(RedriveRequestSchema.parse({ ids: ['e1'] })).toEqual({ ids: ['e1'] });
    expect(RedriveRequestSchema.safeParse({ ids: 'e1' }).success).toBe(false);
    expect(RedriveRequestSchema.safeParse({ all: true }).success).toBe(false);
    expect(RedriveResponseSchema.parse({ redriven: 2 })).toEqual({ redriven: 2 });
    expect(RedriveResponseSchema.safeParse({ redriven: -1 }).success).toBe(false);
  });
});

describe('HealthSchema', () => {
  it('reads the health document and refuses an unknown status', () => {
    const health = {
      status: 'starting',
      endpoint: 'http://127.0.0.1:4566',
      buckets: ['imgpipe-source', 'imgpipe-derived'],
      tables: ['imgpipe-images'],
      functions: [
        { name: 'resize', kind: 'event', bundle: '/x/resize.mjs', built: true },
        { name: 'api', kind: 'http', bundle: '/x/api.mjs', built: false },
      ],
      schedules: [],
    };
    expect(HealthSchema.parse(health)).toEqual(health);
    expect(HealthSchema.safeParse({ ...health, status: 'ok' }).success).toBe(false);
    const noKind = { ...health, functions: [{ name: 'resize', bundle: '/x/resize.mjs', built: true }] };
    expect(HealthSchema.safeParse(noKind).success).toBe(false);
  });
});

describe('StreamEventSchema', () => {
  it('reads each event by its name', () => {
    const invocation = {
      function: 'resize',
      id: 'q1',
      attempt: 1,
      ok: false,
      durationMs: 12,
      coldStart: true,
      initMs: 80,
      error: { type: 'Error', message: 'boom' },
    };
    expect(StreamEventSchema.parse({ event: 'invocation', data: invocation })).toEqual({
      event: 'invocation',
      data: invocation,
    });
    expect(StreamEventSchema.parse({ event: 'row', data: row })).toEqual({ event: 'row', data: row });
    expect(StreamEventSchema.safeParse({ event: 'row', data: invocation }).success).toBe(false);
    expect(StreamEventSchema.safeParse({ event: 'ping', data: {} }).success).toBe(false);
    expect(STREAM_EVENT_NAMES).toEqual(['invocation', 'row', 'dlq']);
  });
});

describe('ReconcileReportSchema', () => {
  it('reads a finished run, an unfinished one with its checkpoint, and one that found the lease held', () => {
    const done = {
      scanned: 3,
      rendered: 1,
      rowsRepaired: 1,
      orphansRemoved: 0,
      tombstoned: 0,
      complete: true,
    };
    expect(ReconcileReportSchema.parse(done)).toEqual(done);
    const partial = {
      ...done,
      complete: false,
      nextCheckpoint: { phase: 'derived', token: 't', startedAt: '2026-11-27T17:00:00.000Z' },
    };
    expect(ReconcileReportSchema.parse(partial)).toEqual(partial);
    expect(ReconcileReportSchema.parse({ ...done, complete: false, skipped: 'lease-held' })).toMatchObject({
      skipped: 'lease-held',
    });
    expect(ReconcileReportSchema.safeParse({ scanned: 3, repaired: 0 }).success).toBe(false);
  });
});

describe('deployed outputs', () => {
  it('maps every output infra declares for the CLI to a field of DeployedNames', () => {
    expect(Object.keys(DEPLOYED_OUTPUTS)).toEqual([
      'region',
      'source_bucket',
      'derived_bucket',
      'table',
      'dead_letter_queue_url',
      'resize_function',
      'metadata_sync_function',
      'reconcile_function',
    ]);
    expect(Object.keys(DeployedNamesSchema.shape).sort()).toEqual(Object.values(DEPLOYED_OUTPUTS).sort());
  });

  it('reads `terraform output -json` and refuses empty names', () => {
    const outputs = { table: { value: 'imgpipe-dev-images', type: 'string', sensitive: false } };
    expect(TerraformOutputsSchema.parse(outputs)).toEqual(outputs);
    expect(DeployedNamesSchema.safeParse({ table: '' }).error?.issues[0]?.message).toBe(
      'Expected a non-empty string',
    );
  });
});

describe('ErrorBodySchema', () => {
  it("reads the local API's refusals", () => {
    const body = { error: { code: 'INVALID_LIMIT', message: 'Expected limit to be an integer' } };
    expect(ErrorBodySchema.parse(body)).toEqual(body);
  });
});
