import { seqKey } from '../src';
import { METADATA_CONFIG, world, WORLD_KEY } from './world';

// metadata-sync reads no row on its common path: its conditional write decides stale and duplicate
// events (docs/architecture.md "Ordering"). Each case runs the use case against the row's rules in
// memory and counts its requests as DynamoDB and S3 would see them.

const KEY = WORLD_KEY;
const META = { format: 'jpeg', width: 2, height: 1, metadata: {} };
const metaConfig = METADATA_CONFIG;
const SOURCE = metaConfig.sourceBucket;

describe('syncMetadata without a row read', () => {
  it('records a fresh upload in two requests: the download and one conditional write', async () => {
    const w = world();
    const event = w.upload();
    expect(await w.metadata(event)).toEqual({ action: 'applied', ready: false, bytesIn: 10, bytesOut: 0 });
    expect(w.log).toEqual(['download', 'update']);
    expect(w.table.row(KEY)).toMatchObject({
      status: 'pending',
      metaSeqKey: seqKey(event.sequencer),
      ...META,
    });
    // resize comes second and makes the row ready.
    expect(await w.resize(event)).toMatchObject({ action: 'applied', ready: true });
    expect(w.table.row(KEY)?.status).toBe('ready');
  });

  it('finalises when resize finished first (three requests), and the row is ready either way', async () => {
    const w = world();
    const event = w.upload();
    expect(await w.resize(event)).toMatchObject({ action: 'applied', ready: false });
    expect(await w.metadata(event)).toMatchObject({ action: 'applied', ready: true });
    expect(w.log).toEqual(['download', 'update', 'update']);
    expect(w.table.row(KEY)).toMatchObject({ status: 'ready', metaSeqKey: seqKey(event.sequencer) });
  });

  it('lets resize finish the row when metadata-sync wrote while resize was rendering', async () => {
    const w = world();
    const event = w.upload();
    let release!: () => void;
    w.holdRender(new Promise((r) => (release = r)));
    const resized = w.resize(event);
    await new Promise((r) => setImmediate(r)); // resize has downloaded and waits in render
    expect(await w.metadata(event)).toMatchObject({ action: 'applied', ready: false });
    release();
    expect(await resized).toMatchObject({ action: 'applied', ready: true });
    expect(w.table.row(KEY)?.status).toBe('ready');
  });

  it('refuses a duplicate without changing the row (the extraction is spent, then one read)', async () => {
    const w = world();
    const event = w.upload();
    await w.metadata(event);
    await w.resize(event);
    const before = structuredClone(w.table.row(KEY));
    expect(await w.metadata(event)).toEqual({
      action: 'duplicate',
      reason: 'this version is already on the row',
    });
    expect(w.log).toEqual(['download', 'update refused', 'get']);
    expect(w.table.row(KEY)).toEqual(before);
  });

  it('finalises on the retry of an attempt that recorded its part but crashed before finalising', async () => {
    const w = world();
    const event = w.upload();
    await w.resize(event); // moved the row: pending with the variants
    const v = { ...w.table.row(KEY)! };
    const version = { objectKey: KEY, bucket: SOURCE, sequencer: v.sequencer, seqKey: v.seqKey };
    expect(await w.table.writeMetadata(version, META, 'now')).toBe('applied'); // ...then the crash
    expect(w.table.row(KEY)?.status).toBe('pending');
    expect(await w.metadata(event)).toMatchObject({ action: 'duplicate' });
    expect(w.log).toEqual(['download', 'update refused', 'get', 'update']);
    expect(w.table.row(KEY)?.status).toBe('ready');
  });

  it('changes nothing for a stale event, whether its object changed or still has its bytes', async () => {
    const w = world();
    const old = w.upload('same bytes');
    const newer = w.upload('same bytes'); // the same ETag: the old event's download still succeeds
    await w.metadata(newer);
    const before = structuredClone(w.table.row(KEY));
    expect(await w.metadata(old)).toEqual({ action: 'stale', reason: 'row is at a newer pending version' });
    expect(w.log).toEqual(['download', 'update refused', 'get']);
    const newest = w.upload('other bytes');
    await w.metadata(newest);
    expect(await w.metadata(newer)).toEqual({ action: 'stale', reason: 'row is at a newer pending version' });
    expect(w.log).toEqual(['download', 'get']);
    expect(before).toMatchObject({ seqKey: seqKey(newer.sequencer), metaSeqKey: seqKey(newer.sequencer) });
    const at = seqKey(newest.sequencer);
    expect(w.table.row(KEY)).toMatchObject({ seqKey: at, metaSeqKey: at, status: 'pending' });
  });

  it('changes nothing for an event older than the deletion tombstone on the row', async () => {
    const w = world();
    const event = w.upload();
    const deleted = w.remove();
    expect(await w.resize(deleted)).toMatchObject({ action: 'deleted' });
    const tombstone = structuredClone(w.table.row(KEY));
    expect(await w.metadata(event)).toEqual({ action: 'stale', reason: 'row is at a newer deleted version' });
    expect(w.log).toEqual(['download', 'get']);
    expect(w.table.row(KEY)).toEqual(tombstone);
  });

  it("lets resize's failure win over metadata, reported as a duplicate as before", async () => {
    const w = world();
    const event = w.upload();
    await w.table.writeFailure(
      { objectKey: KEY, bucket: SOURCE, sequencer: event.sequencer, seqKey: seqKey(event.sequencer) },
      'variants',
      { code: 'CORRUPT_IMAGE', message: 'not an image' },
      'now',
    );
    expect(await w.metadata(event)).toEqual({
      action: 'duplicate',
      reason: 'this version is already on the row',
    });
    expect(w.table.row(KEY)).toMatchObject({ status: 'failed', error: { code: 'CORRUPT_IMAGE' } });
    expect(w.table.row(KEY)).not.toHaveProperty('format');
  });

  it('records its own failure after reading the row, and not for a stale event', async () => {
    const w = world();
    w.failExtraction();
    const event = w.upload();
    expect(await w.metadata(event)).toMatchObject({ action: 'failed', error: { code: 'CORRUPT_IMAGE' } });
    expect(w.log).toEqual(['download', 'get', 'update']);
    expect(w.table.row(KEY)).toMatchObject({ status: 'failed', metaSeqKey: seqKey(event.sequencer) });
    const newer = w.upload();
    await w.metadata(newer); // fails as well, at the newer version
    const stale = { ...event, etag: newer.etag }; // an old event whose download still succeeds
    expect(await w.metadata(stale)).toEqual({ action: 'stale', reason: 'row is at a newer failed version' });
    expect(w.log).toEqual(['download', 'get']);
  });

  it('reads the row first for an event refused before the download, as before', async () => {
    const w = world();
    const event = w.upload();
    const big = { ...event, size: metaConfig.limits.maxBytes + 1 };
    expect(await w.metadata(big)).toMatchObject({ action: 'failed', error: { code: 'TOO_LARGE' } });
    expect(w.log).toEqual(['get', 'update']);
  });
});
