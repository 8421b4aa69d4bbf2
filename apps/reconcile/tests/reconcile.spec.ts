import { PutObjectCommand } from '@aws-sdk/client-s3';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoControlTable } from '@imgpipe/aws';
import { composeFunction, type FunctionRuntime } from '@imgpipe/lambda-kit';
import {
  buildFunctionBundle,
  invokeBundle,
  lambdaContext,
  usePipelineServers,
} from '@imgpipe/local-aws/testing';
import {
  parseObjectEvents,
  reconcile,
  resizeObject,
  seqKey,
  syncMetadata,
  versionOf,
  type ReconcileReport,
} from '@imgpipe/core';
import { extractMetadata, renderVariants } from '@imgpipe/image';
import { DEFAULT_PRESETS, derivedKey, ENV } from '@imgpipe/pipeline';
import { readCorpusFile } from '@imgpipe/testing';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

jest.setTimeout(120_000);

const root = resolve(__dirname, '..', '..', '..');
const images = { renderVariants, extractMetadata };
const PHOTO = readCorpusFile('sharp-fixtures/320x240.jpg');
const scheduled = JSON.parse(
  readFileSync(join(root, 'libs', 'core', 'tests', 'fixtures', 'events', 'scheduled-event.json'), 'utf8'),
) as unknown;

const suite = usePipelineServers();

function runtimeWith(overrides: Record<string, string> = {}): FunctionRuntime {
  return composeFunction('reconcile', { ...suite.servers.env('reconcile'), ...overrides }, images);
}

/** Runs reconcile through the core with a budget of `pages` pages (one read sizes the lease, then one per page). */
async function runPages(
  runtime: FunctionRuntime,
  pages: number,
  owner = 'test-owner',
): Promise<ReconcileReport> {
  let left = pages + 1;
  return reconcile({
    ...runtime.deps,
    control: runtime.control,
    owner,
    remainingMs: () => (left-- > 0 ? 60_000 : 0),
  });
}

async function runToCompletion(runtime: FunctionRuntime): Promise<ReconcileReport> {
  return runPages(runtime, 1000);
}

/** resize's dependencies with a row write that crashes: its files are stored first, then it throws. */
function crashBeforeRowWrite(resize: FunctionRuntime): FunctionRuntime['deps'] {
  const table: FunctionRuntime['deps']['table'] = Object.create(resize.deps.table);
  table.writeVariants = () => Promise.reject(new Error('crash before the row write'));
  return { ...resize.deps, table };
}

