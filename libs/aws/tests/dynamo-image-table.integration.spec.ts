import { createAwsClients, DynamoImageTable } from '../src';
import { startPipelineServers, type PipelineServers } from '@imgpipe/local-aws/testing';
import { nextVersion } from './support/versions';

jest.setTimeout(60_000);

let servers: PipelineServers;
let table: DynamoImageTable;
/** DynamoDB requests sent through `table`, by command name, since the last reset. */
const sent: string[] = [];

beforeAll(async () => {
  servers = await startPipelineServers();
  const clients = createAwsClients('resize', servers.env('resize'));
  clients.dynamo.middlewareStack.add(
    (next, context) => (args) => {
      sent.push(String(context.commandName));
      return next(args);
    },
    { step: 'initialize', name: 'countRequests' },
  );
  table = new DynamoImageTable(clients.dynamo, servers.pipeline.names.table);
});

afterAll(async () => {
  await servers.stop();
});

const meta = { format: 'jpeg', width: 1, height: 1, metadata: {} };
const variants = { variants: [], presetsHash: 'h' };
const now = '2026-11-27T10:00:00.000Z';

describe('DynamoImageTable, the two writers of a version', () => {
  it('says which write moved the row to the version; the other part then lands and finalises', async () => {
    const v = nextVersion('photos/moved.jpg');
    expect(await table.writeMetadata(v, meta, now)).toBe('moved');
    expect(await servers.row(v.objectKey)).toMatchObject({ status: 'pending', metaSeqKey: v.seqKey });
    // The mover cannot finalise: the other part is not there yet.
    expect(await table.finalize(v.objectKey, v.seqKey, now)).toBe(false);
    expect(await table.writeVariants(v, variants, now)).toBe('applied');
    expect(await table.finalize(v.objectKey, v.seqKey, now)).toBe(true);
    expect(await servers.row(v.objectKey)).toMatchObject({ status: 'ready', variantsSeqKey: v.seqKey });
  });

  it('writes the second part in one request when the writer read the row at its version', async () => {
    // A ready row at the version, re-rendered under other presets: only the same-version write is tried.
    const v = nextVersion('photos/second.jpg');
    await table.writeVariants(v, variants, now);
    await table.writeMetadata(v, meta, now);
    expect(await table.finalize(v.objectKey, v.seqKey, now)).toBe(true);
    const seen = await table.get(v.objectKey);
    sent.length = 0;
    expect(await table.writeVariants(v, { ...variants, presetsHash: 'h2' }, now, seen)).toBe('applied');
    expect(sent).toEqual(['UpdateItemCommand']);
    expect(await servers.row(v.objectKey)).toMatchObject({ status: 'ready', presetsHash: 'h2' });
    // Without what it read, the same write first tries (and fails) to move the row.
    const w = nextVersion('photos/second-unseen.jpg');
    await table.writeVariants(w, variants, now);
    sent.length = 0;
    expect(await table.writeMetadata(w, meta, now)).toBe('applied');
    expect(sent).toEqual(['UpdateItemCommand', 'UpdateItemCommand']);
  });

  it('writes the second part and ready in one request when the row it read held the other part', async () => {
    const v = nextVersion('photos/finished.jpg');
    expect(await table.writeMetadata(v, meta, now)).toBe('moved');
    const seen = await table.get(v.objectKey);
    sent.length = 0;
    expect(await table.writeVariants(v, variants, now, seen)).toBe('finished');
    expect(sent).toEqual(['UpdateItemCommand']);
    const row = await servers.row(v.objectKey);
    expect(row).toMatchObject({
      status: 'ready',
      metaSeqKey: v.seqKey,
      variantsSeqKey: v.seqKey,
      updatedAt: now,
    });
    // The listing indexes follow the status, as finalize writes them.
    expect(row?.ownerStatus).toBe(`${String(row?.ownerPrefix)}#ready`);
    // Done again with the same read: a duplicate, and the row stays as it is.
    sent.length = 0;
    expect(await table.writeVariants(v, variants, now, seen)).toBe('duplicate');
    expect(sent).toEqual(['UpdateItemCommand', 'UpdateItemCommand', 'GetItemCommand']);
  });

  it('falls back to the usual writes when the row moved on after the read that held the other part', async () => {
    const v = nextVersion('photos/moved-on.jpg');
    await table.writeMetadata(v, meta, now);
    const seen = await table.get(v.objectKey);
    const newer = nextVersion('photos/moved-on.jpg');
    expect(await table.writeMetadata(newer, meta, now)).toBe('moved');
    expect(await table.writeVariants(v, variants, now, seen)).toBe('stale');
    expect(await servers.row(v.objectKey)).toMatchObject({ seqKey: newer.seqKey, status: 'pending' });
    expect(await servers.row(v.objectKey)).not.toHaveProperty('variantsSeqKey');
  });

  it('keeps the duplicate and stale answers for a writer that read the row at its version', async () => {
    const v = nextVersion('photos/answers.jpg');
    await table.writeMetadata(v, meta, now);
    await table.writeVariants(v, variants, now);
    const seen = await table.get(v.objectKey);
    expect(await table.writeVariants(v, variants, now, seen)).toBe('duplicate');
    const newer = { ...nextVersion('photos/answers.jpg') };
    expect(await table.writeMetadata(newer, meta, now)).toBe('moved');
    expect(await table.writeVariants(v, variants, now, seen)).toBe('stale');
    expect(await servers.row(v.objectKey)).toMatchObject({ seqKey: newer.seqKey, status: 'pending' });
  });
});

