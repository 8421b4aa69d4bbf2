import { definePipeline, functionEnvironment } from '@imgpipe/pipeline';
import type { RenderResult } from '@imgpipe/image';
import created from './fixtures/events/eventbridge-object-created.json';
import {
  parseObjectEvents,
  readConfig,
  resizeObject,
  type ImageProcessor,
  type ImageRow,
  type ImageTable,
  type ObjectStore,
  type PartWriteOutcome,
  type UseCaseDeps,
} from '../src';

const [event] = parseObjectEvents(created);

const images: ImageProcessor = {
  renderVariants: (): Promise<RenderResult> =>
    Promise.resolve({ format: 'jpeg', width: 2, height: 1, variants: [] }),
  extractMetadata: () => Promise.resolve({ format: 'jpeg', width: 2, height: 1 } as never),
};

const objects = {
  getBytes: () => Promise.resolve(Buffer.from('hello')),
  put: () => Promise.resolve(true),
  list: () => Promise.resolve({ objects: [] }),
  deleteMany: () => Promise.resolve({ refused: [] }),
  head: () => Promise.resolve(undefined),
} as unknown as ObjectStore;

/**
 * A table whose unread finishing write is refused (resize first, or a retry) and whose part write then
 * answers `answer`; records what the use case passed and whether it finalised.
 */
function deps(fn: 'resize', answer: PartWriteOutcome, row?: ImageRow) {
  const calls: { before: ImageRow | undefined; finalized: number } = { before: undefined, finalized: 0 };
  const part = (_v: unknown, _f: unknown, _now: string, before?: ImageRow) => {
    calls.before = before;
    return Promise.resolve(answer);
  };
  const table = {
    get: () => Promise.resolve(row),
    finishVariantsUnread: () => Promise.resolve({ written: 'refused', row }),
    writeVariants: part,
    finalize: () => {
      calls.finalized += 1;
      return Promise.resolve(true);
    },
  } as unknown as ImageTable;
  const config = readConfig(functionEnvironment(definePipeline(), fn));
  return { deps: { config, objects, table, images } as UseCaseDeps, calls };
}

// Both writers write without a row read first; these are resize's paths after its finishing write was
// refused (metadata-sync's finalising is in metadata-sync.spec.ts, the unread finish in write-order.spec.ts).
describe.each([['resize', resizeObject]] as const)('%s and finalising', (fn, useCase) => {
  it('does not try to finalise a row its own write just moved to the version', async () => {
    const { deps: d, calls } = deps(fn, 'moved');
    expect(await useCase(event!, d)).toMatchObject({ action: 'applied', ready: false });
    expect(calls.finalized).toBe(0);
  });

  it('finalises after writing the second part, and passes the row it read to the write', async () => {
    const row = { objectKey: event!.key, status: 'pending', seqKey: '0'.repeat(32) } as ImageRow;
    const { deps: d, calls } = deps(fn, 'applied', row);
    expect(await useCase(event!, d)).toMatchObject({ action: 'applied', ready: true });
    expect([calls.finalized, calls.before]).toEqual([1, row]);
  });

  it('does not finalise again when its own write already made the row ready', async () => {
    const row = { objectKey: event!.key, status: 'pending', seqKey: '0'.repeat(32) } as ImageRow;
    const { deps: d, calls } = deps(fn, 'finished', row);
    expect(await useCase(event!, d)).toMatchObject({ action: 'applied', ready: true });
    expect([calls.finalized, calls.before]).toEqual([0, row]);
  });
});
