import { seqKey } from '../src';
import { RESIZE_CONFIG, world, WORLD_KEY } from './world';

// resize reads no row on its common path (docs/architecture.md "Ordering"): the download is conditioned
// on the event's ETag, and one conditional write stores its part and makes the row ready when
// metadata-sync wrote first. A refused write reads the row and decides as a read first would have.
// Each case runs both writers against the row's rules in memory and an S3 with conditional requests.

const FILES = ['thumb.webp', 'small.webp', 'large.jpg'];
const NEW_FILE_PUTS = FILES.map((f) => `put ${f} if-none-match`);
/** The files of a version whose source bytes are `body`. */
const filesOf = (body: string) => ({
  'thumb.webp': `${body}:thumb`,
  'small.webp': `${body}:small`,
  'large.jpg': `${body}:large`,
});
/** The log with the derived bucket's requests sorted (resize stores its files in parallel). */
const settled = (log: readonly string[]) => {
  const files = log.filter((r) => /^(put|head|delete) /.test(r));
  return [...log.filter((r) => !files.includes(r)), ...files.sort()];
};

describe('resizeObject without a row read', () => {
  it('after metadata-sync, stores the files and makes the row ready in one write, reading nothing', async () => {
    const w = world();
    const event = w.upload();
    await w.metadata(event);
    expect(await w.resize(event)).toMatchObject({ action: 'applied', ready: true });
    expect(w.log).toEqual(['download', 'update', ...NEW_FILE_PUTS]);
    const at = seqKey(event.sequencer);
    expect(w.table.row(WORLD_KEY)).toMatchObject({ status: 'ready', variantsSeqKey: at, metaSeqKey: at });
    expect(w.files()).toEqual(filesOf('jpeg bytes'));
  });

  it('first, pays a refused write and a read, then moves the row; metadata-sync finalises', async () => {
    const w = world();
    const event = w.upload();
    expect(await w.resize(event)).toMatchObject({ action: 'applied', ready: false });
    expect(w.log).toEqual(['download', 'update refused', 'get', 'update', ...NEW_FILE_PUTS]);
    expect(w.table.row(WORLD_KEY)?.status).toBe('pending');
    expect(await w.metadata(event)).toMatchObject({ action: 'applied', ready: true });
    expect(w.table.row(WORLD_KEY)?.status).toBe('ready');
  });

  it('refuses a duplicate after rendering it again, leaving the row and the same bytes in place', async () => {
    const w = world();
    const event = w.upload();
    await w.metadata(event);
    await w.resize(event);
    const row = structuredClone(w.table.row(WORLD_KEY));
    expect(await w.resize(event)).toEqual({
      action: 'duplicate',
      reason: 'this version is already on the row',
    });
    expect(settled(w.log)).toEqual([
      'download',
      'update refused',
      'get',
      ...[
        ...FILES.map((f) => `head ${f}`),
        ...FILES.flatMap((f) => [`put ${f} if-match`, `put ${f} if-none-match`]),
      ].sort(),
    ]);
    expect(w.table.row(WORLD_KEY)).toEqual(row);
    expect(w.files()).toEqual(filesOf('jpeg bytes'));
  });

  it('finalises on the retry of an attempt that recorded its part but crashed before finalising', async () => {
    const w = world();
    const event = w.upload();
    await w.resize(event); // moved the row: pending with the variants
    const v = w.table.row(WORLD_KEY)!;
    const version = { objectKey: WORLD_KEY, bucket: v.bucket, sequencer: v.sequencer, seqKey: v.seqKey };
    const meta = { format: 'jpeg', width: 2, height: 1, metadata: {} };
    expect(await w.table.writeMetadata(version, meta, 'now')).toBe('applied'); // metadata-sync, then a crash
    expect(await w.resize(event)).toMatchObject({ action: 'duplicate' });
    expect(settled(w.log).slice(0, 4)).toEqual(['download', 'update refused', 'get', 'update']);
    expect(w.table.row(WORLD_KEY)?.status).toBe('ready');
  });

  it('leaves a newer version alone when an older event still downloads (the same bytes again)', async () => {
    const w = world();
    const old = w.upload('same bytes');
    const newer = w.upload('same bytes'); // the same ETag: the old event's download still succeeds
    await w.metadata(newer);
    await w.resize(newer);
    const row = structuredClone(w.table.row(WORLD_KEY));
    // Its files are refused and their HEADs name the newer version: stale before any row request.
    expect(await w.resize(old)).toEqual({
      action: 'stale',
      reason: 'a newer version has stored its variants',
    });
    expect(w.log.filter((r) => r === 'get' || r.startsWith('update'))).toEqual([]);
    expect(w.table.row(WORLD_KEY)).toEqual(row);
    expect(w.files()).toEqual(filesOf('same bytes'));
    expect(
      Object.keys(w.files()).map(
        (f) =>
          w.s3.objects.get(`${RESIZE_CONFIG.derivedBucket}/${WORLD_KEY}/${f}`)?.metadata['source-sequencer'],
      ),
    ).toEqual(FILES.map(() => newer.sequencer));
  });

  it('takes back the files of an older event that rendered before the newer version did', async () => {
    const w = world();
    const old = w.upload('same bytes');
    const newer = w.upload('same bytes');
    await w.metadata(newer); // the row is at the newer version; no files yet
    expect(await w.resize(old)).toEqual({ action: 'stale', reason: 'row is at a newer pending version' });
    expect(w.log.slice(0, 3)).toEqual(['download', 'update refused', 'get']);
    expect(w.files()).toEqual({});
    expect(w.table.row(WORLD_KEY)).toMatchObject({ seqKey: seqKey(newer.sequencer) });
    expect(w.table.row(WORLD_KEY)).not.toHaveProperty('variants');
  });

  it('renders nothing for an event whose object was deleted since: its download finds none', async () => {
    const w = world();
    const event = w.upload();
    const deleted = w.remove();
    await w.resize(deleted);
    const tombstone = structuredClone(w.table.row(WORLD_KEY));
    expect(await w.resize(event)).toEqual({ action: 'stale', reason: 'row is at a newer deleted version' });
    expect(w.log).toEqual(['download', 'get']);
    expect(w.table.row(WORLD_KEY)).toEqual(tombstone);
    expect(w.files()).toEqual({});
  });

  it("takes back its files when metadata-sync's failure won this version, reported as a duplicate", async () => {
    const w = world();
    w.failExtraction();
    const event = w.upload();
    expect(await w.metadata(event)).toMatchObject({ action: 'failed' });
    expect(await w.resize(event)).toEqual({
      action: 'duplicate',
      reason: 'this version is already on the row',
    });
    expect(w.files()).toEqual({});
    expect(w.table.row(WORLD_KEY)).toMatchObject({ status: 'failed', error: { code: 'CORRUPT_IMAGE' } });
    expect(w.table.row(WORLD_KEY)).not.toHaveProperty('variants');
  });

  it('removes the files of presets that are gone, as the finishing write saw them on the row', async () => {
    const w = world();
    const first = w.upload('v1');
    await w.metadata(first);
    await w.resize(first);
    // The row as an older presets list left it: an extra file and another presets hash.
    w.s3.seed(RESIZE_CONFIG.derivedBucket, `${WORLD_KEY}/retired.webp`, Buffer.from('v1:retired'), {
      'source-sequencer': first.sequencer,
    });
    w.table.rows.set(WORLD_KEY, { ...w.table.rows.get(WORLD_KEY)!, presetsHash: 'presets-before' });
    const second = w.upload('v2');
    await w.metadata(second);
    expect(await w.resize(second)).toMatchObject({ action: 'applied', ready: true });
    expect(w.files()).toEqual(filesOf('v2'));
  });

  it("reads the row first under reconcile's force and stores missing files again", async () => {
    const w = world();
    const event = w.upload();
    await w.metadata(event);
    await w.resize(event);
    w.s3.objects.delete(`${RESIZE_CONFIG.derivedBucket}/${WORLD_KEY}/large.jpg`);
    expect(await w.resize(event, { force: true })).toMatchObject({ action: 'duplicate' });
    expect(w.log.slice(0, 2).sort()).toEqual(['download', 'get']);
    expect(w.files()).toEqual(filesOf('jpeg bytes'));
  });
});