describe('DynamoImageTable, metadata without a row read (writeMetadataUnread)', () => {
  it('moves a new key to the version in one request', async () => {
    const v = nextVersion('photos/unread-new.jpg');
    sent.length = 0;
    expect(await table.writeMetadataUnread(v, meta, now)).toEqual({ written: 'moved' });
    expect(sent).toEqual(['UpdateItemCommand']);
    const row = await servers.row(v.objectKey);
    expect(row).toMatchObject({ status: 'pending', seqKey: v.seqKey, metaSeqKey: v.seqKey, etag: 'e' });
    expect(row?.ownerStatus).toBe(`${String(row?.ownerPrefix)}#pending`);
    // The other writer comes second and finalises.
    expect(await table.writeVariants(v, variants, now)).toBe('applied');
    expect(await table.finalize(v.objectKey, v.seqKey, now)).toBe(true);
  });

  it('moves a row at an older version or a deletion, clearing the tombstone', async () => {
    const old = nextVersion('photos/unread-older.jpg');
    await table.writeVariants(old, variants, now);
    expect(await table.writeTombstone(nextVersion('photos/unread-older.jpg'), now, 1)).toBe('applied');
    const v = nextVersion('photos/unread-older.jpg');
    expect(await table.writeMetadataUnread(v, meta, now)).toEqual({ written: 'moved' });
    const row = await servers.row(v.objectKey);
    expect(row).toMatchObject({ status: 'pending', seqKey: v.seqKey, metaSeqKey: v.seqKey });
    expect([row?.deletedAt, row?.expiresAt, row?.variantsSeqKey]).toEqual([undefined, undefined, undefined]);
  });

  it('adds the part to a row resize moved to the version, in one request, and says so', async () => {
    const v = nextVersion('photos/unread-second.jpg');
    expect(await table.writeVariants(v, variants, now)).toBe('moved');
    sent.length = 0;
    expect(await table.writeMetadataUnread(v, meta, '2026-11-27T10:00:01.000Z')).toEqual({
      written: 'applied',
    });
    expect(sent).toEqual(['UpdateItemCommand']);
    expect(await table.finalize(v.objectKey, v.seqKey, now)).toBe(true);
    expect(await servers.row(v.objectKey)).toMatchObject({
      status: 'ready',
      metaSeqKey: v.seqKey,
      variantsSeqKey: v.seqKey,
      presetsHash: 'h',
    });
  });

  it('is refused, with the row read then, for a duplicate, a newer row and a failure of the version', async () => {
    const v = nextVersion('photos/unread-refused.jpg');
    await table.writeMetadataUnread(v, meta, now);
    sent.length = 0;
    const duplicate = await table.writeMetadataUnread(v, meta, now);
    expect(sent).toEqual(['UpdateItemCommand', 'GetItemCommand']);
    expect(duplicate).toMatchObject({ written: 'refused', row: { seqKey: v.seqKey, metaSeqKey: v.seqKey } });

    const newer = nextVersion('photos/unread-refused.jpg');
    await table.writeVariants(newer, variants, now);
    expect(await table.writeMetadataUnread(v, meta, now)).toMatchObject({
      written: 'refused',
      row: { seqKey: newer.seqKey, status: 'pending' },
    });

    const error = { code: 'UNSUPPORTED_FORMAT', message: 'no' };
    expect(await table.writeFailure(newer, 'variants', error, now)).toBe('applied');
    expect(await table.writeMetadataUnread(newer, meta, now)).toMatchObject({
      written: 'refused',
      row: { seqKey: newer.seqKey, status: 'failed', error },
    });
    // Neither refused write touched the row: its metadata is still the older version's.
    expect(await servers.row(v.objectKey)).toMatchObject({ metaSeqKey: v.seqKey, status: 'failed' });
  });
});

