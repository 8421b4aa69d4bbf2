import { invokeBundle, lambdaContext, usePipelineServers } from '@imgpipe/local-aws/testing';
import { readCorpusFile } from '@imgpipe/testing';

jest.setTimeout(90_000);

const suite = usePipelineServers({ bundle: 'resize' });

describe('resize bundle', () => {
  it('exports handler and renders the variants of an uploaded object in a fresh node process', async () => {
    const key = 'bundle/sunny day.jpg';
    const v = await suite.servers.upload(key, readCorpusFile('sharp-fixtures/320x240.jpg'));
    const run = await invokeBundle(suite.bundle, suite.servers.created(key, v), suite.servers.env('resize'));
    expect(run).toMatchObject({ ok: true, exports: ['handler'] });
    expect(await suite.servers.derivedKeys(`${key}/`)).toEqual([
      `${key}/large.jpg`,
      `${key}/small.webp`,
      `${key}/thumb.webp`,
    ]);
    // Only resize ran: its variants are on the row, which waits for metadata-sync to be ready.
    expect(await suite.servers.row(key)).toMatchObject({ status: 'pending', sequencer: v.sequencer });
    expect((await suite.servers.row(key))?.variants).toHaveLength(3);
  });

  it('throws from the bundle on a transient failure (the table is unreachable)', async () => {
    const key = 'bundle/unreachable.jpg';
    const v = await suite.servers.upload(key, readCorpusFile('sharp-fixtures/320x240.jpg'));
    const env = {
      ...suite.servers.env('resize'),
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9',
      AWS_MAX_ATTEMPTS: '1',
    };
    const run = await invokeBundle(suite.bundle, suite.servers.created(key, v), env);
    expect(run.ok).toBe(false);
    expect(await suite.servers.row(key)).toBeUndefined();
  });
});

describe('resize handler (source)', () => {
  it('rejects an unknown event with INVALID_EVENT and succeeds', async () => {
    Object.assign(process.env, suite.servers.env('resize'));
    const { handler } = await import('../src/handler');
    await expect(
      handler({ Records: [{ eventSource: 'aws:kinesis' }] }, lambdaContext()),
    ).resolves.toMatchObject({
      rejected: { code: 'INVALID_EVENT' },
    });
  });
});
