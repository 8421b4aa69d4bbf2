import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { type InvocationReport, type LocalStack, startLocalStack } from '../../src';
import { TEST_RECONCILE_SCHEDULE } from '../../src/testing';
import { FIXTURE_BUNDLES, s3For, tempDir, waitFor } from '../support/helpers';

jest.setTimeout(60_000);

describe('the local Lambda runtime (with a fixture function)', () => {
  const dataDir = tempDir('runtime');
  const reports: InvocationReport[] = [];
  let stack: LocalStack;

  const start = () =>
    startLocalStack({
      port: 0,
      dataDir,
      samples: false,
      bundles: FIXTURE_BUNDLES,
      retryDelayScale: 0.005, // 0.3 s, then 0.6 s
      stopGraceMs: 300,
      summaryIntervalMs: 0,
      onInvocation: (report) => reports.push(report),
      pipeline: {
        reconcileSchedule: TEST_RECONCILE_SCHEDULE, // its fixture reconcile is invoked by the tests only
        functions: {
          resize: { reservedConcurrency: 2, timeoutSeconds: 5, maximumRetryAttempts: 2 },
          'metadata-sync': {
            reservedConcurrency: 1,
            timeoutSeconds: 5,
            maximumRetryAttempts: 0,
            maximumEventAgeSeconds: 1,
          },
          reconcile: { reservedConcurrency: 1, timeoutSeconds: 1, maximumRetryAttempts: 0 },
        },
      },
    });
  const reportsFor = (id: string) => reports.filter((r) => r.id === id);

  beforeAll(async () => {
    stack = await start();
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('delivers source-bucket writes to both targets and derived-bucket writes to none', async () => {
    const s3 = s3For(stack.endpoint);
    await s3.send(new PutObjectCommand({ Bucket: 'imgpipe-source', Key: 'ok/one two.jpg', Body: 'x' }));
    await s3.send(new PutObjectCommand({ Bucket: 'imgpipe-derived', Key: 'ok/derived.jpg', Body: 'x' }));
    const delivered = await waitFor(() => {
      const hits = reports.filter(
        (r) =>
          (r.event as { detail?: { object?: { key?: string } } }).detail?.object?.key === 'ok/one+two.jpg',
      );
      return hits.length >= 2 && hits;
    });
    expect(delivered.map((r) => r.function).sort()).toEqual(['metadata-sync', 'resize']);
    expect(reports.some((r) => JSON.stringify(r.event).includes('derived.jpg'))).toBe(false);
  });

  it('runs a function cold first, then warm in the same process', async () => {
    const first = stack.runtime('reconcile').enqueue({ action: 'ok' });
    const one = await waitFor(() => reportsFor(first.id)[0]);
    const second = stack.runtime('reconcile').enqueue({ action: 'ok' });
    const two = await waitFor(() => reportsFor(second.id)[0]);
    expect([one.coldStart, two.coldStart]).toEqual([true, false]);
    expect((two.value as { pid: number }).pid).toBe((one.value as { pid: number }).pid);
    expect(one.initMs).toBeGreaterThan(0);
    expect(stack.metrics().functions.reconcile.coldStarts).toBeGreaterThanOrEqual(1);
  });

  it('gives the worker the definition environment pointed at the edge', async () => {
    const entry = stack.runtime('reconcile').enqueue({ action: 'ok', env: 'AWS_ENDPOINT_URL' });
    const report = await waitFor(() => reportsFor(entry.id)[0]);
    expect(report.value).toEqual(expect.objectContaining({ env: stack.endpoint, functionName: 'reconcile' }));
  });

  it('retries a failed asynchronous invocation with backoff and succeeds', async () => {
    const marker = join(dataDir, 'fail-once.marker');
    const entry = stack.runtime('resize').enqueue({ action: 'fail-once', marker });
    const attempts = await waitFor(() => reportsFor(entry.id).length >= 2 && reportsFor(entry.id));
    expect(attempts.map((r) => r.ok)).toEqual([false, true]);
    expect(stack.dlq().some((d) => d.id === entry.id)).toBe(false);
  });

  it('retries after a worker is killed mid-job, and the retry finishes the work', async () => {
    const marker = join(dataDir, 'hang.marker');
    const done = join(dataDir, 'hang.done');
    const entry = stack.runtime('resize').enqueue({ action: 'hang-once', marker, done });
    const pid = Number(await waitFor(() => existsSync(marker) && readFileSync(marker, 'utf8')));
    process.kill(pid, 'SIGKILL');
    await waitFor(() => existsSync(done), 30_000, 'the retry to finish the work');
    const attempts = await waitFor(() => reportsFor(entry.id).length >= 2 && reportsFor(entry.id));
    expect(attempts[0]?.error?.type).toBe('Runtime.ExitError');
    expect(attempts[1]?.ok).toBe(true);
  });

  it('times out a slow invocation, kills its worker, and the next invocation is cold', async () => {
    const slow = stack.runtime('reconcile').enqueue({ action: 'sleep', ms: 5_000 });
    const timedOut = await waitFor(() => reportsFor(slow.id)[0]);
    expect(timedOut.error).toEqual({
      type: 'Sandbox.Timedout',
      message: 'Task timed out after 1.00 seconds',
    });
    const next = stack.runtime('reconcile').enqueue({ action: 'ok' });
    expect((await waitFor(() => reportsFor(next.id)[0])).coldStart).toBe(true);
  });

  it('holds events back at the concurrency limit and counts throttles', async () => {
    const before = stack.metrics().functions['metadata-sync'].throttles;
    const entries = [1, 2, 3].map(() => stack.runtime('metadata-sync').enqueue({ action: 'sleep', ms: 200 }));
    const done = await waitFor(() => {
      const all = entries.map((e) => reportsFor(e.id)[0]);
      return all.every(Boolean) && (all as InvocationReport[]);
    });
    const spans = done
      .map((r) => r.value as { start: number; end: number })
      .sort((a, b) => a.start - b.start);
    for (let i = 1; i < spans.length; i += 1)
      expect(spans[i]!.start).toBeGreaterThanOrEqual(spans[i - 1]!.end);
    expect(stack.metrics().functions['metadata-sync'].throttles - before).toBeGreaterThanOrEqual(2);
  });

  it('sends an event older than the maximum event age to the DLQ unprocessed', async () => {
    const blocker = stack.runtime('metadata-sync').enqueue({ action: 'sleep', ms: 1_500 });
    const late = stack.runtime('metadata-sync').enqueue({ action: 'ok' });
    const entry = await waitFor(() => stack.dlq().find((d) => d.id === late.id));
    expect(entry.error.type).toBe('EventAgeExceeded');
    expect(reportsFor(late.id)).toHaveLength(0);
    await waitFor(() => reportsFor(blocker.id)[0]);
  });

  it('parks an event that exhausts its retries in the DLQ, keeps it across a restart, and redrives it', async () => {
    const entry = stack.runtime('resize').enqueue({ action: 'fail', message: 'always' });
    const parked = await waitFor(() => stack.dlq().find((d) => d.id === entry.id));
    expect(parked).toEqual(
      expect.objectContaining({
        function: 'resize',
        attempts: 3,
        error: { type: 'TypeError', message: 'asked to fail always' },
        event: { action: 'fail', message: 'always' },
      }),
    );
    expect(reportsFor(entry.id)).toHaveLength(3);

    // Also leave an invocation running past the stop grace: it must run again after the restart.
    const cut = stack.runtime('resize').enqueue({ action: 'sleep', ms: 3_000 });
    await waitFor(() =>
      stack
        .runtime('resize')
        .workers()
        .some((w) => w.busy),
    );
    await stack.stop();
    stack = await start();

    const listed = (await (await fetch(`${stack.endpoint}/_imgpipe/api/dlq`)).json()) as {
      items: { id: string }[];
    };
    expect(listed.items.map((i) => i.id)).toContain(entry.id);
    expect(
      (await waitFor(() => reportsFor(cut.id).find((r) => r.ok), 30_000, 'the cut-off invocation to rerun'))
        .ok,
    ).toBe(true);

    const answer = await fetch(`${stack.endpoint}/_imgpipe/api/dlq/redrive`, {
      method: 'POST',
      body: JSON.stringify({ ids: [entry.id] }),
    });
    expect(await answer.json()).toEqual({ redriven: 1 });
    expect(stack.dlq().some((d) => d.id === entry.id)).toBe(false);
    await waitFor(
      () => reports.filter((r) => (r.event as { message?: string }).message === 'always').length >= 4,
      30_000,
      'the redriven event to run',
    );
  });

  it('answers the metrics document with percentiles, series, DLQ depth and the schedule', async () => {
    const metrics = (await (await fetch(`${stack.endpoint}/_imgpipe/api/metrics`)).json()) as Record<
      string,
      unknown
    >;
    expect(metrics).toEqual(
      expect.objectContaining({
        dlqDepth: expect.any(Number),
        schedules: [
          expect.objectContaining({
            name: 'reconcile',
            expression: TEST_RECONCILE_SCHEDULE,
            nextRun: null, // beyond the scheduler's horizon (tests/unit/scheduler.spec.ts: the next runs)
          }),
        ],
      }),
    );
    type Point = { invocations: number; durationMsP50: number | null; durationMsP99: number | null };
    const resize = (metrics['functions'] as Record<string, { series: Point[]; durationMs: { p50: number } }>)[
      'resize'
    ]!;
    expect(resize.series).toHaveLength(90);
    expect(resize.durationMs.p50).toBeGreaterThan(0);
    const busy = resize.series.filter((p) => p.invocations > 0);
    expect(busy.length).toBeGreaterThan(0);
    for (const point of busy)
      expect(point.durationMsP99).toBeGreaterThanOrEqual(point.durationMsP50 ?? Infinity);
  });

  it('streams invocations as server-sent events', async () => {
    const abort = new AbortController();
    const res = await fetch(`${stack.endpoint}/_imgpipe/api/stream`, { signal: abort.signal });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = res.body!.getReader();
    stack.runtime('reconcile').enqueue({ action: 'ok' });
    let text = '';
    const deadline = Date.now() + 20_000;
    while (!text.includes('"function":"reconcile"') && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      text += Buffer.from(value).toString('utf8');
    }
    abort.abort();
    const frame = text
      .split('\n\n')
      .find((f) => f.startsWith('event: invocation') && f.includes('"function":"reconcile"'));
    expect(JSON.parse(frame!.split('data: ')[1]!)).toEqual(
      expect.objectContaining({ function: 'reconcile', ok: true, coldStart: expect.any(Boolean) }),
    );
  });

  it('rejects a malformed redrive body with a typed error', async () => {
    const answer = await fetch(`${stack.endpoint}/_imgpipe/api/dlq/redrive`, {
      method: 'POST',
      body: '{"ids": "nope"}',
    });
    expect(answer.status).toBe(400);
    expect(await answer.json()).toEqual({
      error: { code: 'INVALID_BODY', message: 'Expected "ids" to be an array of strings' },
    });
  });

  it("writes the function's stdout and stderr to logs/<function>.log as the function wrote them", async () => {
    const file = join(dataDir, 'logs', 'reconcile.log');
    const out = ['first line\n', 'a line in ', 'two writes\n', `${'x'.repeat(100_000)}\n`];
    expect((await stack.invoke('reconcile', { action: 'log', out })).ok).toBe(true);
    // Exactly the fixture's bytes (nothing else comes out of it), a write split over pipe reads included.
    expect(await waitFor(() => readFileSync(file, 'utf8').length >= out.join('').length)).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe(out.join(''));
    expect((await stack.invoke('reconcile', { action: 'log', err: ['to stderr\n'] })).ok).toBe(true);
    expect(await waitFor(() => readFileSync(file, 'utf8').endsWith('to stderr\n'))).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe(`${out.join('')}to stderr\n`);
  });
});
