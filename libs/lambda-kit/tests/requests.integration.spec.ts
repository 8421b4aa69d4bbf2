import { createAwsClients, DynamoImageTable, S3ObjectStore } from '@imgpipe/aws';
import { resizeObject, syncMetadata } from '@imgpipe/core';
import { extractMetadata, renderVariants } from '@imgpipe/image';
import { readCorpusFile } from '@imgpipe/testing';
import { composeFunction, objectEventHandler, type FunctionRuntime } from '../src';
import { lambdaContext, startPipelineServers, type PipelineServers } from '@imgpipe/local-aws/testing';

// The requests each function sends per upload, counted on its own SDK clients over the wire: what the
// bench's CPU per upload pays for (docs/benchmarks.md "Sixth pass").

jest.setTimeout(60_000);

const images = { renderVariants, extractMetadata };
const PHOTO = readCorpusFile('sharp-fixtures/320x240.jpg');
/** resize's requests for a fresh upload: the download, three variants, one conditional write. */
const RESIZE_FRESH = [
  'GetObjectCommand',
  'PutObjectCommand',
  'PutObjectCommand',
  'PutObjectCommand',
  'UpdateItemCommand',
];

let servers: PipelineServers;
/** Commands sent by the runtime's clients since the last reset, by function. */
const sent: Record<'resize' | 'metadata-sync', string[]> = { resize: [], 'metadata-sync': [] };
let handlers: Record<'resize' | 'metadata-sync', ReturnType<typeof objectEventHandler>>;

/** `composeFunction`'s runtime with adapters over clients that log each command they send. */
function counted(fn: 'resize' | 'metadata-sync'): FunctionRuntime {
  const env = servers.env(fn);
  const runtime = composeFunction(fn, env, images);
  const clients = createAwsClients(fn, env);
  const step = { step: 'initialize', name: 'countRequests' } as const;
  clients.s3.middlewareStack.add(
    (next, context) => (args) => {
      sent[fn].push(String(context.commandName));
      return next(args);
    },
    step,
  );
  clients.dynamo.middlewareStack.add(
    (next, context) => (args) => {
      sent[fn].push(String(context.commandName));
      return next(args);
    },
    step,
  );
  const { config } = runtime.deps;
  return {
    ...runtime,
    deps: {
      ...runtime.deps,
      objects: new S3ObjectStore(clients.s3),
      table: new DynamoImageTable(clients.dynamo, config.table),
    },
  };
}

beforeAll(async () => {
  servers = await startPipelineServers();
  const resize = counted('resize');
  const metadata = counted('metadata-sync');
  handlers = {
    resize: objectEventHandler(resizeObject, () => resize),
    'metadata-sync': objectEventHandler(syncMetadata, () => metadata),
  };
});

afterAll(async () => {
  await servers.stop();
});

async function deliver(key: string, order: readonly ('resize' | 'metadata-sync')[]) {
  const v = await servers.upload(key, PHOTO);
  const event = servers.created(key, v);
  sent.resize.length = 0;
  sent['metadata-sync'].length = 0;
  for (const fn of order) await handlers[fn](event, lambdaContext());
  return { row: await servers.row(key), event };
}

describe('requests per upload over the wire', () => {
  it('metadata-sync records a fresh upload in two requests: GetObject and one UpdateItem', async () => {
    const { row } = await deliver('requests/fresh.jpg', ['metadata-sync', 'resize']);
    expect(sent['metadata-sync']).toEqual(['GetObjectCommand', 'UpdateItemCommand']);
    // resize, second, reads no row: it stores three variants and makes the row ready in one write.
    expect(sent.resize).toEqual(RESIZE_FRESH);
    expect(row).toMatchObject({ status: 'ready', format: 'jpeg', width: 320 });
  });

  it('resize first pays a refused write and a read; metadata-sync then finalises in a third request', async () => {
    const { row } = await deliver('requests/second.jpg', ['resize', 'metadata-sync']);
    expect(sent.resize).toEqual([...RESIZE_FRESH, 'GetItemCommand', 'UpdateItemCommand']);
    expect(sent['metadata-sync']).toEqual(['GetObjectCommand', 'UpdateItemCommand', 'UpdateItemCommand']);
    expect(row).toMatchObject({ status: 'ready', format: 'jpeg', width: 320 });
  });

  it('a duplicate costs metadata-sync a refused write and one read, and changes nothing', async () => {
    const key = 'requests/duplicate.jpg';
    const { row: before, event } = await deliver(key, ['metadata-sync', 'resize']);
    sent['metadata-sync'].length = 0;
    const out = await handlers['metadata-sync'](event, lambdaContext());
    expect(out.results[0]).toMatchObject({ action: 'duplicate' });
    expect(sent['metadata-sync']).toEqual(['GetObjectCommand', 'UpdateItemCommand', 'GetItemCommand']);
    expect(await servers.row(key)).toEqual(before);
  });

  it('a duplicate costs resize its render and files again (same bytes), a refused write and one read', async () => {
    const key = 'requests/duplicate-resize.jpg';
    const { row: before, event } = await deliver(key, ['metadata-sync', 'resize']);
    sent.resize.length = 0;
    const out = await handlers.resize(event, lambdaContext());
    expect(out.results[0]).toMatchObject({ action: 'duplicate' });
    expect([...sent.resize].sort()).toEqual(
      [
        'GetObjectCommand',
        ...Array<string>(3).fill('PutObjectCommand'), // refused: the files are there
        ...Array<string>(3).fill('HeadObjectCommand'),
        ...Array<string>(3).fill('PutObjectCommand'), // If-Match over our own files
        'UpdateItemCommand',
        'GetItemCommand',
      ].sort(),
    );
    expect(await servers.row(key)).toEqual(before);
  });
});
