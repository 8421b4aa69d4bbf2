import { resizeObject, S3_MAX_KEY_BYTES, syncMetadata } from '@imgpipe/core';
import { extractMetadata, renderVariants } from '@imgpipe/image';
import { readCorpusFile } from '@imgpipe/testing';
import { composeFunction, objectEventHandler } from '../src';
import { lambdaContext, startPipelineServers, type PipelineServers } from '@imgpipe/local-aws/testing';

jest.setTimeout(60_000);

const images = { renderVariants, extractMetadata };
let servers: PipelineServers;

beforeAll(async () => {
  servers = await startPipelineServers();
});

afterAll(async () => {
  await servers.stop();
});

/** A key of exactly `bytes` UTF-8 bytes, in segments a filesystem-backed emulator can store. */
function keyOfBytes(bytes: number): string {
  const segments: string[] = [];
  let left = bytes - '.jpg'.length;
  while (left > 0) {
    const take = Math.min(200, left - (segments.length > 0 ? 1 : 0));
    segments.push('k'.repeat(take));
    left -= take + (segments.length > 1 ? 1 : 0);
  }
  const key = `${segments.join('/')}.jpg`;
  expect(Buffer.byteLength(key)).toBe(bytes);
  return key;
}

describe('source keys near S3 key limit', () => {
  it('records KEY_TOO_LONG, without retrying, when a variant key would pass 1,024 bytes', async () => {
    // Prepare: 1,014 bytes + "/thumb.webp" (11) = 1,025 bytes, one over S3's limit.
    const key = keyOfBytes(S3_MAX_KEY_BYTES - 10);
    const v = await servers.upload(key, readCorpusFile('sharp-fixtures/320x240.jpg'));
    const resize = objectEventHandler(resizeObject, () =>
      composeFunction('resize', servers.env('resize'), images),
    );
    const metadata = objectEventHandler(syncMetadata, () =>
      composeFunction('metadata-sync', servers.env('metadata-sync'), images),
    );
    // Act: a throw would mean a retry, and finally the DLQ, for an upload that can never succeed.
    await metadata(servers.created(key, v), lambdaContext());
    await resize(servers.created(key, v), lambdaContext());
    // Assess
    const row = await servers.row(key);
    expect(row).toMatchObject({
      status: 'failed',
      error: { code: 'KEY_TOO_LONG', message: expect.stringContaining('"thumb" would need 1025') },
    });
    expect(row?.['variants']).toBeUndefined();
    expect(await servers.derivedKeys(`${key}/`)).toEqual([]);
  });

  it('renders the variants of a key whose longest variant key is exactly 1,024 bytes', async () => {
    const key = keyOfBytes(S3_MAX_KEY_BYTES - '/thumb.webp'.length);
    const v = await servers.upload(key, readCorpusFile('sharp-fixtures/320x240.jpg'));
    const resize = objectEventHandler(resizeObject, () =>
      composeFunction('resize', servers.env('resize'), images),
    );
    await resize(servers.created(key, v), lambdaContext());
    const keys = await servers.derivedKeys(`${key}/`);
    expect(keys.map((k) => k.slice(key.length))).toEqual(['/large.jpg', '/small.webp', '/thumb.webp']);
    expect(Math.max(...keys.map((k) => Buffer.byteLength(k)))).toBe(S3_MAX_KEY_BYTES);
  });
});
