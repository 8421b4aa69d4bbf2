import { invokeBundle, lambdaContext, usePipelineServers } from '@imgpipe/local-aws/testing';
import { readCorpusFile } from '@imgpipe/testing';

jest.setTimeout(90_000);

const suite = usePipelineServers({ bundle: 'metadata-sync' });

describe('metadata-sync bundle', () => {
  it('writes the metadata row for an uploaded object in a fresh node process', async () => {
    const key = 'bundle/flowers.jpeg';
    const v = await suite.servers.upload(key, readCorpusFile('sharp-fixtures/flowers.jpeg'));
    const run = await invokeBundle(
      suite.bundle,
      suite.servers.created(key, v),
      suite.servers.env('metadata-sync'),
    );
    expect(run).toMatchObject({ ok: true, exports: ['handler'] });
    const row = await suite.servers.row(key);
    expect(row).toMatchObject({
      status: 'pending',
      format: 'jpeg',
      width: 1920,
      height: 1080,
      etag: v.etag,
      bytes: v.size,
    });
    expect(row?.metadata).toMatchObject({ orientation: 1 });
    expect(typeof row?.metadata?.['placeholder']).toBe('string');
  });

  it('turns the row into a tombstone on Object Deleted', async () => {
    const key = 'bundle/gone.jpeg';
    const v = await suite.servers.upload(key, readCorpusFile('sharp-fixtures/320x240.jpg'));
    await invokeBundle(suite.bundle, suite.servers.created(key, v), suite.servers.env('metadata-sync'));
    const d = await suite.servers.remove(key);
    const run = await invokeBundle(
      suite.bundle,
      suite.servers.deleted(key, d),
      suite.servers.env('metadata-sync'),
    );
    expect(run.ok).toBe(true);
    expect(await suite.servers.row(key)).toMatchObject({ status: 'deleted', sequencer: d.sequencer });
    expect((await suite.servers.row(key))?.format).toBeUndefined();
  });
});

describe('metadata-sync handler (source)', () => {
  it('records an unsupported input as failed and succeeds', async () => {
    Object.assign(process.env, suite.servers.env('metadata-sync'));
    const { handler } = await import('../src/handler');
    const key = 'not-an-image.bin';
    const v = await suite.servers.upload(key, Buffer.from('%PDF-1.4 not really'));
    const result = await handler(suite.servers.created(key, v), lambdaContext());
    expect(result.results[0]).toMatchObject({ action: 'failed' });
    expect((await suite.servers.row(key))?.status).toBe('failed');
  });
});
