import type { S3Client } from '@aws-sdk/client-s3';
import { SmokeFailedError, WaitTimeoutError } from '../src/stack/errors';
import type { RowSource } from '../src/stack/rows';
import type { Row } from '@imgpipe/contracts';
import { runSmoke } from '../src/stack/smoke';

/** An S3 client that records each command and answers PutObject with an ETag. */
function fakeS3() {
  const sent: string[] = [];
  const s3 = {
    send: (command: { constructor: { name: string }; input: { Key?: string } }) => {
      sent.push(`${command.constructor.name.replace(/Command$/, '')} ${command.input.Key ?? ''}`.trim());
      if (command.constructor.name === 'PutObjectCommand') return Promise.resolve({ ETag: '"e1"' });
      if (command.constructor.name === 'ListObjectsV2Command') return Promise.resolve({ Contents: [] });
      return Promise.resolve({});
    },
  } as unknown as S3Client;
  return { s3, sent };
}

const rowsOf = (row: Row | undefined): RowSource => ({
  get: () => Promise.resolve(row),
  list: async function* () {
    yield* [] as Row[];
  },
});

const options = (s3: S3Client, rows: RowSource) => ({
  s3,
  rows,
  sourceBucket: 'src',
  derivedBucket: 'drv',
  key: 'k.jpg',
  image: Buffer.from('jpeg'),
  deadline: Date.now() + 200,
  intervalMs: 10,
});

describe('runSmoke', () => {
  it('fails with SMOKE_FAILED and the row error when the pipeline rejects the image, and still deletes it', async () => {
    const { s3, sent } = fakeS3();
    const failed: Row = {
      objectKey: 'k.jpg',
      status: 'failed',
      etag: 'e1',
      updatedAt: '2026-01-01T00:00:00.000Z',
      error: { code: 'CORRUPT_IMAGE', message: 'truncated' },
    };
    const smoke = runSmoke(options(s3, rowsOf(failed)));
    await expect(smoke).rejects.toThrow(SmokeFailedError);
    await expect(smoke).rejects.toThrow('"k.jpg" ended failed with CORRUPT_IMAGE: truncated');
    expect(sent).toEqual(['PutObject k.jpg', 'DeleteObject k.jpg']);
  });

  it('fails with WAIT_TIMEOUT when no row appears in time, and still deletes the image', async () => {
    const { s3, sent } = fakeS3();
    await expect(runSmoke(options(s3, rowsOf(undefined)))).rejects.toThrow(WaitTimeoutError);
    expect(sent).toEqual(['PutObject k.jpg', 'DeleteObject k.jpg']);
  });

  it('fails with SMOKE_FAILED when a variant the row names is missing from the derived bucket', async () => {
    const { s3 } = fakeS3();
    const missing = {
      send: (command: { constructor: { name: string } }) =>
        command.constructor.name === 'HeadObjectCommand'
          ? Promise.reject(Object.assign(new Error('NotFound'), { name: 'NotFound' }))
          : s3.send(command as never),
    } as unknown as S3Client;
    const ready: Row = {
      objectKey: 'k.jpg',
      status: 'ready',
      etag: 'e1',
      updatedAt: '2026-01-01T00:00:00.000Z',
      variants: [{ name: 'thumb', key: 'k.jpg/thumb.webp', format: 'webp', width: 1, height: 1, bytes: 1 }],
    };
    await expect(runSmoke(options(missing, rowsOf(ready)))).rejects.toThrow(
      'the row names variant s3://drv/k.jpg/thumb.webp but it is not there',
    );
  });
});
