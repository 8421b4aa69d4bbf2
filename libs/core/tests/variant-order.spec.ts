import { definePipeline, functionEnvironment } from '@imgpipe/pipeline';
import type { RenderOptions, RenderResult } from '@imgpipe/image';
import created from './fixtures/events/eventbridge-object-created.json';
import { FakeS3 } from './fake-s3';
import { renderNamed } from './world';
import {
  parseObjectEvents,
  readConfig,
  resizeObject,
  seqKey,
  VARIANT_METADATA,
  VariantWriteConflictError,
  type ImageProcessor,
  type ImageRow,
  type ImageTable,
  type ObjectEvent,
  type SourceVersion,
  type UseCaseDeps,
  type VariantFields,
} from '../src';
import { removeVariants, storeVariants } from '../src/variant-files';

// Variant files only move forward in sequencer order (docs/architecture.md "Variant files"): the race
// of issue 11's ordering test replayed step by step against an S3 with conditional requests.

const config = readConfig(functionEnvironment(definePipeline(), 'resize'));
const DERIVED = config.derivedBucket;

/** Renders each preset as `<source bytes>:<preset>`, so a file's bytes name the version they come from. */
function images(gate?: Promise<void>): ImageProcessor {
  return {
    async renderVariants(input: Buffer, options: RenderOptions): Promise<RenderResult> {
      await gate;
      return renderNamed(input, options);
    },
    extractMetadata: () => Promise.reject(new Error('resize asked for metadata')),
  };
}

/**
 * The row's variants part, conditioned on the version as the real table is. Nobody wrote metadata, so
 * resize's unread finishing write is always refused (and reads the row).
 */
class FakeTable {
  row: ImageRow | undefined;
  get = () => Promise.resolve(this.row);
  finishVariantsUnread = () => Promise.resolve({ written: 'refused' as const, row: this.row });
  finalize = () => Promise.resolve(false);
  writeVariants = (version: SourceVersion, fields: VariantFields) => {
    if (this.row && this.row.seqKey > version.seqKey) return Promise.resolve('stale' as const);
    this.row = {
      objectKey: version.objectKey,
      bucket: version.bucket,
      status: 'pending',
      sequencer: version.sequencer,
      seqKey: version.seqKey,
      variantsSeqKey: version.seqKey,
      variants: fields.variants,
      presetsHash: fields.presetsHash,
      updatedAt: 'now',
    };
    return Promise.resolve('moved' as const);
  };
}

function createdEvent(sequencer: string, body: string, s3: FakeS3): ObjectEvent {
  const json = structuredClone(created);
  const [template] = parseObjectEvents(json);
  const etag = s3.seed(template!.bucket, template!.key, Buffer.from(body));
  json.detail.object = { ...json.detail.object, sequencer, etag, size: body.length };
  return parseObjectEvents(json)[0]!;
}

function deps(s3: FakeS3, table: FakeTable, imageLib: ImageProcessor): UseCaseDeps {
  return { config, objects: s3, table: table as unknown as ImageTable, images: imageLib };
}

/** The derived files of the event's key: key → bytes. */
function files(s3: FakeS3, sourceKey: string): Record<string, string> {
  return Object.fromEntries(
    [...s3.objects.entries()]
      .filter(([id]) => id.startsWith(`${DERIVED}/${sourceKey}/`))
      .map(([id, o]) => [id.slice(DERIVED.length + 1), o.body.toString()]),
  );
}

