import { definePipeline, functionEnvironment } from '@imgpipe/pipeline';
import type { ImageMetadata, RenderOptions, RenderResult } from '@imgpipe/image';
import { FakeS3 } from './fake-s3';
import { MemoryTable } from './memory-table';
import {
  objectCreatedEvent,
  objectDeletedEvent,
  parseObjectEvents,
  readConfig,
  resizeObject,
  syncMetadata,
  type ImageProcessor,
  type ObjectEvent,
  type Outcome,
  type UseCaseDeps,
} from '../src';

/**
 * Both writers of one source key against the row's rules in memory (`MemoryTable`) and an S3 with
 * conditional requests (`FakeS3`), each run logging its requests as DynamoDB and S3 would see them:
 * `download`, then the table's (`get`, `update`, `update refused`) and the derived bucket's (`put <file>
 * if-none-match`, `head <file>`...). Rendering makes one file per preset whose bytes are
 * `<source bytes>:<preset>`, so a file names the version it comes from.
 */

const pipeline = definePipeline();
export const METADATA_CONFIG = readConfig(functionEnvironment(pipeline, 'metadata-sync'));
export const RESIZE_CONFIG = readConfig(functionEnvironment(pipeline, 'resize'));
export const WORLD_KEY = 'photos/cat.jpg';
const SOURCE = METADATA_CONFIG.sourceBucket;
const DERIVED = RESIZE_CONFIG.derivedBucket;
const corrupt = () => Object.assign(new Error('not an image'), { code: 'CORRUPT_IMAGE', permanent: true });

/** The fake render: one file per preset, whose bytes are `<source bytes>:<preset>`. */
export function renderNamed(input: Buffer, options: RenderOptions): RenderResult {
  const variants = options.presets.map((p) => {
    const data = Buffer.from(`${input.toString()}:${p.name}`);
    return {
      name: p.name,
      format: p.format,
      contentType: `image/${p.format}`,
      extension: p.format === 'jpeg' ? 'jpg' : p.format,
      width: p.width,
      height: p.height ?? p.width,
      bytes: data.length,
      data,
    };
  });
  return { format: 'jpeg', width: 2, height: 1, variants };
}

export function world() {
  const s3 = new FakeS3();
  const table = new MemoryTable();
  /** Every request of the last use case run, in order: `download`, then the table's and the files'. */
  const log: string[] = [];
  const objects = Object.assign(Object.create(s3) as FakeS3, {
    getBytes: (...args: Parameters<FakeS3['getBytes']>) => {
      log.push('download');
      return s3.getBytes(...args);
    },
  });
  let extract: () => Promise<ImageMetadata> = () =>
    Promise.resolve({ format: 'jpeg', width: 2, height: 1 } as never);
  let renderGate: Promise<void> = Promise.resolve();
  const images: ImageProcessor = {
    extractMetadata: () => extract(),
    renderVariants: async (input, options) => {
      await renderGate;
      return renderNamed(input, options);
    },
  };
  const deps = (config: typeof METADATA_CONFIG): UseCaseDeps => ({ config, objects, table, images });
  /** Runs one use case with the log cleared first, then adds the table's and S3's requests to it. */
  const logged = async (run: () => Promise<Outcome>): Promise<Outcome> => {
    log.length = 0;
    table.requests.length = 0;
    s3.requests.length = 0;
    const outcome = await run();
    log.push(...table.requests, ...s3.requests.map((r) => r.replace(`${WORLD_KEY}/`, '')));
    return outcome;
  };
  let sequencer = 0x100;
  return {
    s3,
    table,
    log,
    /** Uploads `body` under the key and returns its Object Created event (each later than the last). */
    upload(body = 'jpeg bytes'): ObjectEvent {
      const etag = s3.seed(SOURCE, WORLD_KEY, Buffer.from(body));
      sequencer += 1;
      const event = objectCreatedEvent({
        bucket: SOURCE,
        key: WORLD_KEY,
        size: body.length,
        etag,
        sequencer: sequencer.toString(16).toUpperCase(),
      });
      return parseObjectEvents(event)[0]!;
    },
    remove(): ObjectEvent {
      s3.objects.delete(`${SOURCE}/${WORLD_KEY}`);
      sequencer += 1;
      const event = objectDeletedEvent({ bucket: SOURCE, key: WORLD_KEY, sequencer: sequencer.toString(16) });
      return parseObjectEvents(event)[0]!;
    },
    /** The derived files of the key: file name -> bytes. */
    files(): Record<string, string> {
      const prefix = `${DERIVED}/${WORLD_KEY}/`;
      return Object.fromEntries(
        [...s3.objects.entries()]
          .filter(([id]) => id.startsWith(prefix))
          .map(([id, o]) => [id.slice(prefix.length), o.body.toString()]),
      );
    },
    failExtraction() {
      extract = () => Promise.reject(corrupt());
    },
    holdRender(gate: Promise<void>) {
      renderGate = gate;
    },
    metadata: (event: ObjectEvent) => logged(() => syncMetadata(event, deps(METADATA_CONFIG))),
    resize: (event: ObjectEvent, options?: { force?: boolean }) =>
      logged(() => resizeObject(event, deps(RESIZE_CONFIG), options)),
  };
}
