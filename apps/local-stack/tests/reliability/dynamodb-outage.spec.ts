import { readCorpusFile } from '@imgpipe/testing';
import { CORPUS } from './support/corpus';
import { useRealStack } from './support/session';
import { pool, sleep } from './support/stack';
import { recordFigures } from './support/summary';

// The DynamoDB emulator (dynalite in its own thread), captured so the test can stop and restart "the
// DynamoDB side" (the edge keeps running and answers the functions 500 while it is down, as a regional
// outage would).
interface DynamoDbSide {
  pause(): Promise<void>;
  listen(): Promise<void>;
}
const mockDynamoSides: DynamoDbSide[] = [];
jest.mock('../../../../libs/local-aws/src/emulators/emulators', () => {
  const real = jest.requireActual('../../../../libs/local-aws/src/emulators/emulators') as {
    startEmulators: (dir: string) => Promise<{ dynamodb: DynamoDbSide }>;
  };
  return {
    ...real,
    startEmulators: async (dir: string) => {
      const emulators = await real.startEmulators(dir);
      mockDynamoSides.push(emulators.dynamodb);
      return emulators;
    },
  };
});

describe('the DynamoDB side stopped while work is in flight', () => {
  // One Lambda retry after about 3 s: events in flight when the outage starts are parked in the DLQ.
  const functions = {
    resize: { maximumRetryAttempts: 1 },
    'metadata-sync': { maximumRetryAttempts: 1 },
  } as const;
  const suite = useRealStack('ddb-outage', { retryDelayScale: 0.05, pipeline: { functions } });

  it('acknowledges and loses nothing: every upload ends processed or parked, and a redrive writes every row', async () => {
    const dynamodb = mockDynamoSides.at(-1) as DynamoDbSide;
    const files = CORPUS.filter((r) => r.category === 'valid' && r.size_bytes < 400_000).slice(0, 12);
    const keys = files.map((r, i) => `outage/${i}-${r.id.split('/').at(-1)}`);

    await pool(files, 4, async (record, i) => suite.upload(keys[i] as string, readCorpusFile(record.id)));
    await sleep(300); // work is in flight
    await dynamodb.pause();
    const outageStarted = Date.now();
    await sleep(10_000); // longer than both retry delays together, so some events are parked
    await dynamodb.listen();
    const outageMs = Date.now() - outageStarted;
    await suite.idle();

    // The outage really hit work in flight: some attempts failed on it.
    const failedAttempts = suite.log.reports.filter((r) => !r.ok).length;
    expect(failedAttempts).toBeGreaterThan(0);
    const during = await suite.classify(keys);
    expect(during.lost).toEqual([]);
    expect(during.readyWithoutVariants).toEqual([]);
    expect(during.processed.length + during.rejected.length + during.parked.length).toBe(keys.length);
    // Variants may exist without a row only for parked uploads: those are the ones the redrive finishes.
    const parkedWithVariants = (
      await Promise.all(during.parked.map(async (k) => (await suite.derivedKeys(`${k}/`)).length > 0))
    ).filter(Boolean).length;

    const dlqEntries = suite.stack.dlq().length;
    const redriven = suite.stack.redrive();
    await suite.idle();
    const after = await suite.classify(keys);
    expect(after.processed.sort()).toEqual([...keys].sort());
    expect(suite.stack.dlq()).toEqual([]);
    for (const key of keys) {
      const variants = await suite.derivedKeys(`${key}/`);
      expect(variants).toHaveLength(3);
    }
    expect(redriven).toBe(dlqEntries);
    recordFigures('dynamodb-outage', {
      uploads: keys.length,
      outageMs,
      failedAttempts,
      duringOutage: {
        processed: during.processed.length,
        parkedInDlq: during.parked.length,
        parkedWithVariantsButNoRow: parkedWithVariants,
        lost: 0,
      },
      redriven,
      afterRedrive: { processed: after.processed.length, lost: 0 },
    });
  });
});
