import type { S3Client } from '@aws-sdk/client-s3';
import { classifyFailure } from '@imgpipe/core';
import { DeleteObjectsError, isAwsError, S3ObjectStore } from '../src';

/** An S3 client whose every call answers `answer` (DeleteObjects reports refused keys in a 200 body). */
function answering(answer: unknown): S3Client {
  return { send: async () => answer } as unknown as S3Client;
}

describe('isAwsError', () => {
  it('matches an SDK error by name, by Code or by HTTP status', () => {
    expect(isAwsError({ name: 'NoSuchKey' }, ['NoSuchKey'])).toBe(true);
    expect(isAwsError({ Code: 'PreconditionFailed' }, ['PreconditionFailed'])).toBe(true);
    expect(isAwsError({ name: 'Other', $metadata: { httpStatusCode: 404 } }, [], 404)).toBe(true);
    expect(isAwsError({ name: 'Other', $metadata: { httpStatusCode: 500 } }, ['NoSuchKey'], 404)).toBe(false);
    expect(isAwsError('NoSuchKey', ['NoSuchKey'])).toBe(false);
  });
});

describe('S3ObjectStore.deleteMany', () => {
  it('throws a retryable DeleteObjectsError naming the first refused key, ignoring keys already gone', async () => {
    expect.assertions(4);
    const store = new S3ObjectStore(
      answering({
        Errors: [
          { Key: 'gone.webp', Code: 'NoSuchKey', Message: 'gone' },
          { Key: 'a.webp', Code: 'AccessDenied', Message: 'Access Denied' },
        ],
      }),
    );
    try {
      await store.deleteMany('imgpipe-derived', [{ key: 'gone.webp' }, { key: 'a.webp' }]);
    } catch (err) {
      expect(err).toBeInstanceOf(DeleteObjectsError);
      expect((err as DeleteObjectsError).s3Code).toBe('AccessDenied');
      expect((err as Error).message).toBe(
        'DeleteObjects refused 1 of 2 keys in s3://imgpipe-derived: AccessDenied Access Denied',
      );
      expect(classifyFailure(err)).toEqual({
        retryable: true,
        code: 'DELETE_OBJECTS_FAILED',
        message: (err as Error).message,
      });
    }
  });

  it('succeeds when the only refusals are keys that no longer exist', async () => {
    const store = new S3ObjectStore(answering({ Errors: [{ Key: 'x', Code: 'NoSuchKey' }] }));
    await expect(store.deleteMany('imgpipe-derived', [{ key: 'x' }])).resolves.toEqual({ refused: [] });
  });

  it('reports the keys a conditional delete refused and sends each ETag quoted', async () => {
    const sent: unknown[] = [];
    const s3 = {
      send: async (command: { input: unknown }) => {
        sent.push(command.input);
        return {
          Errors: [
            { Key: 'a.webp', Code: 'PreconditionFailed' },
            { Key: 'b.webp', Code: 'ConditionalRequestConflict' },
          ],
        };
      },
    } as unknown as S3Client;
    const result = await new S3ObjectStore(s3).deleteMany('d', [
      { key: 'a.webp', etag: 'e1' },
      { key: 'b.webp', etag: '"e2"' },
      { key: 'c.webp' },
    ]);
    expect(result).toEqual({ refused: ['a.webp', 'b.webp'] });
    expect(sent).toEqual([
      {
        Bucket: 'd',
        Delete: {
          Objects: [{ Key: 'a.webp', ETag: '"e1"' }, { Key: 'b.webp', ETag: '"e2"' }, { Key: 'c.webp' }],
          Quiet: true,
        },
      },
    ]);
  });
});

describe('S3ObjectStore.put', () => {
  const options = { contentType: 'image/webp', cacheControl: 'no-store', metadata: {} };
  const failing = (err: unknown) => ({ send: () => Promise.reject(err) }) as unknown as S3Client;

  it.each([
    ['PreconditionFailed', 412],
    ['ConditionalRequestConflict', 409],
    ['NoSuchKey', 404],
  ])('answers false when S3 refuses the condition (%s, %i)', async (name, status) => {
    const store = new S3ObjectStore(failing({ name, $metadata: { httpStatusCode: status } }));
    await expect(
      store.put('d', 'k', Buffer.from('x'), { ...options, condition: { ifNoneMatch: '*' } }),
    ).resolves.toBe(false);
  });

  it('rethrows a refusal of an unconditional write, and any other error', async () => {
    const refused = { name: 'PreconditionFailed', $metadata: { httpStatusCode: 412 } };
    await expect(new S3ObjectStore(failing(refused)).put('d', 'k', Buffer.from('x'), options)).rejects.toBe(
      refused,
    );
    const noBucket = { name: 'NoSuchBucket', $metadata: { httpStatusCode: 404 } };
    await expect(
      new S3ObjectStore(failing(noBucket)).put('d', 'k', Buffer.from('x'), {
        ...options,
        condition: { ifNoneMatch: '*' },
      }),
    ).rejects.toBe(noBucket);
    const denied = { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } };
    await expect(
      new S3ObjectStore(failing(denied)).put('d', 'k', Buffer.from('x'), {
        ...options,
        condition: { ifMatch: 'e' },
      }),
    ).rejects.toBe(denied);
  });
});
