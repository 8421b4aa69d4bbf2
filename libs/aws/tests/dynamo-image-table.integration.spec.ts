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
    const v = nextVersion('photos/second.jpg');
    await table.writeVariants(v, variants, now);
    const seen = await table.get(v.objectKey);
    sent.length = 0;
    expect(await table.writeMetadata(v, meta, now, seen)).toBe('applied');
    expect(sent).toEqual(['UpdateItemCommand']);
    // Without what it read, the same write first tries (and fails) to move the row.
    const w = nextVersion('photos/second-unseen.jpg');
    await table.writeVariants(w, variants, now);
    sent.length = 0;
    expect(await table.writeMetadata(w, meta, now)).toBe('applied');
    expect(sent).toEqual(['UpdateItemCommand', 'UpdateItemCommand']);
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