describe('reconcile', () => {
  it('renders objects that never got events, removes orphans and tombstones rows of vanished sources', async () => {
    // Prepare: two objects with no rows, an orphan variant, a live row whose source is gone.
    for (const key of ['missed/a.jpg', 'missed/b c.jpg']) await suite.servers.upload(key, PHOTO);
    await suite.servers.s3.send(
      new PutObjectCommand({
        Bucket: 'imgpipe-derived',
        Key: 'vanished.jpg/thumb.webp',
        Body: Buffer.from('x'),
      }),
    );
    await suite.servers.db.send(
      new PutCommand({
        TableName: 'imgpipe-images',
        Item: {
          objectKey: 'vanished.jpg',
          bucket: 'imgpipe-source',
          status: 'ready',
          sequencer: '0065A1',
          seqKey: '0065A100000000000000000000000000',
          updatedAt: new Date().toISOString(),
        },
      }),
    );
    // Act: through the real handler, as the schedule runs it.
    Object.assign(process.env, suite.servers.env('reconcile'));
    const { handler } = await import('../src/handler');
    const report = (await handler(scheduled, lambdaContext(300_000))) as ReconcileReport;
    // Assess
    expect(report).toMatchObject({ rendered: 2, tombstoned: 1, complete: true });
    expect(report.orphansRemoved).toBeGreaterThanOrEqual(1);
    for (const key of ['missed/a.jpg', 'missed/b c.jpg']) {
      expect(await suite.servers.row(key)).toMatchObject({
        status: 'ready',
        etag: expect.any(String),
        width: 320,
      });
      expect(await suite.servers.derivedKeys(`${key}/`)).toHaveLength(3);
    }
    expect(await suite.servers.derivedKeys('vanished.jpg/')).toEqual([]);
    expect(await suite.servers.row('vanished.jpg')).toMatchObject({ status: 'deleted' });
    // A second run finds nothing to fix.
    const again = (await handler(scheduled, lambdaContext(300_000))) as ReconcileReport;
    expect(again).toMatchObject({
      rendered: 0,
      rowsRepaired: 0,
      orphansRemoved: 0,
      tombstoned: 0,
      complete: true,
    });
  });

  it("backfills the listing indexes' keys on rows written before them, leaving updatedAt alone", async () => {
    // Prepare: a tombstone as the pipeline wrote it before the image API (no ownerPrefix/ownerStatus).
    const old = {
      objectKey: 'u/dana/old.jpg',
      bucket: 'imgpipe-source',
      status: 'deleted',
      sequencer: '0065A1',
      seqKey: '0065A100000000000000000000000000',
      updatedAt: '2025-01-01T00:00:00.000Z',
    };
    await suite.servers.db.send(new PutCommand({ TableName: 'imgpipe-images', Item: old }));
    // Act
    const report = await runToCompletion(runtimeWith());
    // Assess
    expect(report.complete).toBe(true);
    expect(await suite.servers.row('u/dana/old.jpg')).toEqual({
      ...old,
      ownerPrefix: 'u/dana/',
      ownerStatus: 'u/dana/#deleted',
    });
  });

  it('lets any real event beat a row reconcile invented', async () => {
    const key = 'missed/a.jpg';
    const row = await suite.servers.row(key);
    expect(row?.sequencer).toBe('0');
    const v = await suite.servers.upload(key, readCorpusFile('sharp-fixtures/Landscape_9.jpg'));
    const resize = composeFunction('resize', suite.servers.env('resize'), images);
    const [event] = parseObjectEvents(suite.servers.created(key, v));
    if (!event) throw new Error('no event');
    expect((await resizeObject(event, resize.deps)).action).toBe('applied');
    expect((await syncMetadata(event, resize.deps)).action).toBe('applied');
    expect(await suite.servers.row(key)).toMatchObject({
      status: 'ready',
      sequencer: v.sequencer,
      width: 480,
    });
  });

  it('re-renders after the presets change and removes variants of dropped presets', async () => {
    const presets = [
      ...DEFAULT_PRESETS.filter((p) => p.name !== 'large'),
      { name: 'tiny', fit: 'cover' as const, width: 32, height: 32, format: 'webp' as const, quality: 80 },
    ];
    const runtime = runtimeWith({ [ENV.presets]: JSON.stringify(presets) });
    const report = await runToCompletion(runtime);
    expect(report.rendered).toBe(2);
    expect(await suite.servers.derivedKeys('missed/b c.jpg/')).toEqual([
      'missed/b c.jpg/small.webp',
      'missed/b c.jpg/thumb.webp',
      'missed/b c.jpg/tiny.webp',
    ]);
    expect((await suite.servers.row('missed/b c.jpg'))?.presetsHash).toBe(runtime.deps.config.presetsHash);
  });

  it('stops at the time budget with a checkpoint and resumes from it', async () => {
    const runtime = runtimeWith({ [ENV.reconcilePageSize]: '1' });
    const first = await runPages(runtime, 1);
    expect(first.complete).toBe(false);
    expect(first.nextCheckpoint).toMatchObject({ phase: 'source', token: expect.any(String) });
    expect(first.scanned).toBe(1);
    const rest = await runToCompletion(runtime);
    expect(rest.complete).toBe(true);
    expect(await runtime.control.getCheckpoint()).toBeUndefined();
  });

  it('does nothing while another run holds the lease', async () => {
    const runtime = runtimeWith();
    const control = runtime.control as DynamoControlTable;
    expect(await control.acquireLease('someone-else', Date.now() + 60_000, Date.now())).toBe(true);
    const report = await runPages(runtime, 1000, 'me');
    expect(report).toMatchObject({ skipped: 'lease-held', scanned: 0 });
    await control.releaseLease('someone-else');
    expect((await runPages(runtime, 1000, 'me')).complete).toBe(true);
  });

  it('removes variants resize wrote before metadata-sync found the image unusable', async () => {
    // Prepare: resize rendered the version, then metadata-sync recorded a permanent failure for it
    // (metadata-sync may not write the derived bucket, so the variants stay behind).
    const key = 'failed-late/photo.jpg';
    const v = await suite.servers.upload(key, PHOTO);
    const runtime = runtimeWith();
    const [event] = parseObjectEvents(suite.servers.created(key, v));
    if (!event) throw new Error('no event');
    expect((await resizeObject(event, runtime.deps)).action).toBe('applied');
    expect(await suite.servers.derivedKeys(`${key}/`)).toHaveLength(3);
    const failure = { code: 'CORRUPT_IMAGE', message: 'failed strictly after the variants were written' };
    expect(
      await runtime.deps.table.writeFailure(versionOf(event), 'metadata', failure, new Date().toISOString()),
    ).toBe('applied');
    // Act
    const report = await runToCompletion(runtime);
    // Assess: the row keeps its failure, the variants are gone, nothing was re-rendered.
    expect(report.orphansRemoved).toBe(3);
    expect(await suite.servers.derivedKeys(`${key}/`)).toEqual([]);
    expect(await suite.servers.row(key)).toMatchObject({ status: 'failed', error: failure });
  });

  it('repairs a row a crashed resize never recorded at the sequencer its files carry (files move forward only)', async () => {
    const key = 'crashed/after-files.jpg';
    const v = await suite.servers.upload(key, PHOTO);
    // A real event's resize stored the files, then crashed before its row write; the event was exhausted.
    const resize = composeFunction('resize', suite.servers.env('resize'), images);
    const [event] = parseObjectEvents(suite.servers.created(key, v));
    if (!event) throw new Error('no event');
    await expect(resizeObject(event, crashBeforeRowWrite(resize))).rejects.toThrow(
      'crash before the row write',
    );
    expect(await suite.servers.derivedKeys(`${key}/`)).toHaveLength(DEFAULT_PRESETS.length);
    expect(await suite.servers.row(key)).toBeUndefined();

    await runToCompletion(runtimeWith());
    expect(await suite.servers.row(key)).toMatchObject({ status: 'ready', sequencer: v.sequencer });
    expect(await suite.servers.derivedKeys(`${key}/`)).toHaveLength(DEFAULT_PRESETS.length);
  });

  it('repairs an object whose events were lost over the files of the version it replaced (crashed before its row write)', async () => {
    const key = 'crashed/then-replaced.jpg';
    const resize = composeFunction('resize', suite.servers.env('resize'), images);
    // v1 fully processed: the row is ready at v1.
    const v1 = await suite.servers.upload(key, PHOTO);
    const [e1] = parseObjectEvents(suite.servers.created(key, v1));
    if (!e1) throw new Error('no event');
    expect((await resizeObject(e1, resize.deps)).action).toBe('applied');
    expect((await syncMetadata(e1, resize.deps)).action).toBe('applied');
    // v2: its resize stores the files (newer than v1's), then crashes before its row write; exhausted.
    const v2 = await suite.servers.upload(key, readCorpusFile('sharp-fixtures/Landscape_9.jpg'));
    const [e2] = parseObjectEvents(suite.servers.created(key, v2));
    if (!e2) throw new Error('no event');
    await expect(resizeObject(e2, crashBeforeRowWrite(resize))).rejects.toThrow('crash before the row write');
    // v3 replaces it; none of its events arrive.
    const v3 = await suite.servers.upload(key, readCorpusFile('sharp-fixtures/2569067123_aca715a2ee_o.jpg'));
    const filesOf = async (): Promise<(string | undefined)[]> =>
      Promise.all(
        DEFAULT_PRESETS.map(
          async (p) => (await suite.servers.derivedHead(derivedKey(key, p))).Metadata?.['source-etag'],
        ),
      );
    expect(await filesOf()).toEqual(DEFAULT_PRESETS.map(() => v2.etag));

    await runToCompletion(runtimeWith());
    const row = await suite.servers.row(key);
    expect(row).toMatchObject({ status: 'ready', etag: v3.etag });
    expect(await filesOf()).toEqual(DEFAULT_PRESETS.map(() => v3.etag));
    // The repair sits just after v2's files, so v3's own event, should it still come, is newer and applies.
    const repairedAt = row?.seqKey ?? '';
    expect(repairedAt > seqKey(v2.sequencer) && repairedAt < seqKey(v3.sequencer)).toBe(true);
    const [e3] = parseObjectEvents(suite.servers.created(key, v3));
    if (!e3) throw new Error('no event');
    expect((await resizeObject(e3, resize.deps)).action).toBe('applied');
    expect((await syncMetadata(e3, resize.deps)).action).toBe('applied');
    expect(await suite.servers.row(key)).toMatchObject({ status: 'ready', sequencer: v3.sequencer });
  });

  it('runs from the bundle in a fresh node process on a Scheduled Event', async () => {
    const run = await invokeBundle(
      buildFunctionBundle('reconcile'),
      scheduled,
      suite.servers.env('reconcile'),
      300_000,
    );
    expect(run).toMatchObject({ ok: true, exports: ['handler'], result: { complete: true } });
  });

  it('does not load sharp (libvips) when its bundle is imported, only when an image is processed', () => {
    // Whether libvips is mapped into the process is timing-free evidence of sharp having loaded.
    const probe = `
      import { readFileSync } from 'node:fs';
      const vips = () => readFileSync('/proc/self/maps', 'utf8').includes('libvips');
      const mod = await import(process.argv[1]);
      const afterImport = vips();
      await import('sharp');
      console.log(JSON.stringify({ handler: typeof mod.handler, afterImport, afterSharp: vips() }));
    `;
    const bundle = join(root, 'apps', 'reconcile', 'dist', 'reconcile.mjs');
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', probe, bundle], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(JSON.parse(out.trim().split('\n').at(-1) ?? '{}')).toEqual({
      handler: 'function',
      afterImport: false,
      afterSharp: true,
    });
  });
});
