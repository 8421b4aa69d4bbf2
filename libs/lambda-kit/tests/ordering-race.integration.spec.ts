import { resizeObject, syncMetadata } from '@imgpipe/core';
import { extractMetadata, inspectImage, renderVariants, type RenderOptions } from '@imgpipe/image';
import { DEFAULT_LIMITS } from '@imgpipe/pipeline';
import { readCorpusFile } from '@imgpipe/testing';
import { composeFunction, objectEventHandler } from '../src';
import { lambdaContext, startPipelineServers, type PipelineServers } from '@imgpipe/local-aws/testing';

// Issue 11's ordering failure, replayed deterministically over the wire: resize of v1 reads the row and
// downloads v1, then renders slowly; meanwhile v1 is deleted, v2 uploaded and fully processed. When v1's
// resize goes on, v2's files must survive with v2's bytes and the row must list files that exist.

jest.setTimeout(60_000);

const images = { renderVariants, extractMetadata };
const V1 = readCorpusFile('sharp-fixtures/320x240.jpg');
const V2 = readCorpusFile('sharp-fixtures/Landscape_9.jpg');

let servers: PipelineServers;

beforeAll(async () => {
  servers = await startPipelineServers();
});

afterAll(async () => {
  await servers.stop();
});

/** A resize whose render waits for `gate` once it has started (it has read the row and downloaded). */
function gatedResize(gate: Promise<void>) {
  let started!: () => void;
  const rendering = new Promise<void>((resolve) => (started = resolve));
  const slowImages = {
    renderVariants: async (input: Buffer, options: RenderOptions) => {
      started();
      await gate;
      return renderVariants(input, options);
    },
    extractMetadata,
  };
  const runtime = composeFunction('resize', servers.env('resize'), slowImages);
  return { handler: objectEventHandler(resizeObject, () => runtime), rendering };
}

describe('a slow resize of an older version against real S3 and DynamoDB servers', () => {
  it('leaves the newer version files and row intact (no overwrite, no take-back of its files)', async () => {
    const resize = objectEventHandler(resizeObject, () =>
      composeFunction('resize', servers.env('resize'), images),
    );
    const metadata = objectEventHandler(syncMetadata, () =>
      composeFunction('metadata-sync', servers.env('metadata-sync'), images),
    );
    const key = 'race/photo.jpg';
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const slow = gatedResize(gate);

    const v1 = await servers.upload(key, V1);
    const late = slow.handler(servers.created(key, v1), lambdaContext());
    await slow.rendering;
    await servers.remove(key);
    const v2 = await servers.upload(key, V2);
    const v2Event = servers.created(key, v2);
    expect((await resize(v2Event, lambdaContext())).results[0]).toMatchObject({ action: 'applied' });
    expect((await metadata(v2Event, lambdaContext())).results[0]).toMatchObject({ action: 'applied' });
    open();
    expect((await late).results[0]).toMatchObject({ action: 'stale' });

    const row = await servers.row(key);
    const { width } = await inspectImage(V2, DEFAULT_LIMITS);
    expect(row).toMatchObject({ status: 'ready', sequencer: v2.sequencer, width });
    const listed = (row?.variants ?? []).map((v) => v.key).sort();
    expect(listed).toEqual([`${key}/large.jpg`, `${key}/small.webp`, `${key}/thumb.webp`]);
    expect(await servers.derivedKeys(`${key}/`)).toEqual(listed);
    for (const variant of row?.variants ?? []) {
      const head = await servers.derivedHead(variant.key);
      // v2's bytes: written from v2 and naming the version the row hands out in its URL.
      expect(head.Metadata).toEqual({
        'source-etag': v2.etag,
        'source-sequencer': v2.sequencer,
        'imgpipe-version': variant.version,
      });
      expect(head.ContentLength).toBe(variant.bytes);
    }
  });
});
