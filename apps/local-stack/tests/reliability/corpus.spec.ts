import { type CorpusRecord, readCorpusFile } from '@imgpipe/testing';
import { CORPUS, corpusKey, expectedOutcome } from './support/corpus';
import { withGps } from './support/hostile-files';
import { watchWorkerPeaks } from './support/rss';
import { useRealStack } from './support/session';
import { pool, reportKey, type Row } from './support/stack';
import { recordFigures } from './support/summary';

const MAX_WORKER_RSS_MB = 300;

/** Every corpus file through the local stack with the default definition (no SVG, no GPS on rows). */
describe('the whole corpus through the local stack', () => {
  const suite = useRealStack('corpus');

  it(`refuses the bombs before decoding, with every worker's peak RSS under ${MAX_WORKER_RSS_MB} MB`, async () => {
    const bombs = CORPUS.filter((r) => r.category === 'bomb');
    expect(bombs.length).toBeGreaterThanOrEqual(2);
    const peaks = watchWorkerPeaks(suite.stack, ['resize', 'metadata-sync']);
    for (const record of bombs) await suite.upload(corpusKey('bombs', record), readCorpusFile(record.id));
    await suite.idle();
    const peakMb = peaks.stop();

    for (const record of bombs) {
      const row = await suite.row(corpusKey('bombs', record));
      expect({ id: record.id, status: row?.status, code: row?.error?.code }).toEqual({
        id: record.id,
        status: 'failed',
        code: 'TOO_MANY_PIXELS',
      });
    }
    expect(Object.keys(peakMb).sort()).toEqual(['metadata-sync', 'resize']);
    for (const mb of Object.values(peakMb)) expect(mb).toBeLessThan(MAX_WORKER_RSS_MB);
    recordFigures('bombs', {
      files: bombs.map((b) => b.id),
      workerPeakRssMb: peakMb,
      limitMb: MAX_WORKER_RSS_MB,
    });
  });

  it('ends every other file in the state its bytes deserve, with nothing in the DLQ', async () => {
    const files = CORPUS.filter((r) => r.category !== 'bomb');
    const peaks = watchWorkerPeaks(suite.stack, ['resize', 'metadata-sync'], 200);
    const started = Date.now();
    await pool(files, 4, async (record) =>
      suite.upload(corpusKey('corpus', record), readCorpusFile(record.id)),
    );
    await suite.upload('corpus/gps/with-position.jpg', withGps(readCorpusFile('sharp-fixtures/320x240.jpg')));
    await suite.idle();
    const seconds = (Date.now() - started) / 1000;

    const wrong: string[] = [];
    const counts: Record<string, number> = {};
    await pool(files, 8, async (record) => {
      const key = corpusKey('corpus', record);
      const row = await suite.row(key);
      const want = expectedOutcome(record);
      const got =
        row?.status === 'ready'
          ? 'ready'
          : row?.status === 'failed'
            ? (row.error?.code ?? 'failed without code')
            : (row?.status ?? 'no row');
      counts[got] = (counts[got] ?? 0) + 1;
      if (got !== want) wrong.push(`${record.id}: expected ${want}, got ${got} ${row?.error?.message ?? ''}`);
      else if (got === 'ready' && !(await suite.variantsPresent(row as Row)))
        wrong.push(`${record.id}: ready without its variants`);
      else if (got !== 'ready' && (row?.variants ?? []).length > 0)
        wrong.push(`${record.id}: rejected but lists variants`);
    });
    expect(wrong).toEqual([]);
    expect(suite.stack.dlq()).toEqual([]);

    // GPS is off by default: the row keeps no position.
    const gps = await suite.row('corpus/gps/with-position.jpg');
    expect(gps?.status).toBe('ready');
    expect(gps?.metadata?.['gps']).toBeUndefined();

    // The PNG whose metadata made Debian's libvips spin finishes well inside the job budget.
    const spin = 'imagetestsuite/png/c-m1-8f2b481b7fd9bd745e620b7c01a18df2.png';
    const spinRuns = suite.log.reports.filter(
      (r) => reportKey(r) === corpusKey('corpus', CORPUS.find((c) => c.id === spin) as CorpusRecord),
    );
    expect(spinRuns.every((r) => r.ok)).toBe(true);
    const spinMs = Math.max(...spinRuns.map((r) => r.durationMs));
    expect(spinMs).toBeLessThan(suite.stack.pipeline.limits.jobTimeoutMs);

    recordFigures('corpus', {
      files: files.length + 1,
      outcomes: counts,
      seconds: Math.round(seconds),
      workerPeakRssMb: peaks.stop(),
      spinningPngMs: Math.round(spinMs),
      failedAttempts: suite.log.reports.filter((r) => !r.ok).length,
    });
  });
});

/** A decoder that keeps libvips busy past the job budget ends as a permanent failure, not a hung worker. */
describe('the job timeout', () => {
  // A budget no large photo can meet: the timeout path is exercised whatever the machine's speed.
  const suite = useRealStack('timeout', { pipeline: { limits: { jobTimeoutMs: 100 } } });

  it('records CORRUPT_IMAGE (timed out) on the row, the invocation succeeds and the worker stays usable', async () => {
    const big = [...CORPUS]
      .filter((r) => r.category === 'valid' && r.summary.format_by_magic === 'jpeg')
      .sort((a, b) => b.size_bytes - a.size_bytes)[0] as CorpusRecord;
    await suite.upload('timeout/big.jpg', readCorpusFile(big.id));
    await suite.idle();
    const row = await suite.row('timeout/big.jpg');
    expect(row?.status).toBe('failed');
    expect(row?.error?.code).toBe('CORRUPT_IMAGE');
    expect(row?.error?.message).toMatch(/timed out/);
    const runs = suite.log.reports.filter((r) => reportKey(r) === 'timeout/big.jpg');
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(runs.every((r) => r.ok)).toBe(true);
    expect(suite.stack.dlq()).toEqual([]);
    // The same worker answers the next invocation (it was not killed by a platform timeout).
    expect(suite.stack.runtime('resize').workers().length).toBeGreaterThanOrEqual(1);
    recordFigures('timeout', {
      file: big.id,
      jobTimeoutMs: 100,
      attempts: runs.length,
      maxInvocationMs: Math.round(Math.max(...runs.map((r) => r.durationMs))),
    });
  });
});
