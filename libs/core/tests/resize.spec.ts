import { DEFAULT_PRESETS, definePipeline, functionEnvironment } from '@imgpipe/pipeline';
import type { RenderOptions, RenderResult } from '@imgpipe/image';
import created from './fixtures/events/eventbridge-object-created.json';
import {
  parseObjectEvents,
  readConfig,
  resizeObject,
  type ImageProcessor,
  type ImageTable,
  type ObjectStore,
  type UseCaseDeps,
  type VariantFields,
} from '../src';

const config = readConfig(functionEnvironment(definePipeline(), 'resize'));

/** An image library that renders fixed variants and refuses metadata work: resize must not ask for it. */
function fakeImages(calls: RenderOptions[]): ImageProcessor {
  return {
    async renderVariants(_input: Buffer, options: RenderOptions): Promise<RenderResult> {
      calls.push(options);
      const variants = options.presets.map((p) => ({
        name: p.name,
        format: p.format,
        contentType: `image/${p.format}`,
        extension: p.format === 'jpeg' ? 'jpg' : p.format,
        width: p.width,
        height: p.fit === 'cover' ? p.height : Math.round(p.width / 2),
        bytes: 3,
        data: Buffer.from('abc'),
      }));
      return { format: 'jpeg', width: 2000, height: 1000, variants };
    },
    extractMetadata: () => Promise.reject(new Error('resize asked the image library for metadata')),
  };
}

/**
 * Fakes around resize. `row` is what the table holds; `finishes`: resize's unread finishing write applies
 * (metadata-sync wrote first) and hands back `row` as it was, else it is refused and the row read.
 */
function fakeDeps(images: ImageProcessor, row?: Awaited<ReturnType<ImageTable['get']>>, finishes = false) {
  const puts: string[] = [];
  const listed: string[] = [];
  const written: VariantFields[] = [];
  const objects: ObjectStore = {
    head: () => Promise.resolve(undefined),
    getBytes: () => Promise.resolve(Buffer.from('hello')),
    put: (_bucket, key) => {
      puts.push(key);
      return Promise.resolve(true);
    },
    deleteMany: () => Promise.resolve({ refused: [] }),
    list: (bucket) => {
      listed.push(bucket);
      return Promise.resolve({ objects: [] });
    },
  };
  const table = {
    get: () => Promise.resolve(row),
    finishVariantsUnread: (_version, fields) => {
      if (!finishes || !row) return Promise.resolve({ written: 'refused', row });
      written.push(fields);
      return Promise.resolve({ written: 'finished', before: row });
    },
    writeVariants: (_version, fields) => {
      written.push(fields);
      return Promise.resolve('applied');
    },
    finalize: () => Promise.resolve(false),
  } as Pick<ImageTable, 'get' | 'finishVariantsUnread' | 'writeVariants' | 'finalize'> as ImageTable;
  const deps: UseCaseDeps = { config, objects, table, images };
  return { deps, puts, written, listed };
}

describe('resizeObject', () => {
  it('renders through the variants-only entry of the image library, with the configured presets and limits', async () => {
    const calls: RenderOptions[] = [];
    const { deps, puts, written } = fakeDeps(fakeImages(calls));
    const [event] = parseObjectEvents(created);
    const outcome = await resizeObject(event!, deps);
    expect(outcome).toMatchObject({ action: 'applied', bytesIn: 5, bytesOut: 9 });
    expect(calls).toEqual([{ presets: config.presets, limits: config.limits }]);
    expect(puts).toHaveLength(DEFAULT_PRESETS.length);
    expect(written[0]?.variants.map((v) => [v.name, v.width, v.height])).toEqual([
      ['thumb', 128, 128],
      ['small', 320, 160],
      ['large', 1280, 640],
    ]);
  });

  it('lists the derived bucket for stale files only when the presets changed since the row was written', async () => {
    const [event] = parseObjectEvents(created);
    const earlier = {
      objectKey: event!.key,
      bucket: event!.bucket,
      status: 'ready',
      sequencer: '00',
      seqKey: '0'.repeat(32),
    };

    const unchanged = fakeDeps(fakeImages([]), { ...earlier, presetsHash: config.presetsHash } as never);
    await resizeObject(event!, unchanged.deps);
    expect(unchanged.listed).toEqual([]);

    const changed = fakeDeps(fakeImages([]), { ...earlier, presetsHash: 'presets-before' } as never);
    await resizeObject(event!, changed.deps);
    expect(changed.listed).toEqual([config.derivedBucket]);
  });

  it('takes the presets the row had from its finishing write when it read no row', async () => {
    const [event] = parseObjectEvents(created);
    // metadata-sync moved the row to this version; the older version's variants part is still on it.
    const moved = {
      objectKey: event!.key,
      bucket: event!.bucket,
      status: 'pending',
      sequencer: '00',
      seqKey: '0'.repeat(32),
    };

    const unchanged = fakeDeps(fakeImages([]), { ...moved, presetsHash: config.presetsHash } as never, true);
    await expect(resizeObject(event!, unchanged.deps)).resolves.toMatchObject({ ready: true });
    expect([unchanged.listed, unchanged.written.length]).toEqual([[], 1]);

    const changed = fakeDeps(fakeImages([]), { ...moved, presetsHash: 'presets-before' } as never, true);
    await expect(resizeObject(event!, changed.deps)).resolves.toMatchObject({ ready: true });
    expect([changed.listed, changed.written.length]).toEqual([[config.derivedBucket], 1]);
  });
});
