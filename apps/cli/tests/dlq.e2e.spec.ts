import { corpusFile } from '@imgpipe/testing';
import { eventually, imgpipe, jsonLines, type RunningStack, startStack } from './support/local-stack';

const VALID = corpusFile('exif-orientation-examples/Landscape_6.jpg');

interface Parked {
  id: string;
  function: string;
  event: { detail: { object: { key: string } } };
  error: { type: string; message: string };
  attempts: number;
  failedAt: string;
}

let stack: RunningStack;
const at = (...args: string[]): string[] => [...args, '--endpoint', stack.endpoint];
const parked = (): Parked[] => jsonLines(imgpipe(at('dlq', 'list', '--json')).stdout) as unknown as Parked[];

beforeAll(async () => {
  // Every S3/DynamoDB request of the functions fails, and Lambda's retry delays shrink to milliseconds:
  // each upload's events end in the dead-letter queue after their retries.
  stack = await startStack({ IMGPIPE_FAULT_RATE: '1', IMGPIPE_RETRY_DELAY_SCALE: '0.001' });
  expect(imgpipe(at('upload', VALID, '--prefix', 'dlq/')).status).toBe(0);
}, 120_000);

afterAll(async () => {
  await stack?.stop();
}, 30_000);

describe('imgpipe dlq', () => {
  it('lists parked events with their function, key, error and attempts, and redrives one by id', async () => {
    const items = await eventually(() => {
      const list = parked();
      return list.length >= 2 ? list : undefined;
    }, 60_000);
    expect(items.map((i) => i.function).sort()).toEqual(['metadata-sync', 'resize']);
    for (const item of items) {
      expect(item.event.detail.object.key).toBe('dlq/Landscape_6.jpg');
      expect(item.attempts).toBeGreaterThanOrEqual(1);
      expect(item.error.message).toContain('IMGPIPE_FAULT_RATE');
    }
    expect(imgpipe(at('dlq', 'list')).stdout).toMatch(/^ID\s+FUNCTION\s+KEY/);

    const chosen = items[0] as Parked;
    const redrive = imgpipe(at('dlq', 'redrive', '--id', chosen.id, '--json'));
    expect(redrive.status).toBe(0);
    expect(JSON.parse(redrive.stdout)).toEqual({ redriven: 1 });
    // The redriven event ran again (and, the faults going on, was parked again later).
    const again = await eventually(
      () => parked().find((i) => i.function === chosen.function && i.failedAt > chosen.failedAt),
      60_000,
    );
    expect(again.event.detail.object.key).toBe('dlq/Landscape_6.jpg');
  }, 150_000);

  it('redrives nothing for an id that is not parked', () => {
    const run = imgpipe(at('dlq', 'redrive', '--id', 'no-such-id', '--json'));
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ redriven: 0 });
  });
});