describe('DynamoImageTable, variants without a row read (finishVariantsUnread)', () => {
  it('finishes a row metadata-sync moved to the version in one request, returning the row as it was', async () => {
    const old = nextVersion('photos/finish.jpg');
    await table.writeVariants(old, { variants: [], presetsHash: 'older-presets' }, now);
    const v = nextVersion('photos/finish.jpg');
    expect(await table.writeMetadataUnread(v, meta, now)).toEqual({ written: 'moved' });
    sent.length = 0;
    const finished = await table.finishVariantsUnread(v, variants, '2026-11-27T10:00:02.000Z');
    expect(sent).toEqual(['UpdateItemCommand']);
    // The older version's variants part was still on the row: its presets tell what to clean up.
    expect(finished).toMatchObject({
      written: 'finished',
      before: { seqKey: v.seqKey, status: 'pending', metaSeqKey: v.seqKey, presetsHash: 'older-presets' },
    });
    const row = await servers.row(v.objectKey);
    expect(row).toMatchObject({
      status: 'ready',
      variantsSeqKey: v.seqKey,
      presetsHash: 'h',
      updatedAt: '2026-11-27T10:00:02.000Z',
    });
    expect(row?.ownerStatus).toBe(`${String(row?.ownerPrefix)}#ready`);
  });

  it('is refused, with the row read then, without metadata of the version, for a duplicate and a newer row', async () => {
    const v = nextVersion('photos/finish-refused.jpg');
    sent.length = 0;
    expect(await table.finishVariantsUnread(v, variants, now)).toEqual({
      written: 'refused',
      row: undefined,
    });
    expect(sent).toEqual(['UpdateItemCommand', 'GetItemCommand']);

    await table.writeMetadataUnread(v, meta, now);
    await table.finishVariantsUnread(v, variants, now);
    expect(await table.finishVariantsUnread(v, variants, now)).toMatchObject({
      written: 'refused',
      row: { seqKey: v.seqKey, status: 'ready', variantsSeqKey: v.seqKey },
    });
    // A ready row refuses it even under other presets (the write needs a pending row); the caller decides.
    expect(await table.finishVariantsUnread(v, { ...variants, presetsHash: 'h2' }, now)).toMatchObject({
      written: 'refused',
    });

    const newer = nextVersion('photos/finish-refused.jpg');
    await table.writeMetadataUnread(newer, meta, now);
    expect(await table.finishVariantsUnread(v, variants, now)).toMatchObject({
      written: 'refused',
      row: { seqKey: newer.seqKey, status: 'pending' },
    });
    expect(await servers.row(v.objectKey)).toMatchObject({ seqKey: newer.seqKey, presetsHash: 'h' });
  });
});

describe('DynamoImageTable, updatedAt only moves forward', () => {
  const at = (s: number) => `2026-11-27T10:00:${String(s).padStart(2, '0')}.000Z`;

  it('keeps the later time when the write that lands second carries the earlier clock', async () => {
    // metadata-sync moves the row at :05; resize, whose clock read :04 before its write, finishes it.
    const v = nextVersion('photos/clock-finish.jpg');
    await table.writeMetadataUnread(v, meta, at(5));
    sent.length = 0;
    expect(await table.finishVariantsUnread(v, variants, at(4))).toMatchObject({ written: 'finished' });
    expect(sent).toEqual(['UpdateItemCommand', 'UpdateItemCommand']);
    expect(await servers.row(v.objectKey)).toMatchObject({ status: 'ready', updatedAt: at(5) });

    // The same through the part write and the finalisation.
    const w = nextVersion('photos/clock-finalize.jpg');
    expect(await table.writeVariants(w, variants, at(7))).toBe('moved');
    expect(await table.writeMetadata(w, meta, at(6))).toBe('applied');
    expect(await table.finalize(w.objectKey, w.seqKey, at(6))).toBe(true);
    expect(await servers.row(w.objectKey)).toMatchObject({ status: 'ready', updatedAt: at(7) });
  });

  it('costs one request when the clocks agree, and a later time is simply written', async () => {
    const v = nextVersion('photos/clock-forward.jpg');
    await table.writeMetadataUnread(v, meta, at(1));
    sent.length = 0;
    await table.finishVariantsUnread(v, variants, at(2));
    expect(sent).toEqual(['UpdateItemCommand']);
    expect(await servers.row(v.objectKey)).toMatchObject({ status: 'ready', updatedAt: at(2) });
  });
});
