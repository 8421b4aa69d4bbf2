import { type CorpusRecord, readCorpusFile } from '@imgpipe/testing';
import type { InvocationReport } from '@imgpipe/local-aws';
import { CORPUS } from './support/corpus';
import { SCALE } from './support/scale';
import { useRealStack } from './support/session';
import { pool, reportKey } from './support/stack';
import { percentile, recordFigures } from './support/summary';

const CONCURRENCY = 4;

/** A burst of small uploads against a function concurrency limit of 4 (the quick mode's config leaves this file out). */
describe(`a burst of ${SCALE.burstUploads} small uploads at concurrency ${CONCURRENCY}`, () => {
  const readyAt = new Map<string, Set<string>>();
  const finishedAt = new Map<string, number>();
  const uploadedAt = new Map<string, number>();
  const onInvocation = (r: InvocationReport) => {
    const key = reportKey(r);
    if (!r.ok || key === undefined) return;
    const done = readyAt.get(key) ?? new Set<string>();
    done.add(r.function);
    readyAt.set(key, done);
    if (done.has('resize') && done.has('metadata-sync') && !finishedAt.has(key))
      finishedAt.set(key, Date.now());
  };
  const functions = {
    resize: { reservedConcurrency: CONCURRENCY },
    'metadata-sync': { reservedConcurrency: CONCURRENCY },
  };
  const suite = useRealStack('burst', { onInvocation, pipeline: { functions } });

  it('finishes every upload, loses none, and reports throughput and upload-to-ready latency', async () => {
    const small = CORPUS.filter(
      (r) =>
        r.category === 'valid' &&
        r.size_bytes < 20_000 &&
        ['jpeg', 'png'].includes(r.summary.format_by_magic ?? ''),
    );
    expect(small.length).toBeGreaterThan(0);
    const keys = Array.from(
      { length: SCALE.burstUploads },
      (_, i) => `burst/${String(i).padStart(5, '0')}.img`,
    );
    const started = Date.now();
    await pool(keys, 16, async (key, i) => {
      await suite.upload(key, readCorpusFile((small[i % small.length] as CorpusRecord).id));
      uploadedAt.set(key, Date.now());
    });
    const uploadSeconds = (Date.now() - started) / 1000;
    await suite.idle();
    const seconds = (Date.now() - started) / 1000;

    const outcome = await suite.classify(keys);
    expect(outcome.lost).toEqual([]);
    expect(outcome.parked).toEqual([]);
    expect(outcome.readyWithoutVariants).toEqual([]);
    expect(outcome.processed).toHaveLength(keys.length);
    const latencies = keys.map((k) => (finishedAt.get(k) ?? Number.NaN) - (uploadedAt.get(k) ?? Number.NaN));
    expect(latencies.every(Number.isFinite)).toBe(true);
    const m = suite.stack.metrics().functions;
    expect(m.resize.throttles).toBeGreaterThan(0); // the limit was really in force

    recordFigures('burst', {
      uploads: keys.length,
      concurrency: CONCURRENCY,
      processed: outcome.processed.length,
      lost: 0,
      uploadSeconds: Math.round(uploadSeconds),
      totalSeconds: Math.round(seconds),
      throughputPerSecond: Number((keys.length / seconds).toFixed(2)),
      latencyMs: {
        p50: Math.round(percentile(latencies, 50)),
        p99: Math.round(percentile(latencies, 99)),
        max: Math.round(Math.max(...latencies)),
      },
      throttles: { resize: m.resize.throttles, 'metadata-sync': m['metadata-sync'].throttles },
    });
  });
});