describe('variant files move forward only', () => {
  it('keeps the newer version files when an older resize finishes rendering after it (issue 11 race)', async () => {
    const s3 = new FakeS3();
    const table = new FakeTable();
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const v1 = createdEvent('0100', 'v1', s3);
    const slow = resizeObject(v1, deps(s3, table, images(gate)));
    await new Promise((resolve) => setImmediate(resolve)); // v1 has downloaded v1
    const v2 = createdEvent('0200', 'v2', s3);
    await expect(resizeObject(v2, deps(s3, table, images()))).resolves.toMatchObject({ action: 'applied' });
    open();
    await expect(slow).resolves.toMatchObject({ action: 'stale' });

    const key = v1.key;
    expect(files(s3, key)).toEqual({
      [`${key}/thumb.webp`]: 'v2:thumb',
      [`${key}/small.webp`]: 'v2:small',
      [`${key}/large.jpg`]: 'v2:large',
    });
    expect(table.row?.seqKey).toBe(seqKey('0200'));
    // Every file the row lists exists, with the bytes of the version the row names.
    for (const variant of table.row?.variants ?? []) {
      expect(files(s3, key)[variant.key]).toBe(`v2:${variant.name}`);
    }
  });

  it('costs one conditional PUT per file on a new key, and no HEAD', async () => {
    const s3 = new FakeS3();
    const v1 = createdEvent('0100', 'v1', s3);
    const outcome = await resizeObject(v1, deps(s3, new FakeTable(), images()));
    expect(outcome).toMatchObject({ action: 'applied' });
    expect(s3.requests).toEqual([
      `put ${v1.key}/thumb.webp if-none-match`,
      `put ${v1.key}/small.webp if-none-match`,
      `put ${v1.key}/large.jpg if-none-match`,
    ]);
  });

  it('over an older version files (no row read says they are there): a refused PUT, a HEAD and an If-Match PUT each', async () => {
    const s3 = new FakeS3();
    const table = new FakeTable();
    const v1 = createdEvent('0100', 'v1', s3);
    await resizeObject(v1, deps(s3, table, images()));
    s3.requests.length = 0;
    const v2 = createdEvent('0200', 'v2', s3);
    await expect(resizeObject(v2, deps(s3, table, images()))).resolves.toMatchObject({ action: 'applied' });
    const files = ['large.jpg', 'small.webp', 'thumb.webp'].map((f) => `${v2.key}/${f}`);
    expect([...s3.requests].sort()).toEqual([
      ...files.map((f) => `head ${f}`),
      ...files.flatMap((f) => [`put ${f} if-match`, `put ${f} if-none-match`]),
    ]);
  });

  it("over files it knows are there (the row read first, reconcile's force): a HEAD and an If-Match PUT each", async () => {
    const s3 = new FakeS3();
    const v1 = createdEvent('0100', 'v1', s3);
    const key = `${v1.key}/thumb.webp`;
    s3.seed(DERIVED, key, Buffer.from('v0:thumb'), { [VARIANT_METADATA.sourceSequencer]: '0001' });
    const version = { objectKey: v1.key, bucket: v1.bucket, sequencer: '0100', seqKey: seqKey('0100') };
    const rendered = await images().renderVariants(Buffer.from('v1'), {
      presets: config.presets.filter((p) => p.name === 'thumb'),
      limits: config.limits,
    });
    await storeVariants(s3, DERIVED, version, rendered.variants, config.cdn, new Set([key]));
    expect(s3.requests).toEqual([`head ${key}`, `put ${key} if-match`]);
    expect(files(s3, v1.key)).toEqual({ [key]: 'v1:thumb' });
  });

  it('replaces an older version file exactly as it was seen (If-Match on its ETag)', async () => {
    const s3 = new FakeS3();
    const v2 = createdEvent('0200', 'v2', s3);
    const key = `${v2.key}/thumb.webp`;
    s3.seed(DERIVED, key, Buffer.from('v1:thumb'), { [VARIANT_METADATA.sourceSequencer]: '0100' });
    const version = { objectKey: v2.key, bucket: v2.bucket, sequencer: '0200', seqKey: seqKey('0200') };
    const rendered = await images().renderVariants(Buffer.from('v2'), {
      presets: config.presets.filter((p) => p.name === 'thumb'),
      limits: config.limits,
    });
    const stored = await storeVariants(s3, DERIVED, version, rendered.variants, config.cdn);
    expect(stored.newer).toBe(false);
    expect(s3.requests).toEqual([`put ${key} if-none-match`, `head ${key}`, `put ${key} if-match`]);
    expect(files(s3, v2.key)).toEqual({ [key]: 'v2:thumb' });
  });

  it('never overwrites a newer file written between its HEAD and its PUT', async () => {
    const s3 = new FakeS3();
    const v1 = createdEvent('0100', 'v1', s3);
    const key = `${v1.key}/thumb.webp`;
    s3.seed(DERIVED, key, Buffer.from('v0:thumb'), { [VARIANT_METADATA.sourceSequencer]: '0001' });
    let raced = false;
    s3.afterHead = () => {
      // v2 replaces the file right after v1's HEAD saw v0's.
      if (!raced)
        s3.seed(DERIVED, key, Buffer.from('v2:thumb'), { [VARIANT_METADATA.sourceSequencer]: '0200' });
      raced = true;
      return Promise.resolve();
    };
    const version = { objectKey: v1.key, bucket: v1.bucket, sequencer: '0100', seqKey: seqKey('0100') };
    const rendered = await images().renderVariants(Buffer.from('v1'), {
      presets: config.presets.filter((p) => p.name === 'thumb'),
      limits: config.limits,
    });
    const stored = await storeVariants(s3, DERIVED, version, rendered.variants, config.cdn);
    expect(stored.newer).toBe(true);
    expect(files(s3, v1.key)).toEqual({ [key]: 'v2:thumb' });
  });

  it('gives up with a retryable typed error when the file keeps changing', async () => {
    const s3 = new FakeS3();
    const v1 = createdEvent('0100', 'v1', s3);
    const key = `${v1.key}/thumb.webp`;
    let n = 0;
    s3.beforeCommit = () => {
      // An older writer replaces the file before each of our writes commits.
      n += 1;
      s3.seed(DERIVED, key, Buffer.from(`v0:${n}`), { [VARIANT_METADATA.sourceSequencer]: '0001' });
      return Promise.resolve();
    };
    const version = { objectKey: v1.key, bucket: v1.bucket, sequencer: '0100', seqKey: seqKey('0100') };
    const rendered = await images().renderVariants(Buffer.from('v1'), {
      presets: config.presets.filter((p) => p.name === 'thumb'),
      limits: config.limits,
    });
    const store = storeVariants(s3, DERIVED, version, rendered.variants, config.cdn);
    await expect(store).rejects.toBeInstanceOf(VariantWriteConflictError);
    await expect(store).rejects.toMatchObject({ code: 'VARIANT_WRITE_CONFLICT', retryable: true });
  });

  it('a removal leaves a file a newer writer stored between its HEAD and its delete', async () => {
    const s3 = new FakeS3();
    const v1 = createdEvent('0100', 'v1', s3);
    const key = `${v1.key}/thumb.webp`;
    s3.seed(DERIVED, key, Buffer.from('v1:thumb'), { [VARIANT_METADATA.sourceSequencer]: '0100' });
    s3.afterHead = () => {
      s3.seed(DERIVED, key, Buffer.from('v2:thumb'), { [VARIANT_METADATA.sourceSequencer]: '0200' });
      return Promise.resolve();
    };
    const removed = await removeVariants(s3, DERIVED, v1.key, (k) => k === seqKey('0100'));
    expect(removed).toBe(0);
    expect(s3.requests).toEqual([`head ${key}`, `delete ${key} if-match`]);
    expect(files(s3, v1.key)).toEqual({ [key]: 'v2:thumb' });
  });
});
