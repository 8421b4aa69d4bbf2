import { definePipeline, functionEnvironment } from '@imgpipe/pipeline';
import created from './fixtures/events/eventbridge-object-created.json';
import {
  parseObjectEvents,
  readConfig,
  seqKey,
  SourceTooLargeError,
  type ImageRow,
  type ImageTable,
  type ObjectStore,
  type UseCaseDeps,
} from '../src';
import { prepareSource } from '../src/source';

const config = readConfig(functionEnvironment(definePipeline(), 'resize'));
const [event] = parseObjectEvents(created);

/** A promise the test settles by hand, to see what was started before anything answered. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function setup() {
  const started: string[] = [];
  const failures: string[] = [];
  const row = deferred<ImageRow | undefined>();
  const bytes = deferred<Buffer | undefined>();
  const objects = {
    getBytes: () => {
      started.push('download');
      return bytes.promise;
    },
    list: () => Promise.resolve({ objects: [] }),
    deleteMany: () => Promise.resolve({ refused: [] }),
  } as Pick<ObjectStore, 'getBytes' | 'list' | 'deleteMany'> as ObjectStore;
  const table = {
    get: () => {
      started.push('row');
      return row.promise;
    },
    writeFailure: (_version, _writer, error) => {
      failures.push(error.code);
      return Promise.resolve('applied');
    },
    finalize: () => Promise.resolve(false),
  } as Pick<ImageTable, 'get' | 'writeFailure' | 'finalize'> as ImageTable;
  const deps = { config, objects, table } as Pick<UseCaseDeps, 'config' | 'objects' | 'table'> as UseCaseDeps;
  return { deps, started, failures, row, bytes };
}

const newerRow = { objectKey: event!.key, status: 'ready', seqKey: 'f'.repeat(32) } as ImageRow;

describe('prepareSource', () => {
  it('reads the row and downloads the source side by side', async () => {
    const s = setup();
    const prepared = prepareSource(event!, s.deps, 'variants', () => false);
    await Promise.resolve();
    expect(s.started).toEqual(['download', 'row']);
    s.row.resolve(undefined);
    s.bytes.resolve(Buffer.from('hello'));
    expect(await prepared).toMatchObject({ done: false, bytes: Buffer.from('hello') });
  });

  it('lets the row decide first: a stale event is stale even when its download failed', async () => {
    const s = setup();
    const prepared = prepareSource(event!, s.deps, 'variants', () => false);
    s.bytes.reject(Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }));
    s.row.resolve(newerRow);
    expect(await prepared).toEqual({
      done: true,
      outcome: { action: 'stale', reason: 'row is at a newer ready version' },
    });
  });

  it('rethrows a transient download failure for a current event (the platform retries)', async () => {
    const s = setup();
    const prepared = prepareSource(event!, s.deps, 'variants', () => false);
    s.row.resolve(undefined);
    s.bytes.reject(Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }));
    await expect(prepared).rejects.toThrow('socket hang up');
    expect(s.failures).toEqual([]);
  });

  it('records an object that turns out too large while downloading, once the row allows it', async () => {
    const s = setup();
    const prepared = prepareSource(event!, s.deps, 'metadata', () => false);
    s.bytes.reject(new SourceTooLargeError('Expected at most 1 bytes'));
    s.row.resolve({ ...newerRow, seqKey: seqKey('00') });
    expect(await prepared).toMatchObject({ done: true, outcome: { action: 'failed' } });
    expect(s.failures).toEqual(['TOO_LARGE']);
  });

  it('downloads nothing when the event already declares a size over the limit', async () => {
    const s = setup();
    const big = { ...event!, size: config.limits.maxBytes + 1 };
    const prepared = prepareSource(big, s.deps, 'variants', () => false);
    s.row.resolve(undefined);
    expect(await prepared).toMatchObject({ done: true, outcome: { action: 'failed' } });
    expect([s.started, s.failures]).toEqual([['row'], ['TOO_LARGE']]);
  });
});
