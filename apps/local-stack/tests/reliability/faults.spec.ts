import { RedriveResponseSchema } from '@imgpipe/contracts';
import type { CorpusRecord } from '@imgpipe/testing';
import { readCorpusFile } from '@imgpipe/testing';
import type { LocalStack } from '@imgpipe/local-aws';
import { CORPUS, corpusKey, expectedOutcome } from './support/corpus';
import { SCALE } from './support/scale';
import { StackSession } from './support/session';
import { freshDir, pool, startReal } from './support/stack';
import { recordFigures } from './support/summary';

const RETRIES_OFF = {
  functions: { resize: { maximumRetryAttempts: 0 }, 'metadata-sync': { maximumRetryAttempts: 0 } },
} as const;

/**
 * The promise under injected faults: every accepted upload ends processed, rejected with a code, or
 * parked in the DLQ; a redrive with faults off finishes every parked one.
 */
describe('uploads under IMGPIPE_FAULT_RATE=0.2', () => {
  const dataDir = freshDir('faults');
  // Small files of every kind (including refused ones), cycled to the wanted count under distinct keys.
  const pickable = CORPUS.filter((r) => r.size_bytes <= 300_000);
  const uploads: { key: string; record: CorpusRecord }[] = Array.from(
    { length: SCALE.faultUploads },
    (_, i) => {
      const record = pickable[i % pickable.length] as CorpusRecord;
      return { key: corpusKey('faults', record, i), record };
    },
  );
  const keys = uploads.map((u) => u.key);
  let stack: LocalStack | undefined;
  // The suite stops its stack and starts another on the same data: the session follows it.
  const suite = new StackSession(() => stack as LocalStack);

  afterAll(async () => {
    await stack?.stop();
  });

  it('accounts for every upload as processed, rejected or parked, and the redrive finishes the parked ones', async () => {
    // Prepare: faults on. Lambda's own retries are off: with 2 retries (the default) and the SDK's
    // 3 attempts per request, nothing reaches the DLQ at 0.2 (a run of 200 parked none), and the DLQ
    // and redrive path would go unproven.
    stack = await startReal(dataDir, { faultRate: 0.2, pipeline: RETRIES_OFF });
    const started = Date.now();
    await pool(uploads, 8, async ({ key, record }) => suite.upload(key, readCorpusFile(record.id)));

    // Act: let the pipeline run dry under faults.
    await suite.idle();
    const underFaults = await suite.classify(keys);
    const faultSeconds = (Date.now() - started) / 1000;
    const dlqDepth = stack.dlq().length;

    // Assess: the three states cover every upload, none is lost, no ready row lacks a variant.
    expect(dlqDepth).toBeGreaterThan(0);
    expect(underFaults.lost).toEqual([]);
    expect(underFaults.readyWithoutVariants).toEqual([]);
    expect(underFaults.processed.length + underFaults.rejected.length + underFaults.parked.length).toBe(
      uploads.length,
    );

    // Act: faults off (a restart on the same data, as an operator would), then redrive.
    await stack.stop();
    stack = await startReal(dataDir, { faultRate: 0, pipeline: RETRIES_OFF });
    const res = await fetch(`${stack.endpoint}/_imgpipe/api/dlq/redrive`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(200);
    const { redriven } = RedriveResponseSchema.parse(await res.json());
    await suite.idle();
    const afterRedrive = await suite.classify(keys);

    // Assess: nothing parked or lost is left; every row has the outcome its file deserves.
    expect(redriven).toBe(dlqDepth);
    expect(afterRedrive.parked).toEqual([]);
    expect(afterRedrive.lost).toEqual([]);
    expect(afterRedrive.readyWithoutVariants).toEqual([]);
    expect(stack.dlq()).toEqual([]);
    const wrong: string[] = [];
    await pool(uploads, 8, async ({ key, record }) => {
      const row = await suite.row(key);
      const want = expectedOutcome(record);
      const got = row?.status === 'ready' ? 'ready' : (row?.error?.code ?? row?.status ?? 'none');
      if (got !== want) wrong.push(`${key}: expected ${want}, got ${got}`);
    });
    expect(wrong).toEqual([]);

    recordFigures('faults', {
      faultRate: 0.2,
      maximumRetryAttempts: 0,
      uploads: uploads.length,
      underFaults: {
        processed: underFaults.processed.length,
        rejected: underFaults.rejected.length,
        parkedInDlq: underFaults.parked.length,
        dlqEntries: dlqDepth,
        lost: 0,
      },
      redriven,
      afterRedrive: {
        processed: afterRedrive.processed.length,
        rejected: afterRedrive.rejected.length,
        parkedInDlq: 0,
        lost: 0,
      },
      secondsUnderFaults: Math.round(faultSeconds),
    });
  });
});
